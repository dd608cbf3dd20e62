import { notAvailableLocally } from '../deployment/clients';
import type { OpsTarget } from '../deployment/deployment';

/** Control-plane commands act on AWS only: the local stack hosts the handlers, not Lambda's control plane. */
export function requireAws(target: OpsTarget, what: string, hint?: string): void {
  if (target.mode === 'local') throw notAvailableLocally(what, hint);
}
