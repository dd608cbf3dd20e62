/**
 * serverless-compose.yml as data: which params each service gets from which upstream output, the
 * placeholder outputs that let every service package offline, and the checks that keep the links
 * honest (the output exists upstream, the param is read downstream, no required param is missing).
 */

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { BASE_NAMES, bucketName, stageName } from '@opendata-pulse/shared/infra';
import { parse, parseDocument } from 'yaml';
import type { ServiceId } from './services';
import type { CfnTemplate, Finding } from './template';

export interface ComposeService {
  id: string;
  path: string;
  params: Record<string, string>;
}

export const COMPOSE_FILE = 'serverless-compose.yml';

export function readCompose(root: string): ComposeService[] {
  const doc = parse(readFileSync(join(root, COMPOSE_FILE), 'utf8')) as {
    services?: Record<string, { path?: string; params?: Record<string, unknown> }>;
  };
  return Object.entries(doc.services ?? {}).map(([id, s]) => ({
    id,
    path: String(s.path ?? ''),
    params: Object.fromEntries(Object.entries(s.params ?? {}).map(([k, v]) => [k, String(v)])),
  }));
}

/**
 * A service's serverless.yml with the local YAML files it includes (`${file(./appsync.yml)}`)
 * appended as comments: their `${param:...}` uses count, while the text still parses as the one
 * serverless.yml document.
 */
export function serviceConfigText(serverlessYmlPath: string): string {
  const main = readFileSync(serverlessYmlPath, 'utf8');
  const included = new Set(
    [...main.matchAll(/\$\{file\((\.\/[^)\s]+\.ya?ml)\)/g)].map((m) => resolve(dirname(serverlessYmlPath), m[1] ?? '')),
  );
  const parts = [main];
  for (const file of included) {
    if (!existsSync(file)) continue;
    const body = readFileSync(file, 'utf8')
      .split('\n')
      .map((line) => `# ${line}`);
    parts.push(`# included: ${file.slice(dirname(serverlessYmlPath).length + 1)}`, ...body);
  }
  return parts.join('\n');
}

/** `${service.Output}` references in a param value. */
export function outputReferences(value: string): Array<{ service: string; output: string }> {
  return [...value.matchAll(/\$\{(\w[\w-]*)\.([\w.-]+)\}/g)].map((m) => ({ service: m[1] ?? '', output: m[2] ?? '' }));
}

export const PLACEHOLDER_ACCOUNT = '000000000000';

/**
 * Stand-ins for the outputs a deployed stage would have, shaped like the real values, so packaging
 * needs no AWS account. The same values seed `.serverless/state.<stage>.json` in compose mode.
 */
export function placeholderOutputs(stage: string, region: string): Record<ServiceId, Record<string, string>> {
  const acct = PLACEHOLDER_ACCOUNT;
  const raw = bucketName(BASE_NAMES.rawBucket, acct, stage);
  const curated = bucketName(BASE_NAMES.curatedBucket, acct, stage);
  const table = stageName(BASE_NAMES.table, stage);
  const queue = stageName(BASE_NAMES.processingQueue, stage);
  const dlq = stageName(BASE_NAMES.dlq, stage);
  const sqsUrl = (name: string) => `https://sqs.${region}.amazonaws.com/${acct}/${name}`;
  return {
    ingest: {
      RawBucketName: raw,
      RawBucketArn: `arn:aws:s3:::${raw}`,
      IngestFunctionName: stageName(BASE_NAMES.ingestFunction, stage),
    },
    etl: {
      TableName: table,
      TableArn: `arn:aws:dynamodb:${region}:${acct}:table/${table}`,
      CuratedBucketName: curated,
      QueueUrl: sqsUrl(queue),
      DlqUrl: sqsUrl(dlq),
      EtlFunctionName: stageName(BASE_NAMES.etlFunction, stage),
    },
    api: {
      ApiFunctionName: stageName(BASE_NAMES.apiFunction, stage),
      GraphQlApiId: 'placeholderapiid0000000000',
      GraphQlApiUrl: `https://placeholder.appsync-api.${region}.amazonaws.com/graphql`,
      GraphQlUrl: `https://placeholder.appsync-api.${region}.amazonaws.com/graphql`,
      RealtimeUrl: `wss://placeholder.appsync-realtime-api.${region}.amazonaws.com/graphql`,
      PublicApiKey: 'da2-placeholderplaceholderplace0',
    },
    ops: {},
    web: {},
  };
}

