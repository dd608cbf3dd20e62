/**
 * What the CLI's use cases ask of whoever runs them, beyond AWS clients: a progress display for
 * long work, and a yes/no before a change (a "no" throws, so nothing is changed).
 */

export interface ProgressSink {
  increment(label?: string): void;
  setTotal(total: number): void;
  update(value: number): void;
  stop(): void;
}

/** Start showing progress over `total` steps. */
export type StartProgress = (total: number) => ProgressSink;

/** Resolves when the operator agrees to the change described by `plan`; rejects when declined. */
export type Confirm<Plan> = (plan: Plan) => Promise<void>;
