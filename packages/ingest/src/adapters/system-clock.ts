/**
 * Time as a dependency: the retry loop sleeps and reads the clock through this, so tests can run
 * a whole backoff schedule instantly and assert the delays it chose.
 */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};
