/**
 * What the EventBridge rule opendata-pulse-hourly-ingestion does in AWS: fire the ingest function
 * with a Scheduled Event. Locally it fires on every hour boundary of the wall clock (re-armed
 * each time, so a sleeping laptop or a slow tick does not drift the schedule).
 */
import { randomUUID } from 'node:crypto';
import { floorToHour, HOUR_MS } from '@opendata-pulse/shared/time';

export interface ScheduledEvent {
  version: '0';
  id: string;
  'detail-type': 'Scheduled Event';
  source: 'aws.events';
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, never>;
}

/** The event EventBridge sends a rule's target, `time` to the second as EventBridge writes it. */
export function scheduledEvent(
  at: number,
  input: { region: string; account: string; ruleName: string },
): ScheduledEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: input.account,
    time: `${new Date(at).toISOString().slice(0, 19)}Z`,
    region: input.region,
    resources: [`arn:aws:events:${input.region}:${input.account}:rule/${input.ruleName}`],
    detail: {},
  };
}

export function msUntilNextHour(now: number): number {
  return floorToHour(now) + HOUR_MS - now;
}

export class HourlySchedule {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly onTick: (at: number) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** the next time it fires (epoch ms) */
  get next(): number {
    const now = this.now();
    return now + msUntilNextHour(now);
  }

  start(): void {
    if (this.stopped || this.timer) return;
    const at = this.next;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.stopped) return;
      this.onTick(at);
      this.start();
    }, at - this.now());
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
