import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import { commonMessages, translator } from './messages.js';
import { asset } from './static.js';
import type { WebEnv } from './types.js';

export interface PageProps {
  title: string;
  /** Page scripts from /static/js (loaded deferred); pages work without them. */
  scripts?: string[];
  /** Desktop pages with wide tables use the full width. */
  wide?: boolean;
  children?: Child;
}

/** Switching language keeps the reader on the same page (a GET that only sets the language cookie). */
const switchHref = (c: Context<WebEnv>, to: string) => {
  const url = new URL(c.req.url);
  url.searchParams.delete('lang');
  return `/lang?to=${to}&next=${encodeURIComponent(url.pathname + url.search)}`;
};

function Header({ c }: { c: Context<WebEnv> }) {
  const lang = c.get('language');
  const t = translator(commonMessages, lang);
  const staff = c.get('staff');
  const other = lang === 'zh-CN' ? 'en' : 'zh-CN';
  return (
    <header class="site-header">
      <div class="container">
        <nav aria-label={t('nav.menu')}>
          <ul>
            <li>
              <a href="/" class="brand">
                <strong>{t('site.name')}</strong>
                <small>{t('site.bureau')}</small>
              </a>
            </li>
          </ul>
          <ul class="site-links">
            {staff ? (
              <>
                {staff.role !== 'admin' && (
                  <li>
                    <a href="/staff/queue">{t('nav.queue')}</a>
                  </li>
                )}
                {staff.role === 'regulator' && (
                  <>
                    <li>
                      <a href="/regulator">{t('nav.dashboard')}</a>
                    </li>
                    <li>
                      <a href="/regulator/signals">{t('nav.signals')}</a>
                    </li>
                    <li>
                      <a href="/regulator/recalls">{t('nav.recallRecords')}</a>
                    </li>
                  </>
                )}
                {staff.role !== 'admin' && (
                  <li>
                    <a href="/staff/sampling">{t('nav.sampling')}</a>
                  </li>
                )}
                {staff.role === 'admin' && (
                  <>
                    <li>
                      <a href="/admin/staff">{t('nav.admin')}</a>
                    </li>
                    <li>
                      <a href="/admin/queues">{t('nav.queues')}</a>
                    </li>
                  </>
                )}
                <li>
                  <form method="post" action="/staff/logout" class="inline">
                    <input type="hidden" name="_csrf" value={c.get('csrfToken')} />
                    <button type="submit" class="link-button">
                      {t('nav.logout')}
                    </button>
                  </form>
                </li>
              </>
            ) : (
              <>
                <li>
                  <a href="/report">{t('nav.report')}</a>
                </li>
                <li>
                  <a href="/track">{t('nav.track')}</a>
                </li>
              </>
            )}
            <li>
              <a href={switchHref(c, other)} lang={other} hreflang={other} aria-label={t('lang.switchLabel')}>
                {t('lang.switch')}
              </a>
            </li>
          </ul>
        </nav>
      </div>
    </header>
  );
}

function Footer({ c }: { c: Context<WebEnv> }) {
  const t = translator(commonMessages, c.get('language'));
  return (
    <footer class="site-footer">
      <div class="container">
        <p>
          {t('footer.hotline')} · <a href="/recalls">{t('nav.recalls')}</a> · <a href="/sampling">{t('nav.sampling')}</a> ·{' '}
          <a href="/staff/login">{t('nav.staff')}</a> · <a href="/docs">{t('footer.docs')}</a>
        </p>
      </div>
    </footer>
  );
}

/** Renders a full page: the frame, the CSP nonce on the scripts, the reader's language on <html>. */
export async function renderPage(
  c: Context<WebEnv>,
  props: PageProps,
  status: 200 | 400 | 401 | 403 | 404 | 409 | 410 | 413 | 415 | 422 | 429 | 500 | 503 = 200,
): Promise<Response> {
  const lang = c.get('language');
  const t = translator(commonMessages, lang);
  const nonce = c.get('secureHeadersNonce');
  const page = (
    <html lang={lang} data-theme="light">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light" />
        <title>{`${props.title} · ${t('site.name')}`}</title>
        <link rel="stylesheet" href={asset('/static/app.css')} />
        <link rel="icon" href={asset('/static/img/favicon.svg')} type="image/svg+xml" />
        {(props.scripts ?? []).map((s) => (
          <script src={asset(s)} defer nonce={nonce}></script>
        ))}
      </head>
      <body>
        <a class="skip-link" href="#main">
          {t('skip')}
        </a>
        <Header c={c} />
        <main id="main" class={props.wide ? 'container-fluid page' : 'container page'} tabindex={-1}>
          {props.children}
        </main>
        <Footer c={c} />
      </body>
    </html>
  );
  const html = await page;
  return c.html(`<!doctype html>${html}`, status);
}
