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

/** Error codes and messages that mean the database cannot be reached (as opposed to a bad query). */
const unavailableSqlStates = new Set(['57P01', '57P02', '57P03', '53300', '08000', '08001', '08003', '08004', '08006']);
const unavailableNodeCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH']);

export function isDatabaseUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && (unavailableSqlStates.has(code) || unavailableNodeCodes.has(code))) return true;
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(
    err.message,
  );
}
