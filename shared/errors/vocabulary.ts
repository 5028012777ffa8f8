/** The closed set of error codes of the API envelope; services/http decides the HTTP status of each. */
export const errorCodes = [
  'validation_failed',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'idempotency_conflict',
  'payload_too_large',
  'unsupported_media_type',
  'rate_limited',
  'internal',
  'service_unavailable',
  'already_voted',
  'vote_limit_reached',
  'phase_closed',
  'objection_window_closed',
  'results_not_final',
  'gone',
] as const;

export type ErrorCode = (typeof errorCodes)[number];
