import { withinJurisdiction } from '../../shared/access/index.js';
import type { DbOrTx } from '../../shared/db/index.js';
import { DomainError, notFound } from '../../shared/errors/index.js';
import type { Principal } from '../../shared/staff/index.js';

/** A campaign in the caller's jurisdiction subtree, optionally locked; outside it, the same 404 as a missing one. */
export async function campaignForStaff(db: DbOrTx, staff: Principal, id: number, lock?: 'update' | 'share') {
  const row = await db
    .selectFrom('sampling_campaigns')
    .selectAll()
    .where('id', '=', id)
    .$if(lock === 'update', (q) => q.forUpdate())
    .$if(lock === 'share', (q) => q.forShare())
    .executeTakeFirst();
  if (!row || !withinJurisdiction(staff.jurisdictionCode, row.jurisdiction_code)) throw notFound('campaign');
  return row;
}

/** A campaign the public may see: anything but a draft. */
export async function publicCampaign(db: DbOrTx, id: number, lock?: 'share') {
  const row = await db
    .selectFrom('sampling_campaigns')
    .selectAll()
    .where('id', '=', id)
    .where('phase', '<>', 'draft')
    .$if(lock === 'share', (q) => q.forShare())
    .executeTakeFirst();
  if (!row) throw notFound('campaign');
  return row;
}

/** A task in the caller's jurisdiction subtree (optionally locked), with whether the caller is one of its drawn inspectors. */
export async function taskForStaff(db: DbOrTx, staff: Principal, id: number, lock = false) {
  const task = await db
    .selectFrom('sampling_tasks')
    .selectAll()
    .where('id', '=', id)
    .$if(lock, (q) => q.forUpdate())
    .executeTakeFirst();
  if (!task || !withinJurisdiction(staff.jurisdictionCode, task.district_code)) throw notFound('sampling task');
  const drawn = await db
    .selectFrom('sampling_task_inspectors')
    .select('staff_id')
    .where('task_id', '=', id)
    .where('staff_id', '=', staff.id)
    .executeTakeFirst();
  return { task, isDrawnInspector: drawn !== undefined };
}

/** Collection and lab results are recorded by the task's drawn inspectors, or by a regulator. */
export function requireTaskWorker(staff: Principal, isDrawnInspector: boolean) {
  if (staff.role !== 'regulator' && !isDrawnInspector)
    throw new DomainError('forbidden', 'only the inspectors drawn for this task may record it');
}
