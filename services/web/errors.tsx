import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { DomainError, isDatabaseUnavailable } from '../../shared/errors/index.js';
import { translateError } from '../../shared/i18n/index.js';
import { httpStatusOf } from '../http/index.js';
import { renderPage } from './layout.js';
import { commonMessages, translator } from './messages.js';
import { CsrfRefused } from './security.js';
import type { WebEnv } from './types.js';

type PageStatus = 400 | 401 | 403 | 410 | 404 | 409 | 413 | 415 | 429 | 500 | 503;

export function errorPage(c: Context<WebEnv>, status: PageStatus, message: string, link?: { href: string; label: string }) {
  const t = translator(commonMessages, c.get('language'));
  return renderPage(
    c,
    {
      title: status === 404 ? t('error.notFound') : t('error.title'),
      children: (
        <section class="narrow">
          <h1>{status === 404 ? t('error.notFound') : t('error.title')}</h1>
          <p>{message}</p>
          {link && (
            <p>
              <a href={link.href}>{link.label}</a>
            </p>
          )}
          <p>
            <a href="/">{t('error.back')}</a>
          </p>
        </section>
      ),
    },
    status,
  );
}

export const notFoundPage = (c: Context<WebEnv>) => errorPage(c, 404, translator(commonMessages, c.get('language'))('error.notFound'));

/** The pages' one error handler: the same codes as the API, shown as a page in the reader's language. */
export function onPageError(err: Error, c: Context<WebEnv>) {
  const lang = c.get('language') ?? 'zh-CN';
  const t = translator(commonMessages, lang);
  if (err instanceof CsrfRefused || (err instanceof HTTPException && err.status === 403)) return errorPage(c, 403, t('error.csrf'));
  if (err instanceof DomainError) {
    const status = httpStatusOf[err.code];
    if (status === 401) return c.redirect(`/staff/login?next=${encodeURIComponent(c.req.path)}`, 303);
    const shown: PageStatus = status === 500 ? 500 : status;
    return errorPage(c, shown, translateError(err.message, lang));
  }
  if (isDatabaseUnavailable(err)) {
    c.header('Retry-After', '5');
    return errorPage(c, 503, t('error.unavailable'));
  }
  c.get('logger')?.error({ err }, 'unhandled error on a page');
  return errorPage(c, 500, translateError('unexpected error', lang));
}
