/**
 * The four deployable services, in deploy order, and what each must contain by contract
 * (docs/architecture.md, "Names"). Names come from shared's infra module, the one place that spells them.
 */

import { BASE_NAMES, stageName } from '@opendata-pulse/shared/infra';

export const SERVICE_IDS = ['ingest', 'etl', 'api', 'ops'] as const;
export type ServiceId = (typeof SERVICE_IDS)[number];

export interface ServiceInfo {
  id: ServiceId;
  /** The Serverless `service:` name, which is also the CloudFormation stack's prefix. */
  service: string;
  dir: string;
}

export const SERVICES: ServiceInfo[] = SERVICE_IDS.map((id) => ({
  id,
  service: `opendata-pulse-${id}`,
  dir: `packages/${id}`,
}));

export interface ContractNames {
  functions: string[];
  rules: string[];
  /** Bucket names as CloudFormation renders them: `<base>-${AWS::AccountId}[-<stage>]`. */
  buckets: string[];
  queues: string[];
  tables: Array<{ name: string; indexes: string[] }>;
  topics: string[];
  /** `Outputs` compose reads from this service. */
  outputs: string[];
}

/** What the `<service>` template for `stage` must name exactly. */
export function contractNames(id: ServiceId, stage: string): ContractNames {
  const n = (base: string) => stageName(base, stage);
  const bucket = (base: string) => stageName(`${base}-\${AWS::AccountId}`, stage);
  const none: ContractNames = {
    functions: [],
    rules: [],
    buckets: [],
    queues: [],
    tables: [],
    topics: [],
    outputs: [],
  };
  switch (id) {
    case 'ingest':
      return {
        ...none,
        functions: [n(BASE_NAMES.ingestFunction)],
        rules: [n(BASE_NAMES.hourlyRule)],
        buckets: [bucket(BASE_NAMES.rawBucket)],
        outputs: ['RawBucketName', 'RawBucketArn', 'IngestFunctionName'],
      };
    case 'etl':
      return {
        ...none,
        functions: [n(BASE_NAMES.etlFunction)],
        buckets: [bucket(BASE_NAMES.curatedBucket)],
        queues: [n(BASE_NAMES.processingQueue), n(BASE_NAMES.dlq)],
        tables: [{ name: n(BASE_NAMES.table), indexes: ['GeographicIndex'] }],
        outputs: ['TableName', 'TableArn', 'CuratedBucketName', 'QueueUrl', 'DlqUrl', 'EtlFunctionName'],
      };
    case 'api':
      // ops alarms on the AppSync API's metrics, whose dimension is the API id.
      return { ...none, functions: [n(BASE_NAMES.apiFunction)], outputs: ['ApiFunctionName', 'GraphQlApiId'] };
    case 'ops':
      return {
        ...none,
        functions: [n(BASE_NAMES.healthCheckFunction)],
        // `pulse logs export` writes to it by this name
        buckets: [bucket(BASE_NAMES.opsBucket)],
        topics: [n(BASE_NAMES.criticalTopic), n(BASE_NAMES.incidentTopic)],
      };
  }
}
