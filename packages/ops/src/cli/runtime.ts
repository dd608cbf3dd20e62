/**
 * What every `pulse` command shares: where output goes, how the target and its clients are
 * resolved from `--stage`/`--local`, progress bars, confirmation, and how an outcome becomes
 * output and an exit code. Commands return an outcome; they never print or exit themselves.
 */
import { createInterface } from 'node:readline/promises';
import { AppError, BadRequestError } from '@opendata-pulse/shared/errors';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { createColors } from 'picocolors';
import type { OpsClients } from '../deployment/clients';
import { localTarget, type OpsTarget, stageTarget } from '../deployment/deployment';
import { notAvailableLocally } from '../deployment/not-available-locally';
import type { ProgressSink } from '../use-cases/ports';

export type Colors = ReturnType<typeof createColors>;

export const EXIT_OK = 0;
/** the command ran and found a problem (unhealthy, gaps, backlog, failed invocations...) */
export const EXIT_PROBLEM = 1;
/** the command could not run (bad flags, no target, unreachable, refused) */
export const EXIT_ERROR = 2;

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** stderr is a terminal: progress bars and prompts make sense */
  interactive: boolean;
  color: boolean;
  env: Record<string, string | undefined>;
  cwd: string;
  now(): number;
  /** ask a yes/no question on the terminal */
  ask(question: string): Promise<string>;
  /** where progress bars draw (a TTY stream); absent = no bars */
  progressStream?: NodeJS.WritableStream;
  /**
   * Call `handler` on Ctrl-C (SIGINT) instead of exiting, until the returned function is called;
   * absent = Ctrl-C ends the process as usual.
   */
  onInterrupt?(handler: () => void): () => void;
}

export interface ProgramDeps {
  io: CliIo;
  /** replace clients (tests inject mocked control-plane clients) */
  clientOverrides?: Partial<OpsClients>;
  /** account id lookup for `--stage` without `--account` (STS GetCallerIdentity by default) */
  resolveAccount?: (region: string) => Promise<string>;
  /** pause between polls of long operations (configuration updates, move tasks); tests use 0 */
  pollMs?: number;
  /** pause between rounds of `validate --watch` (default a minute); tests use 0 */
  watchIntervalMs?: number;
  setExitCode(code: number): void;
}

export interface GlobalOptions {
  json?: boolean;
  stage?: string;
  local?: boolean;
  region?: string;
  account?: string;
  /** the table in use when a restored one was switched in (default: the stage's own) */
  table?: string;
}

export interface CommandOutcome {
  /** what `--json` prints */
  data: unknown;
  /** what a person reads */
  lines: string[];
  /** a problem was found: exit code 1 */
  problem?: boolean;
}

export type Progress = ProgressSink;

export interface CommandContext {
  io: CliIo;
  json: boolean;
  c: Colors;
  options: GlobalOptions;
  target(): Promise<OpsTarget>;
  /**
   * The target, refused with --local: control-plane commands act on AWS only (the local stack
   * hosts the handlers, not Lambda's control plane). `hint` says what to do locally instead.
   */
  awsTarget(what: string, hint?: string): Promise<OpsTarget>;
  clients(): Promise<OpsClients>;
  progress(total: number, label: string): Progress;
  /** resolve when confirmed (or `yes`), reject with a BadRequestError when declined */
  confirm(question: string, yes: boolean | undefined): Promise<void>;
  now(): number;
}

export function nodeIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    interactive: Boolean(process.stderr.isTTY && process.stdin.isTTY),
    color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
    env: process.env,
    cwd: process.cwd(),
    now: () => Date.now(),
    ask: async (question) => {
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      try {
        return await rl.question(question);
      } finally {
        rl.close();
      }
    },
    ...(process.stderr.isTTY ? { progressStream: process.stderr } : {}),
    onInterrupt: (handler) => {
      process.on('SIGINT', handler);
      return () => {
        process.off('SIGINT', handler);
      };
    },
  };
}

/** The stage's (or local stack's) resources, with the table in use when `--table` names another. */
async function resolveTarget(options: GlobalOptions, deps: ProgramDeps): Promise<OpsTarget> {
  const target = await resolveDeployment(options, deps);
  const table = options.table ?? deps.io.env.PULSE_TABLE;
  if (table === undefined || table === '') return target;
  if (!/^[a-zA-Z0-9_.-]{3,255}$/.test(table))
    throw new BadRequestError(`--table "${table}" is not a DynamoDB table name (letters, digits, _ . -; 3-255)`);
  return { ...target, table };
}

