import { sql } from 'kysely';
import { withTransaction, type DbOrTx } from '../../shared/db/connection.js';
import type { FieldWarning } from '../../shared/db/schema.js';
import type { ServiceContext } from '../../shared/context.js';
import { hashAccessCode, randomCode, seal, sha256, unseal } from '../../shared/crypto.js';
import { shanghaiDate } from '../../shared/domain/calendar.js';
import { checkCccCertificateNo, checkUscc } from '../../shared/domain/identifiers.js';
import { screenScaleReading, type ScaleScreening } from '../../shared/domain/scale.js';
import { DomainError } from '../../shared/errors.js';
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
  // Without a key the item is one statement, atomic on its own; with one, the key is claimed in the same transaction.
  const run = <T>(fn: (db: DbOrTx) => Promise<T>) => (idempotencyKey ? withTransaction(ctx.db, fn) : fn(ctx.db));
  return run(async (tx) => {
    if (idempotencyKey) {
      const replay = await claimIdempotencyKey(tx, idempotencyKey, sha256(JSON.stringify(input)));
      if (replay) {
        const { accessCodeSealed, ...rest } = replay.body;
        return { ...rest, accessCode: unseal(secret, accessCodeSealed) };
      }
    }
    const accessCode = randomCode(8);
    const trackingNo = newTrackingNo(now);
    const screening = screeningFor(input);
    const warnings = intakeWarnings(input, now);
    await insertItemStatement({
      input,
      trackingNo,
      accessCodeHash: hashAccessCode(secret, accessCode),
      accessCodeSealed: input.reporter?.email ? seal(secret, accessCode) : null,
      screening,
      warnings,
      receivedAt: now,
    }).execute(tx);

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
async function claimIdempotencyKey(tx: DbOrTx, key: string, requestHash: string): Promise<StoredResponse | undefined> {
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

export interface NewItem {
  input: ComplaintInput;
  trackingNo: string;
  accessCodeHash: string;
  accessCodeSealed: string | null;
  screening: ScaleScreening | undefined;
  warnings: FieldWarning[];
  receivedAt: Date;
}

/**
 * One statement, so one round trip and atomic on its own: upsert the merchant (keeping what we knew, filling in a
 * district, address or shop URL learnt later), insert the item, its first event and its triage outbox row.
 * The outbox payload matches jobSchemas.triage. The benchmark's baseline runs this same statement.
 */
export function insertItemStatement(row: NewItem) {
  const { input: c, receivedAt } = row;
  const m = c.merchant;
  const uscc = m.uscc ? checkUscc(m.uscc) : undefined;
  const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v));
  return sql<{ itemId: number }>`
    WITH m AS (
      INSERT INTO merchants (merchant_key, uscc, name, normalized_name, district_code, address, online_shop_url)
      VALUES (${merchantKey(m)}, ${uscc?.valid ? uscc.code : null}, ${m.name}, ${normalizeMerchantName(m.name)},
              ${m.districtCode ?? null}, ${m.address ?? null}, ${m.onlineShopUrl ?? null})
      ON CONFLICT (merchant_key) DO UPDATE SET
        district_code = coalesce(merchants.district_code, excluded.district_code),
        address = coalesce(merchants.address, excluded.address),
        online_shop_url = coalesce(merchants.online_shop_url, excluded.online_shop_url)
      RETURNING id
    ), i AS (
      INSERT INTO items (tracking_no, access_code_hash, access_code_sealed, kind, category, title, description,
                         occurred_on, merchant_id, merchant, product, evidence, harm, reporter_name, reporter_phone,
                         reporter_email, language, screening, warnings, status, received_at)
      SELECT ${row.trackingNo}, ${row.accessCodeHash}, ${row.accessCodeSealed}, ${c.kind}, ${c.category}, ${c.title},
             ${c.description}, ${c.occurredOn ?? null}::date, m.id, ${JSON.stringify(m)}::jsonb, ${json(c.product)}::jsonb,
             ${json('evidence' in c ? c.evidence : undefined)}::jsonb, ${json(c.harm)}::jsonb, ${c.reporter?.name ?? null},
             ${c.reporter?.phone ?? null}, ${c.reporter?.email ?? null}, ${c.reporter?.language ?? 'zh-CN'},
             ${json(row.screening)}::jsonb, ${JSON.stringify(row.warnings)}::jsonb, 'submitted', ${receivedAt}::timestamptz
      FROM m
      RETURNING id
    ), e AS (
      INSERT INTO item_events (item_id, actor_type, to_status) SELECT id, 'consumer', 'submitted' FROM i
    )
    INSERT INTO outbox (queue, payload)
    SELECT 'triage', jsonb_build_object('itemId', id) FROM i
    RETURNING (payload->>'itemId')::bigint AS "itemId"`;
}
