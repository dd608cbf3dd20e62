/**
 * Validates templates against the CloudFormation resource specification shipped in
 * `@aws-cdk/aws-service-spec` (the database the AWS CDK generates its L1 constructs from): resource
 * types, property names (at every nesting level), required properties, the shape of each value
 * (object / list / scalar), and the targets of `Ref`, `Fn::GetAtt`, `Fn::Sub` and `DependsOn`.
 */

import { createRequire } from 'node:module';
import {
  type CfnResource,
  type CfnTemplate,
  type Finding,
  getAttParts,
  isIntrinsic,
  isObject,
  type Json,
  type NamedTemplate,
  PSEUDO_PARAMETERS,
  subReferences,
} from './template';

const require = createRequire(import.meta.url);

// The spec's own types, narrowed to what is read here (the package ships CommonJS typings).
type PropertyType =
  | { type: 'string' | 'number' | 'integer' | 'boolean' | 'json' | 'date-time' | 'null' | 'tag' }
  | { type: 'ref'; reference: { $ref: string } }
  | { type: 'array' | 'map'; element: PropertyType }
  | { type: 'union'; types: PropertyType[] };
interface SpecProperty {
  required?: boolean;
  type: PropertyType;
  previousTypes?: PropertyType[];
  deprecated?: string;
}
interface SpecResource {
  cloudFormationType: string;
  properties: Record<string, SpecProperty>;
  attributes: Record<string, unknown>;
}
interface SpecTypeDefinition {
  name: string;
  properties: Record<string, SpecProperty>;
}
interface SpecDb {
  lookup(
    collection: 'resource',
    index: 'cloudFormationType',
    op: 'equals',
    value: string,
  ): { length: number; only(): SpecResource };
  get(collection: 'typeDefinition', id: string): SpecTypeDefinition;
}

let cachedDb: SpecDb | undefined;

/** Loads the spec database once per process (about half a second). */
export function loadSpec(): SpecDb {
  if (!cachedDb) {
    const { loadAwsServiceSpecSync } = require('@aws-cdk/aws-service-spec') as { loadAwsServiceSpecSync(): SpecDb };
    cachedDb = loadAwsServiceSpecSync();
  }
  return cachedDb;
}

export function specResource(type: string): SpecResource | undefined {
  const found = loadSpec().lookup('resource', 'cloudFormationType', 'equals', type);
  return found.length === 1 ? found.only() : undefined;
}

const TEMPLATE_SECTIONS = new Set([
  'AWSTemplateFormatVersion',
  'Description',
  'Metadata',
  'Parameters',
  'Rules',
  'Mappings',
  'Conditions',
  'Transform',
  'Resources',
  'Outputs',
]);
const RESOURCE_KEYS = new Set([
  'Type',
  'Properties',
  'DependsOn',
  'Condition',
  'DeletionPolicy',
  'UpdateReplacePolicy',
  'Metadata',
  'UpdatePolicy',
  'CreationPolicy',
]);
const DELETION_POLICIES = new Set(['Delete', 'Retain', 'RetainExceptOnCreate', 'Snapshot']);

function isCustomResource(type: string): boolean {
  return type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource';
}

export const SPEC_RULES = {
  section: 'cfn-template-section',
  type: 'cfn-resource-type',
  property: 'cfn-property-name',
  required: 'cfn-required-property',
  shape: 'cfn-property-shape',
  ref: 'cfn-ref-target',
  getAtt: 'cfn-getatt-target',
  dependsOn: 'cfn-dependson-target',
  attribute: 'cfn-resource-attribute',
} as const;

/** Every problem the specification finds in one template. */
export function checkAgainstSpec({ name, template }: NamedTemplate): Finding[] {
  const findings: Finding[] = [];
  const report = (resource: string, rule: string, message: string) => {
    findings.push({ template: name, resource, rule, message });
  };

  for (const section of Object.keys(template)) {
    if (!TEMPLATE_SECTIONS.has(section)) report(section, SPEC_RULES.section, `unknown template section "${section}"`);
  }
  if (!isObject(template.Resources) || Object.keys(template.Resources).length === 0) {
    report('Resources', SPEC_RULES.section, 'the template has no resources');
    return findings;
  }

  const resources = template.Resources;
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (!/^[A-Za-z0-9]+$/.test(logicalId)) {
      report(logicalId, SPEC_RULES.attribute, 'logical ids must be alphanumeric');
    }
    for (const key of Object.keys(resource)) {
      if (!RESOURCE_KEYS.has(key)) report(logicalId, SPEC_RULES.attribute, `unknown resource attribute "${key}"`);
    }
    for (const key of ['DeletionPolicy', 'UpdateReplacePolicy'] as const) {
      const policy = resource[key];
      if (policy !== undefined && !DELETION_POLICIES.has(policy)) {
        report(
          logicalId,
          SPEC_RULES.attribute,
          `${key} "${policy}" is not one of ${[...DELETION_POLICIES].join(', ')}`,
        );
      }
    }
    for (const dep of typeof resource.DependsOn === 'string' ? [resource.DependsOn] : (resource.DependsOn ?? [])) {
      if (!(dep in resources)) report(logicalId, SPEC_RULES.dependsOn, `DependsOn "${dep}" names no resource`);
    }
    if (resource.Condition !== undefined && !(resource.Condition in (template.Conditions ?? {}))) {
      report(logicalId, SPEC_RULES.attribute, `Condition "${resource.Condition}" is not defined`);
    }
    checkResourceProperties(logicalId, resource, report);
  }

  checkReferences(template, report);
  return findings;
}

