import type { ErrorCode } from './vocabulary.js';

/**
 * HTTP-free domain errors. Domain code throws DomainError with a code from this closed list; services/http maps each
 * code to a status in one place and renders the envelope {"error": {code, message, details?, requestId}}.
 */

export interface FieldIssue {
  field: string;
  message: string;
  code?: string;
}

export class DomainError extends Error {
  override name = 'DomainError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new DomainError('not_found', `${what} not found`);

/** A 400 naming each bad field, for rules a schema cannot express (a district that does not exist, say). */
export const invalidFields = (...issues: FieldIssue[]) => new DomainError('validation_failed', 'the request is invalid', issues);

/**
 * Error codes and messages that mean the database cannot be reached or does not answer in time (as opposed to a bad
 * query): refused or lost connections, no free connection within the connect timeout, a statement cancelled by the
 * statement timeout (57014), a transaction aborted for idling (25P03), a query the client stopped waiting for.
 */
const unavailableSqlStates = new Set(['57P01', '57P02', '57P03', '57014', '25P03', '53300', '08000', '08001', '08003', '08004', '08006']);
const unavailableNodeCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH']);
const unavailableMessages =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Query read timeout|Client was closed and is not queryable/i;

export function isDatabaseUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && (unavailableSqlStates.has(code) || unavailableNodeCodes.has(code))) return true;
  return unavailableMessages.test(err.message);
}
