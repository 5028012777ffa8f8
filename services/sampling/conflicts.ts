import { jurisdictionPrefix, withinJurisdiction } from '../../shared/access/index.js';
import { merchantKey } from '../../shared/complaints/index.js';
import { withTransaction, type DbOrTx } from '../../shared/db/index.js';
import { DomainError, invalidFields, notFound } from '../../shared/errors/index.js';
import type { ServiceContext } from '../../shared/runtime/index.js';
import type { ConflictInput } from '../../shared/sampling/index.js';
import type { Principal } from '../../shared/staff/index.js';

/**
 * Declared conflicts of interest (回避): an inspector with a merchant (by the merchant's identity: USCC, else name
 * and district). A declaration active when a task is drawn keeps that inspector out of its draw. Inspectors declare
 * their own; a regulator may record one for an inspector of their jurisdiction. Withdrawing keeps the record.
 */

function conflictQuery(db: DbOrTx) {
  return db
    .selectFrom('sampling_conflicts as k')
    .innerJoin('staff as s', 's.id', 'k.staff_id')
    .selectAll('k')
    .select(['s.name as inspector_name', 's.jurisdiction_code as inspector_jurisdiction']);
}

type ConflictRow = Awaited<ReturnType<ReturnType<typeof conflictQuery>['executeTakeFirstOrThrow']>>;

const view = (k: ConflictRow) => ({
  id: k.id,
  inspectorId: k.staff_id,
  inspectorName: k.inspector_name,
  merchantName: k.merchant_name,
  merchantDistrictCode: k.merchant_district_code,
  reason: k.reason,
  declaredBy: k.declared_by,
  declaredAt: k.declared_at.toISOString(),
  withdrawnAt: k.withdrawn_at?.toISOString() ?? null,
});

export async function declareConflict(ctx: ServiceContext, { staff, input }: { staff: Principal; input: ConflictInput }) {
  return withTransaction(ctx.db, async (tx) => {
    const inspectorId = input.inspectorId ?? staff.id;
    if (inspectorId !== staff.id) {
      if (staff.role !== 'regulator') throw new DomainError('forbidden', 'inspectors declare their own conflicts of interest');
      const inspector = await tx
        .selectFrom('staff')
        .select(['id', 'role', 'jurisdiction_code'])
        .where('id', '=', inspectorId)
        .executeTakeFirst();
      if (!inspector || inspector.role !== 'inspector' || !withinJurisdiction(staff.jurisdictionCode, inspector.jurisdiction_code)) {
        throw invalidFields({ field: 'inspectorId', message: 'not an inspector of your jurisdiction' });
      }
    } else if (staff.role !== 'inspector') {
      throw invalidFields({ field: 'inspectorId', message: 'name the inspector the declaration is for' });
    }
    let merchant: { name: string; districtCode: string; key: string };
    if (input.nominationId !== undefined) {
      const n = await tx
        .selectFrom('sampling_nominations')
        .select(['merchant_name', 'merchant_district_code', 'merchant_key'])
        .where('id', '=', input.nominationId)
        .executeTakeFirst();
      if (!n) throw invalidFields({ field: 'nominationId', message: 'no such nomination' });
      merchant = { name: n.merchant_name, districtCode: n.merchant_district_code, key: n.merchant_key };
    } else {
      merchant = { name: input.merchant!.name, districtCode: input.merchant!.districtCode, key: merchantKey(input.merchant!) };
    }
    const row = await tx
      .insertInto('sampling_conflicts')
      .values({
        staff_id: inspectorId,
        merchant_key: merchant.key,
        merchant_name: merchant.name,
        merchant_district_code: merchant.districtCode,
        reason: input.reason,
        declared_by: staff.id,
      })
      .onConflict((oc) => oc.columns(['staff_id', 'merchant_key']).where('withdrawn_at', 'is', null).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!row) throw new DomainError('conflict', 'this conflict of interest is already declared');
    return view(await conflictQuery(tx).where('k.id', '=', row.id).executeTakeFirstOrThrow());
  });
}

/** An inspector's own declarations; a regulator's: every declaration of inspectors in their jurisdiction. */
export async function listConflicts(ctx: ServiceContext, { staff }: { staff: Principal }) {
  const rows = await conflictQuery(ctx.db)
    .$if(staff.role === 'inspector', (q) => q.where('k.staff_id', '=', staff.id))
    .$if(staff.role !== 'inspector', (q) => q.where('s.jurisdiction_code', 'like', `${jurisdictionPrefix(staff.jurisdictionCode)}%`))
    .orderBy('k.id', 'desc')
    .limit(1000)
    .execute();
  return { items: rows.map(view) };
}

export async function withdrawConflict(ctx: ServiceContext, { staff, conflictId }: { staff: Principal; conflictId: number }) {
  return withTransaction(ctx.db, async (tx) => {
    const k = await conflictQuery(tx).where('k.id', '=', conflictId).forUpdate('k').executeTakeFirst();
    const mayAct =
      k && (staff.role === 'inspector' ? k.staff_id === staff.id : withinJurisdiction(staff.jurisdictionCode, k.inspector_jurisdiction));
    if (!k || !mayAct) throw notFound('conflict of interest');
    if (k.withdrawn_at !== null) throw new DomainError('conflict', 'already withdrawn');
    await tx.updateTable('sampling_conflicts').set({ withdrawn_at: new Date(), withdrawn_by: staff.id }).where('id', '=', k.id).execute();
    return view(await conflictQuery(tx).where('k.id', '=', k.id).executeTakeFirstOrThrow());
  });
}

/**
 * What the declaration form offers: the counties of the staff member's jurisdiction (where the merchants they sample
 * are) and, for a regulator, the active inspectors they may declare for.
 */
export async function conflictFormOptions(ctx: ServiceContext, { staff }: { staff: Principal }) {
  const scope = `${jurisdictionPrefix(staff.jurisdictionCode)}%`;
  const [counties, inspectors] = await Promise.all([
    ctx.db
      .selectFrom('jurisdictions')
      .select(['code', 'full_name'])
      .where('level', '=', 'county')
      .where('code', 'like', scope)
      .orderBy('code')
      .execute(),
    staff.role === 'regulator'
      ? ctx.db
          .selectFrom('staff')
          .select(['id', 'name', 'jurisdiction_code'])
          .where('role', '=', 'inspector')
          .where('active', '=', true)
          .where('jurisdiction_code', 'like', scope)
          .orderBy('name')
          .execute()
      : [],
  ]);
  return {
    counties: counties.map((d) => ({ code: d.code, name: d.full_name })),
    inspectors: inspectors.map((i) => ({ id: i.id, name: i.name, jurisdictionCode: i.jurisdiction_code })),
  };
}
