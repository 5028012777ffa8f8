import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { mkdir, rm, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ATTACHMENT_BYTES } from '../../shared/attachments/index.js';
import { createTestEnv, eventually, postJson, readJson, type TestEnv } from '../support/env.js';
import { scaleComplaint } from '../support/fixtures.js';
import { retention, sweepOrphanFiles } from '../../workers/housekeeping.js';
import { jpegWithGps, pngWithExif } from '../support/images.js';
import { demo, seedStaff, signIn } from '../support/staff.js';

let env: TestEnv;
let filed: { trackingNo: string; accessCode: string };
let caseId: number;

beforeAll(async () => {
  env = await createTestEnv({ RATE_LIMIT_LOGIN_PER_MINUTE: '1000' });
  await seedStaff(env);
  await env.startWorkers();
  filed = await readJson(
    await postJson(env.app, '/api/v1/complaints', scaleComplaint({ merchant: { name: '照片商户', districtCode: '410702' } })),
  );
  caseId = await eventually(
    async () =>
      (await env.db.selectFrom('items').select('case_id').where('tracking_no', '=', filed.trackingNo).executeTakeFirst())?.case_id ??
      undefined,
  );
});
afterAll(async () => {
  await env.close();
});

const storedFiles = () => {
  try {
    return readdirSync(path.join(env.config.DATA_DIR, 'attachments'), { recursive: true, withFileTypes: true }).filter((f) => f.isFile());
  } catch {
    return [];
  }
};
const form = (bytes: Uint8Array, name = 'photo.jpg', type = 'image/jpeg', extra: Record<string, string> = {}) => {
  const f = new FormData();
  f.set('file', new File([bytes], name, { type }));
  for (const [k, v] of Object.entries(extra)) f.set(k, v);
  return f;
};
const consumerUpload = async (body: FormData, code = filed.accessCode): Promise<Response> =>
  env.app.request(`/api/v1/complaints/${filed.trackingNo}/attachments`, { method: 'POST', headers: { 'x-access-code': code }, body });

