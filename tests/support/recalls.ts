import { expect } from 'vitest';
import { demoRecall } from '../../services/demo/index.js';
import { usccCheckCharacter } from '../../shared/identifiers/index.js';
import type { RecallInput } from '../../shared/recalls/index.js';
import { postJson, readJson, type TestEnv } from './env.js';

/** A valid USCC from its first 17 characters. */
export const uscc = (body17: string) => body17 + usccCheckCharacter(body17);

/** A complete recall of 乐童 LT-100 / LT-200 strollers, batches 20260901 and 20260915 (the demo's), unless told otherwise. */
export function recallInput(overrides: Partial<RecallInput> = {}): RecallInput {
  return { ...demoRecall('2026-11-20'), ...overrides };
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
