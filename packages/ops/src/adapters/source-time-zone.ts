/**
 * The zone NSW's Date/Hour labels are read in (NSW_SOURCE_TIMEZONE, docs/architecture.md "Hour
 * convention"): what turns requested UTC hours into the NSW local dates a backfill asks for, and
 * observations into hours. It must be the zone the deployed ingest and ETL use, so it is read
 * from what the ingest function runs (its LIVE alias) rather than from the operator's shell;
 * the local stack says it in endpoints.json.
 */
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { DEFAULT_SOURCE_TIMEZONE } from '@opendata-pulse/shared/config';
import { ConfigError } from '@opendata-pulse/shared/errors';
import { isValidTimeZone } from '@opendata-pulse/shared/time';
import type { OpsTarget } from '../deployment/deployment';
import { liveFunctionStatus } from './functions';

export async function sourceTimeZone(
  lambda: LambdaClient,
  target: Pick<OpsTarget, 'sourceTimeZone' | 'functions'>,
): Promise<string> {
  const zone =
    target.sourceTimeZone ??
    (await liveFunctionStatus(lambda, target.functions.ingest)).variables.NSW_SOURCE_TIMEZONE?.trim() ??
    DEFAULT_SOURCE_TIMEZONE;
  // the shared config schema's default applies when the variable is unset or empty
  const resolved = zone === '' ? DEFAULT_SOURCE_TIMEZONE : zone;
  if (!isValidTimeZone(resolved)) {
    throw new ConfigError(`NSW_SOURCE_TIMEZONE "${resolved}" of ${target.functions.ingest} is not a time zone`);
  }
  return resolved;
}
