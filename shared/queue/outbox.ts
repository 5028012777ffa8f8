import type { DbOrTx } from '../db/index.js';
import { parseJobPayload, type JobPayload } from './jobs.js';
import type { JobQueueName } from './vocabulary.js';

/**
 * The outbox row of one job, its payload parsed against the queue's schema. For statements that write the outbox
 * row together with the business rows (intake's single statement); everything else calls enqueue.
 */
export function outboxRow<Q extends JobQueueName>(queue: Q, payload: JobPayload<Q>) {
  return { queue, payload: JSON.stringify(parseJobPayload(queue, payload)) };
}

/**
 * Queues a job in the caller's transaction: the relay moves it to BullMQ after commit, so a rolled-back transaction
 * queues nothing and a committed one is never lost, whatever the state of Redis.
 */
export async function enqueue<Q extends JobQueueName>(tx: DbOrTx, queue: Q, payload: JobPayload<Q>): Promise<void> {
  await tx.insertInto('outbox').values(outboxRow(queue, payload)).execute();
}

/** Several jobs of one queue in one statement. */
export async function enqueueMany<Q extends JobQueueName>(tx: DbOrTx, queue: Q, payloads: ReadonlyArray<JobPayload<Q>>): Promise<void> {
  if (payloads.length === 0) return;
  await tx
    .insertInto('outbox')
    .values(payloads.map((p) => outboxRow(queue, p)))
    .execute();
}
