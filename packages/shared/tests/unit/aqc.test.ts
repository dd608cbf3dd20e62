import { describe, expect, it } from 'vitest';
import {
  CATEGORIES,
  categoryFor,
  normaliseCategory,
  regionCategory,
  stationCategory,
  THRESHOLDS,
  worstCategory,
} from '../../src/aqc';

describe('categoryFor: NSW bands, a boundary takes the worse band', () => {
  const cases = THRESHOLDS.flatMap((rule) =>
    rule.edges.flatMap((edge, i) => [
      [rule.parameter, rule.averaging, edge, CATEGORIES[i + 1]],
      [rule.parameter, rule.averaging, Number((edge - 0.001).toFixed(3)), CATEGORIES[i]],
    ]),
  );

  it.each(cases)('%s %s at %d is %s', (parameter, averaging, value, expected) => {
    expect(categoryFor(parameter as string, value as number, averaging as '1h')).toBe(expected);
  });

  it('is GOOD at zero and EXTREMELY_POOR far above the top edge', () => {
    expect(categoryFor('PM2.5', 0)).toBe('GOOD');
    expect(categoryFor('PM2.5', 10_000)).toBe('EXTREMELY_POOR');
  });

  it('has no category for unusable values or parameters without a rule', () => {
    expect(categoryFor('PM2.5', null)).toBeUndefined();
    expect(categoryFor('PM2.5', -9.998)).toBeUndefined();
    expect(categoryFor('PM2.5', Number.NaN)).toBeUndefined();
    expect(categoryFor('TEMP', 30)).toBeUndefined();
    expect(categoryFor('CO', 20)).toBeUndefined(); // CO is only rated on its 8 h average
    expect(categoryFor('CO', 20, '8h')).toBe('EXTREMELY_POOR');
  });
});

describe('combining categories', () => {
  it('rates a station by its worst pollutant and names it', () => {
    expect(
      stationCategory([
        { parameter: 'NO2', category: 'GOOD' },
        { parameter: 'PM2.5', category: 'POOR' },
        { parameter: 'PM10', category: 'FAIR' },
        { parameter: 'TEMP' },
      ]),
    ).toEqual({ category: 'POOR', determiningPollutant: 'PM2.5' });
  });

  it('gives the first pollutant on a tie and nothing when none is rated', () => {
    expect(
      stationCategory([
        { parameter: 'PM10', category: 'FAIR' },
        { parameter: 'PM2.5', category: 'FAIR' },
      ]),
    ).toEqual({ category: 'FAIR', determiningPollutant: 'PM10' });
    expect(stationCategory([{ parameter: 'TEMP' }])).toEqual({});
  });

  it('rates a region by its worst station', () => {
    expect(regionCategory([{ category: 'GOOD' }, { category: 'VERY_POOR' }, {}])).toBe('VERY_POOR');
    expect(worstCategory([])).toBeUndefined();
  });
});

describe('normaliseCategory', () => {
  it.each([
    ['GOOD', 'GOOD'],
    ['VERY POOR', 'VERY_POOR'],
    ['Very_Poor', 'VERY_POOR'],
    ['extremely  poor', 'EXTREMELY_POOR'],
    [' fair ', 'FAIR'],
  ])('reads %j as %s', (input, expected) => {
    expect(normaliseCategory(input)).toBe(expected);
  });

  it('treats null/empty as no category and an unknown spelling as null (to be flagged)', () => {
    expect(normaliseCategory(null)).toBeUndefined();
    expect(normaliseCategory('')).toBeUndefined();
    expect(normaliseCategory('HAZARDOUS')).toBeNull();
  });
});
