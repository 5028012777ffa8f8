import { sql } from 'kysely';
import type { Db } from '../db/index.js';

const withTimeout = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms).unref())]);

export type Readiness = { ready: boolean; database: 'ok' | 'unavailable'; queue: 'ok' | 'unavailable' };

/** Whether the database and the queue backend both answer within 2 s: what /readyz reports. */
export async function checkReadiness(db: Db, checkQueue: () => Promise<void>): Promise<Readiness> {
  const checks = await Promise.allSettled([withTimeout(sql`select 1`.execute(db), 2000), withTimeout(checkQueue(), 2000)]);
  const [database, queue] = checks.map((r) => (r.status === 'fulfilled' ? ('ok' as const) : ('unavailable' as const))) as [
    Readiness['database'],
    Readiness['queue'],
  ];
  return { ready: database === 'ok' && queue === 'ok', database, queue };
}
