/**
 * The shield in front of every AppSync API (docs/architecture.md, "Data flow"): a REGIONAL WAFv2
 * web ACL of this template associated with the API, with a rule that blocks a client IP past a
 * request rate and AWS's managed common rule set acting with its own (blocking) actions. One of
 * the security rules (security-rules.ts), in its own module to keep that one small.
 */
import type { Rule } from './rule';
import {
  asArray,
  type CfnResource,
  type Finding,
  isObject,
  type Json,
  type JsonObject,
  referencedLogicalId,
  resourcesOfType,
} from './template';

export const COMMON_RULE_SET = 'AWSManagedRulesCommonRuleSet';

const rulesOf = (acl: CfnResource): JsonObject[] =>
  asArray(acl.Properties?.Rules as Json[] | undefined).filter(isObject);
const statementOf = (rule: JsonObject, kind: string): JsonObject | undefined => {
  const statement = rule.Statement;
  return isObject(statement) && isObject(statement[kind]) ? (statement[kind] as JsonObject) : undefined;
};

/** What is wrong with one web ACL as the API's shield; empty when nothing is. */
export function shieldProblems(acl: CfnResource): string[] {
  const problems: string[] = [];
  if (acl.Properties?.Scope !== 'REGIONAL') {
    problems.push(`Scope is ${JSON.stringify(acl.Properties?.Scope ?? null)}; an AppSync API takes a REGIONAL web ACL`);
  }
  const rules = rulesOf(acl);
  const perIp = rules.some((r) => {
    const rate = statementOf(r, 'RateBasedStatement');
    return rate?.AggregateKeyType === 'IP' && isObject(r.Action) && isObject(r.Action.Block);
  });
  if (!perIp) {
    problems.push(
      'no rule blocks a client IP past a request rate (RateBasedStatement, AggregateKeyType IP, Action Block)',
    );
  }
  const common = rules.find((r) => {
    const group = statementOf(r, 'ManagedRuleGroupStatement');
    return group?.VendorName === 'AWS' && group.Name === COMMON_RULE_SET;
  });
  if (!common) problems.push(`no rule applies AWS's managed rule group ${COMMON_RULE_SET}`);
  else if (!isObject(common.OverrideAction) || !isObject(common.OverrideAction.None)) {
    problems.push(`${COMMON_RULE_SET} must keep its own actions (OverrideAction None); Count only counts`);
  }
  return problems;
}

export const appsyncWaf: Rule = {
  id: 'appsync-waf',
  summary: `Every AppSync API is associated with a REGIONAL WAF web ACL of its template that rate-limits per IP (Block) and applies ${COMMON_RULE_SET}`,
  check({ name, template }) {
    const findings: Finding[] = [];
    const emit = (resource: string, message: string) =>
      findings.push({ template: name, resource, rule: 'appsync-waf', message });
    const resources = template.Resources ?? {};
    const associations = resourcesOfType(template, 'AWS::WAFv2::WebACLAssociation');
    for (const [apiId] of resourcesOfType(template, 'AWS::AppSync::GraphQLApi')) {
      const mine = associations.filter(([, a]) => referencedLogicalId(a.Properties?.ResourceArn) === apiId);
      if (mine.length === 0) {
        emit(apiId, 'no AWS::WAFv2::WebACLAssociation puts a web ACL in front of this API');
        continue;
      }
      for (const [assocId, assoc] of mine) {
        const aclId = referencedLogicalId(assoc.Properties?.WebACLArn);
        const acl = aclId ? resources[aclId] : undefined;
        if (!aclId || acl?.Type !== 'AWS::WAFv2::WebACL') {
          emit(assocId, 'the web ACL is not an AWS::WAFv2::WebACL of this template, so its rules cannot be checked');
          continue;
        }
        for (const problem of shieldProblems(acl)) emit(aclId, problem);
      }
    }
    return findings;
  },
};
