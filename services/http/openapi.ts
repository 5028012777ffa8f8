import { createRoute, OpenAPIHono, type RouteConfig } from '@hono/zod-openapi';
import type { z } from 'zod';
import { errorEnvelopeSchema, type ErrorCode } from '../../shared/errors/index.js';
import { httpStatusOf } from './errors.js';
import type { AppEnv } from './types.js';
import { validationHook } from './validation.js';

/** A router of one domain's operations, with the shared validation hook. */
export const domainRouter = () => new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

export const jsonBody = <T extends z.ZodType>(schema: T, required = true) => ({
  body: { required, content: { 'application/json': { schema } } },
});

export const jsonResponse = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

const errorDescriptions: Record<ErrorCode, string> = {
  validation_failed: 'Invalid request; details name every bad field',
  unauthorized: 'Not signed in, or the session has ended',
  forbidden: 'Your role may not do this',
  not_found: 'Not found (or outside your jurisdiction)',
  conflict: 'Not possible in the current state',
  idempotency_conflict: 'Idempotency-Key reused with a different body',
  payload_too_large: 'Body too large',
  unsupported_media_type: 'Body in the wrong media type',
  rate_limited: 'Too many requests; see Retry-After',
  internal: 'Unexpected error',
  service_unavailable: 'Database or queue unavailable; see Retry-After',
  already_voted: 'This voter has already voted for this nomination (or for a duplicate merged into it)',
  vote_limit_reached: 'This voter has used all the votes the campaign allows',
  phase_closed: 'The campaign is not taking this now (outside its nomination or voting window)',
  objection_window_closed: 'The objection window has closed (15 days from receipt of the result)',
  results_not_final: 'Some results are not final yet (objection window or re-test pending)',
  gone: 'No longer valid (an expired link, say)',
};

/** Every operation can fail these ways. */
const alwaysPossible: ErrorCode[] = ['validation_failed', 'internal', 'service_unavailable'];
const withBody: ErrorCode[] = ['payload_too_large', 'unsupported_media_type'];
const staffOnly: ErrorCode[] = ['unauthorized', 'forbidden'];

export type Access = 'public' | 'staff';

type Responses = RouteConfig['responses'];

/**
 * createRoute with the house conventions: an operationId, the security it needs (none for public operations, a staff
 * session otherwise), and the error envelope documented for every status the operation can answer with. The returned
 * type keeps only the success responses, which is what handlers return; errors are thrown and rendered by onError.
 */
export function defineRoute<
  const P extends Omit<RouteConfig, 'security' | 'responses'> & { operationId: string },
  const S extends Responses,
>(config: P & { access: Access; responses: S; errors?: readonly ErrorCode[] }) {
  const { access, errors = [], responses, ...route } = config;
  const hasBody = route.method === 'post' || route.method === 'put' || route.method === 'patch';
  const codes = new Set<ErrorCode>([...alwaysPossible, ...(hasBody ? withBody : []), ...(access === 'staff' ? staffOnly : []), ...errors]);
  const errorResponses: Responses = {};
  for (const code of codes) {
    const status = String(httpStatusOf[code]);
    const existing = errorResponses[status] as { description: string } | undefined;
    errorResponses[status] = {
      description: existing ? `${existing.description}; or: ${errorDescriptions[code]}` : errorDescriptions[code],
      content: { 'application/json': { schema: errorEnvelopeSchema } },
    };
  }
  const security = access === 'public' ? [] : staffSecurity;
  return createRoute({ ...(route as unknown as P), security, responses: { ...errorResponses, ...responses } });
}

/** How staff operations authenticate (the scheme is registered on the app). */
export const staffSecurity = [{ bearerAuth: [] }];
