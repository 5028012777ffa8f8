import { Hono } from 'hono';
import { itemCategories, productCategoryLabel } from '../../../shared/complaints/index.js';
import {
  recallCheckQuerySchema,
  recallSearchQuerySchema,
  remedyLabel,
  type RecallCheckResult,
  type RecallSearchResult,
} from '../../../shared/recalls/index.js';
import type { Language } from '../../../shared/i18n/index.js';
import type { ServiceContext } from '../../../shared/runtime/index.js';
import { fieldIssues } from '../../http/index.js';
import { checkProduct, getRecall, searchRecalls } from '../../recalls/index.js';
import { ErrorSummary, Field, Notice, Select } from '../components.js';
import { errorsByField, formToInput, valueOf, type FormFields } from '../forms.js';
import { renderPage } from '../layout.js';
import { commonMessages, translator } from '../messages.js';
import type { WebEnv } from '../types.js';
import { recallPageMessages } from './messages.js';
import { RecallAdvice, RecallFacts, StatusBadge, tr } from './view.js';

/** The public's recall pages: search, one recall, "check my product". All GET forms: a search is a link one can share. */

const FEED = '/api/v1/recalls.atom';

function RecallCard({ r, lang }: { r: RecallSearchResult['items'][number]; lang: Language }) {
  const t = translator(recallPageMessages, lang);
  return (
    <li class="recall-card">
      <h3>
        <a href={`/recalls/${r.recallNo}`}>{r.title}</a>
      </h3>
      <p class="recall-meta">
        <StatusBadge status={r.status} lang={lang} /> <code>{r.recallNo}</code> · {t('search.published', { day: r.publishedOn })} ·{' '}
        {productCategoryLabel(r.category, lang)}
      </p>
      <p>
        <strong>{`${r.brand} ${r.productName}`}</strong>（{r.models.join('、')}）
      </p>
      <p class="recall-hazard">{r.hazard}</p>
      <p>
        {t('field.remedy')}：{remedyLabel(r.remedy, lang)}
      </p>
    </li>
  );
}

/** Links to the other pages of a result, keeping the search. */
function Pager({ query, page, pages, lang }: { query: FormFields; page: number; pages: number; lang: Language }) {
  if (pages <= 1) return null;
  const t = translator(recallPageMessages, lang);
  const href = (p: number) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (k !== 'page' && k !== 'lang' && typeof v === 'string' && v) params.set(k, v);
    params.set('page', String(p));
    return `/recalls?${params.toString()}`;
  };
  return (
    <nav aria-label={t('search.pages')} class="pager">
      {page > 1 ? <a href={href(page - 1)}>{t('search.prev')}</a> : <span />}
      <span>{t('search.page', { page, pages })}</span>
      {page < pages ? <a href={href(page + 1)}>{t('search.next')}</a> : <span />}
    </nav>
  );
}

