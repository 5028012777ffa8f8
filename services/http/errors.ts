import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';
import { DomainError, errorCodes, isDatabaseUnavailable, type ErrorCode, type FieldIssue } from '../../shared/errors.js';
import type { ErrorEnvelope } from '../../shared/schemas/errors.js';
import type { AppEnv } from './types.js';

export function errorResponse(
  c: Context<AppEnv>,
  code: ErrorCode,
  message: string,
  details?: unknown,
  headers?: Record<string, string>,
): Response {
  const body: ErrorEnvelope = { error: { code, message, requestId: c.get('requestId') ?? '' } };
  if (details !== undefined) body.error.details = details;
  return c.json(body, errorCodes[code] as ContentfulStatusCode, headers);
}

/** One field issue per bad field; unknown keys are named one by one. */
export function fieldIssues(error: z.ZodError, prefix: string[] = []): FieldIssue[] {
  const out: FieldIssue[] = [];
  for (const issue of error.issues) {
    const path = [...prefix, ...issue.path.map(String)];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ field: [...path, key].join('.'), message: 'unknown field', code: issue.code });
    } else {
      out.push({ field: path.join('.') || '(body)', message: issue.message, code: issue.code });
    }
  }
  return out;
}

/** The one place errors become HTTP responses. Internals never leave the process. */
export function onError(err: Error, c: Context<AppEnv>) {
  if (err instanceof DomainError) return errorResponse(c, err.code, err.message, err.details);
  if (err instanceof HTTPException) {
    if (err.status === 413) return errorResponse(c, 'payload_too_large', 'request body is larger than allowed');
    if (err.status === 400) {
      return errorResponse(c, 'validation_failed', 'request body is not valid JSON', [
        { field: '(body)', message: 'malformed JSON', code: 'invalid_json' },
      ]);
    }
    if (err.status === 401) return errorResponse(c, 'unauthorized', err.message || 'authentication required');
    if (err.status === 415) return errorResponse(c, 'unsupported_media_type', 'send the body as application/json');
    c.get('logger')?.error({ err, status: err.status }, 'unmapped HTTP exception');
    return errorResponse(c, 'internal', 'unexpected error');
  }
  if (isDatabaseUnavailable(err)) {
    c.get('logger')?.warn({ err: err.message }, 'database unavailable');
    return errorResponse(c, 'service_unavailable', 'the service is temporarily unavailable, please retry', undefined, {
      'Retry-After': '5',
    });
  }
  c.get('logger')?.error({ err }, 'unhandled error');
  return errorResponse(c, 'internal', 'unexpected error');
}
