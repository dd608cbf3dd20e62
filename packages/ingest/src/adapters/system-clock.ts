import type { Clock } from '../use-cases/ports';

/** Real time; tests pass their own Clock so a backoff schedule runs instantly. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};
