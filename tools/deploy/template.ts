/**
 * A small model of a CloudFormation template as `sls package` writes it
 * (`cloudformation-template-update-stack.json`) and the intrinsic-function helpers the checks share.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface CfnResource {
  Type: string;
  Properties?: JsonObject;
  DependsOn?: string | string[];
  Condition?: string;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
  Metadata?: JsonObject;
  UpdatePolicy?: JsonObject;
  CreationPolicy?: JsonObject;
}

export interface CfnTemplate {
  AWSTemplateFormatVersion?: string;
  Description?: string;
  Parameters?: Record<string, JsonObject>;
  Mappings?: JsonObject;
  Conditions?: JsonObject;
  Resources: Record<string, CfnResource>;
  Outputs?: Record<string, JsonObject>;
  [section: string]: Json | Record<string, CfnResource> | Record<string, JsonObject> | undefined;
}

/** A template under check, with the name every finding reports. */
export interface NamedTemplate {
  name: string;
  template: CfnTemplate;
}

/** One problem found: which template, which resource (logical id or section), which rule, and why. */
export interface Finding {
  template: string;
  resource: string;
  rule: string;
  message: string;
}

export function formatFinding(f: Finding): string {
  return `${f.template}: ${f.resource}: [${f.rule}] ${f.message}`;
}

export const PSEUDO_PARAMETERS = new Set([
  'AWS::AccountId',
  'AWS::NotificationARNs',
  'AWS::NoValue',
  'AWS::Partition',
  'AWS::Region',
  'AWS::StackId',
  'AWS::StackName',
  'AWS::URLSuffix',
]);

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `{Ref: X}` or `{"Fn::...": ...}` — a value CloudFormation computes at deploy time. */
export function isIntrinsic(value: unknown): value is JsonObject {
  if (!isObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || (keys[0]?.startsWith('Fn::') ?? false) || keys[0] === 'Condition');
}

export function resourcesOfType(template: CfnTemplate, type: string): Array<[string, CfnResource]> {
  return Object.entries(template.Resources ?? {}).filter(([, r]) => r.Type === type);
}

/** The logical id a value points at through `Ref` or `Fn::GetAtt` (first element), if any. */
export function referencedLogicalId(value: unknown): string | undefined {
  if (!isObject(value)) return undefined;
  if (typeof value.Ref === 'string') return value.Ref;
  const getAtt = value['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  if (typeof getAtt === 'string') return getAtt.split('.')[0];
  return undefined;
}

/** `Fn::GetAtt` in either form, as [logicalId, attribute]. */
export function getAttParts(value: Json): [string, string] | undefined {
  if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string') {
    const attr = value[1];
    return [value[0], typeof attr === 'string' ? attr : '<computed>'];
  }
  if (typeof value === 'string') {
    const dot = value.indexOf('.');
    if (dot > 0) return [value.slice(0, dot), value.slice(dot + 1)];
  }
  return undefined;
}

/** Names referenced as `${Name}` / `${Name.Attr}` in an `Fn::Sub` string (literals `${!x}` skipped). */
export function subReferences(text: string): string[] {
  const names: string[] = [];
  for (const match of text.matchAll(/\$\{([^}]+)\}/g)) {
    const inner = match[1] ?? '';
    if (!inner.startsWith('!')) names.push(inner.trim());
  }
  return names;
}

/**
 * Renders a value to a string where it is a plain string or built only from strings and references:
 * `Ref X` becomes `${X}`, `GetAtt X.Y` becomes `${X.Y}`. Conditionals and lookups render as `<?>`, which
 * never matches a pattern the rules look for, so an unknown value is never reported as a wildcard.
 */
export function renderString(value: Json | undefined): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (!isObject(value)) return undefined;
  if (typeof value.Ref === 'string') return `\${${value.Ref}}`;
  if ('Fn::GetAtt' in value) {
    const parts = getAttParts(value['Fn::GetAtt'] as Json);
    return parts ? `\${${parts[0]}.${parts[1]}}` : '<?>';
  }
  const sub = value['Fn::Sub'];
  if (typeof sub === 'string') return sub;
  if (Array.isArray(sub) && typeof sub[0] === 'string') return sub[0];
  const join = value['Fn::Join'];
  if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
    const parts = join[1].map((p) => renderString(p) ?? '<?>');
    return parts.join(join[0]);
  }
  return '<?>';
}

/**
 * A template parameter's default, when a `Ref` points at a parameter that has one: what a deploy
 * that passes no parameter values (`sls deploy`) gives it.
 */
export function parameterDefault(template: CfnTemplate, value: Json | undefined): string | undefined {
  if (!isObject(value) || typeof value.Ref !== 'string') return undefined;
  const fallback = template.Parameters?.[value.Ref]?.Default;
  return fallback === undefined || fallback === null || isObject(fallback) || Array.isArray(fallback)
    ? undefined
    : String(fallback);
}

