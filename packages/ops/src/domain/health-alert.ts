/**
 * The alert the health check sends to `critical-alerts` when it finds problems, where no CloudWatch
 * alarm does it (the local stack; docs/architecture.md, "Alerts"). Pure: the text
 * is made from the report. SNS takes a subject of under 100 printable ASCII characters with no
 * line break, so the subject is built to fit.
 */

export interface HealthFindings {
  checkedAt: string;
  stage: string;
  mode: 'aws' | 'local';
  healthy: boolean;
  checks: ReadonlyArray<{ name: string; status: string; detail: string }>;
  freshness: { verdict: string; explanation: string; tableAgeMinutes?: number; rawAgeMinutes?: number };
  dlqDepth: number | null;
}

export interface HealthAlert {
  subject: string;
  message: string;
  /** SNS message attributes subscribers can filter on */
  attributes: Record<string, { dataType: 'String' | 'Number'; value: string }>;
}

const SUBJECT_MAX = 99;

/** printable ASCII only, one line, at most SUBJECT_MAX characters */
export function snsSubject(text: string): string {
  const ascii = text
    .replace(/[\u2014\u2013]/g, '-')
    .replace(/[^\x20-\x7e]/g, '?')
    .trim();
  return ascii.length <= SUBJECT_MAX ? ascii : `${ascii.slice(0, SUBJECT_MAX - 3)}...`;
}

function stageLabel(findings: HealthFindings): string {
  return findings.mode === 'local' ? 'local stack' : `stage ${findings.stage}`;
}

function age(label: string, minutes: number | undefined): string {
  return minutes === undefined ? `${label}: no hour yet` : `${label}: newest hour ended ${minutes} min ago`;
}

export function renderHealthAlert(findings: HealthFindings): HealthAlert {
  const failing = findings.checks.filter((c) => c.status === 'fail');
  const warnings = findings.checks.filter((c) => c.status === 'warn');
  const { freshness } = findings;
  const what = [
    freshness.verdict === 'FRESH' ? undefined : `data ${freshness.verdict}`,
    failing.length > 0 ? `${failing.length} failing check${failing.length === 1 ? '' : 's'}` : undefined,
  ].filter((x) => x !== undefined);
  const where = findings.mode === 'local' ? '--local' : `--stage ${findings.stage}`;
  const lines = [
    `The OpenData Pulse health check found problems (${stageLabel(findings)}, ${findings.checkedAt}).`,
    '',
    `Data freshness: ${freshness.verdict} - ${freshness.explanation}`,
    `  ${age('table', freshness.tableAgeMinutes)}; ${age('raw zone', freshness.rawAgeMinutes)}`,
    ...(failing.length > 0 ? ['', 'Failing:', ...failing.map((c) => `  - ${c.name}: ${c.detail}`)] : []),
    ...(warnings.length > 0 ? ['', 'Warnings:', ...warnings.map((c) => `  - ${c.name}: ${c.detail}`)] : []),
    '',
    `Next: pnpm pulse health ${where}, then the runbook page it points to (packages/ops/runbooks/health-check.md).`,
  ];
  return {
    subject: snsSubject(`UNHEALTHY: OpenData Pulse ${stageLabel(findings)} - ${what.join(', ') || 'problems found'}`),
    message: lines.join('\n'),
    attributes: {
      source: { dataType: 'String', value: 'health-check' },
      stage: { dataType: 'String', value: findings.stage },
      verdict: { dataType: 'String', value: freshness.verdict },
      failedChecks: { dataType: 'Number', value: String(failing.length) },
    },
  };
}
