import type { Config } from '../config/index.js';
import { demoRoster, DEMO_PASSWORD } from '../staff/index.js';

/** What `npm start` prints once everything is up: where to go, what runs where, and the demo accounts. */
export function startupBanner(config: Config, opts: { port?: number | undefined; embeddedDatabase: boolean }): string {
  const base = config.PUBLIC_URL ?? `http://localhost:${opts.port ?? config.PORT}`;
  const lines = [
    '',
    '  Consumer-protection complaint & recall tracker is running',
    `  Web        ${base}/   (report, track, recalls, 你点我检)`,
    `  Staff      ${base}/staff/login   regulators ${base}/regulator   admins ${base}/admin/staff, ${base}/admin/queues`,
    `  API        ${base}/api/v1`,
    `  Docs       ${base}/docs   (OpenAPI: ${base}/openapi.json)`,
    `  Health     ${base}/healthz   ${base}/readyz`,
    `  Database   ${opts.embeddedDatabase ? `embedded PostgreSQL (${config.DATA_DIR}/postgres)` : 'DATABASE_URL'}`,
    `  Queues     ${config.REDIS_URL ? 'BullMQ on Redis (REDIS_URL)' : 'BullMQ on PostgreSQL (embedded default)'}`,
    `  Mail       ${config.SMTP_URL ? 'SMTP (SMTP_URL)' : `.eml files in ${config.DATA_DIR}/mail`}`,
    // Files are for development: in production nobody would receive an access code or a recall notice.
    config.isProduction && !config.SMTP_URL ? '  WARNING    no SMTP_URL in production: no consumer receives any email; set SMTP_URL' : '',
    config.isProduction ? '' : `  Demo staff (password ${DEMO_PASSWORD}): ${demoRoster.map((s) => s.email).join(', ')}`,
    '',
  ];
  // A blank line above and below, none for the lines that do not apply.
  return lines.filter((l, i) => l !== '' || i === 0 || i === lines.length - 1).join('\n');
}
