import type { DivisionIndex } from '../shared/jurisdictions/index.js';
import type { Mailer } from '../shared/mail/index.js';
import type { JobPayload, JobQueueName } from '../shared/queue/index.js';
import type { ServiceContext } from '../shared/runtime/index.js';

/** The use-case context plus what only workers need: the division index for routing and the mail transports. */
export interface WorkerContext extends ServiceContext {
  divisions: DivisionIndex;
  mailer: Mailer;
  /** Pooled SMTP connections for recall notices, apart from the transactional mail of `mailer`. */
  bulkMailer: Mailer;
  /** Adds jobs whose ids derive from their rows straight to their queue (see QueueBackend.addNow). */
  addJobs<Q extends JobQueueName>(queue: Q, payloads: ReadonlyArray<JobPayload<Q>>): Promise<void>;
}
