/**
 * The NSW Air Quality Data API's shapes (docs/nsw-api.md) as zod schemas. Unknown fields and unknown
 * parameter codes pass through: the source adds things, and ingestion must not break on them.
 */
import * as z from 'zod';
import { describeZodError, UpstreamError } from '../errors';
import { lazySchema, once } from '../lazy';

export const NSW_OPERATIONS = {
  sites: 'get_SiteDetails',
  parameters: 'get_ParameterDetails',
  observations: 'get_Observations',
} as const;

export const KNOWN_PARAMETERS = [
  'PM10',
  'PM2.5',
  'NO2',
  'NO',
  'OZONE',
  'SO2',
  'CO',
  'NEPH',
  'NH3',
  'WSP',
  'WDR',
  'SD1',
  'TEMP',
  'HUMID',
  'RAIN',
  'PM10d',
  'PM2.5d',
] as const;
export type KnownParameter = (typeof KNOWN_PARAMETERS)[number];

export function isKnownParameter(code: string): code is KnownParameter {
  return (KNOWN_PARAMETERS as readonly string[]).includes(code);
}

// Built at first use, not at import (shared `/lazy`). Schemas nest the built schemas (the `once`
// thunks), so parsing never goes through the exported stand-ins.
const nullableNumber = once(() => z.number().nullable());

const parameter = once(() =>
  z.looseObject({
    ParameterCode: z.string().min(1),
    ParameterDescription: z.string().nullish(),
    Units: z.string().nullish(),
    UnitsDescription: z.string().nullish(),
    Category: z.string().nullish(),
    SubCategory: z.string().nullish(),
    Frequency: z.string().nullish(),
  }),
);
export const nswParameterSchema = lazySchema(parameter);
export type NswParameter = z.infer<typeof nswParameterSchema>;

const observation = once(() =>
  z.looseObject({
    Site_Id: z.number().int(),
    Parameter: parameter(),
    Date: z.string().regex(/^\d{4}-\d{2}-\d{2}/, 'expected an ISO date (YYYY-MM-DD)'),
    Hour: z.number().int().min(1).max(24),
    HourDescription: z.string().nullish(),
    Value: nullableNumber(),
    AirQualityCategory: z.string().nullish(),
    DeterminingPollutant: z.string().nullish(),
  }),
);
export const nswObservationSchema = lazySchema(observation);
export type NswObservation = z.infer<typeof nswObservationSchema>;

const site = once(() =>
  z.looseObject({
    Site_Id: z.number().int(),
    SiteName: z.string(),
    Longitude: nullableNumber().optional(),
    Latitude: nullableNumber().optional(),
    Region: z.string().nullish(),
  }),
);
export const nswSiteSchema = lazySchema(site);
export type NswSite = z.infer<typeof nswSiteSchema>;

/** The source answers a bare array; some clients report a `{"Values": [...]}` envelope. Accept both. */
function arrayOrValues<T extends z.ZodType>(item: T) {
  return z.union([z.array(item), z.looseObject({ Values: z.array(item) }).transform((v) => v.Values)]);
}

export const nswObservationsResponseSchema = lazySchema(() => arrayOrValues(observation()));
export const nswSitesResponseSchema = lazySchema(() => arrayOrValues(site()));
export const nswParametersResponseSchema = lazySchema(() => arrayOrValues(parameter()));

export const nswObservationQuerySchema = lazySchema(() =>
  z.object({
    Parameters: z.array(z.string()).optional(),
    Sites: z.array(z.number().int()).optional(),
    StartDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    EndDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    Categories: z.array(z.string()).optional(),
    SubCategories: z.array(z.string()).optional(),
    Frequency: z.array(z.string()).optional(),
  }),
);
export type NswObservationQuery = z.infer<typeof nswObservationQuerySchema>;

/** The query for hourly averages over [startDate, endDate) as NSW's own client sends it. */
export function hourlyObservationQuery(startDate: string, endDate: string): NswObservationQuery {
  return {
    StartDate: startDate,
    EndDate: endDate,
    Categories: ['Averages'],
    SubCategories: ['Hourly'],
    Frequency: ['Hourly average'],
  };
}

/**
 * Parse a response body with a schema; failure is an UpstreamError naming the first bad path, so
 * an operator can see what the source changed.
 */
export function parseNswResponse<T extends z.ZodType>(schema: T, body: unknown, what: string): z.output<T> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  throw new UpstreamError(`NSW ${what} response failed validation at ${describeZodError(result.error)}`, {
    details: { issues: result.error.issues.slice(0, 5) },
  });
}
