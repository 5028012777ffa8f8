import { expect } from 'vitest';
import { usccCheckCharacter } from '../../shared/identifiers/index.js';
import type { RecallInput } from '../../shared/recalls/index.js';
import { postJson, readJson, type TestEnv } from './env.js';

/** A valid USCC from its first 17 characters. */
export const uscc = (body17: string) => body17 + usccCheckCharacter(body17);

/** A complete recall of 乐童 LT-100 / LT-200 strollers, batches 20260901 and 20260915, unless told otherwise. */
export function recallInput(overrides: Partial<RecallInput> = {}): RecallInput {
  return {
    type: 'voluntary',
    title: '乐童牌儿童推车刹车失灵召回',
    category: 'child_product',
    manufacturer: { name: '乐童玩具有限公司', uscc: uscc('91410702MA44XW3R1') },
    brand: '乐童',
    productName: '儿童推车',
    models: ['LT-100', 'LT-200'],
    batches: ['20260901', '20260915'],
    productionFrom: '2026-06-01',
    productionTo: '2026-09-15',
    unitsAffected: 1200,
    salesChannels: ['线下母婴店', '电商平台'],
    hazard: '后轮刹车装置可能失灵，推车在坡道上溜车，存在摔伤儿童的风险。',
    injuriesReported: '收到 2 起儿童轻微擦伤报告。',
    remedy: 'repair',
    remedyInstructions: '立即停止使用，联系生产者免费更换刹车组件。',
    consumerContact: '400-800-1234（工作日 9:00-17:00）',
    startsOn: '2026-11-20',
    ...overrides,
  };
}

/** Drafts and publishes a recall through the API; returns its number. */
export async function publishedRecall(env: TestEnv, auth: Record<string, string>, overrides: Partial<RecallInput> = {}): Promise<string> {
  const created = await postJson(env.app, '/api/v1/recalls', recallInput(overrides), auth);
  expect(created.status).toBe(201);
  const { recallNo } = await readJson(created);
  const published = await postJson(env.app, `/api/v1/recalls/${recallNo}/publish`, {}, auth);
  expect(published.status).toBe(200);
  return recallNo as string;
}
