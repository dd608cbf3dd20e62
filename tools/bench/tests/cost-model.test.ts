/**
 * docs/cost.md's storage figures: nothing in the table expires, so storage is priced per
 * station-year of history from the measured bytes per station-hour, not over a TTL window.
 */
import { describe, expect, it } from 'vitest';
import { type CostInputs, costReport, renderCostMarkdown, YEAR_HOURS } from '../cost/cost-model';
import { PRICES } from '../cost/prices';
import { emptyTally } from '../counting-proxy';

/** 2,471 bytes per station-hour: what the last full bench measured (41.0 MB over 174 h x 100 stations). */
const BYTES_PER_STATION_HOUR = 2471;

function inputs(): CostInputs {
  const sizing = { memoryMb: 1024, architecture: 'arm64' };
  return {
    stations: 100,
    steady: { hours: 1, tally: emptyTally(), invocations: [], gsiWriteUnits: 0 },
    rawBucket: 'raw',
    curatedBucket: 'curated',
    tableBytesPerStationHour: BYTES_PER_STATION_HOUR,
    functions: { ingest: sizing, etl: sizing, api: sizing },
    apiQuery: { lambdaMs: 6, readUnits: 6.5 },
    floorWriteUnitsPerHour: 400,
  };
}

describe('storage cost of history', () => {
  it('prices a station-year as bytes per station-hour x 8,760 hours at the DynamoDB storage price', () => {
    // Act
    const { storagePerStationYear: s } = costReport(inputs());

    // Assess
    const gb = (BYTES_PER_STATION_HOUR * 8760) / 1024 ** 3;
    expect(YEAR_HOURS).toBe(8760);
    expect(s.gbPerStationYear).toBeCloseTo(gb, 12);
    expect(s.usdPerMonth).toBeCloseTo(gb * 0.285, 12);
    expect(s.usdPerYear).toBeCloseTo(gb * 0.285 * 12, 12);
    expect(PRICES.dynamoStorageGbMonth.usd).toBe(0.285);
    expect(s.growth.map((g) => g.years)).toEqual([1, 5, 10]);
    for (const g of s.growth) {
      expect(g.gb).toBeCloseTo(gb * 100 * g.years, 9);
      expect(g.usdPerMonth).toBeCloseTo(gb * 0.285 * 100 * g.years, 9);
    }
  });

  it("charges the month for the hours it adds, held for good, not for a TTL's window", () => {
    // Act
    const storage = costReport(inputs()).month.find((l) => l.price === 'dynamoStorageGbMonth');

    // Assess
    expect(storage?.item).toBe('DynamoDB storage added in a month');
    expect(storage?.quantity).toBeCloseTo((BYTES_PER_STATION_HOUR * 100 * 720) / 1024 ** 3, 12);
    expect(storage?.basis).toContain('nothing expires');
    expect(storage?.basis).not.toMatch(/TTL/);
  });

  it('writes the arithmetic into docs/cost.md', () => {
    // Act
    const markdown = renderCostMarkdown(costReport(inputs()), {
      generatedAt: '2026-11-27',
      machine: 'test',
      command: 'pnpm bench',
    });

    // Assess
    expect(markdown).toContain('## Storage per station-year');
    expect(markdown).toContain('- One station-year: 2,471 bytes x 8,760 hours / 1024³ = 0.0202 GB.');
    expect(markdown).toContain(
      '- Priced at DynamoDB standard storage, $0.285 per GB-month: 0.0202 GB x $0.285 = $0.0057 a month to keep one station-year, $0.0689 a year.',
    );
    expect(markdown).toContain('| 10 years x 100 stations | 20.16 GB | $5.75 |');
    expect(markdown).not.toMatch(/TTL/);
  });
});
