/**
 * The Glue table nsw_air_quality_hourly (serverless.yml) against what the ETL writes: Athena
 * reads the curated files through it, so a column the writer adds, drops, renames or retypes
 * without the table following fails here, in `pnpm test`, not in a query after deploy.
 */
import { parquetMetadata } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import { CURATED_GLUE_COLUMNS, curatedRows, encodeCuratedHour } from '../../src/domain/curated-parquet';
import { curatedPartitionKeys, declaredGlueTable, glueDrift, serverlessYmlText } from '../support/glue-table';
import { reading } from '../support/readings';

/** Athena's Hive type for each Parquet physical type (and converted type) the writer emits. */
const ATHENA_TYPE_OF_PARQUET: Record<string, string> = {
  'INT64/TIMESTAMP_MILLIS': 'timestamp',
  INT32: 'int',
  'BYTE_ARRAY/UTF8': 'string',
  DOUBLE: 'double',
};

function driftOf(serverlessYml: string): string[] {
  const table = declaredGlueTable(serverlessYml);
  return [
    ...glueDrift('Columns', table.columns, CURATED_GLUE_COLUMNS),
    ...glueDrift('PartitionKeys', table.partitionKeys, curatedPartitionKeys()),
  ];
}

describe('Glue table nsw_air_quality_hourly', () => {
  it("declares exactly the Parquet writer's columns, in its order, with their Glue types", () => {
    // Act
    const table = declaredGlueTable(serverlessYmlText());

    // Assess
    expect(table.columns).toEqual(CURATED_GLUE_COLUMNS);
    expect(glueDrift('Columns', table.columns, CURATED_GLUE_COLUMNS)).toEqual([]);
  });

  it("is partitioned by the curated keys' date directory, as a string", () => {
    // Act
    const table = declaredGlueTable(serverlessYmlText());

    // Assess
    expect(curatedPartitionKeys()).toEqual([{ Name: 'date', Type: 'string' }]);
    expect(table.partitionKeys).toEqual(curatedPartitionKeys());
  });

  it('gives each column the type Athena reads its written Parquet type as', () => {
    // Prepare
    const bytes = encodeCuratedHour(curatedRows([reading(Date.parse('2026-11-20T13:00:00Z'), { NO2: 1 })]));

    // Act
    const schema = parquetMetadata(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
    );
    const written = schema.schema.slice(1).map((element) => ({
      Name: element.name,
      Type: ATHENA_TYPE_OF_PARQUET[[element.type, element.converted_type].filter(Boolean).join('/')] ?? '?',
    }));

    // Assess
    expect(written).toEqual(CURATED_GLUE_COLUMNS);
  });

  it('reports a column whose Glue type drifted, with both types', () => {
    // Prepare
    const drifted = serverlessYmlText().replace('{ Name: value, Type: double }', '{ Name: value, Type: string }');

    // Act
    const problems = driftOf(drifted);

    // Assess
    expect(problems).toEqual([
      "nsw_air_quality_hourly Columns: value is string in the Glue table but double in the Parquet writer's schema",
    ]);
  });

  it('reports a written column missing from the Glue table and a Glue column nothing writes, by name', () => {
    // Prepare
    const drifted = serverlessYmlText()
      .replace(/^ *- \{ Name: fetched_at, Type: timestamp \}\n/m, '')
      .replace('{ Name: flags, Type: string }', '{ Name: quality_flags, Type: string }');

    // Act
    const problems = driftOf(drifted);

    // Assess
    expect(problems).toEqual([
      "nsw_air_quality_hourly Columns: flags (string) is in the Parquet writer's schema but not in the Glue table",
      "nsw_air_quality_hourly Columns: fetched_at (timestamp) is in the Parquet writer's schema but not in the Glue table",
      "nsw_air_quality_hourly Columns: quality_flags (string) is in the Glue table but not in the Parquet writer's schema",
    ]);
  });

  it('reports columns in another order than the writer writes them', () => {
    // Prepare
    const drifted = serverlessYmlText().replace(
      '- { Name: site_name, Type: string }\n              - { Name: suburb, Type: string }',
      '- { Name: suburb, Type: string }\n              - { Name: site_name, Type: string }',
    );

    // Act
    const problems = driftOf(drifted);

    // Assess
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^nsw_air_quality_hourly Columns: order differs from the Parquet writer's schema: expected hour_start timestamp, site_id int, site_name string, suburb string, .*; found hour_start timestamp, site_id int, suburb string, site_name string, /,
    );
  });

  it('reports a partition key that is not the curated keys’ directory', () => {
    // Prepare
    const drifted = serverlessYmlText().replace(/- Name: date\n( *)Type: string/, '- Name: day\n$1Type: string');

    // Act
    const problems = driftOf(drifted);

    // Assess
    expect(problems).toEqual([
      'nsw_air_quality_hourly PartitionKeys: date (string) is in the curated keys but not in the Glue table',
      'nsw_air_quality_hourly PartitionKeys: day (string) is in the Glue table but not in the curated keys',
    ]);
  });

  it('says which table is missing, and which Glue tables there are, when the file has none by that name', () => {
    // Prepare
    const renamed = serverlessYmlText().replace(/Name: \$\{self:custom\.names\.glueTable\}/, 'Name: readings');

    // Act
    const read = () => declaredGlueTable(renamed);

    // Assess
    expect(read).toThrow(
      'serverless.yml declares no AWS::Glue::Table named nsw_air_quality_hourly (found: CuratedGlueTable (readings))',
    );
  });

  it('says which entry of Columns is malformed', () => {
    // Prepare
    const malformed = serverlessYmlText().replace('{ Name: unit, Type: string }', '{ Name: unit }');

    // Act
    const read = () => declaredGlueTable(malformed);

    // Assess
    expect(read).toThrow(
      'CuratedGlueTable.Properties.TableInput.StorageDescriptor.Columns[7] is not { Name: <string>, Type: <string> }: {"Name":"unit"}',
    );
  });
});
