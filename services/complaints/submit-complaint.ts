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
import { prepared, withTransaction, type Db, type DbOrTx } from '../../shared/db/index.js';
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
    const recallCandidates = await prepared(
      tx,
      'intake_insert_item',
      insertItemStatement(tx, keys.modelKey, {
        input,
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
  trackingNo: string;
  accessCodeHash: string;
  accessCodeSealed: string | null;
  screening: ScaleScreening | undefined;
  warnings: FieldWarning[];
  receivedAt: Date;
}

const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v));

/**
 * One statement, so one round trip and atomic on its own: upsert the merchant (keeping what we knew, filling in a
 * district, address or shop URL learnt later), insert the item, its first event and its triage job's outbox row, and
 * read the published recalls naming the product's model (the response tells the consumer of those that match).
 */
function insertItemStatement(db: DbOrTx | Db, modelKey: string | null, row: NewItem) {
  const { input: c, receivedAt } = row;
  const m = c.merchant;
  const uscc = m.uscc ? checkUscc(m.uscc) : undefined;
  const writes = db
    .with('m', (q) =>
      q
        .insertInto('merchants')
        .values({
          merchant_key: merchantKey(m),
          uscc: uscc?.valid ? uscc.code : null,
          name: m.name,
          normalized_name: normalizeMerchantName(m.name),
          district_code: m.districtCode ?? null,
          address: m.address ?? null,
          online_shop_url: m.onlineShopUrl ?? null,
          email: m.email ?? null,
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
          tracking_no: row.trackingNo,
          access_code_hash: row.accessCodeHash,
          access_code_sealed: row.accessCodeSealed,
          kind: c.kind,
          category: c.category,
          title: c.title,
          description: c.description,
          occurred_on: c.occurredOn ?? null,
          merchant_id: q.selectFrom('m').select('id'),
          merchant: JSON.stringify(m),
          product: json(c.product),
          evidence: json('evidence' in c ? c.evidence : undefined),
          harm: json(c.harm),
          reporter_name: c.reporter?.name ?? null,
          reporter_phone: c.reporter?.phone ?? null,
          reporter_email: c.reporter?.email ?? null,
          language: c.reporter?.language ?? 'zh-CN',
          screening: json(row.screening),
          warnings: JSON.stringify(row.warnings),
          status: 'submitted',
          received_at: receivedAt,
        })
        .returning('id'),
    )
    .with('e', (q) =>
      q.insertInto('item_events').values({ item_id: q.selectFrom('i').select('id'), actor_type: 'consumer', to_status: 'submitted' }),
    )
    .with('o', (q) => q.insertInto('outbox').values(outboxRow('triage', { trackingNo: row.trackingNo })));
  return selectRecallCandidates(writes, modelKey);
}
