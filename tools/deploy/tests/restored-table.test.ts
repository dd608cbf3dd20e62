// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub placeholders are spelt ${...}
/**
 * Switching in a restored table (packages/ops/runbooks/rollback.md): etl, api and ops packaged
 * offline with `--param tableName=<restored>` as the runbook deploys them. Every function's
 * DYNAMODB_TABLE and every IAM statement on the table name the restored table; the table etl owns
 * keeps its contract name (renaming it would make CloudFormation replace it) and nothing else
 * points at it.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../check';
import { packageServices, ROOT } from '../package';
import { type CfnTemplate, type Json, renderString, resourcesOfType, walk } from '../template';

const RESTORED = 'pulse-hot-restored-20261127';
const OWNED = 'opendata-pulse-hot-aggregates';
const SERVICES = ['etl', 'api', 'ops'] as const;
const TABLE_ARN = `arn:\${AWS::Partition}:dynamodb:\${AWS::Region}:\${AWS::AccountId}:table/${RESTORED}`;

interface Statement {
  Action: string | string[];
  Resource: Json;
}

/** Every IAM statement of a template (roles' inline policies and policy resources). */
function statements(template: CfnTemplate): Statement[] {
  const found: Statement[] = [];
  walk(template.Resources as unknown as Json, (node) => {
    if (node && typeof node === 'object' && !Array.isArray(node) && 'Action' in node && 'Effect' in node) {
      found.push(node as unknown as Statement);
    }
  });
  return found;
}

const actions = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
const resources = (s: Statement) =>
  (Array.isArray(s.Resource) ? s.Resource : [s.Resource]).map((r) => renderString(r as Json));

describe('a restored table switched in with --param tableName', () => {
  const out = mkdtempSync(join(tmpdir(), 'pulse-restored-'));
  const templates: Partial<Record<(typeof SERVICES)[number], CfnTemplate>> = {};
  let manifest: Manifest;

  beforeAll(async () => {
    manifest = await packageServices({
      stage: 'prod',
      services: [...SERVICES],
      out: relative(ROOT, out),
      compose: false,
      params: { tableName: RESTORED },
    });
    for (const id of SERVICES) templates[id] = JSON.parse(readFileSync(join(out, `${id}.json`), 'utf8'));
  }, 300_000);

  afterAll(() => {
    rmSync(out, { recursive: true, force: true });
    rmSync(`${out}-work`, { recursive: true, force: true });
  });

  it('reaches etl as its param and api and ops through compose, from etl’s TableName output', () => {
    // Assess
    expect(manifest.params.etl?.tableName).toBe(RESTORED);
    expect(templates.etl?.Outputs?.TableName?.Value).toBe(RESTORED);
    expect(templates.etl?.Outputs?.TableArn?.Value).toEqual({ 'Fn::Sub': TABLE_ARN });
    expect(manifest.params.api?.tableName).toBe(RESTORED);
    expect(manifest.params.ops?.tableName).toBe(RESTORED);
  });

  it.each(SERVICES)('%s: every function’s DYNAMODB_TABLE names the restored table', (id) => {
    // Act
    const functions = resourcesOfType(templates[id] as CfnTemplate, 'AWS::Lambda::Function');
    const tables = functions.map(([, fn]) => {
      const env = fn.Properties?.Environment as { Variables?: Record<string, Json> } | undefined;
      return env?.Variables?.DYNAMODB_TABLE;
    });

    // Assess
    expect(functions.length).toBeGreaterThan(0);
    expect(tables).toEqual(functions.map(() => RESTORED));
  });

  it.each(SERVICES)('%s: every IAM statement on the table names the restored table or its index', (id) => {
    // Act
    const onTable = statements(templates[id] as CfnTemplate).filter((s) =>
      actions(s).some((a) => a.startsWith('dynamodb:')),
    );
    const named = onTable.flatMap(resources);

    // Assess
    expect(onTable.length).toBeGreaterThan(0);
    expect(named.length).toBeGreaterThan(0);
    for (const arn of named) expect([TABLE_ARN, `${TABLE_ARN}/index/GeographicIndex`]).toContain(arn);
    if (id !== 'ops') expect(named).toContain(`${TABLE_ARN}/index/GeographicIndex`);
  });

  it('leaves the owned table under its contract name, TTL off, and nothing else pointing at it', () => {
    // Act
    const [[, table] = []] = resourcesOfType(templates.etl as CfnTemplate, 'AWS::DynamoDB::Table');
    const mentions = SERVICES.flatMap((id) => {
      const found: string[] = [];
      walk(templates[id] as unknown as Json, (node, path) => {
        if (typeof node === 'string' && node.includes(OWNED)) found.push(`${id}: ${path}`);
      });
      return found;
    });

    // Assess
    expect(table?.Properties).toMatchObject({
      TableName: OWNED,
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: false },
    });
    expect(mentions).toEqual(['etl: Resources.HotAggregatesTable.Properties.TableName']);
  });
});
