/**
 * The ETL's own failure: some objects of a plain S3 event (the runbook's manual reprocess) failed.
 * Thrown after the rest were processed, so the invocation fails and the caller sees which.
 */
import { AppError } from '@opendata-pulse/shared/errors';

/** A failure's reason for logs and summaries: the message, with the error's name when it is not ours. */
export function describeFailure(error: unknown): string {
  if (error instanceof AppError) return error.message;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

export interface FailedObject {
  bucket: string;
  key: string;
  reason: string;
  errorType: string;
}

export class ObjectsFailedError extends Error {
  readonly failed: FailedObject[];
  readonly summary: unknown;

  constructor(failed: FailedObject[], total: number, summary: unknown) {
    const listed = failed
      .slice(0, 5)
      .map((f) => `${f.key}: ${f.reason}`)
      .join('; ');
    const more = failed.length > 5 ? `; and ${failed.length - 5} more` : '';
    super(`${failed.length} of ${total} raw objects failed: ${listed}${more}`);
    this.name = 'ObjectsFailedError';
    this.failed = failed;
    this.summary = summary;
  }
}
