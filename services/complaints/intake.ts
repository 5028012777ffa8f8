import { sql } from 'kysely';
import { withTransaction, type Tx } from '../../shared/db/connection.js';
import type { FieldWarning } from '../../shared/db/schema.js';
import type { ServiceContext } from '../../shared/context.js';
import { hashAccessCode, randomCode, seal, sha256, unseal } from '../../shared/crypto.js';
import { shanghaiDate } from '../../shared/domain/calendar.js';
import { checkCccCertificateNo, checkUscc } from '../../shared/domain/identifiers.js';
import { screenScaleReading, type ScaleScreening } from '../../shared/domain/scale.js';
import { DomainError } from '../../shared/errors.js';
import { enqueue } from '../../shared/queues.js';
import type { ComplaintInput, IntakeResponse } from '../../shared/schemas/complaint.js';

/** Collapses width, case, spaces and punctuation so "张三 水果店" and "张三水果店" are one merchant. */
export function normalizeMerchantName(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, '');
}

export function merchantKey(m: { name: string; uscc?: string | undefined; districtCode?: string | undefined }): string {
  const uscc = m.uscc ? checkUscc(m.uscc) : undefined;
  if (uscc?.valid) return `uscc:${uscc.code}`;
  return `name:${normalizeMerchantName(m.name)}|${m.districtCode ?? ''}`;
}

export function intakeWarnings(input: ComplaintInput, today: Date): FieldWarning[] {
  const warnings: FieldWarning[] = [];
  const ccc = input.product?.cccCertificateNo;
  if (ccc) {
    const r = checkCccCertificateNo(ccc, today.getUTCFullYear());
    if (r.valid && r.legacy) {
      warnings.push({
        field: 'product.cccCertificateNo',
        code: 'legacy_ccc_format',
        message: 'a 12-digit CCC certificate number is an old format; the inspector will verify it',
      });
    }
  }
  return warnings;
}

export function screeningFor(input: ComplaintInput): ScaleScreening | undefined {
  return input.category === 'scale' && input.evidence ? screenScaleReading(input.evidence) : undefined;
}

const newTrackingNo = (now: Date) => `T${shanghaiDate(now).replaceAll('-', '')}${randomCode(8)}`;

interface StoredResponse {
  status: number;
  body: Omit<IntakeResponse, 'accessCode'> & { accessCodeSealed: string };
}

/**
 * Stores a complaint or report with its first event and a triage outbox row, in one transaction.
 * With an idempotency key, a replay returns the first response and a different body under the same key is refused.
 */
export async function submitComplaint({
  ctx,
  input,
  idempotencyKey,
}: {
  ctx: ServiceContext;
  input: ComplaintInput;
  idempotencyKey?: string | undefined;
}): Promise<IntakeResponse> {
  const secret = ctx.config.AUTH_SECRET;
  const now = new Date();
  const requestHash = sha256(JSON.stringify(input));
  return withTransaction(ctx.db, async (tx) => {
    if (idempotencyKey) {
      const replay = await claimIdempotencyKey(tx, idempotencyKey, requestHash);
      if (replay) {
        const { accessCodeSealed, ...rest } = replay.body;
        return { ...rest, accessCode: unseal(secret, accessCodeSealed) };
      }
    }
    const merchantId = await upsertMerchant(tx, input.merchant);
    const accessCode = randomCode(8);
    const trackingNo = newTrackingNo(now);
    const screening = screeningFor(input);
    const warnings = intakeWarnings(input, now);
    const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v));
    const item = await tx
      .insertInto('items')
      .values({
        tracking_no: trackingNo,
        access_code_hash: hashAccessCode(secret, accessCode),
        access_code_sealed: input.reporter?.email ? seal(secret, accessCode) : null,
        kind: input.kind,
        category: input.category,
        title: input.title,
        description: input.description,
        occurred_on: input.occurredOn ?? null,
        merchant_id: merchantId,
        merchant: JSON.stringify(input.merchant),
        product: json(input.product),
        evidence: json('evidence' in input ? input.evidence : undefined),
        harm: json(input.harm),
        reporter_name: input.reporter?.name ?? null,
        reporter_phone: input.reporter?.phone ?? null,
        reporter_email: input.reporter?.email ?? null,
        language: input.reporter?.language ?? 'zh-CN',
        screening: json(screening),
        warnings: JSON.stringify(warnings),
        status: 'submitted',
        received_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await tx
      .insertInto('item_events')
      .values({ item_id: item.id, actor_type: 'consumer', from_status: null, to_status: 'submitted' })
      .execute();
    await enqueue(tx, 'triage', { itemId: item.id });

    const response: IntakeResponse = {
      trackingNo,
      accessCode,
      status: 'submitted',
      ...(screening ? { screening } : {}),
      // Recall matching arrives with the recalls feature; until then no complaint can match one.
      relatedRecalls: [],
      ...(warnings.length ? { warnings } : {}),
    };
    if (idempotencyKey) {
      const { accessCode: _plain, ...rest } = response;
      const stored: StoredResponse = { status: 201, body: { ...rest, accessCodeSealed: seal(secret, accessCode) } };
      await tx
        .updateTable('idempotency_keys')
        .set({ response_status: stored.status, response_body: JSON.stringify(stored.body) })
        .where('key', '=', idempotencyKey)
        .execute();
    }
    return response;
  });
}

/**
 * Claims the key for this transaction. A concurrent request with the same key waits on the unique index until
 * the first commits, then sees its stored response.
 */
async function claimIdempotencyKey(tx: Tx, key: string, requestHash: string): Promise<StoredResponse | undefined> {
  const inserted = await tx
    .insertInto('idempotency_keys')
    .values({ key, request_hash: requestHash })
    .onConflict((oc) => oc.column('key').doNothing())
    .returning('key')
    .executeTakeFirst();
  if (inserted) return undefined;
  const existing = await tx.selectFrom('idempotency_keys').selectAll().where('key', '=', key).executeTakeFirstOrThrow();
  if (existing.request_hash !== requestHash) {
    throw new DomainError('idempotency_conflict', 'this Idempotency-Key was used with a different request body');
  }
  if (existing.response_body === null) throw new DomainError('conflict', 'the first request with this key is still in progress');
  return { status: existing.response_status ?? 201, body: existing.response_body as StoredResponse['body'] };
}

async function upsertMerchant(tx: Tx, m: ComplaintInput['merchant']): Promise<number> {
  const uscc = m.uscc ? checkUscc(m.uscc) : undefined;
  const row = await tx
    .insertInto('merchants')
    .values({
      merchant_key: merchantKey(m),
      uscc: uscc?.valid ? uscc.code : null,
      name: m.name,
      normalized_name: normalizeMerchantName(m.name),
      district_code: m.districtCode ?? null,
      address: m.address ?? null,
      online_shop_url: m.onlineShopUrl ?? null,
    })
    // Keep what we knew; fill in a district, address or shop URL learnt from a later complaint.
    .onConflict((oc) =>
      oc.column('merchant_key').doUpdateSet({
        district_code: sql`coalesce(merchants.district_code, excluded.district_code)`,
        address: sql`coalesce(merchants.address, excluded.address)`,
        online_shop_url: sql`coalesce(merchants.online_shop_url, excluded.online_shop_url)`,
      }),
    )
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
