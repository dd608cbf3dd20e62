/**
 * What the stack has started, undone in reverse: when a later start-up step fails, and by stop().
 * A step that fails to stop is logged and the rest still stop.
 */
import type { StackLog } from './stack-log';

export class Teardown {
  private readonly steps: Array<{ what: string; run: () => Promise<void> | void }> = [];

  constructor(private log: () => StackLog) {}

  add(what: string, run: () => Promise<void> | void): void {
    this.steps.push({ what, run });
  }

  async run(): Promise<void> {
    for (const { what, run } of this.steps.reverse()) {
      try {
        await run();
      } catch (error) {
        this.log().line('stack', 'warn', `stopping ${what}: ${(error as Error).message}`);
      }
    }
    this.steps.length = 0;
  }
}
