import { shanghaiDate } from '../shared/calendar/index.js';
import { withTransaction } from '../shared/db/index.js';
import { finaliseTask } from '../shared/sampling/index.js';
import type { WorkerContext } from './context.js';

const BATCH = 200;

/**
 * Makes final the results whose objection window has passed without an objection (the day after its last day, so
 * an objection received on day 15 can still be recorded that day), opening the follow-up of each failure. Each task
 * in its own transaction, conditional on it still being notified with the same window: safe to run on several
 * workers at once and to run again.
 */
export async function finaliseDueResults(ctx: WorkerContext, now = new Date()): Promise<number> {
  const today = shanghaiDate(now);
  let finalised = 0;
  for (;;) {
    const due = await ctx.db
      .selectFrom('sampling_tasks')
      .select(['id', 'verdict'])
      .where('status', '=', 'notified')
      .where('objection_window_ends_on', '<', today)
      .orderBy('objection_window_ends_on')
      .orderBy('id')
      .limit(BATCH)
      .execute();
    for (const t of due) {
      const done = await withTransaction(ctx.db, (tx) =>
        finaliseTask(
          tx,
          { calendar: ctx.calendar, secret: ctx.config.AUTH_SECRET, now },
          { taskId: t.id, from: ['notified'], windowEndedBefore: today, basis: 'window_passed', verdict: t.verdict!, actorId: null },
        ),
      );
      if (done) finalised++;
    }
    if (due.length < BATCH) return finalised;
  }
}