describe('consumer photos', () => {
  it('stores a JPEG with its location metadata stripped', async () => {
    const res = await consumerUpload(form(jpegWithGps()));
    expect(res.status).toBe(201);
    const body = await readJson(res);
    expect(body).toMatchObject({ contentType: 'image/jpeg' });
    expect(body.sizeBytes).toBeLessThan(jpegWithGps().length);
    const files = storedFiles();
    expect(files).toHaveLength(1);
  });

  it.each([
    ['a text file named .jpg and declared image/jpeg', () => form(Buffer.from('just some text, honestly'), 'photo.jpg', 'image/jpeg'), 415],
    ['a PDF', () => form(Buffer.from('%PDF-1.7\n1 0 obj\n'), 'scan.pdf', 'application/pdf'), 415],
    ['an empty file', () => form(new Uint8Array(0)), 400],
    ['a damaged JPEG', () => form(jpegWithGps().subarray(0, 30)), 400],
    ['a photo over 5 MB', () => form(Buffer.concat([Buffer.from(jpegWithGps()), Buffer.alloc(MAX_ATTACHMENT_BYTES)])), 413],
  ])('refuses %s, storing nothing', async (_name, body, status) => {
    const before = storedFiles().length;
    const rows = await env.db.selectFrom('attachments').select('id').execute();
    const res = await consumerUpload(body());
    expect(res.status).toBe(status);
    expect((await readJson(res)).error.code).toBeTruthy();
    expect(storedFiles()).toHaveLength(before);
    expect(await env.db.selectFrom('attachments').select('id').execute()).toHaveLength(rows.length);
  });

  it('needs the access code, and multipart', async () => {
    expect((await consumerUpload(form(jpegWithGps()), 'WRONG234')).status).toBe(404);
    const json = await postJson(
      env.app,
      `/api/v1/complaints/${filed.trackingNo}/attachments`,
      { file: 'x' },
      { 'x-access-code': filed.accessCode },
    );
    expect(json.status).toBe(415);
  });

  it('caps the photos per item', async () => {
    const existing = (await env.db.selectFrom('attachments').select('id').execute()).length;
    const results = await Promise.all(
      Array.from({ length: 12 - existing }, () => consumerUpload(form(pngWithExif(), 'p.png', 'image/png'))),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(10 - existing);
    expect(statuses.filter((s) => s === 409)).toHaveLength(2);
    expect(storedFiles()).toHaveLength(10);
  });

  it('takes no more photos once the complaint has been decided', async () => {
    const decided = await readJson(
      await postJson(env.app, '/api/v1/complaints', scaleComplaint({ merchant: { name: '已决定商户', districtCode: '410702' } })),
    );
    // Routed first, so the worker does not write over the decision.
    await eventually(
      async () =>
        (await env.db.selectFrom('items').select('status').where('tracking_no', '=', decided.trackingNo).executeTakeFirst())?.status ===
        'pending_acceptance',
    );
    await env.db.updateTable('items').set({ status: 'rejected' }).where('tracking_no', '=', decided.trackingNo).execute();
    const before = storedFiles().length;
    const res = await env.app.request(`/api/v1/complaints/${decided.trackingNo}/attachments`, {
      method: 'POST',
      headers: { 'x-access-code': decided.accessCode },
      body: form(pngWithExif(), 'p.png', 'image/png'),
    });
    expect(res.status).toBe(409);
    expect(await readJson(res)).toMatchObject({ error: { code: 'conflict', details: { current: 'rejected' } } });
    expect(storedFiles()).toHaveLength(before);
  });
});

describe('staff photos', () => {
  it('lets the handling inspector list and download photos, and hides them from other counties', async () => {
    const inspector = await signIn(env, demo.hongqi);
    const list = await readJson(await env.app.request(`/api/v1/cases/${caseId}/attachments`, { headers: inspector }));
    expect(list.length).toBeGreaterThan(0);
    const detail = await readJson(await env.app.request(`/api/v1/cases/${caseId}`, { headers: inspector }));
    expect(detail.attachments).toEqual(list);
    const res = await env.app.request(`/api/v1/cases/${caseId}/attachments/${list[0].id}`, { headers: inspector });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.toString('latin1')).not.toMatch(/GPS|Exif/);

    const other = await signIn(env, demo.jiefang);
    expect((await env.app.request(`/api/v1/cases/${caseId}/attachments`, { headers: other })).status).toBe(404);
    expect((await env.app.request(`/api/v1/cases/${caseId}/attachments/${list[0].id}`, { headers: other })).status).toBe(404);
    expect((await env.app.request(`/api/v1/cases/${caseId}/attachments`)).status).toBe(401);
    const admin = await signIn(env, demo.admin);
    expect((await env.app.request(`/api/v1/cases/${caseId}/attachments`, { headers: admin })).status).toBe(403);
  });

  it('lets staff add a photo to an item of their case, and records it', async () => {
    const other = await readJson(
      await postJson(env.app, '/api/v1/complaints', scaleComplaint({ merchant: { name: '员工照片', districtCode: '410702' } })),
    );
    const otherCase = await eventually(
      async () =>
        (await env.db.selectFrom('items').select('case_id').where('tracking_no', '=', other.trackingNo).executeTakeFirst())?.case_id ??
        undefined,
    );
    const inspector = await signIn(env, demo.hongqi);
    const res = await env.app.request(`/api/v1/cases/${otherCase}/attachments`, {
      method: 'POST',
      headers: inspector,
      body: form(jpegWithGps(), 'x.jpg', 'image/jpeg', { trackingNo: other.trackingNo }),
    });
    expect(res.status).toBe(201);
    const wrongItem = await env.app.request(`/api/v1/cases/${otherCase}/attachments`, {
      method: 'POST',
      headers: inspector,
      body: form(jpegWithGps(), 'x.jpg', 'image/jpeg', { trackingNo: filed.trackingNo }),
    });
    expect(wrongItem.status).toBe(400);
    const events = await readJson(await env.app.request(`/api/v1/cases/${otherCase}/events`, { headers: inspector }));
    expect(events.map((e: { action: string }) => e.action)).toContain('attachment_added');
  });
});

