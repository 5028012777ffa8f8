import { cccCheck, productHazardCheck, scaleVerification } from '../../shared/domain/inspections.js';
import { DomainError } from '../../shared/errors.js';
import type { InspectionInput } from '../../shared/schemas/casework.js';
import type { Principal } from '../staff/auth.js';
import { caseInScope, recordCaseEvent } from './cases.js';
import type { CaseworkContext } from './transitions.js';

function evaluate(input: InspectionInput) {
  switch (input.type) {
    case 'scale_verification': {
      const r = scaleVerification(input);
      return { verdict: r.verdict, data: { ...r, scaleMaxG: input.scaleMaxG ?? null } };
    }
    case 'ccc_check': {
      const r = cccCheck(input, new Date().getUTCFullYear());
      return { verdict: r.verdict, data: { ...r, markPresent: input.markPresent, conformityCertificatePresent: input.conformityCertificatePresent } };
    }
    case 'product_hazard_check': {
      const r = productHazardCheck(input);
      return { verdict: r.verdict, data: r };
    }
  }
}

/** Records a typed on-site inspection on an open case; the verdict is computed, not typed in. */
export async function recordInspection(ctx: CaseworkContext, staff: Principal, caseId: number, input: InspectionInput) {
  return ctx.db.transaction().execute(async (tx) => {
    const c = await caseInScope(tx, staff, caseId);
    if (c.status !== 'open') throw new DomainError('conflict', 'the case is closed');
    let itemId: number | null = null;
    if (input.trackingNo) {
      const item = await tx.selectFrom('items').select('id').where('tracking_no', '=', input.trackingNo).where('case_id', '=', caseId).executeTakeFirst();
      if (!item) throw new DomainError('validation_failed', 'the request is invalid', [{ field: 'trackingNo', message: 'no such item on this case' }]);
      itemId = item.id;
    }
    const { verdict, data } = evaluate(input);
    const row = await tx
      .insertInto('inspections')
      .values({ case_id: caseId, item_id: itemId, inspector_id: staff.id, type: input.type, data: JSON.stringify(data), verdict, notes: input.notes ?? null })
      .returning(['id', 'created_at'])
      .executeTakeFirstOrThrow();
    await recordCaseEvent(tx, caseId, staff.id, 'inspection_recorded', { inspectionId: row.id, type: input.type, verdict }, itemId);
    return { id: row.id, type: input.type, verdict, data, notes: input.notes ?? null, trackingNo: input.trackingNo ?? null, createdAt: row.created_at.toISOString() };
  });
}
