/**
 * The dashboard's public AppSync API key never expires silently (docs/DEPLOY.md, "The dashboard"): every
 * packaging computes its Expires a year ahead (serverless-appsync-plugin's `expiresAfter`), so every deploy
 * of the api renews it, and ops alarms on critical-alerts when a key has 30 days left or its figure stops.
 */
import type { Rule } from './rule';
import {
  asArray,
  type CfnTemplate,
  type Finding,
  isObject,
  type Json,
  referencedLogicalId,
  renderString,
  resourcesOfType,
} from './template';

const DAY_S = 86_400;
/** A key packaged now must last at least this long: a year, less a few days of packaging before deploying. */
export const RENEWED_FOR_DAYS = 360;

/** Every AppSync API key is renewed by the deploy: its Expires is a number about a year from packaging. */
export function appsyncApiKeyRenewed(now: () => number = Date.now): Rule {
  const id = 'appsync-api-key-renewed';
  return {
    id,
    summary: `Every AppSync API key expires at least ${RENEWED_FOR_DAYS} days after packaging (the deploy renews it: appsync.yml apiKeys expiresAfter 365d)`,
    check({ name, template }) {
      const findings: Finding[] = [];
      for (const [keyId, key] of resourcesOfType(template, 'AWS::AppSync::ApiKey')) {
        const expires = key.Properties?.Expires;
        const message =
          typeof expires !== 'number'
            ? 'has no Expires computed at packaging (AppSync then expires it after 7 days)'
            : expires < now() / 1000 + RENEWED_FOR_DAYS * DAY_S
              ? `expires ${new Date(expires * 1000).toISOString()}, less than ${RENEWED_FOR_DAYS} days after packaging: use expiresAfter: 365d (a fixed expiresAt is never renewed), or package again`
              : undefined;
        if (message) findings.push({ template: name, resource: keyId, rule: id, message });
      }
      return findings;
    },
  };
}

export const ALARM_RULE = 'contract-alarm';

export interface ExpectedAlarm {
  namespace: string;
  metric: string;
  /** the alarm must be in ALARM once the figure is at or below this */
  firesAtOrBelow: number;
  /** the SNS topic (TopicName) its AlarmActions and OKActions publish to */
  topic: string;
}

/** The alarm on `expected.metric` fires at or below the threshold, on a missing figure too, to the topic. */
export function checkAlarmContract(name: string, expected: ExpectedAlarm, template: CfnTemplate): Finding[] {
  const findings: Finding[] = [];
  const emit = (resource: string, message: string) =>
    findings.push({ template: name, resource, rule: ALARM_RULE, message });
  const alarms = resourcesOfType(template, 'AWS::CloudWatch::Alarm').filter(
    ([, a]) => a.Properties?.Namespace === expected.namespace && a.Properties?.MetricName === expected.metric,
  );
  if (alarms.length === 0) {
    emit('AWS::CloudWatch::Alarm', `no alarm on ${expected.namespace}/${expected.metric}`);
    return findings;
  }
  const topicIds = resourcesOfType(template, 'AWS::SNS::Topic')
    .filter(([, t]) => renderString(t.Properties?.TopicName as Json) === expected.topic)
    .map(([id]) => id);
  for (const [id, alarm] of alarms) {
    const p = alarm.Properties ?? {};
    const threshold = Number(p.Threshold);
    const fires =
      (p.ComparisonOperator === 'LessThanOrEqualToThreshold' && threshold >= expected.firesAtOrBelow) ||
      (p.ComparisonOperator === 'LessThanThreshold' && threshold > expected.firesAtOrBelow);
    if (!fires) {
      emit(
        id,
        `${p.ComparisonOperator ?? 'no ComparisonOperator'} ${p.Threshold ?? '?'} does not fire at ${expected.firesAtOrBelow}`,
      );
    }
    if (p.TreatMissingData !== 'breaching') emit(id, 'TreatMissingData must be breaching: no figure is no warning');
    for (const list of ['AlarmActions', 'OKActions']) {
      const targets = asArray(p[list] as Json[] | undefined).map((a) =>
        isObject(a) ? referencedLogicalId(a) : undefined,
      );
      if (!targets.some((t) => t !== undefined && topicIds.includes(t))) {
        emit(id, `${list} do not publish to the topic ${expected.topic}`);
      }
    }
  }
  return findings;
}
