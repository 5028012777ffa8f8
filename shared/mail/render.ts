import type { z } from 'zod';
import type { Language } from '../i18n/index.js';

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
  /** Extra headers (List-Unsubscribe and the like). */
  headers?: Record<string, string>;
}

/** Secrets a template may show that are never stored with its params (they are sealed and erased after sending). */
export interface EmailSecrets {
  accessCode?: string | undefined;
}

/** One email template: the shape of its stored params, and how it renders in each language. */
export interface EmailTemplateDefinition<S extends z.ZodType> {
  params: S;
  /** The address is erased from the notification row once the email is sent (one-off codes to people who asked to be forgotten). */
  eraseRecipientWhenSent?: boolean;
  render(lang: Language, params: z.infer<S>, secrets: EmailSecrets): RenderedEmail;
}

export const defineTemplate = <S extends z.ZodType>(d: EmailTemplateDefinition<S>) => d;

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Plain text and HTML from the same lines; empty lines are dropped, every value is escaped in HTML. */
export function toEmail(subject: string, lines: ReadonlyArray<string | false | undefined | null>): RenderedEmail {
  const kept = lines.filter((l): l is string => typeof l === 'string' && l.length > 0);
  return {
    subject,
    text: kept.join('\n'),
    html: `<!doctype html><html><body>${kept.map((l) => `<p>${escapeHtml(l)}</p>`).join('')}</body></html>`,
  };
}
