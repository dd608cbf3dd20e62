/**
 * `pulse`: the operational runbook as commands. Each command lives in its own module under
 * ./commands; program.ts registers the runbook's commands, `pulse local` is added here.
 */
import { registerLocal } from './commands/local';
import { createProgram } from './program';
import { nodeIo } from './runtime';

const program = createProgram({
  io: nodeIo(),
  setExitCode: (code) => {
    process.exitCode = code;
  },
});

registerLocal(program);

program.parseAsync(process.argv).catch((error: Error) => {
  console.error(`pulse: ${error.message}`);
  process.exitCode = 2;
});
