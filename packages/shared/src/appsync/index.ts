/**
 * How AppSync reads authorisation from a schema's directives, written once for the local GraphQL
 * server (which enforces it) and the template checks (which audit it): a field's own auth
 * directives replace its type's, and a field or type without any is reachable only through the
 * API's default mode. `cognito_groups` limits a Cognito rule to members of those groups.
 *
 * Works on graphql-js AST nodes but imports only graphql's types, so it adds nothing to a bundle.
 */
import type { ConstDirectiveNode, DirectiveNode, ValueNode } from 'graphql';

export type AuthMode = 'API_KEY' | 'AMAZON_COGNITO_USER_POOLS' | 'AWS_IAM' | 'OPENID_CONNECT' | 'AWS_LAMBDA';

export interface AuthRule {
  mode: AuthMode;
  /** Cognito only: the caller must be in one of these groups */
  groups?: string[];
}

const DIRECTIVE_MODES: Record<string, AuthMode> = {
  aws_api_key: 'API_KEY',
  aws_cognito_user_pools: 'AMAZON_COGNITO_USER_POOLS',
  aws_auth: 'AMAZON_COGNITO_USER_POOLS',
  aws_iam: 'AWS_IAM',
  aws_oidc: 'OPENID_CONNECT',
  aws_lambda: 'AWS_LAMBDA',
};

type Directives = readonly (DirectiveNode | ConstDirectiveNode)[] | undefined;

/** The auth rules a list of directives states (none when it names no auth mode). */
export function authRulesOf(directives: Directives): AuthRule[] {
  return (directives ?? []).flatMap((directive) => {
    const mode = DIRECTIVE_MODES[directive.name.value];
    if (!mode) return [];
    const groupsArg = directive.arguments?.find((a) => a.name.value === 'cognito_groups')?.value;
    const groups = groupsArg ? stringsOf(groupsArg) : undefined;
    return [groups ? { mode, groups } : { mode }];
  });
}

/**
 * The rules that govern a field: its own directives', else its type's (over the type's
 * definition and extensions), else the API's default mode.
 */
export function effectiveAuthRules(
  fieldDirectives: Directives,
  typeDirectives: readonly Directives[],
  defaultMode: AuthMode,
): AuthRule[] {
  const own = authRulesOf(fieldDirectives);
  if (own.length > 0) return own;
  const typeRules = typeDirectives.flatMap((directives) => authRulesOf(directives));
  if (typeRules.length > 0) return typeRules;
  return [{ mode: defaultMode }];
}

// graphql's Kind values, compared as strings so that no graphql module is loaded at run time.
function stringsOf(value: ValueNode): string[] {
  if ((value.kind as string) === 'StringValue') return [(value as { value: string }).value];
  if ((value.kind as string) === 'ListValue') {
    return (value as { values: readonly ValueNode[] }).values.flatMap((v) =>
      (v.kind as string) === 'StringValue' ? [(v as { value: string }).value] : [],
    );
  }
  return [];
}
