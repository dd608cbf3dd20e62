/**
 * One raw object's text -> the hours it holds, validated against its key: an hour object (snapshot
 * or revision) keeps its hour, a day object is split into the hours of its NSW local date
 * (docs/architecture.md, "Raw zone keys"). Pure but for loading the station directory once.
 */
import { ValidationError } from '@opendata-pulse/shared/errors';
import type { RawKey } from '@opendata-pulse/shared/keys';
import { parseRawObject } from '@opendata-pulse/shared/raw';
import { parseHourStart } from '@opendata-pulse/shared/time';
import {
  type HourTransform,
  type HourTransformCounts,
  transformRawDay,
  transformRawHour,
} from '../domain/hour-readings';
import type { StationDirectory } from '../domain/station-directory';

export interface ObjectTransform {
  fetchedAt: string;
  sourceTimeZone: string;
  transforms: HourTransform[];
  counts: HourTransformCounts;
  unplaced: HourTransform['unplaced'];
  directory: StationDirectory;
}

/** One spelling of the instant, so stored fetch times compare as strings and as numbers alike. */
const canonicalInstant = (at: string) => new Date(at).toISOString();

/** An hour object (snapshot or revision): its envelope's hour must be the key's. */
async function transformHourObject(
  key: string,
  hourStart: number,
  text: string,
  timeZone: string,
  stations: () => Promise<StationDirectory>,
): Promise<ObjectTransform> {
  const { envelope, observations } = parseRawObject(text);
  if (parseHourStart(envelope.hourStart) !== hourStart) {
    throw new ValidationError(`raw envelope names hour ${envelope.hourStart} but its key ${key} names another`);
  }
  const fetchedAt = canonicalInstant(envelope.fetchedAt);
  const directory = await stations();
  const hour = transformRawHour({
    observations,
    hourStart,
    timeZone,
    stations: directory,
    source: { rawKey: key, fetchedAt },
  });
  return {
    fetchedAt,
    sourceTimeZone: envelope.source.timeZone,
    transforms: [hour],
    counts: hour.counts,
    unplaced: hour.unplaced,
    directory,
  };
}

/** A day object (first fetch or revision): its envelope's local date must be the key's, and it must hold an hour. */
async function transformDayObject(
  key: string,
  date: string,
  text: string,
  timeZone: string,
  stations: () => Promise<StationDirectory>,
): Promise<ObjectTransform> {
  const { envelope, observations } = parseRawObject(text, 'day');
  if (envelope.localDate !== date) {
    throw new ValidationError(
      `raw day envelope names local date ${envelope.localDate} but its key ${key} names ${date}`,
    );
  }
  const fetchedAt = canonicalInstant(envelope.fetchedAt);
  const directory = await stations();
  const day = transformRawDay({
    observations,
    localDate: date,
    timeZone,
    stations: directory,
    source: { rawKey: key, fetchedAt },
  });
  if (day.hours.length === 0) {
    throw new ValidationError(
      `raw day object ${key} holds no observation of ${date} that can be placed in an hour ` +
        `(${day.counts.received} received: ${day.counts.otherHours} labelled with another date, ` +
        `${day.counts.unplaceable} unplaceable in ${timeZone})`,
    );
  }
  return {
    fetchedAt,
    sourceTimeZone: envelope.source.timeZone,
    transforms: day.hours,
    counts: day.counts,
    unplaced: day.unplaced,
    directory,
  };
}

/** Parse and transform one object by what its key says it is; a ValidationError names what was wrong. */
export function transformRawObject(
  key: string,
  rawKey: RawKey,
  text: string,
  timeZone: string,
  stations: () => Promise<StationDirectory>,
): Promise<ObjectTransform> {
  return rawKey.kind === 'hour'
    ? transformHourObject(key, rawKey.hourStart, text, timeZone, stations)
    : transformDayObject(key, rawKey.date, text, timeZone, stations);
}
