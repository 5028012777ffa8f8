import { createConfig, lintFromString } from '@redocly/openapi-core';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineRoute, domainRouter, jsonResponse } from '../../services/http/index.js';
import { checkResponse, ContractViolation, withContractChecks } from '../support/contract.js';
import { createTestEnv, readJson, type TestEnv } from '../support/env.js';

let env: TestEnv;
let doc: {
  paths: Record<
    string,
    Record<
      string,
      { security?: unknown[]; operationId?: string; responses: Record<string, { content?: Record<string, { schema: Schema }> }> }
    >
  >;
  components: { schemas: Record<string, Schema> };
};
type Schema = {
  $ref?: string;
  type?: string | string[];
  properties?: object;
  additionalProperties?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  items?: Schema;
};

beforeAll(async () => {
  env = await createTestEnv();
  doc = await readJson(await env.app.request('/openapi.json'));
});
afterAll(async () => {
  await env.close();
});

describe('the OpenAPI document', () => {
  it('passes Redocly’s recommended rules with no errors and no warnings', async () => {
    const config = await createConfig({ extends: ['recommended'] });
    const problems = await lintFromString({ source: JSON.stringify(doc), absoluteRef: 'openapi.json', config });
    expect(problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`)).toEqual([]);
  });

  it('declares security on every operation (an empty list on public ones)', () => {
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) expect(op.security, `${method} ${path}`).toBeDefined();
    }
  });

  it('types every 2xx JSON response: no bare records anywhere in it', () => {
    const resolve = (s: Schema): Schema => (s.$ref ? doc.components.schemas[s.$ref.split('/').pop()!]! : s);
    const untyped: string[] = [];
    const walk = (s: Schema, where: string, seen: Set<Schema>) => {
      const r = resolve(s);
      if (seen.has(r)) return;
      seen.add(r);
      const isObject = r.type === 'object' || (Array.isArray(r.type) && r.type.includes('object'));
      if (isObject && !r.properties && r.additionalProperties !== false) untyped.push(where);
      for (const [k, v] of Object.entries(r.properties ?? {})) walk(v as Schema, `${where}.${k}`, seen);
      for (const alt of [...(r.anyOf ?? []), ...(r.oneOf ?? []), ...(r.allOf ?? [])]) walk(alt, where, seen);
      if (r.items) walk(r.items, `${where}[]`, seen);
      if (r.additionalProperties && typeof r.additionalProperties === 'object') walk(r.additionalProperties, `${where}{}`, seen);
    };
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        for (const [status, res] of Object.entries(op.responses)) {
          const schema = res.content?.['application/json']?.schema;
          if (status.startsWith('2') && schema) walk(schema, `${method.toUpperCase()} ${path} ${status}`, new Set());
        }
      }
    }
    expect(untyped).toEqual([]);
  });
});

describe('the contract checks every test relies on', () => {
  const app = domainRouter();
  const route = defineRoute({
    operationId: 'probe',
    method: 'get',
    path: '/api/v1/probe',
    access: 'public',
    summary: 'A probe',
    responses: { 200: jsonResponse(z.object({ ok: z.boolean() }), 'ok') },
  });
  let body: unknown = { ok: true };
  let status = 200;
  app.openapi(route, (c) => c.json(body as { ok: boolean }, status as 200));
  const checked = withContractChecks(app);

  it('passes a documented response', async () => {
    body = { ok: true };
    status = 200;
    expect((await checked.request('/api/v1/probe')).status).toBe(200);
  });

  it.each([
    ['an undocumented field', { ok: true, secret: 'x' }, 200],
    ['a wrong type', { ok: 'yes' }, 200],
    ['an undocumented status', { ok: true }, 202],
  ])('fails on %s', async (_what, b, s) => {
    body = b;
    status = s;
    await expect(checked.request('/api/v1/probe')).rejects.toBeInstanceOf(ContractViolation);
  });

  it('fails when an unknown API path answers anything but 404', async () => {
    const other = new Hono();
    other.get('/api/v1/unknown', (c) => c.json({}));
    await expect(checkResponse([], 'GET', '/api/v1/unknown', await other.request('/api/v1/unknown'))).rejects.toBeInstanceOf(
      ContractViolation,
    );
  });
});
