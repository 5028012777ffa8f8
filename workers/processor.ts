import { UnrecoverableError, type Job, type Processor } from 'bullmq';
import type { Db } from '../shared/db/index.js';
import type { Logger } from '../shared/logger/index.js';
import { jobDefinitions, type JobPayload, type JobQueueName } from '../shared/queue/index.js';

/** Whether this run is the job's last allowed attempt (so a failure now is final). */
export const isFinalAttempt = (job: Job) => job.attemptsMade + 1 >= (job.opts.attempts ?? 1);

/**
 * Wraps a job handler: the payload is validated again (a bad one is unrecoverable, never retried), and a job
 * that fails for the last time is recorded in dead_letters for a person to look at.
 */
export function jobProcessor<Q extends JobQueueName>(
  queue: Q,
  deps: { db: Db; logger: Logger },
  handler: (payload: JobPayload<Q>, job: Job) => Promise<unknown>,
): Processor {
  return async (job: Job) => {
    const parsed = jobDefinitions[queue].schema.safeParse(job.data);
    try {
      if (!parsed.success) throw new UnrecoverableError(`invalid ${queue} payload: ${parsed.error.message}`);
      return await handler(parsed.data as JobPayload<Q>, job);
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      const attempts = job.attemptsMade + 1;
      const final = error instanceof UnrecoverableError || isFinalAttempt(job);
      deps.logger.warn({ queue, jobId: job.id, attempts, final, err: error.message }, 'job failed');
      if (final) {
        await deps.db
          .insertInto('dead_letters')
          .values({ queue, job_id: job.id ?? null, payload: JSON.stringify(job.data ?? null), error: error.message, attempts })
          .execute()
          .catch((e: unknown) => deps.logger.error({ err: e }, 'could not record dead letter'));
      }
      throw error;
    }
  };
}
