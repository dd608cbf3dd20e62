/**
 * What a template rule is (security-rules.ts, cloudfront-rules.ts, api-key-rules.ts, waf-rule.ts): a pure
 * function of one packaged template; a finding names the template, the resource and the rule.
 */
import type { CfnTemplate, Finding, NamedTemplate } from './template';

export interface Rule {
  id: string;
  summary: string;
  check(t: NamedTemplate): Finding[];
}

export type Emit = (resource: string, message: string) => void;

/** A rule whose body reports each finding through `emit(resource, message)`. */
export function rule(id: string, summary: string, body: (template: CfnTemplate, emit: Emit) => void): Rule {
  return {
    id,
    summary,
    check({ name, template }) {
      const findings: Finding[] = [];
      body(template, (resource, message) => findings.push({ template: name, resource, rule: id, message }));
      return findings;
    },
  };
}
