import { sql } from 'kysely';
import { withinJurisdiction } from '../../shared/access/index.js';
import { shanghaiDate } from '../../shared/calendar/index.js';
import { withTransaction, type Tx } from '../../shared/db/index.js';
import { DomainError, invalidFields } from '../../shared/errors/index.js';
import { activeSignalStatuses, formatRecallNo, type RecallInput, type RecallStatus } from '../../shared/recalls/index.js';
import type { ServiceContext } from '../../shared/runtime/index.js';
import type { Principal } from '../../shared/staff/index.js';
import { recallColumns, recallInScope, recordRecallEvent } from './recall-store.js';

/** A signal a recall may be started from: one the regulator can see that still awaits a decision. */
async function assertSignalUsable(tx: Tx, staff: Principal, signalId: number) {
  const signal = await tx
    .selectFrom('defect_signals')
    .select(['status', 'jurisdiction_codes'])
    .where('id', '=', signalId)
    .executeTakeFirst();
  const visible = signal?.jurisdiction_codes.some((c) => withinJurisdiction(staff.jurisdictionCode, c));
  if (!signal || !visible) throw invalidFields({ field: 'signalId', message: 'no such defect signal in your jurisdiction' });
  if (!(activeSignalStatuses as readonly string[]).includes(signal.status)) {
    throw invalidFields({ field: 'signalId', message: `the signal is ${signal.status}` });
  }
}

/**
 * Drafts a recall under the next number of the year. The number comes from the year's counter row, incremented
 * under its lock in this transaction: concurrent drafts queue on it, and a failed draft rolls its number back.
 */
export async function createRecall(
  ctx: ServiceContext,
  { staff, input }: { staff: Principal; input: RecallInput },
): Promise<{ recallNo: string; status: RecallStatus }> {
  const year = Number(shanghaiDate(new Date()).slice(0, 4));
  return withTransaction(ctx.db, async (tx) => {
    if (input.signalId !== undefined) await assertSignalUsable(tx, staff, input.signalId);
    const { last_no } = await tx
      .insertInto('recall_sequences')
      .values({ year, last_no: 1 })
      .onConflict((oc) => oc.column('year').doUpdateSet({ last_no: sql`recall_sequences.last_no + 1` }))
      .returning('last_no')
      .executeTakeFirstOrThrow();
    const recallNo = formatRecallNo(year, last_no);
    const row = await tx
      .insertInto('recalls')
      .values({ ...recallColumns(input), recall_no: recallNo, jurisdiction_code: staff.jurisdictionCode, created_by: staff.id })
      .returning(['id', 'status'])
      .executeTakeFirstOrThrow();
    await recordRecallEvent(tx, { recallId: row.id, actorId: staff.id, action: 'created', data: { signalId: input.signalId ?? null } });
    return { recallNo, status: row.status };
  });
}

/** Replaces a draft's content; once published a recall's notice is fixed (progress and status move on). */
export async function updateRecall(
  ctx: ServiceContext,
  { staff, recallNo, input }: { staff: Principal; recallNo: string; input: RecallInput },
): Promise<{ recallNo: string; status: RecallStatus }> {
  return withTransaction(ctx.db, async (tx) => {
    const recall = await recallInScope(tx, staff, recallNo, { lock: true });
    if (recall.status !== 'draft') throw new DomainError('conflict', 'only a draft can be edited', { current: recall.status });
    if (input.signalId !== undefined && input.signalId !== recall.signal_id) await assertSignalUsable(tx, staff, input.signalId);
    await tx
      .updateTable('recalls')
      .set({ ...recallColumns(input), updated_at: new Date() })
      .where('id', '=', recall.id)
      .execute();
    await recordRecallEvent(tx, { recallId: recall.id, actorId: staff.id, action: 'updated', data: {} });
    return { recallNo, status: recall.status };
  });
}
