import { withinJurisdiction } from '../../shared/access/index.js';
import { shanghaiDate } from '../../shared/calendar/index.js';
import { TRACKING_NO_PATTERN } from '../../shared/complaints/index.js';
import { DomainError, notFound } from '../../shared/errors/index.js';
import type { ServiceContext } from '../../shared/runtime/index.js';
import type { Principal } from '../../shared/staff/index.js';

/**
 * Records that a death or serious injury reported in an item has been reported to the provincial bureau (within 2
 * working days of receipt), by whom and when; the deadline job stops warning about it. Once per item: a second
 * record, or one for an item that needs none, is a 409.
 */
export async function recordProvincialReport(ctx: ServiceContext, { staff, trackingNo }: { staff: Principal; trackingNo: string }) {
  if (!TRACKING_NO_PATTERN.test(trackingNo)) throw notFound('complaint');
  const now = new Date();
  const item = await ctx.db
    .selectFrom('items')
    .select(['id', 'jurisdiction_code', 'provincial_report_by', 'provincial_reported_at'])
    .where('tracking_no', '=', trackingNo)
    .executeTakeFirst();
  if (!item || !withinJurisdiction(staff.jurisdictionCode, item.jurisdiction_code)) throw notFound('complaint');
  if (item.provincial_report_by === null) throw new DomainError('conflict', 'no death or serious injury to report on this item');
  const updated = await ctx.db
    .updateTable('items')
    .set({ provincial_reported_at: now, provincial_reported_by: staff.id, updated_at: now })
    .where('id', '=', item.id)
    .where('provincial_reported_at', 'is', null)
    .returning(['provincial_report_by', 'provincial_reported_at'])
    .executeTakeFirst();
  if (!updated) throw new DomainError('conflict', 'the report to the provincial bureau is already recorded');
  return {
    trackingNo,
    provincialReportBy: shanghaiDate(updated.provincial_report_by!),
    provincialReportedAt: updated.provincial_reported_at!.toISOString(),
    onTime: now.getTime() <= updated.provincial_report_by!.getTime(),
  };
}