type Report = (resource: string, rule: string, message: string) => void;

function checkResourceProperties(logicalId: string, resource: CfnResource, report: Report): void {
  if (typeof resource.Type !== 'string') {
    report(logicalId, SPEC_RULES.type, 'the resource has no Type');
    return;
  }
  if (isCustomResource(resource.Type)) return;
  const spec = specResource(resource.Type);
  if (!spec) {
    report(logicalId, SPEC_RULES.type, `"${resource.Type}" is not a CloudFormation resource type`);
    return;
  }
  if (resource.Properties !== undefined && !isObject(resource.Properties)) {
    report(logicalId, SPEC_RULES.shape, 'Properties must be an object');
    return;
  }
  const problems: Problem[] = [];
  checkObject(resource.Properties ?? {}, spec.properties, 'Properties', problems);
  for (const p of problems) report(logicalId, p.rule, `${resource.Type} ${p.path}: ${p.message}`);
}

interface Problem {
  rule: string;
  path: string;
  message: string;
}

function checkObject(value: Json, props: Record<string, SpecProperty>, path: string, problems: Problem[]): void {
  if (isIntrinsic(value)) {
    checkIntrinsicBranches(value, (v) => checkObject(v, props, path, problems));
    return;
  }
  if (!isObject(value)) {
    problems.push({ rule: SPEC_RULES.shape, path, message: `expected an object, got ${describe(value)}` });
    return;
  }
  for (const [key, item] of Object.entries(value)) {
    const prop = props[key];
    if (!prop) {
      const suggestion = closest(key, Object.keys(props));
      problems.push({
        rule: SPEC_RULES.property,
        path: `${path}.${key}`,
        message: `unknown property "${key}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`,
      });
      continue;
    }
    checkValue(item, [prop.type, ...(prop.previousTypes ?? [])], `${path}.${key}`, problems);
  }
  for (const [key, prop] of Object.entries(props)) {
    if (prop.required && !(key in value)) {
      problems.push({
        rule: SPEC_RULES.required,
        path: `${path}.${key}`,
        message: `required property "${key}" is missing`,
      });
    }
  }
}

/** A value passes if it fits any of the types the property has had (the spec keeps older types too). */
function checkValue(value: Json, types: PropertyType[], path: string, problems: Problem[]): void {
  let best: Problem[] | undefined;
  for (const type of types) {
    const attempt: Problem[] = [];
    checkType(value, type, path, attempt);
    if (attempt.length === 0) return;
    if (!best || attempt.length < best.length) best = attempt;
  }
  problems.push(...(best ?? []));
}

function checkType(value: Json, type: PropertyType, path: string, problems: Problem[]): void {
  if (isIntrinsic(value)) {
    checkIntrinsicBranches(value, (v) => checkType(v, type, path, problems));
    return;
  }
  switch (type.type) {
    case 'ref': {
      checkObject(value, loadSpec().get('typeDefinition', type.reference.$ref).properties, path, problems);
      return;
    }
    case 'union':
      checkValue(value, type.types, path, problems);
      return;
    case 'array':
      if (!Array.isArray(value)) {
        problems.push({ rule: SPEC_RULES.shape, path, message: `expected a list, got ${describe(value)}` });
        return;
      }
      value.forEach((item, i) => {
        checkType(item, type.element, `${path}[${i}]`, problems);
      });
      return;
    case 'map':
      if (!isObject(value)) {
        problems.push({ rule: SPEC_RULES.shape, path, message: `expected a map, got ${describe(value)}` });
        return;
      }
      for (const [k, item] of Object.entries(value)) checkType(item, type.element, `${path}.${k}`, problems);
      return;
    case 'tag':
      if (!isObject(value) || !('Key' in value) || !('Value' in value)) {
        problems.push({ rule: SPEC_RULES.shape, path, message: 'expected a tag {Key, Value}' });
      }
      return;
    case 'json':
      return;
    case 'null':
      return;
    default:
      // Scalars: CloudFormation converts between strings, numbers and booleans, so only a list or an
      // object where a scalar belongs is a mistake.
      if (Array.isArray(value) || isObject(value)) {
        problems.push({ rule: SPEC_RULES.shape, path, message: `expected a ${type.type}, got ${describe(value)}` });
      }
  }
}

