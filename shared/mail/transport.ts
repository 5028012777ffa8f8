import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { Logger } from '../logger/index.js';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Extra headers (List-Unsubscribe and the like). */
  headers?: Record<string, string> | undefined;
  /** Stable per notification, so a resend after a crash is recognisable as the same message. */
  messageId: string;
}

export interface Mailer {
  readonly kind: 'smtp' | 'file';
  send(mail: OutgoingMail): Promise<{ messageId: string; location?: string }>;
  close(): void;
}

/**
 * SMTP when SMTP_URL is set; otherwise each message is written as an .eml file under DATA_DIR/mail. With `pool`,
 * up to that many SMTP connections stay open and carry many messages each (bulk sending).
 */
export function createMailer(opts: {
  smtpUrl?: string | undefined;
  from: string;
  dataDir: string;
  logger: Logger;
  pool?: { maxConnections: number } | undefined;
}): Mailer {
  if (opts.smtpUrl) {
    const transport = opts.pool
      ? nodemailer.createTransport({ url: opts.smtpUrl, pool: true, maxConnections: opts.pool.maxConnections, maxMessages: 1000 })
      : nodemailer.createTransport(opts.smtpUrl);
    return {
      kind: 'smtp',
      async send(mail) {
        const info = await transport.sendMail({ from: opts.from, ...mail });
        return { messageId: info.messageId };
      },
      close: () => transport.close(),
    };
  }
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  const folder = path.join(opts.dataDir, 'mail');
  let folderReady: Promise<unknown> | undefined;
  return {
    kind: 'file',
    async send(mail) {
      const info = await transport.sendMail({ from: opts.from, ...mail });
      await (folderReady ??= mkdir(folder, { recursive: true }));
      const file = path.join(folder, `${new Date().toISOString().replace(/[:.]/g, '-')}-${mail.messageId.replace(/[^\w.-]/g, '')}.eml`);
      await writeFile(file, info.message as Buffer);
      opts.logger.info({ file }, 'mail written to file (no SMTP_URL)');
      return { messageId: info.messageId, location: file };
    },
    close: () => transport.close(),
  };
}
