import { DEMO_PASSWORD, seedDemoData } from '../../shared/staff/index.js';
import { createTestEnv, postJson, readJson, type TestEnv } from './env.js';
import { startSmtpServer } from './smtp.js';

export const demo = {
  admin: 'admin@demo.local',
  regulator: 'regulator.xinxiang@demo.local',
  hongqi: 'inspector.hongqi@demo.local',
  hongqi2: 'inspector2.hongqi@demo.local',
  jiefang: 'inspector.jiefang@demo.local',
} as const;

export async function seedStaff(env: TestEnv) {
  await seedDemoData(env.db, { isProduction: false });
}

/** Signs in through the API; returns the Authorization header. */
export async function signIn(env: TestEnv, email: string, password = DEMO_PASSWORD): Promise<Record<string, string>> {
  const res = await postJson(env.app, '/api/v1/auth/login', { email, password });
  if (res.status !== 200) throw new Error(`sign-in failed for ${email}: ${res.status} ${JSON.stringify(await readJson(res))}`);
  return { authorization: `Bearer ${(await readJson(res)).token}` };
}

/** A test database with the demo roster, running workers and a real SMTP server; stop() undoes it all. */
export async function startCaseworkEnv(overrides: Record<string, string | undefined> = {}) {
  const smtp = await startSmtpServer();
  const env = await createTestEnv({ SMTP_URL: smtp.url, RATE_LIMIT_LOGIN_PER_MINUTE: '1000', ...overrides });
  await seedStaff(env);
  await env.startWorkers();
  return {
    env,
    smtp,
    stop: async () => {
      await env.close();
      await smtp.close();
    },
  };
}
