/** How the ETL's hot-table writers behave, shared by the per-kind modules and their factory. */
export interface HotTableOptions {
  /** attempts for BatchWrite/BatchGet leftovers before giving up (the SDK retries throttles too) */
  maxBatchAttempts?: number;
}
