/**
 * Which authorisation modes reach each field of an AppSync schema, read from raw SDL with the
 * rules in shared `/appsync` (the same reading the local server enforces).
 */
import { type AuthMode, effectiveAuthRules } from '@opendata-pulse/shared/appsync';
import { Kind, parse } from 'graphql';

export type { AuthMode };

export interface FieldAuth {
  /** `Type.field` */
  coordinate: string;
  modes: AuthMode[];
  /** Cognito groups named by `cognito_groups` on the field or, failing that, its type. */
  cognitoGroups: string[];
}

/** Fields every deployment treats as operator-only, whatever the schema's directives say. */
export const OPERATOR_FIELDS = new Set(['Query.systemHealth']);

export function fieldAuth(schemaSdl: string, defaultMode: AuthMode): FieldAuth[] {
  const doc = parse(schemaSdl);
  const out: FieldAuth[] = [];
  for (const def of doc.definitions) {
    if (def.kind !== Kind.OBJECT_TYPE_DEFINITION && def.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    for (const field of def.fields ?? []) {
      const rules = effectiveAuthRules(field.directives, [def.directives], defaultMode);
      out.push({
        coordinate: `${def.name.value}.${field.name.value}`,
        modes: [...new Set(rules.map((r) => r.mode))],
        cognitoGroups: rules.flatMap((r) => r.groups ?? []),
      });
    }
  }
  return out;
}

/** An operator field: any mutation, any field limited to Cognito groups, or a named operator field. */
export function isOperatorField(field: FieldAuth): boolean {
  return (
    field.coordinate.startsWith('Mutation.') || field.cognitoGroups.length > 0 || OPERATOR_FIELDS.has(field.coordinate)
  );
}
