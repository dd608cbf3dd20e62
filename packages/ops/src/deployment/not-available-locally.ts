/**
 * The refusal of a command (or client) the local stack cannot serve: kept apart from the clients,
 * so the CLI can refuse without loading the AWS SDK.
 */
import { BadRequestError } from '@opendata-pulse/shared/errors';

export class NotAvailableLocallyError extends BadRequestError {}

export function notAvailableLocally(what: string, hint?: string): NotAvailableLocallyError {
  return new NotAvailableLocallyError(
    `${what} is not available with --local: the local stack does not emulate it${hint ? ` (${hint})` : ''}. Use --stage <stage> against AWS.`,
  );
}
