import { z } from 'zod';
import { campaignJobSteps } from '../sampling/vocabulary.js';
import type { JobQueueName } from './vocabulary.js';

interface JobDefinition<S extends z.ZodType> {
  schema: S;
  /**
   * The BullMQ job id for a payload, from the row it is about, so that relaying or re-enqueuing the same work twice
   * is still one job. Without it the outbox row id is used.
   */
  jobId?: (payload: z.infer<S>) => string;
  /**
   * 'delivery': retried with capped exponential backoff for the configured delivery window (a day or more), since
   * an SMTP outage must not lose mail; 'default': a few quick retries.
   */
  retry?: 'default' | 'delivery';
  /**
   * The job's row records its outcome, so a finished job is removed at once rather than kept for a day: BullMQ on
   * PostgreSQL trims kept jobs with a query per completion that grows with their number, and Redis keeps them in memory.
   */
  dropWhenDone?: boolean;
}

const job = <S extends z.ZodType>(d: JobDefinition<S>) => d;

/** Every queue's payload: the one definition, used by every producer and validated again by every worker. */
export const jobDefinitions = {
  triage: job({ schema: z.strictObject({ trackingNo: z.string().min(1).max(64) }), jobId: (p) => `triage-${p.trackingNo}` }),
  notify: job({
    schema: z.strictObject({ notificationId: z.number().int().positive() }),
    jobId: (p) => `notify-${p.notificationId}`,
    retry: 'delivery',
  }),
  maintenance: job({ schema: z.strictObject({}) }),
  deadlines: job({ schema: z.strictObject({}) }),
  'sampling-clock': job({ schema: z.strictObject({}) }),
  'sampling-campaign': job({
    schema: z.strictObject({ campaignId: z.number().int().positive(), step: z.enum(campaignJobSteps) }),
    jobId: (p) => `sampling-${p.step}-${p.campaignId}`,
  }),
  signals: job({ schema: z.strictObject({ itemId: z.number().int().positive() }), jobId: (p) => `signals-${p.itemId}` }),
  'recall-fanout': job({ schema: z.strictObject({ recallId: z.number().int().positive() }), jobId: (p) => `recall-fanout-${p.recallId}` }),
  // Added in bulk by the fan-out, straight from the notice rows (their own outbox): the id makes re-adding harmless.
  // One job sends one group of a recall's notices (recall_notices.send_group, a few dozen, fixed when written).
  'bulk-mail': job({
    schema: z.strictObject({ recallId: z.number().int().positive(), group: z.number().int() }),
    jobId: (p) => `recall-notices-${p.recallId}-${p.group}`,
    retry: 'delivery',
    dropWhenDone: true,
  }),
} satisfies Record<JobQueueName, JobDefinition<z.ZodType>>;

export type JobPayload<Q extends JobQueueName> = z.infer<(typeof jobDefinitions)[Q]['schema']>;

export const isJobQueueName = (name: string): name is JobQueueName => Object.hasOwn(jobDefinitions, name);

/** Parses a payload against its queue's schema; throws on a mismatch, so a bad payload never reaches the outbox. */
export function parseJobPayload<Q extends JobQueueName>(queue: Q, payload: unknown): JobPayload<Q> {
  return jobDefinitions[queue].schema.parse(payload) as JobPayload<Q>;
}

export const retryPolicyOf = (queue: JobQueueName) => (jobDefinitions[queue] as JobDefinition<z.ZodType>).retry ?? 'default';

export const dropsWhenDone = (queue: JobQueueName) => (jobDefinitions[queue] as JobDefinition<z.ZodType>).dropWhenDone === true;

/** The job id derived from the row a payload is about, for queues that define one. */
export function rowJobId(queue: JobQueueName, payload: unknown): string | undefined {
  return (jobDefinitions[queue] as JobDefinition<z.ZodType>).jobId?.(payload);
}

/** The job id a payload is relayed under; the outbox row id when the queue defines none. */
export function jobIdFor(queue: JobQueueName, payload: unknown, outboxId: number): string {
  return rowJobId(queue, payload) ?? `outbox-${outboxId}`;
}
