import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CheckRun, checkBuild } from '../check-templates';
import { cspDirectives } from '../cloudfront-rules';
import { packageServices, ROOT } from '../package';
import { SERVICE_IDS } from '../services';
import { type CfnTemplate, formatFinding, maskVolatile } from '../template';

// The real thing: every service packaged offline for prod (no AWS credentials, no network), then
// every check over the templates. Packaging takes a few seconds per service.
describe('the packaged prod templates', () => {
  const out = mkdtempSync(join(tmpdir(), 'pulse-templates-'));
  let run: CheckRun;
  let seconds: Record<string, number>;

  beforeAll(async () => {
    const manifest = await packageServices({
      stage: 'prod',
      services: [...SERVICE_IDS],
      out: relative(ROOT, out),
      compose: false,
    });
    seconds = Object.fromEntries(manifest.services.map((s) => [s.id, s.seconds]));
    run = checkBuild(out);
  }, 300_000);

  afterAll(() => {
    rmSync(out, { recursive: true, force: true });
    rmSync(`${out}-work`, { recursive: true, force: true });
  });

  it.each(SERVICE_IDS)('%s passes the specification, security and naming checks', (id) => {
    // Act
    const findings = run.findings.filter((f) => f.template === `${id}.json`).map(formatFinding);

    // Assess
    expect(findings).toEqual([]);
    console.log(`${id}: ${run.counts[id]} resources, packaged in ${seconds[id]?.toFixed(1)} s`);
  });

  it('link through compose and match the generated tables in docs/DEPLOY.md', () => {
    // Act
    const findings = run.findings
      .filter((f) => !SERVICE_IDS.some((id) => f.template === `${id}.json`))
      .map(formatFinding);

    // Assess
    expect(findings).toEqual([]);
  });

  it('put the API behind its WAF, limiting each client IP to 1,000 requests per 5 minutes by default', () => {
    // Prepare
    const api = JSON.parse(readFileSync(join(out, 'api.json'), 'utf8')) as CfnTemplate;

    // Act
    const acl = api.Resources.GraphQlWaf?.Properties;
    const rules = (acl?.Rules ?? []) as Array<{ Name: string; Statement: Record<string, unknown> }>;
    const rate = rules.find((r) => r.Name === 'RateLimitPerIp');

    // Assess
    expect(acl?.Scope).toBe('REGIONAL');
    expect(rate?.Statement).toEqual({
      RateBasedStatement: { AggregateKeyType: 'IP', Limit: 1000, EvaluationWindowSec: 300 },
    });
    expect(api.Resources.GraphQlWafAssoc?.Properties).toEqual({
      ResourceArn: { 'Fn::GetAtt': ['GraphQlApi', 'Arn'] },
      WebACLArn: { 'Fn::GetAtt': ['GraphQlWaf', 'Arn'] },
    });
  });

  it('turn on resolver-level AppSync metrics only (pulse api latency reads them)', () => {
    // Prepare
    const api = JSON.parse(readFileSync(join(out, 'api.json'), 'utf8')) as CfnTemplate;

    // Act
    const graphql = Object.values(api.Resources ?? {}).find((r) => r.Type === 'AWS::AppSync::GraphQLApi');

    // Assess
    expect(graphql?.Properties?.EnhancedMetricsConfig).toEqual({
      ResolverLevelMetricsBehavior: 'FULL_REQUEST_RESOLVER_METRICS',
      DataSourceLevelMetricsBehavior: 'PER_DATA_SOURCE_METRICS',
      OperationLevelMetricsConfig: 'DISABLED',
    });
    const dataSources = Object.values(api.Resources ?? {}).filter((r) => r.Type === 'AWS::AppSync::DataSource');
    expect(new Set(dataSources.map((d) => d.Properties?.MetricsConfig ?? 'DISABLED'))).toEqual(new Set(['DISABLED']));
  });

  it('give the dashboard a config.json and a CSP naming exactly the API, its real-time host and the export bucket', () => {
    // Prepare
    const web = JSON.parse(readFileSync(join(out, 'web.json'), 'utf8')) as CfnTemplate;
    const headers = web.Resources.SiteHeadersPolicy?.Properties?.ResponseHeadersPolicyConfig as {
      SecurityHeadersConfig: { ContentSecurityPolicy: { ContentSecurityPolicy: { 'Fn::Sub': string } } };
    };

    // Act
    const config = JSON.parse(String(web.Resources.SiteContent?.Properties?.ConfigJson));
    const csp = cspDirectives(headers.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy['Fn::Sub']);

    // Assess
    expect(config).toEqual({
      graphqlUrl: 'https://placeholder.appsync-api.ap-southeast-2.amazonaws.com/graphql',
      realtimeUrl: 'wss://placeholder.appsync-realtime-api.ap-southeast-2.amazonaws.com/graphql',
      apiKey: 'da2-placeholderplaceholderplace0',
      source: 'live',
    });
    expect(csp.get('connect-src')).toEqual([
      "'self'",
      'https://placeholder.appsync-api.ap-southeast-2.amazonaws.com',
      'wss://placeholder.appsync-realtime-api.ap-southeast-2.amazonaws.com',
      'https://opendata-pulse-curated-data-000000000000.s3.ap-southeast-2.amazonaws.com',
    ]);
  });

  it('package the same way twice once the clock-derived values are masked', async () => {
    // Prepare
    const again = mkdtempSync(join(tmpdir(), 'pulse-templates-again-'));
    const read = (dir: string): CfnTemplate => JSON.parse(readFileSync(join(dir, 'api.json'), 'utf8')) as CfnTemplate;

    // Act
    await packageServices({ stage: 'prod', services: ['api'], out: relative(ROOT, again), compose: false });

    // Assess
    expect(maskVolatile(read(again))).toEqual(maskVolatile(read(out)));
    rmSync(again, { recursive: true, force: true });
    rmSync(`${again}-work`, { recursive: true, force: true });
  }, 120_000);
});
