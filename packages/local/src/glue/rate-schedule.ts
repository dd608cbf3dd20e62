/**
 * What an EventBridge rule with `rate(N minutes)` does: fire every N minutes from when it starts
 * (the first time one period after the start, as a new rule does). The health-check schedule
 * (packages/ops/serverless.yml, HealthCheckSchedule) is such a rule.
 */
/** The health check's deployed rate: `rate(5 minutes)` (a test compares it with serverless.yml). */
export const HEALTH_CHECK_RATE_MINUTES = 5;
export const HEALTH_CHECK_RATE_MS = HEALTH_CHECK_RATE_MINUTES * 60_000;

export class RateSchedule {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private nextAt = 0;

  constructor(
    private readonly everyMs: number,
    private readonly onTick: (at: number) => void,
    private readonly now: () => number = Date.now,
  ) {
    if (!Number.isFinite(everyMs) || everyMs <= 0) {
      throw new RangeError(`a rate schedule needs a positive period in milliseconds; got ${everyMs}`);
    }
  }

  start(): void {
    if (this.stopped || this.timer) return;
    this.nextAt = this.now() + this.everyMs;
    this.arm();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  // Re-armed from the planned time, not from when the timer fired, so slow ticks do not drift; a
  // period missed altogether (a sleeping laptop) is skipped, not fired late in a burst.
  private arm(): void {
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        if (this.stopped) return;
        const at = this.nextAt;
        const now = this.now();
        let next = at + this.everyMs;
        if (next <= now) next += Math.ceil((now - next + 1) / this.everyMs) * this.everyMs;
        this.nextAt = next;
        this.onTick(at);
        this.arm();
      },
      Math.max(0, this.nextAt - this.now()),
    );
  }
}
