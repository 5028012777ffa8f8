import type { Db } from '../shared/db/index.js';
import { matchKey } from '../shared/text/index.js';

/**
 * Recipients for a fan-out, written straight into the tables (no HTTP, no triage), for the fan-out benchmark and the
 * kill test: consumers whose items name the recalled model (as triage records them), merchants with an email named in
 * those items, confirmed subscribers, and as many who must get nothing (another model, another brand's alerts).
 */
export interface FanOutSeed {
  consumers: number;
  merchants: number;
  subscribers: number;
  nonMatchingConsumers: number;
  nonMatchingSubscribers: number;
  brand: string;
  model: string;
}

const CHUNK = 1000;

export async function seedFanOutRecipients(db: Db, s: FanOutSeed): Promise<{ expected: string[]; unexpected: string[] }> {
  const expected: string[] = [];
  const unexpected: string[] = [];
  const merchantIds: number[] = [];
  for (let i = 0; i < Math.max(1, s.merchants); i += CHUNK) {
    const rows = await db
      .insertInto('merchants')
      .values(
        Array.from({ length: Math.min(CHUNK, Math.max(1, s.merchants) - i) }, (_, j) => {
          const n = i + j;
          const email = n < s.merchants ? `merchant${n}@fanout.test` : null;
          if (email) expected.push(email);
          return { merchant_key: `fanout:${n}`, name: `商户${n}`, normalized_name: `商户${n}`, district_code: '410702', email };
        }),
      )
      .returning('id')
      .execute();
    merchantIds.push(...rows.map((r) => r.id));
  }

  const items = async (count: number, prefix: string, model: string, sink: string[]) => {
    for (let i = 0; i < count; i += CHUNK) {
      const batch = Array.from({ length: Math.min(CHUNK, count - i) }, (_, j) => i + j);
      const rows = await db
        .insertInto('items')
        .values(
          batch.map((n) => {
            const email = `${prefix}${n}@fanout.test`;
            sink.push(email);
            return {
              tracking_no: `F${prefix}${n}`,
              access_code_hash: 'x',
              kind: 'complaint' as const,
              category: 'child_product' as const,
              title: '推车刹车失灵',
              description: '推车刹车失灵',
              merchant_id: merchantIds[n % merchantIds.length]!,
              merchant: JSON.stringify({ name: '商户' }),
              product: JSON.stringify({ brand: s.brand, model }),
              reporter_email: email,
              language: 'zh-CN' as const,
              status: 'pending_acceptance' as const,
              jurisdiction_code: '410702',
            };
          }),
        )
        .returning(['id', 'received_at'])
        .execute();
      await db
        .insertInto('item_products')
        .values(
          rows.map((r) => ({
            item_id: r.id,
            received_at: r.received_at,
            jurisdiction_code: '410702',
            brand_key: matchKey(s.brand),
            model_key: matchKey(model),
            product_key: `${matchKey(s.brand)}|${matchKey(model)}`,
            hazardous: false,
          })),
        )
        .execute();
    }
  };
  await items(s.consumers, 'consumer', s.model, expected);
  await items(s.nonMatchingConsumers, 'othermodel', `${s.model}-OTHER`, unexpected);
  // Matching items of merchants without a consumer email would still reach the merchants: keep them all named.
  if (s.consumers === 0 && s.merchants > 0) throw new Error('merchants are reached through matching items');

  const subscribers = async (count: number, prefix: string, brands: string[], sink: string[]) => {
    for (let i = 0; i < count; i += CHUNK) {
      await db
        .insertInto('alert_subscriptions')
        .values(
          Array.from({ length: Math.min(CHUNK, count - i) }, (_, j) => {
            const email = `${prefix}${i + j}@fanout.test`;
            sink.push(email);
            return {
              email,
              status: 'confirmed' as const,
              nonce: 'seed',
              brands,
              brand_keys: brands.map(matchKey),
              confirmed_at: new Date(),
            };
          }),
        )
        .execute();
    }
  };
  await subscribers(s.subscribers, 'subscriber', [], expected);
  await subscribers(s.nonMatchingSubscribers, 'otherbrand', [`${s.brand}-OTHER`], unexpected);
  return { expected, unexpected };
}
