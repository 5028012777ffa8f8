import type { DbOrTx } from '../../shared/db/index.js';
import type { SamplingEvent } from '../../shared/sampling/index.js';

/** A campaign's or a task's audit trail, oldest first. Rows are written only by recordSamplingEvent, which takes these shapes. */
export async function samplingEvents(db: DbOrTx, of: { campaignId: number } | { taskId: number }) {
  const rows = await db
    .selectFrom('sampling_events')
    .selectAll()
    .$if('campaignId' in of, (q) => q.where('campaign_id', '=', (of as { campaignId: number }).campaignId))
    .$if('taskId' in of, (q) => q.where('task_id', '=', (of as { taskId: number }).taskId))
    .orderBy('id')
    .execute();
  return rows.map(
    (e) =>
      ({
        at: e.at.toISOString(),
        actorId: e.actor_id,
        action: e.action,
        taskId: e.task_id,
        nominationId: e.nomination_id,
        data: e.data,
      }) as SamplingEvent,
  );
}