export function publicRecallPages(ctx: ServiceContext) {
  const app = new Hono<WebEnv>();

  app.get('/recalls', async (c) => {
    const lang = c.get('language');
    const t = tr(c);
    const query = c.req.query() as FormFields;
    const parsed = recallSearchQuerySchema.safeParse(formToInput(recallSearchQuerySchema, query));
    const errors = parsed.success ? {} : errorsByField(fieldIssues(parsed.error, [], lang));
    const result = parsed.success ? await searchRecalls(ctx, parsed.data) : undefined;
    const advanced = ['category', 'from', 'to'].some((k) => valueOf(query, k));
    return renderPage(
      c,
      {
        title: t('search.title'),
        children: (
          <section>
            <h1>{t('search.title')}</h1>
            <p class="lead">{t('search.lead')}</p>
            <ul class="link-list">
              <li>
                <a href="/recalls/check">{t('search.check')}</a>
              </li>
              <li>
                <a href="/alerts/subscribe">{t('search.subscribe')}</a>
              </li>
              <li>
                <a href={FEED} type="application/atom+xml">
                  {t('search.feed')}
                </a>
              </li>
            </ul>
            <form method="get" action="/recalls" class="panel" aria-label={t('search.title')} novalidate>
              <ErrorSummary errors={errors} lang={lang} />
              <Field
                name="q"
                type="search"
                label={t('search.q')}
                hint={t('search.qHint')}
                value={valueOf(query, 'q')}
                error={errors.q}
                lang={lang}
                maxlength={200}
              />
              <div class="grid-2">
                <Field
                  name="brand"
                  label={t('search.brand')}
                  value={valueOf(query, 'brand')}
                  error={errors.brand}
                  lang={lang}
                  maxlength={100}
                />
                <Field
                  name="model"
                  label={t('search.model')}
                  value={valueOf(query, 'model')}
                  error={errors.model}
                  lang={lang}
                  maxlength={100}
                />
              </div>
              <details open={advanced || Object.keys(errors).length > 0}>
                <summary>{t('search.more')}</summary>
                <Select
                  name="category"
                  label={t('search.category')}
                  placeholder={t('search.anyCategory')}
                  options={itemCategories.map((cat) => ({ value: cat, label: productCategoryLabel(cat, lang) }))}
                  value={valueOf(query, 'category')}
                  error={errors.category}
                  lang={lang}
                />
                <div class="grid-2">
                  <Field name="from" type="date" label={t('search.from')} value={valueOf(query, 'from')} error={errors.from} lang={lang} />
                  <Field name="to" type="date" label={t('search.to')} value={valueOf(query, 'to')} error={errors.to} lang={lang} />
                </div>
              </details>
              <button type="submit">{translator(commonMessages, lang)('form.search')}</button>
            </form>
            {result && (
              <section aria-labelledby="results">
                <h2 id="results">{t('search.results')}</h2>
                <p role="status">{t('search.total', { n: result.total })}</p>
                {result.items.length === 0 ? (
                  <p>{t('search.none')}</p>
                ) : (
                  <ul class="recall-list">
                    {result.items.map((r) => (
                      <RecallCard r={r} lang={lang} />
                    ))}
                  </ul>
                )}
                <Pager query={query} page={result.page} pages={Math.ceil(result.total / result.pageSize)} lang={lang} />
              </section>
            )}
          </section>
        ),
      },
      parsed.success ? 200 : 400,
    );
  });

  app.get('/recalls/check', async (c) => {
    const lang = c.get('language');
    const t = tr(c);
    const query = c.req.query() as FormFields;
    const asked = ['brand', 'model', 'batch'].some((k) => k in query);
    const parsed = asked ? recallCheckQuerySchema.safeParse(formToInput(recallCheckQuerySchema, query)) : undefined;
    const errors = parsed && !parsed.success ? errorsByField(fieldIssues(parsed.error, [], lang)) : {};
    const result = parsed?.success ? await checkProduct(ctx, parsed.data) : undefined;
    return renderPage(
      c,
      {
        title: t('check.title'),
        children: (
          <section class="narrow">
            <h1>{t('check.title')}</h1>
            <p>{t('check.lead')}</p>
            <form method="get" action="/recalls/check" novalidate>
              <ErrorSummary errors={errors} lang={lang} />
              <Field
                name="brand"
                label={t('check.brand')}
                value={valueOf(query, 'brand')}
                error={errors.brand}
                required
                lang={lang}
                maxlength={100}
              />
              <Field
                name="model"
                label={t('check.model')}
                value={valueOf(query, 'model')}
                error={errors.model}
                required
                lang={lang}
                maxlength={100}
              />
              <Field
                name="batch"
                label={t('check.batch')}
                value={valueOf(query, 'batch')}
                error={errors.batch}
                lang={lang}
                maxlength={100}
              />
              <button type="submit">{t('check.submit')}</button>
            </form>
            {result && <CheckResult result={result} lang={lang} />}
          </section>
        ),
      },
      parsed && !parsed.success ? 400 : 200,
    );
  });

  app.get('/recalls/:recallNo', async (c) => {
    const lang = c.get('language');
    const t = tr(c);
    const recall = await getRecall(ctx, { recallNo: c.req.param('recallNo') });
    return renderPage(c, {
      title: `${recall.recallNo} ${recall.title}`,
      children: (
        <article class="narrow">
          <p>
            <StatusBadge status={recall.status} lang={lang} /> <code>{recall.recallNo}</code> ·{' '}
            {t('search.published', { day: recall.publishedOn })}
          </p>
          <h1>{recall.title}</h1>
          <RecallAdvice recall={recall} lang={lang} />
          <section aria-labelledby="details">
            <h2 id="details">{t('recall.details')}</h2>
            <RecallFacts recall={recall} lang={lang} />
            {recall.unitsRemedied > 0 && (
              <p>
                <label>
                  {t('recall.progress', { done: recall.unitsRemedied, total: recall.unitsAffected })}
                  <progress value={recall.unitsRemedied} max={recall.unitsAffected}></progress>
                </label>
              </p>
            )}
          </section>
          <Notice kind="info">
            {t('recall.complain')} <a href="/report">{translator(commonMessages, lang)('nav.report')}</a>
          </Notice>
          <p>
            <a href="/recalls">{t('recall.back')}</a> · <a href="/alerts/subscribe">{t('search.subscribe')}</a>
          </p>
        </article>
      ),
    });
  });

  return app;
}

function CheckResult({ result, lang }: { result: RecallCheckResult; lang: Language }) {
  const t = translator(recallPageMessages, lang);
  if (result.matches.length === 0)
    return (
      <Notice kind="success">
        {t('check.none')} <a href="/report">{translator(commonMessages, lang)('nav.report')}</a>
      </Notice>
    );
  return (
    <section aria-labelledby="matches" role="status">
      <h2 id="matches">{t('check.found')}</h2>
      <ul class="recall-list">
        {result.matches.map((m) => (
          <li class="recall-card">
            <h3>
              <a href={`/recalls/${m.recallNo}`}>{`${m.recallNo} ${m.title}`}</a>
            </h3>
            <p>
              {m.batchMatch === 'listed'
                ? t('check.batchListed')
                : m.batchMatch === 'all_batches'
                  ? t('check.allBatches')
                  : t('check.batchNotGiven', { batches: m.batches.join('、') })}
            </p>
            <p>
              <strong>{remedyLabel(m.remedy, lang)}</strong>：{m.remedyInstructions}
            </p>
            <p>
              {t('field.consumerContact')}：{m.consumerContact}
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}
