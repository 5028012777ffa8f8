import { Hono, type Context } from 'hono';
import type { Child } from 'hono/jsx';
import { itemCategories, productCategoryLabel, type ItemCategory } from '../../../shared/complaints/index.js';
import { notFound } from '../../../shared/errors/index.js';
import type { Language } from '../../../shared/i18n/index.js';
import { alertTokenSchema, subscriptionInputSchema, UNSUBSCRIBE_PAGE_PREFIX } from '../../../shared/recalls/index.js';
import type { ServiceContext } from '../../../shared/runtime/index.js';
import {
  confirmSubscription,
  describeConfirmLink,
  describeUnsubscribeLink,
  subscribeToAlerts,
  unsubscribeFromAlerts,
} from '../../alerts/index.js';
import { fieldIssues } from '../../http/index.js';
import { Choices, CsrfField, ErrorSummary, Field, Notice } from '../components.js';
import { formToInput, readForm, valueOf, valuesOf, type FormFields } from '../forms.js';
import { renderPage } from '../layout.js';
import { translator } from '../messages.js';
import { overLimit } from '../security.js';
import type { WebEnv } from '../types.js';
import { recallPageMessages } from './messages.js';
import { fieldErrors, listFields, tr } from './view.js';

/**
 * Recall alerts: subscribe, confirm by the emailed link, unsubscribe by an alert's link. A GET on a link never changes
 * anything (mail scanners and previews open links); its page's button does.
 */

/** The one page POST that needs no CSRF token: the unsubscribe link's token is its authority (RFC 8058 one-click). */
export const isOneClickUnsubscribe = (path: string) =>
  path.startsWith(UNSUBSCRIBE_PAGE_PREFIX) &&
  path.length > UNSUBSCRIBE_PAGE_PREFIX.length &&
  !path.slice(UNSUBSCRIBE_PAGE_PREFIX.length).includes('/');

const LISTS = ['filters.brands', 'filters.models'] as const;

function FiltersList({ filters, lang }: { filters: { categories: ItemCategory[]; brands: string[]; models: string[] }; lang: Language }) {
  const t = translator(recallPageMessages, lang);
  const any = t('alerts.any');
  return (
    <dl class="facts">
      <dt>{t('alerts.categories')}</dt>
      <dd>{filters.categories.length ? filters.categories.map((c) => productCategoryLabel(c, lang)).join('、') : any}</dd>
      <dt>{t('alerts.brands')}</dt>
      <dd>{filters.brands.length ? filters.brands.join('、') : any}</dd>
      <dt>{t('alerts.models')}</dt>
      <dd>{filters.models.length ? filters.models.join('、') : any}</dd>
    </dl>
  );
}

const tokenOf = (raw: string | undefined) => {
  const token = alertTokenSchema.safeParse(raw ?? '');
  if (!token.success) throw notFound('subscription');
  return token.data;
};

