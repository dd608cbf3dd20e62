/**
 * Start-up step 3: the real handlers, each in its own worker (FunctionHost), with the environment
 * a deployed function gets, and the Lambda Invoke endpoint in front of them.
 */
import type { LocalAws } from '../../aws/local-aws';
import { FunctionHost, type InvokeOutcome } from '../../lambda/function-host';
import { startInvokeServer } from '../../lambda/lambda-invoke-server';
import type { NswSource } from '../../nsw/nsw-source';
import { describeIngestResult } from '../ingest-runs';
import { formatDuration, type StackLog } from '../stack-log';
import type { Teardown } from '../teardown';
import type { StackResources } from './create-resources';

/** Where alerts go locally: the SNS stand-in and the stage's critical-alerts topic on it. */
export interface LocalAlerts {
  snsUrl: string;
  criticalTopicArn: string;
}

export interface FunctionSettings {
  stage: string;
  host: string;
  port: number;
  region: string;
  timeZone: string;
  /** LOG_LEVEL the handlers get */
  handlerLogLevel: string;
  /** environment the handlers inherit, less real AWS identity */
  baseEnv: Record<string, string | undefined>;
  /** where the handlers' own output goes */
  output: NodeJS.WritableStream;
  /** the API's page-token key file (the stand-in for its Secrets Manager secret) */
  pageTokenKeyFile?: string;
}

/** Environment the handlers must not inherit: real AWS identity and generic endpoint overrides. */
const NOT_INHERITED = [
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
  'AWS_SESSION_TOKEN',
  'AWS_SECURITY_TOKEN',
  'AWS_ENDPOINT_URL',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_ROLE_ARN',
];

function inheritedEnv(base: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) if (v !== undefined && !NOT_INHERITED.includes(k)) out[k] = v;
  return out;
}

export async function hostFunctions(
  settings: FunctionSettings,
  local: { localAws: LocalAws; source: NswSource; resources: StackResources; alerts: LocalAlerts },
  teardown: Teardown,
  log: StackLog,
) {
  const { localAws, source, resources, alerts } = local;
  const handlerEnv: Record<string, string> = {
    ...inheritedEnv(settings.baseEnv),
    ...localAws.env(),
    AWS_DEFAULT_REGION: settings.region,
    S3_BUCKET: resources.rawBucket,
    CURATED_BUCKET: resources.curatedBucket,
    DYNAMODB_TABLE: resources.table,
    QUEUE_URL: resources.queueUrl,
    DLQ_URL: resources.dlqUrl,
    AWS_ENDPOINT_URL_SNS: alerts.snsUrl,
    // No CloudWatch alarm watches the health check here, so it publishes to critical-alerts itself
    // (docs/architecture.md, "Alerts"); the other handlers ignore the variable.
    CRITICAL_ALERTS_TOPIC_ARN: alerts.criticalTopicArn,
    NSW_API_ENDPOINT: source.endpoint,
    NSW_SOURCE_LABEL: source.label,
    NSW_SOURCE_TIMEZONE: settings.timeZone,
    LOG_LEVEL: settings.handlerLogLevel,
    STAGE: settings.stage,
    POWERTOOLS_METRICS_DISABLED: settings.baseEnv.POWERTOOLS_METRICS_DISABLED ?? 'true',
    ...(settings.pageTokenKeyFile ? { PAGE_TOKEN_KEY_FILE: settings.pageTokenKeyFile } : {}),
  };
  const functions = new FunctionHost({
    stage: settings.stage,
    region: settings.region,
    env: handlerEnv,
    output: settings.output,
    onEnvironmentEnded: (name, reason) =>
      log.line('lambda', 'error', `${name} environment ended (${reason}); the next invoke starts a fresh one`),
  });
  teardown.add('the handlers', () => functions.stop());

  const invokeServer = await startInvokeServer({
    host: settings.host,
    port: settings.port,
    functions,
    onInvoke: (key, type, outcome) => logInvoke(log, functions.nameOf(key), type, outcome),
  });
  teardown.add('the Lambda endpoint', () => invokeServer.close());
  // Set before the first invoke creates an environment, so every handler sees it from cold start.
  handlerEnv.AWS_ENDPOINT_URL_LAMBDA = invokeServer.url;
  /** Add to the handlers' environment before their first invoke (the GraphQL URL, known once it listens). */
  const setHandlerEnv = (name: string, value: string) => {
    handlerEnv[name] = value;
  };
  return { functions, invokeServer, setHandlerEnv };
}

function logInvoke(log: StackLog, name: string, type: string, outcome: InvokeOutcome): void {
  const took = formatDuration(outcome.durationMs);
  if (!outcome.ok) {
    log.line(
      'lambda',
      'warn',
      `invoke ${name} (${type}) ${outcome.error.errorType}: ${outcome.error.errorMessage} (${took})`,
    );
    return;
  }
  let detail = '';
  try {
    detail = describeIngestResult(JSON.parse(outcome.payload));
  } catch {
    // not JSON: nothing to add
  }
  log.line('lambda', 'ok', `invoke ${name} (${type}) ok${detail ? `: ${detail}` : ''} (${took})`);
}
