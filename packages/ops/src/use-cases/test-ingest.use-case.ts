/**
 * `{"test": true}` to the ingest function's LIVE alias: it reaches NSW and S3, writes nothing,
 * and answers what a scheduled run would do now. Ingest itself is never re-implemented here.
 */
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { type InvokeOutcome, invokeFunction } from '../adapters/functions';
import { LIVE_ALIAS } from '../deployment/deployment';

/** The ingest function's answer in test mode. */
export interface TestRunAnswer {
  reachable?: boolean;
  recordCount?: number;
  latencyMs?: number;
  hourStart?: string;
  wouldWriteKey?: string;
  alreadyStored?: boolean;
  error?: string;
  /** set when the function took no work (circuit breaker on) */
  skipped?: string;
}

export async function testIngest(deps: { lambda: LambdaClient }, functionName: string): Promise<InvokeOutcome> {
  return invokeFunction(deps.lambda, functionName, { test: true }, { qualifier: LIVE_ALIAS });
}
