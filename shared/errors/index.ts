export { errorCodes, type ErrorCode } from './vocabulary.js';
export { DomainError, invalidFields, isDatabaseUnavailable, notFound, type FieldIssue } from './domain-error.js';
export { errorEnvelopeSchema, fieldIssueSchema, type ErrorEnvelope } from './envelope.js';