/** Resolves each param the way compose does, from the given outputs; an unknown output throws. */
export function resolveParams(
  service: ComposeService,
  outputs: Record<string, Record<string, string>>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(service.params)) {
    out[key] = value.replace(/\$\{(\w[\w-]*)\.([\w.-]+)\}/g, (whole, svc: string, output: string) => {
      const resolved = outputs[svc]?.[output];
      if (resolved === undefined)
        throw new Error(`${COMPOSE_FILE}: ${service.id}.params.${key}: ${whole} has no value`);
      return resolved;
    });
  }
  return out;
}

/**
 * Params a serverless.yml gives itself for `stage` (its `params.default` and `params.<stage>` blocks).
 * CloudFormation short tags (`!Sub`, `!Ref`...) are kept as plain values; only the keys matter here.
 */
export function ownParams(serverlessYml: string, stage: string): Set<string> {
  const doc = parseDocument(serverlessYml, { logLevel: 'silent' }).toJS() as {
    params?: Record<string, Record<string, unknown> | null>;
  } | null;
  const params = doc?.params ?? {};
  return new Set([...Object.keys(params.default ?? {}), ...Object.keys(params[stage] ?? {})]);
}

export interface ParamRow {
  service: string;
  param: string;
  /** `${svc.Output}` compose passes, if any. */
  fromCompose?: string;
  prod?: string;
  otherStages?: string;
}

/** A literal, or a source that may hold one nested variable (`cf:opendata-pulse-api-${sls:stage}.GraphQlUrl`). */
const FALLBACK = `(?:'[^']*'|"[^"]*"|(?:[^}'"\\s,$]|\\$\\{[^}\\s]*\\})+)`;
/** `${param:x, a}` or `${param:x, env:Y, 'z'}`: the param and its fallbacks, tried in order. */
const FALLBACK_CHAIN = new RegExp(`\\$\\{param:([\\w-]+)\\s*,\\s*(${FALLBACK}(?:\\s*,\\s*${FALLBACK})*)\\s*\\}`, 'g');

/** A fallback chain as the table shows it: literals as written, sources as `${source}`, joined by "else". */
function describeFallbacks(chain: string): string {
  const items = [...chain.matchAll(new RegExp(FALLBACK, 'g'))].map(([item]) => {
    const literal = /^'([^']*)'$|^"([^"]*)"$/.exec(item);
    if (literal) return literal[1] ?? literal[2] ?? '';
    return /^(?:self|sls|opt|env|file|aws|cf|ssm|s3):/.test(item) ? `\${${item}}` : item;
  });
  if (items.length === 1) return items[0] ?? '';
  return items.map((item) => (item === '' ? '""' : item)).join(', else ');
}

/**
 * Every param each service reads, with where its value comes from: compose, the service's own
 * `params.prod` / `params.default`, or the inline fallbacks of `${param:x, 'default'}` (a chain
 * such as `${param:x, env:X, ''}` shows each in order).
 */
export function paramRows(compose: ComposeService[], serverlessYml: Partial<Record<string, string>>): ParamRow[] {
  const rows: ParamRow[] = [];
  for (const svc of compose) {
    const yml = serverlessYml[svc.id];
    if (yml === undefined) continue;
    const doc = parseDocument(yml, { logLevel: 'silent' }).toJS() as {
      params?: Record<string, Record<string, unknown> | null>;
    } | null;
    const own = doc?.params ?? {};
    const inline = new Map<string, string>();
    for (const m of yml.matchAll(FALLBACK_CHAIN)) inline.set(m[1] ?? '', describeFallbacks(m[2] ?? ''));
    const names = new Set([...paramUses(yml).keys(), ...Object.keys(svc.params)]);
    const text = (v: unknown) => (v === undefined || v === null ? undefined : String(v));
    for (const param of [...names].sort()) {
      const row: ParamRow = { service: svc.id, param };
      const composed = svc.params[param];
      if (composed !== undefined) row.fromCompose = composed;
      const fallback = inline.get(param);
      const prod = text(own.prod?.[param] ?? own.default?.[param] ?? fallback);
      if (prod !== undefined) row.prod = prod;
      const other = text(own.default?.[param] ?? fallback);
      if (other !== undefined) row.otherStages = other;
      rows.push(row);
    }
  }
  return rows;
}

