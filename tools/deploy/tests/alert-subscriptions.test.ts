import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkTemplate } from '../check';
import { packageServices, ROOT } from '../package';
import { type CfnTemplate, conditionValue, formatFinding, resourcesOfType } from '../template';

// The ops service packaged offline twice: with the alert deploy params, and without (as compose and
// a plain `sls deploy` leave them). Packaging ops takes a few seconds.
const EMAIL = 'oncall@example.org';
const HOOK = 'https://hooks.example.org/pulse-alerts';

async function packageOps(extra?: Record<string, string>): Promise<{ template: CfnTemplate; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'pulse-alerts-'));
  await packageServices({
    stage: 'prod',
    services: ['ops'],
    out: relative(ROOT, dir),
    compose: false,
    ...(extra ? { params: extra } : {}),
  });
  return { dir, template: JSON.parse(readFileSync(join(dir, 'ops.json'), 'utf8')) as CfnTemplate };
}

describe('alert subscriptions of the ops template', () => {
  let withParams: { template: CfnTemplate; dir: string };
  let without: { template: CfnTemplate; dir: string };

  // The params fall back to these; a developer's own must not leak into the "without" packaging.
  const saved = { email: process.env.PULSE_ALERT_EMAIL, hook: process.env.PULSE_ALERT_HTTPS_ENDPOINT };

  beforeAll(async () => {
    delete process.env.PULSE_ALERT_EMAIL;
    delete process.env.PULSE_ALERT_HTTPS_ENDPOINT;
    // the email as a param, the endpoint from the environment (the way a compose deploy gets it)
    process.env.PULSE_ALERT_HTTPS_ENDPOINT = HOOK;
    withParams = await packageOps({ alertEmail: EMAIL });
    delete process.env.PULSE_ALERT_HTTPS_ENDPOINT;
    without = await packageOps();
  }, 240_000);

  afterAll(() => {
    if (saved.email !== undefined) process.env.PULSE_ALERT_EMAIL = saved.email;
    if (saved.hook !== undefined) process.env.PULSE_ALERT_HTTPS_ENDPOINT = saved.hook;
    else delete process.env.PULSE_ALERT_HTTPS_ENDPOINT;
    for (const { dir } of [withParams, without]) {
      rmSync(dir, { recursive: true, force: true });
      rmSync(`${dir}-work`, { recursive: true, force: true });
    }
  });

  it('with alertEmail (a param) and alertHttpsEndpoint (from PULSE_ALERT_HTTPS_ENDPOINT): both topics get an email and an https subscription, each under its condition', () => {
    // Act
    const subscriptions = Object.fromEntries(resourcesOfType(withParams.template, 'AWS::SNS::Subscription'));

    // Assess
    expect(subscriptions).toEqual({
      CriticalAlertsEmailSubscription: {
        Type: 'AWS::SNS::Subscription',
        Condition: 'HasAlertEmail',
        Properties: { TopicArn: { Ref: 'CriticalAlertsTopic' }, Protocol: 'email', Endpoint: { Ref: 'AlertEmail' } },
      },
      IncidentAlertsEmailSubscription: {
        Type: 'AWS::SNS::Subscription',
        Condition: 'HasAlertEmail',
        Properties: { TopicArn: { Ref: 'IncidentAlertsTopic' }, Protocol: 'email', Endpoint: { Ref: 'AlertEmail' } },
      },
      CriticalAlertsHttpsSubscription: {
        Type: 'AWS::SNS::Subscription',
        Condition: 'HasAlertHttpsEndpoint',
        Properties: {
          TopicArn: { Ref: 'CriticalAlertsTopic' },
          Protocol: 'https',
          Endpoint: { Ref: 'AlertHttpsEndpoint' },
        },
      },
      IncidentAlertsHttpsSubscription: {
        Type: 'AWS::SNS::Subscription',
        Condition: 'HasAlertHttpsEndpoint',
        Properties: {
          TopicArn: { Ref: 'IncidentAlertsTopic' },
          Protocol: 'https',
          Endpoint: { Ref: 'AlertHttpsEndpoint' },
        },
      },
    });
    expect(withParams.template.Parameters).toMatchObject({
      AlertEmail: { Type: 'String', Default: EMAIL },
      AlertHttpsEndpoint: { Type: 'String', Default: HOOK },
    });
    expect(conditionValue(withParams.template, 'HasAlertEmail')).toBe(true);
    expect(conditionValue(withParams.template, 'HasAlertHttpsEndpoint')).toBe(true);
    expect(checkTemplate({ name: 'ops.json', template: withParams.template }).map(formatFinding)).toEqual([]);
  });

  it('without them: the conditions are false, so no subscription is created', () => {
    // Assess
    expect(without.template.Parameters).toMatchObject({
      AlertEmail: { Default: '' },
      AlertHttpsEndpoint: { Default: '' },
    });
    expect(conditionValue(without.template, 'HasAlertEmail')).toBe(false);
    expect(conditionValue(without.template, 'HasAlertHttpsEndpoint')).toBe(false);
    const conditions = resourcesOfType(without.template, 'AWS::SNS::Subscription').map(([, r]) => r.Condition);
    expect(conditions.sort()).toEqual([
      'HasAlertEmail',
      'HasAlertEmail',
      'HasAlertHttpsEndpoint',
      'HasAlertHttpsEndpoint',
    ]);
  });

  it('lets CloudFormation refuse a malformed param before it changes anything, naming the param', () => {
    // Prepare
    const { AlertEmail, AlertHttpsEndpoint } = without.template.Parameters ?? {};
    const accepts = (p: typeof AlertEmail, value: string) => new RegExp(String(p?.AllowedPattern)).test(value);

    // Assess
    expect([accepts(AlertEmail, ''), accepts(AlertEmail, EMAIL), accepts(AlertEmail, 'oncall')]).toEqual([
      true,
      true,
      false,
    ]);
    expect([
      accepts(AlertHttpsEndpoint, ''),
      accepts(AlertHttpsEndpoint, HOOK),
      accepts(AlertHttpsEndpoint, 'http://hooks.example.org'),
    ]).toEqual([true, true, false]);
    expect(AlertEmail?.ConstraintDescription).toMatch(/^the alertEmail param must be/);
    expect(AlertHttpsEndpoint?.ConstraintDescription).toMatch(/^the alertHttpsEndpoint param must be/);
  });
});
