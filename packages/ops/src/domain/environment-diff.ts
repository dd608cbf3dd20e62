/**
 * A function's environment as operators change it: what differs between two sets of variables,
 * and how a value is shown (the runbook prints configuration to terminals).
 */

export type Variables = Record<string, string>;

export interface VariableDiff {
  added: string[];
  removed: string[];
  changed: { name: string; from: string; to: string }[];
}

export function diffVariables(before: Variables, after: Variables): VariableDiff {
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  const diff: VariableDiff = { added: [], removed: [], changed: [] };
  for (const name of names) {
    if (!(name in before)) diff.added.push(name);
    else if (!(name in after)) diff.removed.push(name);
    else if (before[name] !== after[name]) diff.changed.push({ name, from: before[name] ?? '', to: after[name] ?? '' });
  }
  return diff;
}

export function isEmpty(diff: VariableDiff): boolean {
  return diff.added.length + diff.removed.length + diff.changed.length === 0;
}

/** Values that look like secrets are shown masked. */
export function displayValue(name: string, value: string): string {
  return /SECRET|PASSWORD|TOKEN|API_?KEY|PRIVATE/i.test(name) ? '********' : value;
}
