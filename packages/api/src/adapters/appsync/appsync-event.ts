/**
 * The event AppSync sends a direct Lambda resolver (one per field, or an array of them for
 * BatchInvoke), validated to the parts the resolvers use.
 */
import { lazySchema } from '@opendata-pulse/shared/lazy';
import * as z from 'zod';

// Built at first use, not at import (shared `/lazy`).
export const appSyncEventSchema = lazySchema(() => {
  const record = z.record(z.string(), z.unknown());
  return z.object({
    arguments: record.nullish().transform((v) => v ?? {}),
    identity: record.nullish().transform((v) => v ?? null),
    source: record.nullish().transform((v) => v ?? null),
    info: z.object({
      parentTypeName: z.string().min(1),
      fieldName: z.string().min(1),
      variables: record.nullish(),
      selectionSetList: z.array(z.string()).nullish(),
      selectionSetGraphQL: z.string().nullish(),
    }),
    request: z
      .object({ headers: z.record(z.string(), z.string()).nullish() })
      .loose()
      .nullish(),
    prev: z.unknown().optional(),
    stash: record.nullish(),
  });
});

export type AppSyncEvent = z.output<typeof appSyncEventSchema>;

/** `Type.field`, the key resolvers are registered under (as in the AppSync config). */
export const fieldKey = (event: Pick<AppSyncEvent, 'info'>) => `${event.info.parentTypeName}.${event.info.fieldName}`;

/** Cognito groups of the caller; empty for API-key callers. */
export function cognitoGroups(identity: AppSyncEvent['identity']): string[] {
  if (!identity) return [];
  const groups = identity.groups ?? (identity.claims as Record<string, unknown> | undefined)?.['cognito:groups'];
  return Array.isArray(groups) ? groups.filter((g): g is string => typeof g === 'string') : [];
}