/** `${param:name}` uses in a serverless.yml, and whether each has a default. */
export function paramUses(serverlessYml: string): Map<string, { hasDefault: boolean }> {
  const uses = new Map<string, { hasDefault: boolean }>();
  for (const m of serverlessYml.matchAll(/\$\{param:([\w-]+)\s*(,)?/g)) {
    const name = m[1] ?? '';
    const prev = uses.get(name);
    uses.set(name, { hasDefault: (prev?.hasDefault ?? true) && m[2] === ',' });
  }
  return uses;
}

export const COMPOSE_RULES = {
  output: 'compose-output-exists',
  paramUsed: 'compose-param-used',
  paramProvided: 'compose-param-provided',
  service: 'compose-service',
  tableSource: 'compose-table-source',
} as const;

/**
 * The hot-aggregates table comes from one place: etl's `tableName` param, reported as its
 * TableName output. Every other service reading `${param:tableName}` must take that output, so
 * switching etl to a restored table switches them all (docs/DEPLOY.md, "Switch in a restored table").
 */
export const TABLE_SOURCE = { param: 'tableName', service: 'etl', output: 'TableName' } as const;

/**
 * Checks the compose links against the packaged templates and the services' serverless.yml text:
 * each referenced output is declared upstream, each param is read, each default-less param is passed
 * (by compose or by the service's own `params` block for the stage).
 */
export function checkComposeWiring(
  compose: ComposeService[],
  templates: Partial<Record<string, CfnTemplate>>,
  serverlessYml: Partial<Record<string, string>>,
  stage = 'prod',
): Finding[] {
  const findings: Finding[] = [];
  const emit = (resource: string, rule: string, message: string) => {
    findings.push({ template: COMPOSE_FILE, resource, rule, message });
  };
  const ids = new Set(compose.map((s) => s.id));
  const tableFrom = `\${${TABLE_SOURCE.service}.${TABLE_SOURCE.output}}`;
  for (const svc of compose) {
    const yml = serverlessYml[svc.id];
    for (const [param, value] of Object.entries(svc.params)) {
      for (const ref of outputReferences(value)) {
        if (!ids.has(ref.service)) {
          emit(`${svc.id}.params.${param}`, COMPOSE_RULES.service, `references unknown service "${ref.service}"`);
          continue;
        }
        const upstream = templates[ref.service];
        if (upstream && !(upstream.Outputs && ref.output in upstream.Outputs)) {
          emit(
            `${svc.id}.params.${param}`,
            COMPOSE_RULES.output,
            `${ref.service} declares no output "${ref.output}" (it has: ${Object.keys(upstream.Outputs ?? {}).join(', ') || 'none'})`,
          );
        }
      }
      if (yml !== undefined && !paramUses(yml).has(param)) {
        emit(
          `${svc.id}.params.${param}`,
          COMPOSE_RULES.paramUsed,
          `${svc.path}/serverless.yml never reads \${param:${param}}`,
        );
      }
    }
    if (
      svc.id !== TABLE_SOURCE.service &&
      yml !== undefined &&
      paramUses(yml).has(TABLE_SOURCE.param) &&
      svc.params[TABLE_SOURCE.param] !== tableFrom
    ) {
      emit(
        `${svc.id}.params.${TABLE_SOURCE.param}`,
        COMPOSE_RULES.tableSource,
        `must be ${tableFrom}, so ${svc.id} uses the table etl uses (got ${svc.params[TABLE_SOURCE.param] ?? 'nothing'})`,
      );
    }
    if (yml !== undefined) {
      const own = ownParams(yml, stage);
      for (const [param, use] of paramUses(yml)) {
        if (!use.hasDefault && !(param in svc.params) && !own.has(param)) {
          emit(
            `${svc.id}`,
            COMPOSE_RULES.paramProvided,
            `${svc.path}/serverless.yml needs \${param:${param}} and compose does not pass it`,
          );
        }
      }
    }
  }
  return findings;
}
