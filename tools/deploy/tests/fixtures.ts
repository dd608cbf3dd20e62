import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CfnTemplate, Finding, JsonObject } from '../template';

const FIXTURES = join(import.meta.dirname, 'fixtures');

/** A fresh copy of the compliant fixture template, for a test to break one thing in. */
export function goodTemplate(): CfnTemplate {
  return JSON.parse(readFileSync(join(FIXTURES, 'good-service.template.json'), 'utf8')) as CfnTemplate;
}

export function fixtureText(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

/** The Properties of one resource of a template, for in-place edits. */
export function props(template: CfnTemplate, logicalId: string): JsonObject {
  const resource = template.Resources[logicalId];
  if (!resource) throw new Error(`fixture has no resource ${logicalId}`);
  resource.Properties ??= {};
  return resource.Properties;
}

export function rulesOf(findings: Finding[]): string[] {
  return [...new Set(findings.map((f) => f.rule))].sort();
}
