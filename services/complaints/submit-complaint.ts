import { sql } from 'kysely';
import {
  merchantKey,
  newTrackingNo,
  normalizeMerchantName,
  type ComplaintInput,
  type FieldWarning,
  type IntakeResponse,
} from '../../shared/complaints/index.js';
import { hashAccessCode, randomCode, seal, sha256, unseal } from '../../shared/crypto/index.js';
import { compiledStatement, withTransaction, type DbOrTx } from '../../shared/db/index.js';
import { DomainError } from '../../shared/errors/index.js';
import { checkCccCertificateNo, checkUscc } from '../../shared/identifiers/index.js';
import { screenScaleReading, type ScaleScreening } from '../../shared/metrology/index.js';
import { outboxRow } from '../../shared/queue/index.js';
import { matchingRecalls, productKeysOf, selectRecallCandidates } from '../../shared/recalls/index.js';
import type { ServiceContext } from '../../shared/runtime/index.js';

function intakeWarnings(input: ComplaintInput, today: Date): FieldWarning[] {
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

function screeningFor(input: ComplaintInput): ScaleScreening | undefined {
  return input.category === 'scale' && input.evidence ? screenScaleReading(input.evidence) : undefined;
}

interface StoredResponse {
  status: number;
  body: Omit<IntakeResponse, 'accessCode'> & { accessCodeSealed: string };
}

/**
 * Stores a complaint or report with its first event and its triage job, in one statement.
 * With an idempotency key, a replay returns the first response and a different body under the same key is refused.
 */
export async function submitComplaint(
  ctx: ServiceContext,
  { input, idempotencyKey }: { input: ComplaintInput; idempotencyKey?: string | undefined },
): Promise<IntakeResponse> {
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
    const keys = productKeysOf(input.product);
    const recallCandidates = await insertItemStatement(
      tx,
      newItemValues({
        input,
        modelKey: keys.modelKey,
        trackingNo,
        accessCodeHash: hashAccessCode(secret, accessCode),
        accessCodeSealed: input.reporter?.email ? seal(secret, accessCode) : null,
        screening,
        warnings,
        receivedAt: now,
      }),
    );

    const response: IntakeResponse = {
      trackingNo,
      accessCode,
      status: 'submitted',
      ...(screening ? { screening } : {}),
      relatedRecalls: matchingRecalls(keys, recallCandidates).map((r) => ({ recallNo: r.recallNo, title: r.title, remedy: r.remedy })),
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

interface NewItem {
  input: ComplaintInput;
  modelKey: string | null;
  trackingNo: string;
  accessCodeHash: string;
  accessCodeSealed: string | null;
  screening: ScaleScreening | undefined;
  warnings: FieldWarning[];
  receivedAt: Date;
}

const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v));

/** The values intake's statement binds, every optional field as null and every document as JSON text. */
function newItemValues(row: NewItem) {
  const { input: c } = row;
  const m = c.merchant;
  const uscc = m.uscc ? checkUscc(m.uscc) : undefined;
  return {
    merchantKey: merchantKey(m),
    merchantUscc: uscc?.valid ? uscc.code : null,
    merchantName: m.name,
    merchantNormalizedName: normalizeMerchantName(m.name),
    merchantDistrictCode: m.districtCode ?? null,
    merchantAddress: m.address ?? null,
    merchantShopUrl: m.onlineShopUrl ?? null,
    merchantEmail: m.email ?? null,
    trackingNo: row.trackingNo,
    accessCodeHash: row.accessCodeHash,
    accessCodeSealed: row.accessCodeSealed,
    kind: c.kind,
    category: c.category,
    title: c.title,
    description: c.description,
    occurredOn: c.occurredOn ?? null,
    merchant: JSON.stringify(m),
    product: json(c.product),
    evidence: json('evidence' in c ? c.evidence : undefined),
    harm: json(c.harm),
    reporterName: c.reporter?.name ?? null,
    reporterPhone: c.reporter?.phone ?? null,
    reporterEmail: c.reporter?.email ?? null,
    language: c.reporter?.language ?? 'zh-CN',
    screening: json(row.screening),
    warnings: JSON.stringify(row.warnings),
    receivedAt: row.receivedAt,
    triagePayload: outboxRow('triage', { trackingNo: row.trackingNo }).payload,
    modelKey: row.modelKey,
  };
}

/**
 * One statement, so one round trip and atomic on its own: upsert the merchant (keeping what we knew, filling in a
 * district, address or shop URL learnt later), insert the item, its first event and its triage job's outbox row, and
 * read the published recalls naming the product's model (the response tells the consumer of those that match).
 */
const insertItemStatement = compiledStatement('intake_insert_item', (db, v: ReturnType<typeof newItemValues>) =>
  selectRecallCandidates(
    db
      .with('m', (q) =>
        q
          .insertInto('merchants')
          .values({
            merchant_key: v.merchantKey,
            uscc: v.merchantUscc,
            name: v.merchantName,
            normalized_name: v.merchantNormalizedName,
            district_code: v.merchantDistrictCode,
            address: v.merchantAddress,
            online_shop_url: v.merchantShopUrl,
            email: v.merchantEmail,
          })
          .onConflict((oc) =>
            oc.column('merchant_key').doUpdateSet({
              district_code: sql`coalesce(merchants.district_code, excluded.district_code)`,
              address: sql`coalesce(merchants.address, excluded.address)`,
              online_shop_url: sql`coalesce(merchants.online_shop_url, excluded.online_shop_url)`,
              email: sql`coalesce(merchants.email, excluded.email)`,
            }),
          )
          .returning('id'),
      )
      .with('i', (q) =>
        q
          .insertInto('items')
          .values({
            tracking_no: v.trackingNo,
            access_code_hash: v.accessCodeHash,
            access_code_sealed: v.accessCodeSealed,
            kind: v.kind,
            category: v.category,
            title: v.title,
            description: v.description,
            occurred_on: v.occurredOn,
            merchant_id: q.selectFrom('m').select('id'),
            merchant: v.merchant,
            product: v.product,
            evidence: v.evidence,
            harm: v.harm,
            reporter_name: v.reporterName,
            reporter_phone: v.reporterPhone,
            reporter_email: v.reporterEmail,
            language: v.language,
            screening: v.screening,
            warnings: v.warnings,
            status: 'submitted',
            received_at: v.receivedAt,
          })
          .returning('id'),
      )
      .with('e', (q) =>
        q.insertInto('item_events').values({ item_id: q.selectFrom('i').select('id'), actor_type: 'consumer', to_status: 'submitted' }),
      )
      .with('o', (q) => q.insertInto('outbox').values({ queue: 'triage', payload: v.triagePayload })),
    v.modelKey,
  ),
);
