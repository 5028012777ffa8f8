import { cccCheck, productHazardCheck, recordCaseEvent, scaleVerification, type InspectionInput } from '../../shared/casework/index.js';
import { withTransaction } from '../../shared/db/index.js';
import { DomainError, invalidFields } from '../../shared/errors/index.js';
import type { ServiceContext } from '../../shared/runtime/index.js';
import type { Principal } from '../../shared/staff/index.js';
import { caseInScope } from './scope.js';

function evaluate(input: InspectionInput) {
  switch (input.type) {
    case 'scale_verification': {
      const r = scaleVerification(input);
      return { verdict: r.verdict, data: { ...r, scaleMaxG: input.scaleMaxG ?? null } };
    }
    case 'ccc_check': {
      const r = cccCheck(input, new Date().getUTCFullYear());
      return {
        verdict: r.verdict,
        data: { ...r, markPresent: input.markPresent, conformityCertificatePresent: input.conformityCertificatePresent },
      };
    }
    case 'product_hazard_check': {
      const r = productHazardCheck(input);
      return { verdict: r.verdict, data: r };
    }
  }
}

/** Records a typed on-site inspection on an open case; the verdict is computed, not typed in. */
export async function recordInspection(
  ctx: ServiceContext,
  { staff, caseId, inspection }: { staff: Principal; caseId: number; inspection: InspectionInput },
) {
  return withTransaction(ctx.db, async (tx) => {
    const c = await caseInScope(tx, staff, caseId);
    if (c.status !== 'open') throw new DomainError('conflict', 'the case is closed');
    let itemId: number | null = null;
    if (inspection.trackingNo) {
      const item = await tx
        .selectFrom('items')
        .select('id')
        .where('tracking_no', '=', inspection.trackingNo)
        .where('case_id', '=', caseId)
        .executeTakeFirst();
      if (!item) throw invalidFields({ field: 'trackingNo', message: 'no such item on this case' });
      itemId = item.id;
    }
    const { verdict, data } = evaluate(inspection);
    const row = await tx
      .insertInto('inspections')
      .values({
        case_id: caseId,
        item_id: itemId,
        inspector_id: staff.id,
        type: inspection.type,
        data: JSON.stringify(data),
        verdict,
        notes: inspection.notes ?? null,
      })
      .returning(['id', 'created_at'])
      .executeTakeFirstOrThrow();
    await recordCaseEvent(tx, {
      caseId,
      actorId: staff.id,
      action: 'inspection_recorded',
      data: { inspectionId: row.id, type: inspection.type, verdict },
      itemId,
    });
    return {
      id: row.id,
      type: inspection.type,
      verdict,
      data,
      notes: inspection.notes ?? null,
      trackingNo: inspection.trackingNo ?? null,
      createdAt: row.created_at.toISOString(),
    };
  });
}
