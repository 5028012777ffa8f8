import { sql } from 'kysely';
import type { StaffRole } from '../access/index.js';
import { caseQueues, type CaseQueue } from '../casework/index.js';
import { hashPassword } from '../crypto/index.js';
import type { Db } from '../db/index.js';

export const DEMO_PASSWORD = 'demo-pass-2026';

export const demoRoster: ReadonlyArray<{
  email: string;
  name: string;
  role: StaffRole;
  jurisdictionCode: string;
  specialties: readonly CaseQueue[];
}> = [
  { email: 'admin@demo.local', name: '系统管理员', role: 'admin', jurisdictionCode: '410700', specialties: [] },
  { email: 'regulator.xinxiang@demo.local', name: '新乡市监管科', role: 'regulator', jurisdictionCode: '410700', specialties: [] },
  { email: 'inspector.hongqi@demo.local', name: '红旗区检查员一', role: 'inspector', jurisdictionCode: '410702', specialties: caseQueues },
  { email: 'inspector2.hongqi@demo.local', name: '红旗区检查员二', role: 'inspector', jurisdictionCode: '410702', specialties: caseQueues },
  { email: 'inspector.jiefang@demo.local', name: '解放区检查员', role: 'inspector', jurisdictionCode: '410802', specialties: caseQueues },
];

export class SeedRefusedError extends Error {
  override name = 'SeedRefusedError';
}

/** Seeds the demo roster; idempotent (existing accounts are left as they are) and refused in production. */
export async function seedDemoData(db: Db, opts: { isProduction: boolean }): Promise<number> {
  if (opts.isProduction) throw new SeedRefusedError('refusing to seed demo accounts with NODE_ENV=production');
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  let created = 0;
  for (const s of demoRoster) {
    const res = await db
      .insertInto('staff')
      .values({
        email: s.email,
        name: s.name,
        role: s.role,
        jurisdiction_code: s.jurisdictionCode,
        specialties: [...s.specialties],
        password_hash: passwordHash,
      })
      .onConflict((oc) => oc.expression(sql`lower(email)`).doNothing())
      .executeTakeFirst();
    created += Number(res.numInsertedOrUpdatedRows ?? 0);
  }
  return created;
}
