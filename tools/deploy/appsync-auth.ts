/**
 * Which authorisation modes reach each field of an AppSync schema, following AppSync's rules: a
 * field's auth directives replace its type's, and a field or type without any is reachable only
 * through the API's default mode.
 */

import { type DirectiveNode, Kind, parse } from 'graphql';

export type AuthMode = 'API_KEY' | 'AMAZON_COGNITO_USER_POOLS' | 'AWS_IAM' | 'OPENID_CONNECT' | 'AWS_LAMBDA';

const DIRECTIVE_MODES: Record<string, AuthMode> = {
  aws_api_key: 'API_KEY',
  aws_cognito_user_pools: 'AMAZON_COGNITO_USER_POOLS',
  aws_auth: 'AMAZON_COGNITO_USER_POOLS',
  aws_iam: 'AWS_IAM',
  aws_oidc: 'OPENID_CONNECT',
  aws_lambda: 'AWS_LAMBDA',
};

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
    const typeModes = modesOf(def.directives ?? []);
    const typeGroups = groupsOf(def.directives ?? []);
    for (const field of def.fields ?? []) {
      const own = modesOf(field.directives ?? []);
      const modes = own.length > 0 ? own : typeModes.length > 0 ? typeModes : [defaultMode];
      const ownGroups = groupsOf(field.directives ?? []);
      out.push({
        coordinate: `${def.name.value}.${field.name.value}`,
        modes: [...new Set(modes)],
        cognitoGroups: own.length > 0 ? ownGroups : typeGroups,
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

function modesOf(directives: readonly DirectiveNode[]): AuthMode[] {
  return directives.flatMap((d) => {
    const mode = DIRECTIVE_MODES[d.name.value];
    return mode ? [mode] : [];
  });
}

function groupsOf(directives: readonly DirectiveNode[]): string[] {
  const groups: string[] = [];
  for (const d of directives) {
    for (const arg of d.arguments ?? []) {
      if (arg.name.value !== 'cognito_groups') continue;
      if (arg.value.kind === Kind.LIST) {
        for (const v of arg.value.values) if (v.kind === Kind.STRING) groups.push(v.value);
      } else if (arg.value.kind === Kind.STRING) {
        groups.push(arg.value.value);
      }
    }
  }
  return groups;
}
