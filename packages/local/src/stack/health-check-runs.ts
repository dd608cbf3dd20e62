/**
 * The health check on the local stack as its rule runs it in AWS: a Scheduled Event to the real
 * opendata-pulse-health-check handler, every 5 minutes, each run summed up in one line. No alarm
 * watches it here, so the handler publishes to critical-alerts itself when it finds problems
 * (the stack gives it the topic; docs/architecture.md, "Alerts").
 */
import { LOCAL_ACCOUNT_ID } from '@opendata-pulse/shared/aws';
import { scheduledEvent } from '../glue/hourly-schedule';
import type { FunctionHost } from '../lambda/function-host';
import { formatDuration, type StackLog } from './stack-log';

export interface HealthCheckRun {
  /** the schedule time */
  at: number;
  ok: boolean;
  /** what the handler found (undefined when it failed) */
  healthy?: boolean;
  /** the handler's report, with the alert it published (if any) */
  result?: unknown;
  error?: string;
  durationMs: number;
}

interface ReportView {
  healthy?: unknown;
  freshness?: { verdict?: unknown };
  checks?: Array<{ name?: unknown; status?: unknown }>;
  alert?: { topicArn?: unknown; messageId?: unknown; error?: unknown };
}

/** One line for a run's report: the verdict, what failed, and where the alert went. */
export function describeHealthRun(result: unknown): { level: 'ok' | 'warn' | 'error'; text: string } {
  const report = (result ?? {}) as ReportView;
  const verdict = typeof report.freshness?.verdict === 'string' ? report.freshness.verdict : '?';
  if (report.healthy === true) return { level: 'ok', text: `HEALTHY (${verdict})` };
  const failing = (report.checks ?? []).filter((c) => c.status === 'fail').map((c) => String(c.name));
  const found = `UNHEALTHY (${verdict}${failing.length ? `; failing: ${failing.join(', ')}` : ''})`;
  const alert = report.alert;
  const topic = typeof alert?.topicArn === 'string' ? alert.topicArn.split(':').pop() : undefined;
  if (alert && typeof alert.error === 'string') {
    return { level: 'error', text: `${found}; the alert to ${topic} was NOT sent: ${alert.error}` };
  }
  return { level: 'warn', text: topic ? `${found} -> alert on ${topic}` : `${found}; no alert topic configured` };
}

export class HealthCheckRunner {
  private running: Promise<HealthCheckRun> | undefined;

  constructor(
    private readonly functions: FunctionHost,
    private readonly log: StackLog,
    private readonly rule: { region: string; ruleName: string },
  ) {}

  async run(at: number): Promise<HealthCheckRun> {
    const event = scheduledEvent(at, {
      region: this.rule.region,
      account: LOCAL_ACCOUNT_ID,
      ruleName: this.rule.ruleName,
    });
    const outcome = await this.functions.invokeRaw('healthCheck', JSON.stringify(event));
    const took = formatDuration(outcome.durationMs);
    if (!outcome.ok) {
      const error = `${outcome.error.errorType}: ${outcome.error.errorMessage}`;
      this.log.line('health', 'error', `health check failed: ${error} (${took})`);
      return { at, ok: false, error, durationMs: outcome.durationMs };
    }
    const result: unknown = JSON.parse(outcome.payload);
    const line = describeHealthRun(result);
    this.log.line('health', line.level, `${line.text} (${took})`);
    return {
      at,
      ok: true,
      healthy: (result as ReportView | null)?.healthy === true,
      result,
      durationMs: outcome.durationMs,
    };
  }

  /**
   * What the schedule calls. A tick while the previous run is still going is skipped: a run takes
   * seconds and the rate is minutes, so only a stuck run (up to its 30 s timeout) is ever skipped.
   */
  tick(at: number): void {
    if (this.running) {
      this.log.line('health', 'info', 'the previous health check is still running: this tick is skipped');
      return;
    }
    this.running = this.run(at).finally(() => {
      this.running = undefined;
    });
  }
}
