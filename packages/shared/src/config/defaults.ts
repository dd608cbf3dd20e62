/**
 * The configuration defaults, apart from the schemas (and zod) so that code which only needs a
 * default (the pulse CLI's target resolution) loads no validation library.
 */
export const DEFAULT_NSW_API_ENDPOINT = 'https://data.airquality.nsw.gov.au/api/Data';
export const DEFAULT_SOURCE_TIMEZONE = 'Australia/Sydney';
export const DEFAULT_REGION = 'ap-southeast-2';
