/**
 * The BullMQ job queues (not to be confused with casework's case queues). Adding a queue: one name here, its payload
 * schema in jobs.ts, and its processor in workers/registry.ts.
 */
export const jobQueueNames = [
  'triage',
  'notify',
  'maintenance',
  'deadlines',
  'sampling-clock',
  'sampling-campaign',
  'signals',
  'recall-fanout',
  'bulk-mail',
] as const;
export type JobQueueName = (typeof jobQueueNames)[number];