/**
 * A condition's value for a deploy that passes no parameter values, as `sls deploy` does (each
 * parameter takes its default): `Fn::Equals`, `Fn::Not`, `Fn::And`, `Fn::Or` and `Condition` over
 * literals and parameters. `undefined` when it depends on anything else (a pseudo parameter, a
 * parameter without a default, another function) or names no condition.
 */
export function conditionValue(
  template: CfnTemplate,
  name: string,
  seen: ReadonlySet<string> = new Set(),
): boolean | undefined {
  const condition = template.Conditions?.[name];
  if (condition === undefined || seen.has(name)) return undefined;
  const inside = new Set([...seen, name]);
  const scalar = (node: Json): string | undefined => {
    if (typeof node === 'string' || typeof node === 'number' || typeof node === 'boolean') return String(node);
    return parameterDefault(template, node);
  };
  const evaluate = (node: Json): boolean | undefined => {
    if (!isObject(node)) return undefined;
    if (typeof node.Condition === 'string') return conditionValue(template, node.Condition, inside);
    const args = Object.values(node)[0];
    if (!Array.isArray(args)) return undefined;
    if ('Fn::Equals' in node) {
      const [a, b] = args.map(scalar);
      return a === undefined || b === undefined ? undefined : a === b;
    }
    const values = args.map(evaluate);
    if ('Fn::Not' in node) return values[0] === undefined ? undefined : !values[0];
    if ('Fn::And' in node) return values.includes(false) ? false : values.includes(undefined) ? undefined : true;
    if ('Fn::Or' in node) return values.includes(true) ? true : values.includes(undefined) ? undefined : false;
    return undefined;
  };
  return evaluate(condition);
}

/** Visits every node of a JSON value depth-first with its path. */
export function walk(value: Json | undefined, visit: (node: Json, path: string) => void, path = ''): void {
  if (value === undefined) return;
  visit(value, path);
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      walk(item, visit, `${path}[${i}]`);
    });
  } else if (isObject(value)) {
    for (const [key, item] of Object.entries(value)) walk(item, visit, path ? `${path}.${key}` : key);
  }
}

export function asArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** The literal strings of a value that may be one string or a list (IAM's Action, Resource, ...). */
export const strings = (v: Json | undefined): string[] =>
  asArray(v as Json | Json[] | undefined).flatMap((x) => (typeof x === 'string' ? [x] : []));

/** The literal function name of a Lambda function resource, when the template spells it. */
export function functionNameOf(resource: CfnResource): string | undefined {
  const name = resource.Properties?.FunctionName;
  return typeof name === 'string' ? name : undefined;
}

/**
 * Resolves a reference to a Lambda function (Ref/GetAtt of a function, a version or an alias, or a
 * literal name) to the function's logical id and the qualifier (alias name) it targets.
 */
export function resolveFunctionTarget(
  template: CfnTemplate,
  value: Json | undefined,
): { functionId: string; qualifier?: string } | undefined {
  const resources = template.Resources ?? {};
  const id = referencedLogicalId(value);
  if (id) {
    const target = resources[id];
    if (!target) return undefined;
    if (target.Type === 'AWS::Lambda::Function') return { functionId: id };
    if (target.Type === 'AWS::Lambda::Alias' || target.Type === 'AWS::Lambda::Version') {
      const inner = resolveFunctionTarget(template, target.Properties?.FunctionName);
      if (!inner) return undefined;
      const aliasName = target.Properties?.Name;
      return target.Type === 'AWS::Lambda::Alias' && typeof aliasName === 'string'
        ? { functionId: inner.functionId, qualifier: aliasName }
        : inner;
    }
    return undefined;
  }
  const rendered = renderString(value as Json);
  if (rendered === undefined) return undefined;
  for (const [fid, r] of resourcesOfType(template, 'AWS::Lambda::Function')) {
    const name = functionNameOf(r);
    if (!name) continue;
    if (rendered === name || rendered.endsWith(`:function:${name}`)) return { functionId: fid };
    const qualified = rendered.match(new RegExp(`(?:^|:function:)${escapeRegExp(name)}:([^:]+)$`));
    if (qualified?.[1]) return { functionId: fid, qualifier: qualified[1] };
  }
  return undefined;
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Masks what changes from one packaging of the same source to the next, so templates compare equal:
 * the AppSync API key's `Expires` (serverless-appsync-plugin computes it from the clock) and the
 * timestamped artifact folder in each function's `Code.S3Key` (`serverless/<svc>/<stage>/<time>/...`).
 */
export function maskVolatile(template: CfnTemplate): CfnTemplate {
  const copy = structuredClone(template);
  for (const [, r] of resourcesOfType(copy, 'AWS::AppSync::ApiKey')) {
    if (r.Properties && 'Expires' in r.Properties) r.Properties.Expires = '<masked>';
  }
  for (const [, r] of Object.entries(copy.Resources ?? {})) {
    const code = r.Properties?.Code ?? r.Properties?.Content;
    if (isObject(code) && typeof code.S3Key === 'string') {
      code.S3Key = code.S3Key.replace(/\/\d{10,}-[^/]+\//, '/<artifact-dir>/');
    }
  }
  return copy;
}