/** `Fn::If` chooses between two values of the property's type: check both (`AWS::NoValue` aside). */
function checkIntrinsicBranches(value: Json, check: (v: Json) => void): void {
  if (!isObject(value)) return;
  const branches = value['Fn::If'];
  if (Array.isArray(branches) && branches.length === 3) {
    for (const branch of branches.slice(1)) {
      if (!(isObject(branch) && branch.Ref === 'AWS::NoValue')) check(branch);
    }
  }
}

function describe(value: Json): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  return isObject(value) ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

function closest(word: string, candidates: string[]): string | undefined {
  const lower = word.toLowerCase();
  const byCase = candidates.find((c) => c.toLowerCase() === lower);
  if (byCase) return byCase;
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance <= 2 && (!best || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(
        (prev[j] ?? 0) + 1,
        (row[j - 1] ?? 0) + 1,
        (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}

/** `Ref`, `Fn::GetAtt` and `Fn::Sub` anywhere in resources, outputs and conditions must name something real. */
function checkReferences(template: CfnTemplate, report: Report): void {
  const resources = template.Resources;
  const parameters = template.Parameters ?? {};
  const conditions = template.Conditions ?? {};

  const refTarget = (name: string): boolean => name in resources || name in parameters || PSEUDO_PARAMETERS.has(name);
  const attTarget = (owner: string, logicalId: string, attribute: string): string | undefined => {
    const target = resources[logicalId];
    if (!target) return `Fn::GetAtt names "${logicalId}", which is not a resource`;
    if (attribute === '<computed>' || isCustomResource(target.Type)) return undefined;
    if (target.Type === 'AWS::CloudFormation::Stack' && attribute.startsWith('Outputs.')) return undefined;
    const spec = specResource(target.Type);
    if (!spec) return undefined; // already reported as an unknown type
    if (!(attribute in spec.attributes)) {
      const known = Object.keys(spec.attributes).filter((a) => !a.includes('.'));
      return `${target.Type} "${logicalId}" has no attribute "${attribute}" (it has: ${known.join(', ') || 'none'}) — from ${owner}`;
    }
    return undefined;
  };

  const visit = (owner: string, node: Json, locals: Set<string>): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(owner, item, locals);
      return;
    }
    if (!isObject(node)) return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'Ref' && typeof value === 'string') {
        if (!refTarget(value))
          report(owner, SPEC_RULES.ref, `Ref "${value}" names no resource, parameter or pseudo parameter`);
      } else if (key === 'Fn::GetAtt') {
        const parts = getAttParts(value);
        if (!parts) report(owner, SPEC_RULES.getAtt, `malformed Fn::GetAtt ${JSON.stringify(value)}`);
        else {
          const problem = attTarget(owner, parts[0], parts[1]);
          if (problem) report(owner, SPEC_RULES.getAtt, problem);
        }
        if (Array.isArray(value) && isObject(value[1])) visit(owner, value[1], locals);
      } else if (key === 'Fn::Sub') {
        const [text, vars] = Array.isArray(value) ? [value[0], value[1]] : [value, undefined];
        const localNames = new Set(isObject(vars) ? Object.keys(vars) : []);
        if (typeof text === 'string') {
          for (const ref of subReferences(text)) {
            const [target, ...attr] = ref.split('.');
            if (!target || localNames.has(target)) continue;
            if (attr.length === 0) {
              if (!refTarget(target))
                report(owner, SPEC_RULES.ref, `Fn::Sub "\${${ref}}" names nothing in the template`);
            } else {
              const problem = attTarget(owner, target, attr.join('.'));
              if (problem) report(owner, SPEC_RULES.getAtt, `Fn::Sub "\${${ref}}": ${problem}`);
            }
          }
        }
        if (isObject(vars)) visit(owner, vars, locals);
      } else if (key === 'Condition' && typeof value === 'string' && owner.startsWith('Conditions')) {
        if (!(value in conditions)) report(owner, SPEC_RULES.ref, `Condition "${value}" is not defined`);
      } else if (key === 'Fn::If' && Array.isArray(value) && typeof value[0] === 'string') {
        if (!(value[0] in conditions)) report(owner, SPEC_RULES.ref, `Fn::If condition "${value[0]}" is not defined`);
        visit(owner, value.slice(1), locals);
      } else {
        visit(owner, value, locals);
      }
    }
  };

  for (const [logicalId, resource] of Object.entries(resources)) {
    visit(logicalId, (resource.Properties ?? {}) as Json, new Set());
    if (resource.Metadata) visit(logicalId, resource.Metadata, new Set());
  }
  for (const [outputId, output] of Object.entries(template.Outputs ?? {})) {
    visit(`Outputs.${outputId}`, output, new Set());
  }
  for (const [conditionId, condition] of Object.entries(conditions)) {
    visit(`Conditions.${conditionId}`, condition, new Set());
  }
}