async function resolveDeployment(options: GlobalOptions, deps: ProgramDeps): Promise<OpsTarget> {
  const { io } = deps;
  if (options.local && options.stage) throw new BadRequestError('choose one of --local and --stage, not both');
  if (options.local) {
    const { requireRunningStack, resolveDataDir } = await import('@opendata-pulse/local/endpoints');
    const file = requireRunningStack(resolveDataDir(io.env, io.cwd));
    return localTarget(file);
  }
  const stage = options.stage ?? io.env.PULSE_STAGE;
  if (!stage) {
    throw new BadRequestError('say where to act: --stage <stage> (AWS) or --local (the local stack from `pnpm start`)');
  }
  if (!/^[a-z0-9-]+$/.test(stage))
    throw new BadRequestError(`--stage "${stage}" must be lower-case letters, digits, dashes`);
  const region = options.region ?? io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION ?? 'ap-southeast-2';
  const account =
    options.account ??
    io.env.PULSE_ACCOUNT_ID ??
    (await (deps.resolveAccount ?? (await import('../adapters/account')).callerAccount)(region));
  if (!/^\d{12}$/.test(account)) throw new BadRequestError(`account "${account}" is not a 12-digit AWS account id`);
  return stageTarget({ stage, region, accountId: account });
}

const noProgress: Progress = { increment() {}, setTotal() {}, update() {}, stop() {} };

function makeProgress(io: CliIo, json: boolean, total: number, label: string): Progress {
  if (json || !io.progressStream) return noProgress;
  const bar = new SingleBar({
    format: `${label} [{bar}] {value}/{total} {percentage}% | {eta_formatted} left | {item}`,
    stream: io.progressStream,
    hideCursor: true,
    clearOnComplete: false,
    etaBuffer: 20,
  });
  bar.start(total, 0, { item: '' });
  return {
    increment: (item) => bar.increment(1, { item: item ?? '' }),
    setTotal: (t) => bar.setTotal(t),
    update: (v) => bar.update(v),
    stop: () => bar.stop(),
  };
}

/** Render an error for a person: named errors say what is wrong; anything else is shown with its name. */
export function describeError(error: unknown): { type: string; message: string } {
  if (error instanceof AppError) return { type: error.errorType, message: error.message };
  if (error instanceof Error) return { type: error.name, message: error.message };
  return { type: 'Error', message: String(error) };
}

/** "dlq redrive", "circuit-breaker on": the command as typed, without the program name. */
export function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/**
 * Wrap a command's work: build the context from the global options, run it, print the outcome
 * (human or JSON) and set the exit code.
 */
export function action<A extends unknown[]>(
  deps: ProgramDeps,
  work: (ctx: CommandContext, ...args: A) => Promise<CommandOutcome>,
): (...args: unknown[]) => Promise<void> {
  return async (...args: unknown[]) => {
    const command = args.at(-1) as Command;
    const options = command.optsWithGlobals<GlobalOptions>();
    const json = Boolean(options.json);
    const c = createColors(deps.io.color && !json);
    let target: Promise<OpsTarget> | undefined;
    let clients: OpsClients | undefined;
    const ctx: CommandContext = {
      io: deps.io,
      json,
      c,
      options,
      now: () => deps.io.now(),
      target: () => {
        target ??= resolveTarget(options, deps);
        return target;
      },
      awsTarget: async (what, hint) => {
        const resolved = await ctx.target();
        if (resolved.mode === 'local') throw notAvailableLocally(what, hint);
        return resolved;
      },
      clients: async () => {
        // The SDK's clients load with the first command that needs one (docs/architecture.md).
        const { clientsForTarget } = await import('../deployment/clients');
        clients ??= clientsForTarget(await ctx.target(), deps.clientOverrides);
        return clients;
      },
      progress: (total, label) => makeProgress(deps.io, json, total, label),
      confirm: async (question, yes) => {
        if (yes) return;
        if (!deps.io.interactive) {
          throw new BadRequestError(`${question} — refusing without --yes (no terminal to ask on)`);
        }
        const answer = await deps.io.ask(`${question} [y/N] `);
        if (!/^y(es)?$/i.test(answer.trim())) throw new BadRequestError('cancelled: nothing was changed');
      },
    };
    try {
      const outcome = await work(ctx, ...(args.slice(0, -1) as A));
      if (json) deps.io.stdout(`${JSON.stringify(outcome.data, null, 2)}\n`);
      else if (outcome.lines.length > 0) deps.io.stdout(`${outcome.lines.join('\n')}\n`);
      deps.setExitCode(outcome.problem ? EXIT_PROBLEM : EXIT_OK);
    } catch (error) {
      const view = describeError(error);
      if (json) deps.io.stdout(`${JSON.stringify({ error: view }, null, 2)}\n`);
      else deps.io.stderr(`${c.red('✗')} ${c.bold(commandPath(command))}: ${view.message}\n`);
      deps.setExitCode(EXIT_ERROR);
    } finally {
      if (clients) (await import('../deployment/clients')).destroyClients(clients);
    }
  };
}
