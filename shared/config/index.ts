import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const optionalUrl = (protocols: string[]) =>
  z
    .string()
    .trim()
    .transform((v) => (v === '' ? undefined : v))
    .pipe(z.url({ protocol: new RegExp(`^(${protocols.join('|')})$`) }).optional())
    .optional();

const intFromEnv = (fallback: number, min = 0) => z.coerce.number().int().min(min).default(fallback);

/** The one schema for the process environment. Parsed once at start-up; nothing reads process.env later. */
export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().default('0.0.0.0'),
  PORT: intFromEnv(3000),
  /** A workers-only process serves /healthz and /readyz on this port when set (it has no API). */
  WORKER_HEALTH_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  PUBLIC_URL: z.url().optional(),
  DATABASE_URL: optionalUrl(['postgres', 'postgresql']),
  REDIS_URL: optionalUrl(['redis', 'rediss']),
  SMTP_URL: optionalUrl(['smtp', 'smtps']),
  MAIL_FROM: z.string().default('市场监督管理局 <noreply@samr.demo.local>'),
  DATA_DIR: z.string().default('./.data'),
  AUTH_SECRET: z.string().min(32, 'AUTH_SECRET must be at least 32 characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Where an item with no usable district goes for manual routing when not even its city is known. */
  INTAKE_JURISDICTION_CODE: z
    .string()
    .regex(/^\d{6}$/)
    .default('410700'),
  /** Honour X-Forwarded-For for client addresses (only behind a trusted reverse proxy). */
  TRUST_PROXY: z.stringbool().default(false),
  RATE_LIMIT_INTAKE_PER_MINUTE: intFromEnv(20, 1),
  RATE_LIMIT_TRACKING_PER_MINUTE: intFromEnv(30, 1),
  RATE_LIMIT_LOGIN_PER_MINUTE: intFromEnv(10, 1),
  /** Scales every rate limit at once, for load tests and demos (0.5 halves them, 100 all but lifts them). */
  RATE_LIMIT_MULTIPLIER: z.coerce.number().positive().max(1_000_000).default(1),
  /** Staff tokens last one shift. */
  TOKEN_TTL_MINUTES: intFromEnv(480, 1),
  /** Queue prefix; Redis Cluster needs it in {braces} so all keys of a queue share a slot. */
  QUEUE_PREFIX: z.string().default('{cpt}'),
  WORKER_CONCURRENCY: intFromEnv(16, 1),
  /**
   * Connections per process. More than the database server has cores mostly adds context switches: on a 2-core
   * machine running everything, 10 instead of 20 gave npm run bench 10–20% more intakes and a lower p99.
   */
  DB_POOL_MAX: intFromEnv(10, 2),
  /** How long a request waits for a database connection (opening one, or a free one from a full pool) before a 503. */
  DB_CONNECT_TIMEOUT_MS: intFromEnv(5_000, 100),
  /** The server cancels a statement running longer than this (and the client gives up 1 s later); 503 to the caller. */
  DB_STATEMENT_TIMEOUT_MS: intFromEnv(5_000, 100),
  /** The server aborts a transaction its client left idle this long (a client that died or stalled mid-transaction). */
  DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: intFromEnv(10_000, 100),
  /** TCP keepalive probes start after a database connection is this long without traffic. */
  DB_KEEPALIVE_DELAY_MS: intFromEnv(10_000, 1_000),
  /** The outbox relay polls every 10 ms while rows keep coming and backs off to this when there are none. */
  OUTBOX_POLL_MS: intFromEnv(200, 10),
  /**
   * How often the workers compare the database with the queues: work the database still holds as queued whose job
   * is gone (Redis restarted empty or was flushed) is added again, and missing job schedulers are registered again.
   */
  RECONCILE_INTERVAL_MS: intFromEnv(60_000, 100),
  /** Mail is retried with capped exponential backoff through an SMTP outage of this long before it is given up. */
  MAIL_RETRY_WINDOW_HOURS: z.coerce
    .number()
    .min(24, 'mail is retried for at least 24 hours')
    .max(24 * 14)
    .default(48),
  MAIL_RETRY_BASE_MS: intFromEnv(1000, 10),
  MAIL_RETRY_MAX_DELAY_MS: intFromEnv(15 * 60_000, 10),
  SHUTDOWN_TIMEOUT_MS: intFromEnv(10_000, 100),
  /** How often the sampling clock moves campaigns at their window times and finalises results whose window passed. */
  SAMPLING_CLOCK_MS: intFromEnv(60_000, 200),
  /** Hazardous complaints about one manufacturer or brand and model within 90 days that open a defect signal. */
  SIGNAL_THRESHOLD: intFromEnv(3, 2),
  /** A running recall's producer reports progress this many months after publication and after each report. */
  RECALL_PROGRESS_INTERVAL_MONTHS: intFromEnv(3, 1),
  /** The producer's summary is due this many working days after the recall is completed. */
  RECALL_SUMMARY_WORKING_DAYS: intFromEnv(15, 1),
  /** Recall notices go out on their own queue, so a large recall never holds up a consumer's access-code email. */
  BULK_MAIL_CONCURRENCY: intFromEnv(8, 1),
  /** Recall notices per second at most, across every worker process (the SMTP relay's limit). */
  BULK_MAIL_PER_SECOND: intFromEnv(100, 1),
  /** An alert subscription not confirmed within this many hours lapses. */
  ALERT_CONFIRM_TTL_HOURS: intFromEnv(48, 1),
  /** The mailto: of List-Unsubscribe (an operator or a mailbox rule acts on it); defaults to MAIL_FROM's address. */
  LIST_UNSUBSCRIBE_MAILTO: z.email().optional(),
});

export type Env = z.infer<typeof envSchema>;

export interface Config extends Omit<Env, 'AUTH_SECRET' | 'DATA_DIR'> {
  DATA_DIR: string;
  AUTH_SECRET: string;
  isProduction: boolean;
  /** Where people reach the service, for links in emails: PUBLIC_URL, else this machine's port. No trailing slash. */
  baseUrl: string;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Parses the environment. Outside production a missing AUTH_SECRET is generated once and kept in DATA_DIR,
 * so tokens and access-code hashes survive restarts; in production it must be given.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);
  const isProduction = e.NODE_ENV === 'production';
  let secret = e.AUTH_SECRET;
  if (!secret) {
    if (isProduction) throw new ConfigError('Invalid configuration:\n  AUTH_SECRET: required in production');
    secret = readOrCreateSecret(dataDir);
  }
  if (isProduction) {
    // Every link in an email (tracking, alert confirmation, one-click unsubscribe) is built from it.
    if (!e.PUBLIC_URL)
      throw new ConfigError('Invalid configuration:\n  PUBLIC_URL: required in production (the base of the links in emails)');
    const url = new URL(e.PUBLIC_URL);
    if (url.protocol !== 'https:' && !loopbackHosts.has(url.hostname)) {
      throw new ConfigError(
        'Invalid configuration:\n  PUBLIC_URL: must be https:// in production (http:// only on this machine, for a local trial)',
      );
    }
  }
  const baseUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, '');
  return { ...e, DATA_DIR: dataDir, AUTH_SECRET: secret, isProduction, baseUrl };
}

const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]']);

function readOrCreateSecret(dataDir: string): string {
  const file = path.join(dataDir, 'auth-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  return secret;
}
