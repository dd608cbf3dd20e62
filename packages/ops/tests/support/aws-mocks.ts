/**
 * Tests of the control plane (no local server exists for it) mock the SDK clients with
 * aws-sdk-client-mock. Importing this registers its vitest matchers
 * (`expect(lambdaMock).toHaveReceivedCommandWith(...)`); the matchers compare an input's
 * top-level fields partially, so the readers below give the exact requests, for tests that
 * assert them whole (every field, in the order sent).
 */
import 'aws-sdk-client-mock-vitest/extend';

interface RecordedCall<TCommand> {
  args: readonly [TCommand];
}

/** Every command the mocked client received, in order, by command name with its exact input. */
export function sentCommands(mock: { calls(): RecordedCall<{ input: object }>[] }): {
  command: string;
  input: object;
}[] {
  return mock.calls().map(({ args: [command] }) => ({ command: command.constructor.name, input: command.input }));
}

/** The exact inputs of `mock.commandCalls(SomeCommand)`, in order. */
export function inputsOf<TCommand extends { input: object }>(calls: RecordedCall<TCommand>[]): TCommand['input'][] {
  return calls.map(({ args: [command] }) => command.input);
}
