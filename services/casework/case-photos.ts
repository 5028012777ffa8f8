import { TRACKING_NO_PATTERN } from '../../shared/complaints/index.js';
import { invalidFields } from '../../shared/errors/index.js';
import type { ServiceContext } from '../../shared/runtime/index.js';
import type { Principal } from '../../shared/staff/index.js';
import { addAttachment, listCaseAttachments, readCaseAttachment } from '../attachments/index.js';
import { caseInScope } from './scope.js';

/** Staff add a photo to an item of a case in their jurisdiction (the first item when none is named). */
export async function addCasePhoto(
  ctx: ServiceContext,
  input: { staff: Principal; caseId: number; trackingNo?: string | undefined; bytes: Uint8Array },
) {
  const theCase = await caseInScope(ctx.db, input.staff, input.caseId);
  const noSuchItem = invalidFields({ field: 'trackingNo', message: 'no such item on this case' });
  // A form's field may carry NUL: a number that cannot exist names no item, without asking PostgreSQL.
  if (input.trackingNo !== undefined && !TRACKING_NO_PATTERN.test(input.trackingNo)) throw noSuchItem;
  const item = await ctx.db
    .selectFrom('items')
    .select('id')
    .where('case_id', '=', theCase.id)
    .$if(input.trackingNo !== undefined, (q) => q.where('tracking_no', '=', input.trackingNo!))
    .orderBy('id')
    .executeTakeFirst();
  if (!item) throw noSuchItem;
  return addAttachment(ctx, { itemId: item.id, uploader: { kind: 'staff', staffId: input.staff.id }, bytes: input.bytes });
}

export async function listCasePhotos(ctx: ServiceContext, input: { staff: Principal; caseId: number }) {
  const theCase = await caseInScope(ctx.db, input.staff, input.caseId);
  return listCaseAttachments(ctx, { caseId: theCase.id });
}

export async function readCasePhoto(ctx: ServiceContext, input: { staff: Principal; caseId: number; attachmentId: number }) {
  const theCase = await caseInScope(ctx.db, input.staff, input.caseId);
  return readCaseAttachment(ctx, { caseId: theCase.id, attachmentId: input.attachmentId });
}
