/**
 * Published on-demand prices, AWS region ap-southeast-2 (Sydney), in USD, as the cost table uses
 * them. Written down by hand from AWS's public pricing pages (linked per service) as they stood
 * on PRICES_AS_OF; this bench never fetches prices. Free tiers are ignored on purpose: the table
 * answers "what does this workload cost", not "what is this month's bill".
 *
 * Check them at the source before quoting a figure: AWS changes prices (DynamoDB on-demand was
 * halved on 2024-11-01, for example), and the Price List API has the exact current values:
 * https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/<service>/current/ap-southeast-2/index.json
 */

export const PRICES_AS_OF = '2026-11-27';
export const PRICE_REGION = 'ap-southeast-2';

export interface Price {
  usd: number;
  per: string;
  /** the price as the pricing page states it */
  listed: string;
  source: string;
}

export const PRICES = {
  lambdaRequest: {
    usd: 0.2 / 1e6,
    per: 'request',
    listed: '$0.20 per 1M requests',
    source: 'https://aws.amazon.com/lambda/pricing/ ($0.20 per 1M requests)',
  },
  lambdaGbSecondArm: {
    usd: 0.0000133334,
    per: 'GB-second (arm64, first 7.5 billion GB-s/month)',
    listed: '$0.0000133334 per GB-s',
    source: 'https://aws.amazon.com/lambda/pricing/',
  },
  lambdaGbSecondX86: {
    usd: 0.0000166667,
    per: 'GB-second (x86_64, first 6 billion GB-s/month)',
    listed: '$0.0000166667 per GB-s',
    source: 'https://aws.amazon.com/lambda/pricing/',
  },
  dynamoWriteUnit: {
    usd: 0.7116 / 1e6,
    per: 'write request unit (on-demand, Standard table class)',
    listed: '$0.7116 per 1M WRU',
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/ (Sydney $1.4231/M before the 2024-11-01 halving)',
  },
  dynamoReadUnit: {
    usd: 0.1423 / 1e6,
    per: 'read request unit (on-demand, Standard table class)',
    listed: '$0.1423 per 1M RRU',
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/ (Sydney $0.2846/M before the 2024-11-01 halving)',
  },
  dynamoStorageGbMonth: {
    usd: 0.285,
    per: 'GB-month of table and index storage (after the first 25 GB)',
    listed: '$0.285 per GB-month',
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
  },
  s3PutRequest: {
    usd: 0.0055 / 1000,
    per: 'PUT, COPY, POST or LIST request (S3 Standard)',
    listed: '$0.0055 per 1,000 requests',
    source: 'https://aws.amazon.com/s3/pricing/ ($0.0055 per 1,000)',
  },
  s3GetRequest: {
    usd: 0.00044 / 1000,
    per: 'GET, HEAD or other read request (S3 Standard)',
    listed: '$0.00044 per 1,000 requests',
    source: 'https://aws.amazon.com/s3/pricing/ ($0.00044 per 1,000)',
  },
  s3StorageGbMonth: {
    usd: 0.025,
    per: 'GB-month (S3 Standard, first 50 TB)',
    listed: '$0.025 per GB-month',
    source: 'https://aws.amazon.com/s3/pricing/',
  },
  sqsRequest: {
    usd: 0.4 / 1e6,
    per: 'request (standard queue, each 64 KB chunk of a payload)',
    listed: '$0.40 per 1M requests',
    source: 'https://aws.amazon.com/sqs/pricing/ ($0.40 per 1M after the first 1M)',
  },
  appsyncQuery: {
    usd: 4.0 / 1e6,
    per: 'query or mutation operation',
    listed: '$4.00 per 1M queries',
    source: 'https://aws.amazon.com/appsync/pricing/ ($4.00 per 1M)',
  },
} as const satisfies Record<string, Price>;

export type PriceName = keyof typeof PRICES;
