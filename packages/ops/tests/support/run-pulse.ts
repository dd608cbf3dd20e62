/** Run the `pulse` program in-process, as an operator would from a shell, and capture what it says. */
import { createProgram } from '../../src/cli/program';
import type { CliIo, ProgramDeps } from '../../src/cli/runtime';
import type { OpsClients } from '../../src/deployment/clients';

export interface PulseRun {
  code: number;
  stdout: string;
  stderr: string;
  json<T = Record<string, unknown>>(): T;
}

export interface RunPulseOptions {
  env?: Record<string, string | undefined>;
  clientOverrides?: Partial<OpsClients>;
  now?: number;
  /** answers to confirmation prompts, in order; giving any makes the run interactive */
  answers?: string[];
  cwd?: string;
  resolveAccount?: (region: string) => Promise<string>;
  /** pause between `validate --watch` rounds (default 0) */
  watchIntervalMs?: number;
  /** press Ctrl-C once stdout so far satisfies this (commands that listen for it) */
  interruptWhen?: (stdout: string) => boolean;
}

export async function runPulse(args: string[], options: RunPulseOptions = {}): Promise<PulseRun> {
  let stdout = '';
  let stderr = '';
  let code = -1;
  const answers = [...(options.answers ?? [])];
  let interrupt: (() => void) | undefined;
  let interrupted = false;
  const io: CliIo = {
    stdout: (text) => {
      stdout += text;
      if (interrupt && !interrupted && options.interruptWhen?.(stdout)) {
        interrupted = true;
        interrupt();
      }
    },
    stderr: (text) => {
      stderr += text;
    },
    interactive: answers.length > 0,
    color: false,
    env: { ...options.env },
    cwd: options.cwd ?? process.cwd(),
    now: () => options.now ?? Date.now(),
    ask: async (question) => {
      stderr += question;
      return answers.shift() ?? '';
    },
    onInterrupt: (handler) => {
      interrupt = handler;
      return () => {
        interrupt = undefined;
      };
    },
  };
  const deps: ProgramDeps = {
    io,
    ...(options.clientOverrides ? { clientOverrides: options.clientOverrides } : {}),
    ...(options.resolveAccount ? { resolveAccount: options.resolveAccount } : {}),
    pollMs: 0,
    watchIntervalMs: options.watchIntervalMs ?? 0,
    setExitCode: (c) => {
      code = c;
    },
  };
  const program = createProgram(deps).exitOverride();
  try {
    await program.parseAsync(['node', 'pulse', ...args]);
  } catch (error) {
    // commander's own usage errors (exitOverride turns its process.exit into a throw)
    code = (error as { exitCode?: number }).exitCode ?? 2;
  }
  return {
    code,
    stdout,
    stderr,
    json<T>() {
      return JSON.parse(stdout) as T;
    },
  };
}
