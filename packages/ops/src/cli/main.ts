/**
 * `pulse`: the operational runbook as commands. Each command lives in its own module under
 * ./commands; program.ts registers the runbook's commands, `pulse local` is added here.
 */
import { registerLocal } from './commands/local';
import { createProgram } from './program';
import { nodeIo } from './runtime';

// The SDK's notice that it will need Node 22 from 2027 would head every command's output on the
// Node 20 machines this runs on today; operators read it once in the README, not on every call.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

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
