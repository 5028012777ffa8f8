import http from 'node:http';
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_JSON_BODY_BYTES } from '../../services/app.js';
import { startApi, type RunningApi } from '../../services/server.js';
import { createLogger } from '../../shared/logger/index.js';
import { createTestEnv, type TestEnv } from '../support/env.js';
import { scaleComplaint } from '../support/fixtures.js';

// The real HTTP server on a loopback port, and one keep-alive client socket at a time: a request that follows a
// refused body goes out on whatever connection the agent thinks is reusable, as a browser's or a proxy's would.
let env: TestEnv;
let api: RunningApi;
beforeAll(async () => {
  env = await createTestEnv();
  api = await startApi(
    { db: env.db, databaseUrl: env.databaseUrl },
    { config: { ...env.config, HOST: '127.0.0.1' }, logger: createLogger('silent'), port: 0 },
  );
});
afterAll(async () => {
  await api?.close();
  await env?.close();
});

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  socket: Socket;
  reusedSocket: boolean;
}

/**
 * One request on the agent. The body is written as given: one Buffer with its Content-Length, or chunks sent with
 * Transfer-Encoding: chunked. An error while writing a body the server already answered is ignored (the server may
 * stop reading it); the answer is what counts.
 */
function send(
  agent: http.Agent,
  opts: { method: string; path: string; headers?: Record<string, string>; body?: Buffer; chunks?: Buffer[] },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.body) headers['content-length'] = String(opts.body.length);
    const req = http.request({ host: '127.0.0.1', port: api.port, agent, method: opts.method, path: opts.path, headers });
    let answered = false;
    req.on('response', (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        if (String(res.headers['content-type'] ?? '').includes('json')) body = JSON.parse(text);
        resolve({ status: res.statusCode!, headers: res.headers, body, socket: req.socket!, reusedSocket: req.reusedSocket });
      });
    });
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    if (opts.body) req.end(opts.body);
    else if (opts.chunks) {
      // Written one by one without a length: Node sends them chunked.
      const write = (i: number) => {
        if (i === opts.chunks!.length) return void req.end();
        if (req.destroyed) return;
        if (req.write(opts.chunks![i]!)) write(i + 1);
        else req.once('drain', () => write(i + 1));
      };
      write(0);
    } else req.end();
  });
}

const json = { 'content-type': 'application/json' };

/** A syntactically valid JSON body just over the limit, so only its size is wrong. */
function oversizedJson(): Buffer {
  const padding = 'x'.repeat(MAX_JSON_BODY_BYTES + 1024);
  return Buffer.from(JSON.stringify({ ...scaleComplaint(), description: padding }));
}

function chunksOf(buf: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < buf.length; i += size) out.push(buf.subarray(i, i + size));
  return out;
}

function expectRefusedAndClosed(a: Answer) {
  expect(a.status).toBe(413);
  expect(a.headers.connection).toBe('close');
  expect(a.headers['content-type']).toMatch(/^application\/json/);
  expect(a.body).toMatchObject({ error: { code: 'payload_too_large', message: expect.stringContaining(String(MAX_JSON_BODY_BYTES)) } });
}

/** Requests that must work on the same agent after a refused body: health, a valid intake, and health again. */
async function expectAgentStillWorks(agent: http.Agent) {
  const health = await send(agent, { method: 'GET', path: '/healthz' });
  expect(health.status).toBe(200);
  expect(health.body).toEqual({ status: 'ok' });

  const filed = await send(agent, {
    method: 'POST',
    path: '/api/v1/complaints',
    headers: json,
    body: Buffer.from(JSON.stringify(scaleComplaint())),
  });
  expect(filed.status).toBe(201);
  expect(filed.body.trackingNo).toMatch(/^T\d{8}[A-Z0-9]+$/);

  // The connection the intake came back on is a healthy keep-alive one: the next request reuses it.
  const again = await send(agent, { method: 'GET', path: '/healthz' });
  expect(again.status).toBe(200);
  expect(again.reusedSocket).toBe(true);
}

describe('a refused body closes its connection, and the client carries on', () => {
  it('with a Content-Length over the limit: 413 with Connection: close and the envelope; the next requests succeed', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      // A healthy keep-alive connection first, so the refused request goes out on a reused socket.
      expect((await send(agent, { method: 'GET', path: '/healthz' })).status).toBe(200);
      const refused = await send(agent, { method: 'POST', path: '/api/v1/complaints', headers: json, body: oversizedJson() });
      expectRefusedAndClosed(refused);
      expect(refused.reusedSocket).toBe(true);
      await expectAgentStillWorks(agent);
    } finally {
      agent.destroy();
    }
  });

  it('with a chunked body over the limit: 413 with Connection: close and the envelope; the next requests succeed', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      expect((await send(agent, { method: 'GET', path: '/healthz' })).status).toBe(200);
      const refused = await send(agent, {
        method: 'POST',
        path: '/api/v1/complaints',
        headers: json,
        chunks: chunksOf(oversizedJson(), 64 * 1024),
      });
      expect(refused.headers['transfer-encoding']).toBeUndefined();
      expectRefusedAndClosed(refused);
      await expectAgentStillWorks(agent);
    } finally {
      agent.destroy();
    }
  });

  it('one after another on the same agent: refused, accepted, refused chunked, accepted', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      for (let round = 0; round < 2; round++) {
        expectRefusedAndClosed(await send(agent, { method: 'POST', path: '/api/v1/complaints', headers: json, body: oversizedJson() }));
        await expectAgentStillWorks(agent);
        expectRefusedAndClosed(
          await send(agent, { method: 'POST', path: '/api/v1/complaints', headers: json, chunks: chunksOf(oversizedJson(), 16 * 1024) }),
        );
        await expectAgentStillWorks(agent);
      }
    } finally {
      agent.destroy();
    }
  });

  it('a body refused unread for its media type (415) likewise closes the connection, and the next requests succeed', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      expect((await send(agent, { method: 'GET', path: '/healthz' })).status).toBe(200);
      const refused = await send(agent, {
        method: 'POST',
        path: '/api/v1/complaints',
        headers: { 'content-type': 'text/plain' },
        body: Buffer.alloc(256 * 1024, 'x'),
      });
      expect(refused.status).toBe(415);
      expect(refused.headers.connection).toBe('close');
      expect(refused.body).toMatchObject({ error: { code: 'unsupported_media_type' } });
      await expectAgentStillWorks(agent);
    } finally {
      agent.destroy();
    }
  });

  it('a body within the limit keeps the connection alive', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const first = await send(agent, {
        method: 'POST',
        path: '/api/v1/complaints',
        headers: json,
        body: Buffer.from(JSON.stringify(scaleComplaint())),
      });
      expect(first.status).toBe(201);
      expect(first.headers.connection).toBe('keep-alive');
      const second = await send(agent, { method: 'GET', path: '/healthz' });
      expect(second.reusedSocket).toBe(true);
      expect(second.socket).toBe(first.socket);
    } finally {
      agent.destroy();
    }
  });
});
