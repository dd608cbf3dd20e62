import { type Command, InvalidArgumentError } from 'commander';

function wholeNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number');
  return n;
}

export function registerLocal(program: Command): void {
  program
    .command('local')
    .description('run the whole pipeline on this machine: local AWS, the real handlers, the GraphQL API')
    .option('--once', 'ingest the hours, wait until the ETL has drained the queue, print a summary and exit')
    .option('--backfill-hours <n>', 'ingest the N latest complete hours at start (default 1)', wholeNumber)
    .option(
      '--source <source>',
      'NSW data: live, sample, or a URL of an API in the NSW shape ' +
        '(default: NSW_API_ENDPOINT if set, else the real API if reachable, else the bundled sample)',
    )
    .option(
      '--port <port>',
      'GraphQL port; the next five serve Lambda, S3, DynamoDB, SQS, SNS (default PULSE_PORT or 4000; 0 = random)',
    )
    .option('--data-dir <dir>', 'where data is kept (default PULSE_DATA_DIR or .pulse/ at the repository root)')
    .addHelpText(
      'after',
      '\nEnvironment: PULSE_PORT, PULSE_DATA_DIR, PULSE_API_KEY, PULSE_OPERATOR_TOKEN, NSW_API_ENDPOINT, NSW_SOURCE_TIMEZONE, LOG_LEVEL (handlers).',
    )
    .action(
      async (
        opts: { once?: boolean; backfillHours?: number; source?: string; port?: string; dataDir?: string },
        command: Command,
      ) => {
        // --json is the program's global option: the endpoints (or, with --once, the summary) as JSON.
        const { json } = command.optsWithGlobals<{ json?: boolean }>();
        let code: number;
        try {
          // The stack (local AWS, the function host, the GraphQL server) loads only for this command.
          const { runLocalStack } = await import('@opendata-pulse/local/stack');
          code = await runLocalStack({
            ...(opts.once ? { once: true } : {}),
            ...(opts.backfillHours !== undefined ? { backfillHours: opts.backfillHours } : {}),
            ...(opts.source ? { source: opts.source } : {}),
            ...(opts.port !== undefined ? { port: opts.port } : {}),
            ...(opts.dataDir ? { dataDir: opts.dataDir } : {}),
            ...(json ? { json: true } : {}),
          });
        } catch (error) {
          console.error(`pulse local: ${(error as Error).message}`);
          code = 1;
        }
        // Exit once the output is flushed: an idle keep-alive socket must not hold a stopped stack open.
        process.stdout.write('', () => process.exit(code));
      },
    );
}
