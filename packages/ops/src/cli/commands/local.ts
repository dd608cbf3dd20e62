import type { Command } from 'commander';

export function registerLocal(program: Command): void {
  program
    .command('local')
    .description('run the whole pipeline on this machine: local AWS, the real handlers, the GraphQL API')
    .action(() => {
      console.error('pulse local: the offline stack is not available yet (issue: "The offline stack").');
      process.exitCode = 2;
    });
}
