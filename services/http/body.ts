import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { errorResponse } from './errors.js';
import type { AppEnv } from './types.js';

/**
 * A body refused unread leaves the rest of it in the socket, so the connection is closed after the answer
 * (Connection: close) rather than left for a next request that would be parsed from the leftover bytes.
 */
const CLOSE = { Connection: 'close' };

/**
 * Caps a request body. A declared Content-Length is checked first, without touching the body (the common case costs
 * one header read); only a body without one (chunked, or built in process) is counted as it streams.
 */
export function limitBody(opts: { maxBytes: number; message: string }): MiddlewareHandler<AppEnv> {
  const streaming = bodyLimit({
    maxSize: opts.maxBytes,
    onError: (c) => errorResponse(c, 'payload_too_large', opts.message, undefined, CLOSE),
  });
  return async (c, next) => {
    const declared = c.req.header('content-length');
    if (declared !== undefined) {
      const length = Number(declared);
      if (!Number.isSafeInteger(length) || length < 0) {
        return errorResponse(c, 'validation_failed', 'the request is invalid', [{ field: '(body)', message: 'bad Content-Length' }], CLOSE);
      }
      if (length > opts.maxBytes) return errorResponse(c, 'payload_too_large', opts.message, undefined, CLOSE);
      return next();
    }
    // Over HTTP/1.1 a request with neither Content-Length nor Transfer-Encoding has no body: nothing to count, and
    // not building the full request object keeps GETs cheap. In-process requests (tests) carry no such headers.
    const fromSocket = (c.env as { incoming?: unknown } | undefined)?.incoming !== undefined;
    if (fromSocket && c.req.header('transfer-encoding') === undefined) return next();
    return streaming(c, next);
  };
}

/**
 * Only the expected media type: a body in another is 415. Whether a body exists is read from the headers, since the
 * Node server gives every POST a body stream; a POST with no body at all (POST /cases/claim) passes.
 */
export function requireMediaType(expected: (path: string) => { pattern: RegExp; hint: string }): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (['POST', 'PUT', 'PATCH'].includes(c.req.method)) {
      const type = c.req.header('content-type');
      const length = c.req.header('content-length');
      const announcesBody = (length !== undefined && length !== '0') || c.req.header('transfer-encoding') !== undefined;
      const { pattern, hint } = expected(c.req.path);
      if (type !== undefined ? !pattern.test(type) : announcesBody) {
        return errorResponse(c, 'unsupported_media_type', hint, undefined, CLOSE);
      }
    }
    return next();
  };
}