describe('a photo whose row does not commit', () => {
  const fileComplaint = async (name: string) => {
    const f: { trackingNo: string; accessCode: string } = await readJson(
      await postJson(env.app, '/api/v1/complaints', scaleComplaint({ merchant: { name, districtCode: '410702' } })),
    );
    const { id } = await env.db.selectFrom('items').select('id').where('tracking_no', '=', f.trackingNo).executeTakeFirstOrThrow();
    return { ...f, id };
  };
  const upload = (f: { trackingNo: string; accessCode: string }) =>
    env.app.request(`/api/v1/complaints/${f.trackingNo}/attachments`, {
      method: 'POST',
      headers: { 'x-access-code': f.accessCode },
      body: form(jpegWithGps()),
    });
  const filesOf = (itemId: number) => storedFiles().filter((f) => f.parentPath.endsWith(path.join('items', String(itemId))));
  const rowsOf = (itemId: number) => env.db.selectFrom('attachments').select('id').where('item_id', '=', itemId).execute();

  it('leaves no file when the commit itself fails after the file was written', async () => {
    const f = await fileComplaint('提交失败');
    // A deferred check that refuses this item's photo at COMMIT, after the file is written and the row inserted.
    await sql`CREATE FUNCTION test_refuse_commit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'refused at commit by the test'; END $$`.execute(env.db);
    await sql`CREATE CONSTRAINT TRIGGER test_refuse_commit AFTER INSERT ON attachments DEFERRABLE INITIALLY DEFERRED
      FOR EACH ROW WHEN (NEW.item_id = ${sql.lit(f.id)}) EXECUTE FUNCTION test_refuse_commit()`.execute(env.db);
    try {
      const res = await upload(f);
      expect(res.status).toBe(500);
      expect((await readJson(res)).error.code).toBeTruthy();
    } finally {
      await sql`DROP TRIGGER test_refuse_commit ON attachments; DROP FUNCTION test_refuse_commit()`.execute(env.db);
    }
    expect(await rowsOf(f.id)).toHaveLength(0);
    expect(filesOf(f.id)).toHaveLength(0);
    expect((await upload(f)).status).toBe(201); // nothing half-done stands in the way
    expect(filesOf(f.id)).toHaveLength(1);
  });

  it('records no row when the file cannot be written', async () => {
    const f = await fileComplaint('写盘失败');
    // A plain file where the item's folder would go: the photo cannot be written.
    const blocker = path.join(env.config.DATA_DIR, 'attachments', 'items', String(f.id));
    await mkdir(path.dirname(blocker), { recursive: true });
    await writeFile(blocker, 'not a folder');
    try {
      expect((await upload(f)).status).toBe(500);
    } finally {
      await rm(blocker);
    }
    expect(await rowsOf(f.id)).toHaveLength(0);
  });

  it('housekeeping sweeps a file a crash left before its commit, and keeps every file a row names', async () => {
    const f = await fileComplaint('进程崩溃');
    // What storePhoto leaves when the process dies between writing the file and committing its row.
    const orphan = `items/${f.id}/${randomUUID()}`;
    await env.ctx.storage.put(orphan, Buffer.from(jpegWithGps()));
    const old = new Date(Date.now() - retention.orphanFileGraceMs - 60_000);
    for (const file of storedFiles()) await utimes(path.join(file.parentPath, file.name), old, old);
    const named = await env.db.selectFrom('attachments').select('storage_key').execute();
    expect(named.length).toBeGreaterThan(0);

    expect(await sweepOrphanFiles(env.workers!.context, retention.orphanFileGraceMs)).toBe(1);
    const left: string[] = [];
    for await (const file of env.ctx.storage.list()) left.push(file.key);
    expect(left).not.toContain(orphan);
    expect(left.sort()).toEqual(named.map((r) => r.storage_key).sort());
  });
});
