/**
 * The names in docs/architecture.md ("Names") are a contract: the packaged template of each service must create exactly the
 * named functions (each with a `LIVE` alias), rule, buckets, queues, table + GSI and topics, and
 * export the outputs compose links on; a secret a function reads is its own deploy's (secret-contract.ts).
 */

import { ALARM_RULE, checkAlarmContract } from './api-key-rules';
import { checkSecretContract, SECRET_RULE } from './secret-contract';
import { type ContractNames, contractNames, type ServiceId } from './services';
import {
  type CfnTemplate,
  type Finding,
  isObject,
  type Json,
  referencedLogicalId,
  renderString,
  resourcesOfType,
} from './template';

export const CONTRACT_RULES = {
  names: 'contract-names',
  alias: 'contract-live-alias',
  outputs: 'contract-outputs',
  secret: SECRET_RULE,
  alarm: ALARM_RULE,
} as const;

export function checkContract(service: ServiceId, stage: string, template: CfnTemplate): Finding[] {
  return checkContractNames(service, contractNames(service, stage), template);
}

export function checkContractNames(name: string, expected: ContractNames, template: CfnTemplate): Finding[] {
  const findings: Finding[] = [];
  const emit = (resource: string, rule: string, message: string) => {
    findings.push({ template: name, resource, rule, message });
  };

  const namesOf = (type: string, property: string) =>
    resourcesOfType(template, type).map(([id, r]) => ({ id, name: renderString(r.Properties?.[property] as Json) }));
  const expectAll = (what: string, type: string, property: string, wanted: string[]) => {
    const present = namesOf(type, property);
    for (const w of wanted) {
      if (!present.some((p) => p.name === w)) {
        const seen = present.map((p) => p.name ?? '<computed>').join(', ') || 'none';
        emit(type, CONTRACT_RULES.names, `no ${what} named "${w}" (found: ${seen})`);
      }
    }
  };

  expectAll('function', 'AWS::Lambda::Function', 'FunctionName', expected.functions);
  expectAll('EventBridge rule', 'AWS::Events::Rule', 'Name', expected.rules);
  expectAll('bucket', 'AWS::S3::Bucket', 'BucketName', expected.buckets);
  expectAll('queue', 'AWS::SQS::Queue', 'QueueName', expected.queues);
  expectAll(
    'table',
    'AWS::DynamoDB::Table',
    'TableName',
    expected.tables.map((t) => t.name),
  );
  expectAll('SNS topic', 'AWS::SNS::Topic', 'TopicName', expected.topics);

  for (const table of expected.tables) {
    const found = resourcesOfType(template, 'AWS::DynamoDB::Table').find(
      ([, r]) => renderString(r.Properties?.TableName as Json) === table.name,
    );
    if (!found) continue;
    const gsis = found[1].Properties?.GlobalSecondaryIndexes;
    const names = Array.isArray(gsis) ? gsis.filter(isObject).map((g) => g.IndexName) : [];
    for (const index of table.indexes) {
      if (!names.includes(index)) emit(found[0], CONTRACT_RULES.names, `table ${table.name} has no GSI "${index}"`);
    }
  }

  const aliases = resourcesOfType(template, 'AWS::Lambda::Alias');
  for (const [id, fn] of resourcesOfType(template, 'AWS::Lambda::Function')) {
    const fnName = renderString(fn.Properties?.FunctionName as Json);
    if (!expected.functions.includes(fnName ?? '')) continue;
    const live = aliases.some(([, a]) => {
      const target = a.Properties?.FunctionName;
      return (
        a.Properties?.Name === 'LIVE' && (referencedLogicalId(target) === id || renderString(target as Json) === fnName)
      );
    });
    if (!live) emit(id, CONTRACT_RULES.alias, `function ${fnName} has no AWS::Lambda::Alias named LIVE`);
  }

  for (const output of expected.outputs) {
    if (!template.Outputs || !(output in template.Outputs)) {
      emit('Outputs', CONTRACT_RULES.outputs, `missing output "${output}" (compose passes it to other services)`);
    }
  }
  for (const secret of expected.secrets ?? []) findings.push(...checkSecretContract(name, secret, template));
  for (const alarm of expected.alarms ?? []) findings.push(...checkAlarmContract(name, alarm, template));
  return findings;
}
