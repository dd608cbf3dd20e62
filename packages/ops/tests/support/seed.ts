/** Seeding the local servers with what the pipeline would have written, through shared's key builders and mappers. */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { curatedObjectKey, rawObjectKey, regionHourToItem, stationToItem } from '@opendata-pulse/shared/keys';
import type { Station } from '@opendata-pulse/shared/model';
import type { TestClients, TestResources } from './test-stack';

export const ROZELLE: Station = {
  siteId: 39,
  name: 'Rozelle',
  suburb: 'Rozelle',
  region: 'Sydney East',
  latitude: -33.866,
  longitude: 151.16,
};
export const LIVERPOOL: Station = {
  siteId: 107,
  name: 'Liverpool',
  suburb: 'Liverpool',
  region: 'Sydney South-west',
  latitude: -33.93,
  longitude: 150.91,
};

export async function putRawHour(clients: TestClients, resources: TestResources, hour: number, body = '{}') {
  await clients.s3.send(new PutObjectCommand({ Bucket: resources.rawBucket, Key: rawObjectKey(hour), Body: body }));
}

export async function putCuratedHour(clients: TestClients, resources: TestResources, hour: number) {
  await clients.s3.send(
    new PutObjectCommand({ Bucket: resources.curatedBucket, Key: curatedObjectKey(hour), Body: 'PAR1' }),
  );
}

export async function putStations(clients: TestClients, resources: TestResources, stations: Station[]) {
  for (const station of stations) {
    await clients.dynamo.send(new PutCommand({ TableName: resources.table, Item: stationToItem(station) }));
  }
}

/** A region summary for one hour: what the table holds once the ETL has processed that hour. */
export async function putRegionHour(clients: TestClients, resources: TestResources, station: Station, hour: number) {
  await clients.dynamo.send(
    new PutCommand({
      TableName: resources.table,
      Item: regionHourToItem({
        region: station.region,
        hourStart: new Date(hour).toISOString(),
        category: 'GOOD',
        worstSiteId: station.siteId,
        stations: [{ siteId: station.siteId, category: 'GOOD' }],
      }),
    }),
  );
}
