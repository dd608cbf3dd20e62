/** Types of site-content.mjs (plain ESM run by the Lambda runtime unbundled) for its TypeScript tests. */
import type { S3Client } from '@aws-sdk/client-s3';

export const CONFIG_KEY: 'config.json';
export const INDEX_KEY: 'index.html';
export function contentType(key: string): string;
export function cacheControl(key: string): string;
export function siteFiles(dir: string): Promise<Array<{ key: string; path: string }>>;
export function uploadOrder(keys: string[]): string[];
export function parseProperties(props: Record<string, unknown> | undefined): { bucket: string; configJson: string };
export function publishSite(
  s3: S3Client,
  o: { bucket: string; configJson: string; siteDir: string },
): Promise<{ written: string[]; removed: string[] }>;
export function emptyBucket(s3: S3Client, bucket: string): Promise<number>;

export interface CustomResourceEvent {
  RequestType: 'Create' | 'Update' | 'Delete';
  ResponseURL: string;
  StackId: string;
  RequestId: string;
  LogicalResourceId: string;
  PhysicalResourceId?: string;
  ResourceProperties?: Record<string, unknown>;
}
export interface CustomResourceResponse {
  Status: 'SUCCESS' | 'FAILED';
  Reason?: string;
  PhysicalResourceId: string;
  StackId: string;
  RequestId: string;
  LogicalResourceId: string;
  Data?: Record<string, string>;
}
export function sendResponse(url: string, response: CustomResourceResponse): Promise<void>;
export function createHandler(deps: {
  s3: S3Client;
  siteDir?: string;
  respond?: typeof sendResponse;
  log?: (message: string, data: Record<string, unknown>) => void;
}): (event: CustomResourceEvent) => Promise<CustomResourceResponse>;
export const handler: (event: CustomResourceEvent) => Promise<CustomResourceResponse>;
