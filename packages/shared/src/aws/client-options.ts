/** Options every client factory takes (shared `/aws`). */
export interface ClientOptions {
  region: string;
  endpoint?: string | undefined;
  /** attempts the SDK makes for throttles and transient faults (SDK default 3) */
  maxAttempts?: number;
  /** explicit credentials (local emulators); otherwise the SDK's default chain */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/** The settings every client shares: region, endpoint override, retries, credentials. */
export function clientConfig(options: ClientOptions) {
  return {
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  };
}
