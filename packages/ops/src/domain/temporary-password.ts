/** Temporary passwords for Cognito users, generated to pass the pool's password policy. */
import { randomInt } from 'node:crypto';

/** The part of a pool's password policy a generated password must meet. */
export interface PasswordPolicy {
  MinimumLength?: number | undefined;
}

/** A temporary password that satisfies the pool's policy (every character class, above the minimum length). */
export function temporaryPassword(policy: PasswordPolicy | undefined, random = randomInt): string {
  const classes = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnopqrstuvwxyz', '23456789', '!#%+-=?@^_'];
  const length = Math.max(16, policy?.MinimumLength ?? 0);
  const pick = (set: string) => set[random(set.length)] ?? 'x';
  const chars = classes.map(pick);
  const all = classes.join('');
  while (chars.length < length) chars.push(pick(all));
  for (let i = chars.length - 1; i > 0; i--) {
    const j = random(i + 1);
    [chars[i], chars[j]] = [chars[j] as string, chars[i] as string];
  }
  return chars.join('');
}
