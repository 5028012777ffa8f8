/** BullMQ queues: names, typed payloads, the outbox that feeds them, and the Redis or PostgreSQL backend. */
export { jobQueueNames, type JobQueueName } from './vocabulary.js';
export { isJobQueueName, jobDefinitions, jobIdFor, parseJobPayload, retryPolicyOf, rowJobId, type JobPayload } from './jobs.js';
export { enqueue, enqueueMany, outboxRow } from './outbox.js';
export {
  defaultJobOptions,
  deliveryAttempts,
  deliveryDelay,
  QueueBackend,
  type AnyQueue,
  type AnyWorker,
  type DeliveryRetry,
  type QueueBackendOptions,
  type WorkerExtras,
} from './backend.js';
