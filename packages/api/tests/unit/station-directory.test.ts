import type { Station } from '@opendata-pulse/shared/model';
import { describe, expect, it } from 'vitest';
import {
  createStationDirectory,
  STATION_DIRECTORY_MISS_REFRESH_MS,
  STATION_DIRECTORY_TTL_MS,
} from '../../src/use-cases/station-directory';

const rozelle: Station = { siteId: 39, name: 'Rozelle', suburb: 'Rozelle', region: 'Sydney East' };

function countingReader(answers: Array<Station[] | Error>) {
  let reads = 0;
  return {
    reads: () => reads,
    reader: {
      async stations() {
        const answer = answers[Math.min(reads, answers.length - 1)] as Station[] | Error;
        reads++;
        if (answer instanceof Error) throw answer;
        return answer;
      },
    },
  };
}

describe('the station directory kept in the function', () => {
  it('reads the stations once per five minutes, sharing one read between concurrent callers', async () => {
    // Prepare
    let now = 0;
    const { reader, reads } = countingReader([[rozelle], [rozelle, { ...rozelle, siteId: 40 }]]);
    const directory = createStationDirectory(reader, () => now);

    // Act
    const first = await Promise.all([directory.all(), directory.all()]);
    now = STATION_DIRECTORY_TTL_MS - 1;
    const stillCached = await directory.all();
    now = STATION_DIRECTORY_TTL_MS;
    const refreshed = await directory.all();

    // Assess
    expect(STATION_DIRECTORY_TTL_MS).toBe(300_000);
    expect(first.map((s) => s.length)).toEqual([1, 1]);
    expect(stillCached).toHaveLength(1);
    expect(refreshed).toHaveLength(2);
    expect(reads()).toBe(2);
  });

  it('does not keep a failed read: the next call reads again', async () => {
    // Prepare
    const { reader, reads } = countingReader([new Error('throttled'), [rozelle]]);
    const directory = createStationDirectory(reader, () => 0);

    // Act
    const failure = await directory.all().catch((e: Error) => e);
    const retried = await directory.all();

    // Assess
    expect(failure).toBeInstanceOf(Error);
    expect(retried).toEqual([rozelle]);
    expect(reads()).toBe(2);
  });

  it("finds a suburb's stations, and reads again for a suburb it does not know once its read is 10 s old", async () => {
    // Prepare: the first read is made before the ETL has written Balmain's station
    let now = 0;
    const balmain: Station = { siteId: 41, name: 'Balmain', suburb: 'Balmain', region: 'Sydney East' };
    const { reader, reads } = countingReader([[rozelle], [rozelle, balmain]]);
    const directory = createStationDirectory(reader, () => now);

    // Act
    const known = await directory.inSuburb('  ROZELLE ');
    const tooSoon = await directory.inSuburb('Balmain');
    now = STATION_DIRECTORY_MISS_REFRESH_MS;
    const found = await directory.inSuburb('balmain');
    const unknown = await directory.inSuburb('Nowhere');

    // Assess: two reads in all; a known suburb never forces one
    expect(known).toEqual([39]);
    expect(tooSoon).toEqual([]);
    expect(found).toEqual([41]);
    expect(unknown).toEqual([]);
    expect(reads()).toBe(2);
  });
});
