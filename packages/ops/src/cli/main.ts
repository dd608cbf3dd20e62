/**
 * `pulse`: the operational runbook as commands. Each command lives in its own module under
 * ./commands and registers itself here.
 */
import { Command } from 'commander';
import { registerLocal } from './commands/local';

const program = new Command()
  .name('pulse')
  .description('OpenData Pulse operations: the runbook as commands, and the local stack')
  .showHelpAfterError();

registerLocal(program);

program.parseAsync(process.argv).catch((error: Error) => {
  console.error(`pulse: ${error.message}`);
  process.exitCode = 1;
});
