/**
 * The `pulse` program: global options and every runbook command. main.ts adds `pulse local`
 * and runs it; tests build it with their own IO and clients.
 */
import { Command } from 'commander';
import { registerApi } from './commands/api';
import { registerApiCache } from './commands/api-cache';
import { registerAuth } from './commands/auth';
import { registerCircuitBreaker } from './commands/circuit-breaker';
import { registerConcurrency, registerProvisioned } from './commands/concurrency';
import { registerDlq } from './commands/dlq';
import { registerEnv } from './commands/env';
import { registerGaps } from './commands/gaps';
import { registerHealth } from './commands/health';
import { registerIncident } from './commands/incident';
import { registerIngest } from './commands/ingest';
import { registerLogs } from './commands/logs';
import { registerReprocess } from './commands/reprocess';
import { registerRollback } from './commands/rollback';
import { registerSchedule } from './commands/schedule';
import { registerStack } from './commands/stack';
import { registerTable } from './commands/table';
import { registerValidate } from './commands/validate';
import type { ProgramDeps } from './runtime';

export function createProgram(deps: ProgramDeps): Command {
  const program = new Command()
    .name('pulse')
    .description('OpenData Pulse operations: the runbook as commands, and the local stack')
    .option('--json', 'machine-readable output on stdout')
    .option('--stage <stage>', 'act on this AWS stage (names: docs/architecture.md, "Names"; env PULSE_STAGE)')
    .option('--local', 'act on the running local stack (endpoints.json in PULSE_DATA_DIR, default .pulse/)')
    .option('--region <region>', 'AWS region (default AWS_REGION or ap-southeast-2)')
    .option('--account <id>', 'AWS account id (default: from STS)')
    .option('--table <name>', 'the hot-aggregates table in use, when a restored one was switched in (env PULSE_TABLE)')
    .configureHelp({ showGlobalOptions: true })
    .configureOutput({
      writeOut: (text) => deps.io.stdout(text),
      writeErr: (text) => deps.io.stderr(text),
    })
    .showHelpAfterError();
  registerHealth(program, deps);
  registerIngest(program, deps);
  registerReprocess(program, deps);
  registerDlq(program, deps);
  registerGaps(program, deps);
  registerValidate(program, deps);
  registerIncident(program, deps);
  registerCircuitBreaker(program, deps);
  registerConcurrency(program, deps);
  registerRollback(program, deps);
  registerProvisioned(program, deps);
  registerEnv(program, deps);
  registerLogs(program, deps);
  registerSchedule(program, deps);
  registerApi(program, deps);
  registerApiCache(program, deps);
  registerAuth(program, deps);
  registerTable(program, deps);
  registerStack(program, deps);
  return program;
}
