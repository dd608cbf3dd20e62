/**
 * Mocked AWS clients for the services with no local emulator (Lambda control plane, CloudWatch,
 * Logs, SNS, AppSync, Cognito, CloudFormation, EventBridge): a real SDK client whose middleware
 * answers every command from a table of responders and records the exact request it got.
 */

export interface RecordedCall {
  command: string;
  input: Record<string, unknown>;
}

export type Responder = (input: Record<string, unknown>, call: number) => unknown;

/** An error as the SDK would raise it for a service fault (name = the service's error code). */
export function awsError(name: string, message = name, httpStatusCode = 400): Error {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode } });
}

interface MiddlewareClient {
  middlewareStack: {
    add(
      middleware: (
        next: unknown,
        context: { commandName?: string },
      ) => (args: { input: Record<string, unknown> }) => Promise<unknown>,
      options: { step: 'initialize'; name?: string; priority?: 'high' },
    ): void;
  };
}

/**
 * Make `client` answer from `responders` (keyed by command name, e.g. "GetFunctionConfigurationCommand");
 * a command with no responder fails the test loudly. Returns the list of calls made, in order.
 */
export function mockClient<C extends object>(
  client: C,
  responders: Record<string, Responder | unknown>,
): { client: C; calls: RecordedCall[]; callsOf(command: string): Record<string, unknown>[] } {
  const calls: RecordedCall[] = [];
  const counts = new Map<string, number>();
  (client as unknown as MiddlewareClient).middlewareStack.add(
    (_next, context) => async (args) => {
      const command = context.commandName ?? 'UnknownCommand';
      const input = structuredClone(args.input);
      calls.push({ command, input });
      const n = counts.get(command) ?? 0;
      counts.set(command, n + 1);
      if (!(command in responders)) throw new Error(`mock: no response for ${command}`);
      const responder = responders[command];
      const output = typeof responder === 'function' ? await (responder as Responder)(input, n) : responder;
      return { output: { $metadata: { httpStatusCode: 200 }, ...(output as object) }, response: {} };
    },
    { step: 'initialize', name: 'pulseTestMock', priority: 'high' },
  );
  return {
    client,
    calls,
    callsOf: (command) => calls.filter((c) => c.command === command).map((c) => c.input),
  };
}
