/**
 * The hot table's conditional writes: a failed condition is an answer (a newer fetch or a fresher
 * derivation is stored), not an error.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { TableKey } from '@opendata-pulse/shared/keys';

export type Item = Record<string, unknown>;

function isConditionFailure(error: unknown): boolean {
  return (
    error instanceof ConditionalCheckFailedException ||
    (error as { name?: string })?.name === 'ConditionalCheckFailedException'
  );
}

/** true when the write was made, false when its condition failed; any other error is thrown. */
export async function conditional(run: () => Promise<unknown>): Promise<boolean> {
  try {
    await run();
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** An UpdateExpression that SETs every given attribute and REMOVEs the listed ones. */
export function updateOf(attributes: Item, remove: readonly string[] = []) {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const sets: string[] = [];
  Object.entries(attributes).forEach(([name, value], i) => {
    names[`#a${i}`] = name;
    values[`:a${i}`] = value;
    sets.push(`#a${i} = :a${i}`);
  });
  const removes = remove.map((name, i) => {
    names[`#r${i}`] = name;
    return `#r${i}`;
  });
  const expression = [sets.length ? `SET ${sets.join(', ')}` : '', removes.length ? `REMOVE ${removes.join(', ')}` : '']
    .filter(Boolean)
    .join(' ');
  return { expression, names, values };
}

export function withoutKey(item: Item, key: TableKey): Item {
  const copy: Item = { ...item };
  for (const k of Object.keys(key)) delete copy[k];
  return copy;
}