export function alertPages(ctx: ServiceContext) {
  const app = new Hono<WebEnv>();

  const subscribeForm = (
    c: Context<WebEnv>,
    state: { fields?: FormFields; errors?: Record<string, string> } = {},
    status: 200 | 400 = 200,
  ) => {
    const lang = c.get('language');
    const t = tr(c);
    const errors = state.errors ?? {};
    const f = state.fields;
    return renderPage(
      c,
      {
        title: t('alerts.title'),
        children: (
          <section class="narrow">
            <h1>{t('alerts.title')}</h1>
            {c.req.query('sent') === '1' ? (
              <Notice kind="success">{t('alerts.sent', { hours: ctx.config.ALERT_CONFIRM_TTL_HOURS })}</Notice>
            ) : (
              <p>{t('alerts.lead')}</p>
            )}
            <form method="post" action="/alerts/subscribe" novalidate>
              <CsrfField token={c.get('csrfToken')} />
              <ErrorSummary errors={errors} lang={lang} />
              <Field
                name="email"
                type="email"
                inputmode="email"
                autocomplete="email"
                label={t('alerts.email')}
                value={valueOf(f, 'email')}
                error={errors.email}
                required
                lang={lang}
                maxlength={254}
              />
              <Choices
                name="filters.categories"
                label={t('alerts.categories')}
                hint={t('alerts.categoriesHint')}
                options={itemCategories.map((cat) => ({ value: cat, label: productCategoryLabel(cat, lang) }))}
                values={valuesOf(f, 'filters.categories')}
                error={errors['filters.categories']}
                multiple
                compact
                lang={lang}
              />
              <Field
                name="filters.brands"
                label={t('alerts.brands')}
                hint={t('alerts.filterHint')}
                value={valueOf(f, 'filters.brands')}
                error={errors['filters.brands']}
                lang={lang}
                maxlength={2000}
              />
              <Field
                name="filters.models"
                label={t('alerts.models')}
                hint={t('alerts.filterHint')}
                value={valueOf(f, 'filters.models')}
                error={errors['filters.models']}
                lang={lang}
                maxlength={5000}
              />
              <Choices
                name="language"
                label={t('alerts.language')}
                options={[
                  { value: 'zh-CN', label: '中文' },
                  { value: 'en', label: 'English' },
                ]}
                values={[valueOf(f, 'language') || lang]}
                error={errors.language}
                compact
                required
                lang={lang}
              />
              <button type="submit">{t('alerts.submit')}</button>
            </form>
          </section>
        ),
      },
      status,
    );
  };

  app.get('/alerts/subscribe', (c) => subscribeForm(c));

  app.post('/alerts/subscribe', async (c) => {
    const lang = c.get('language');
    const fields = await readForm(c);
    const parsed = subscriptionInputSchema.safeParse(formToInput(subscriptionInputSchema, listFields(fields, LISTS)));
    if (!parsed.success) {
      return subscribeForm(
        c,
        { fields, errors: fieldErrors(fieldIssues(parsed.error, [], lang), [...LISTS, 'filters.categories'], lang) },
        400,
      );
    }
    await overLimit(c, ctx, 'alerts', ctx.config.RATE_LIMIT_INTAKE_PER_MINUTE);
    await subscribeToAlerts(ctx, parsed.data);
    return c.redirect('/alerts/subscribe?sent=1', 303);
  });

  app.get('/alerts/confirm', async (c) => {
    const lang = c.get('language');
    const t = tr(c);
    const token = tokenOf(c.req.query('token'));
    const link = await describeConfirmLink(ctx, { token });
    c.header('Cache-Control', 'no-store');
    return renderPage(c, {
      title: t('alerts.confirm.title'),
      children: (
        <section class="narrow">
          <h1>{t('alerts.confirm.title')}</h1>
          {link.confirmed ? (
            <Notice kind="success">{t('alerts.confirm.done', { email: link.email })}</Notice>
          ) : (
            <p>{t('alerts.confirm.ask', { email: link.email })}</p>
          )}
          <FiltersList filters={link.filters} lang={lang} />
          {!link.confirmed && (
            <form method="post" action="/alerts/confirm">
              <CsrfField token={c.get('csrfToken')} />
              <input type="hidden" name="token" value={token} />
              <button type="submit">{t('alerts.confirm.button')}</button>
            </form>
          )}
        </section>
      ),
    });
  });

  app.post('/alerts/confirm', async (c) => {
    const token = tokenOf(valueOf(await readForm(c), 'token'));
    await confirmSubscription(ctx, { token });
    return c.redirect(`/alerts/confirm?token=${encodeURIComponent(token)}`, 303);
  });

  const unsubscribePage = (c: Context<WebEnv>, body: Child) => {
    const t = tr(c);
    c.header('Cache-Control', 'no-store');
    return renderPage(c, {
      title: t('alerts.unsubscribe.title'),
      children: (
        <section class="narrow">
          <h1>{t('alerts.unsubscribe.title')}</h1>
          {body}
        </section>
      ),
    });
  };

  app.get(`${UNSUBSCRIBE_PAGE_PREFIX}:token`, async (c) => {
    const t = tr(c);
    const token = tokenOf(c.req.param('token'));
    const link = await describeUnsubscribeLink(ctx, { token });
    return unsubscribePage(
      c,
      link.subscribed ? (
        <form method="post" action={`${UNSUBSCRIBE_PAGE_PREFIX}${encodeURIComponent(token)}`}>
          <CsrfField token={c.get('csrfToken')} />
          <p>{t('alerts.unsubscribe.ask', { email: link.email })}</p>
          <button type="submit">{t('alerts.unsubscribe.button')}</button>
        </form>
      ) : (
        <p>
          {t('alerts.unsubscribe.already', { email: link.email })} <a href="/alerts/subscribe">{t('alerts.again')}</a>
        </p>
      ),
    );
  });

  /** The button, or the mailbox provider's one-click POST (RFC 8058): effective at once, answered without a redirect. */
  app.post(`${UNSUBSCRIBE_PAGE_PREFIX}:token`, async (c) => {
    const t = tr(c);
    await unsubscribeFromAlerts(ctx, { token: tokenOf(c.req.param('token')) });
    return unsubscribePage(
      c,
      <Notice kind="success">
        {t('alerts.unsubscribe.done')} <a href="/alerts/subscribe">{t('alerts.again')}</a>
      </Notice>,
    );
  });

  return app;
}
