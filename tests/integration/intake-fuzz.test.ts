import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, readJson, postJson, type TestEnv } from '../support/env.js';
import { childProductComplaint, ebikeReport, scaleComplaint } from '../support/fixtures.js';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env.close();
});

const valid = [scaleComplaint(), ebikeReport(), childProductComplaint()];
const paths = (v: unknown, prefix: string[] = []): string[][] =>
  v && typeof v === 'object' ? Object.entries(v).flatMap(([k, x]) => [[...prefix, k], ...paths(x, [...prefix, k])]) : [];

/** A valid body with one field replaced by an arbitrary JSON value, or removed. */
const mutatedBody = fc
  .tuple(fc.constantFrom(...valid), fc.nat(), fc.option(fc.jsonValue({ maxDepth: 3 }), { nil: undefined }))
  .map(([base, pick, value]) => {
    const body = structuredClone(base) as Record<string, unknown>;
    const all = paths(body);
    const path = all[pick % all.length]!;
    let target = body;
    for (const key of path.slice(0, -1)) target = target[key] as Record<string, unknown>;
    if (value === undefined) delete target[path.at(-1)!];
    else target[path.at(-1)!] = value;
    return body;
  });

async function statusOf(body: unknown, contentType = 'application/json') {
  const res = await env.app.request('/api/v1/complaints', {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const json = (await readJson(res)) as { error?: { code: string; details?: unknown } };
  if (res.status >= 400) expect(json.error?.code, JSON.stringify(json)).toBeTruthy();
  return res.status;
}

describe('intake never answers 5xx to any body', () => {
  it('arbitrary JSON values', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), async (body) => {
        expect(await statusOf(body)).toBe(400);
      }),
      { numRuns: 1500 },
    );
  });

  it('valid bodies with one field changed or removed', async () => {
    await fc.assert(
      fc.asyncProperty(mutatedBody, async (body) => {
        expect([201, 400]).toContain(await statusOf(body));
      }),
      { numRuns: 1500 },
    );
  });

  it('arbitrary text, with JSON and other content types', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'binary', maxLength: 300 }),
        fc.constantFrom('application/json', 'text/plain', 'application/json; charset=gbk'),
        async (text, type) => {
          expect([400, 415]).toContain(await statusOf(text, type));
        },
      ),
      { numRuns: 800 },
    );
  });

  it('an empty body', async () => {
    const res = await env.app.request('/api/v1/complaints', { method: 'POST', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    const noType = await env.app.request('/api/v1/complaints', { method: 'POST' });
    expect(noType.status).toBeLessThan(500);
    expect((await postJson(env.app, '/api/v1/complaints', '')).status).toBe(400);
  });
});
