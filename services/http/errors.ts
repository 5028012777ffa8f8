import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';
import { zhCN } from 'zod/locales';
import { DomainError, isDatabaseUnavailable, type ErrorCode, type ErrorEnvelope, type FieldIssue } from '../../shared/errors/index.js';
import { translateError, type Language } from '../../shared/i18n/index.js';
import type { AppEnv } from './types.js';

/** The one place a domain error code becomes an HTTP status. */
export const httpStatusOf = {
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  idempotency_conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  service_unavailable: 503,
  already_voted: 409,
  vote_limit_reached: 409,
  phase_closed: 409,
  objection_window_closed: 409,
  results_not_final: 409,
  gone: 410,
} as const satisfies Record<ErrorCode, ContentfulStatusCode>;

export function errorResponse(c: Context, code: ErrorCode, message: string, details?: unknown, headers?: Record<string, string>): Response {
  const lang = languageOf(c);
  const body: ErrorEnvelope = {
    error: { code, message: translateError(message, lang), requestId: (c as Context<AppEnv>).get('requestId') ?? '' },
  };
  if (details !== undefined) body.error.details = localizeDetails(details, lang);
  return c.json(body, httpStatusOf[code], headers);
}

const languageOf = (c: Context): Language => (c as Context<AppEnv>).get('language') ?? 'zh-CN';

/** Field issues carry their message in the reader's language; the codes stay as they are. */
function localizeDetails(details: unknown, lang: Language): unknown {
  if (!Array.isArray(details)) return details;
  return details.map((d: unknown) => {
    if (typeof d !== 'object' || d === null || typeof (d as FieldIssue).message !== 'string') return d;
    return { ...d, message: translateError((d as FieldIssue).message, lang) };
  });
}

const zodZh = zhCN().localeError;

/** A zod issue's message in a language: ours (custom refinements) through the catalogue, zod's own from its locales. */
export function issueMessage(issue: z.core.$ZodIssue, lang: Language): string {
  if (lang === 'en' || issue.code === 'custom') return translateError(issue.message, lang);
  const localized = zodZh(issue as unknown as Parameters<typeof zodZh>[0]);
  return typeof localized === 'string' ? localized : (localized?.message ?? issue.message);
}

/**
 * One field issue per bad field (English messages; errorResponse translates them); unknown keys are named one by
 * one. Zod's own messages are kept in English here and localised by issueMessage when a page needs them.
 */
export function fieldIssues(error: z.ZodError, prefix: string[] = [], lang: Language = 'en'): FieldIssue[] {
  const out: FieldIssue[] = [];
  for (const issue of error.issues) {
    const path = [...prefix, ...issue.path.map(String)];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys)
        out.push({ field: [...path, key].join('.'), message: translateError('unknown field', lang), code: issue.code });
    } else {
      out.push({ field: path.join('.') || '(body)', message: issueMessage(issue, lang), code: issue.code });
    }
  }
  return out;
}

/** A rate limit a use case applies itself (per email, say) says when to come back, like the middleware's. */
function retryAfter(err: DomainError): Record<string, string> | undefined {
  const seconds = (err.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
  return err.code === 'rate_limited' && typeof seconds === 'number' ? { 'Retry-After': String(seconds) } : undefined;
}

/** The one place errors become HTTP responses. Internals never leave the process. */
export function onError(err: Error, c: Context<AppEnv>) {
  if (err instanceof DomainError) return errorResponse(c, err.code, err.message, err.details, retryAfter(err));
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
