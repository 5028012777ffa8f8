import { Hono, type Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { z } from 'zod';
import { shanghaiDate } from '../../../shared/calendar/index.js';
import { hazardLabels, injuryLabels, itemCategories, productCategoryLabel } from '../../../shared/complaints/index.js';
import { DomainError, notFound, type FieldIssue } from '../../../shared/errors/index.js';
import { labelOf, translateError, type Language } from '../../../shared/i18n/index.js';
import {
  progressInputSchema,
  recallInputSchema,
  recallRecordListQuerySchema,
  recallStatuses,
  recallStatusLabel,
  recallTransitionInputSchema,
  recallTypeLabel,
  recallTypes,
  remedies,
  remedyLabel,
  signalStatuses,
  signalListQuerySchema,
  signalStatusLabel,
  signalTransitionInputSchema,
  type FanOut,
  type RecallRecord,
  type SignalDetail,
  type SignalView,
} from '../../../shared/recalls/index.js';
import type { ServiceContext } from '../../../shared/runtime/index.js';
import { idSchema } from '../../../shared/validation/index.js';
import { fieldIssues } from '../../http/index.js';
import {
  createRecall,
  getRecallRecord,
  listRecallRecords,
  publishRecall,
  reportProgress,
  transitionRecall,
  updateRecall,
} from '../../recalls/index.js';
import { getSignal, listSignals, transitionSignal } from '../../signals/index.js';
import { Choices, Countdown, CsrfField, ErrorSummary, Field, Notice, Select, TextArea } from '../components.js';
import { formToInput, readForm, valueOf, type FormFields } from '../forms.js';
import { renderPage } from '../layout.js';
import { translator } from '../messages.js';
import { pageStaff, requireStaffPage } from '../session.js';
import type { WebEnv } from '../types.js';
import { recallPageMessages } from './messages.js';
import { DataTable, fieldErrors, listFields, RecallAdvice, RecallFacts, StatusBadge, tr } from './view.js';

/**
 * The regulator's recall work: defect signals (investigate, dismiss, start a recall), the recall editor, publication,
 * the producer's reports with their due dates, completion and closing, and the fan-out's progress.
 */

const LISTS = ['models', 'batches', 'salesChannels'] as const;
const day = (iso: string) => shanghaiDate(new Date(iso));

/** A list's filter from the query string, by the API's own schema; a bad value is no filter. */
function listQuery<S extends z.ZodType>(c: Context<WebEnv>, schema: S): z.output<S> {
  const parsed = schema.safeParse(formToInput(schema, c.req.query()));
  return parsed.success ? parsed.data : schema.parse({});
}

/** A use case's refusal shown beside the form that caused it: its field issues, or its message on the form's key field. */
function refusal(err: unknown, lang: Language, keyField: string): { errors: Record<string, string>; status: 400 | 409 } | undefined {
  if (!(err instanceof DomainError) || !['validation_failed', 'conflict'].includes(err.code)) return undefined;
  const issues = Array.isArray(err.details) ? (err.details as FieldIssue[]) : [];
  const errors = issues.length
    ? fieldErrors(
        issues.map((i) => ({ ...i, message: translateError(i.message, lang) })),
        LISTS,
        lang,
      )
    : { [keyField]: translateError(err.message, lang) };
  return { errors, status: err.code === 'conflict' ? 409 : 400 };
}

function FanOutProgress({ fanOut, lang }: { fanOut: FanOut | undefined; lang: Language }) {
  const t = translator(recallPageMessages, lang);
  const f = fanOut ?? { matched: 0, queued: 0, sent: 0, failed: 0, cancelled: 0, complete: false };
  const counts: Array<[string, number, string]> = [
    [t('record.matched'), f.matched, 'matched'],
    [t('record.queued'), f.queued, 'queued'],
    [t('record.sent'), f.sent, 'sent'],
    [t('record.failed'), f.failed, 'failed'],
    [t('record.cancelled'), f.cancelled, 'cancelled'],
  ];
  // While notices are still being found or sent, /static/js/fanout.js refreshes this panel in place.
  const finished = f.complete && f.queued === 0;
  return (
    <section class="panel" aria-labelledby="fanout" id="fan-out" data-live={finished ? undefined : 'true'}>
      <h2 id="fanout">{t('record.fanOut')}</h2>
      <div class="kpis fanout">
        {counts.map(([label, n, key]) => (
          <div class="kpi" data-count={key}>
            <span>{label}</span>
            <strong class={key === 'failed' && n > 0 ? 'verdict-fail' : ''}>{n}</strong>
          </div>
        ))}
      </div>
      <label>
        {t('record.sentOf', { sent: f.sent, matched: f.matched })}
        <progress value={f.sent + f.failed + f.cancelled} max={Math.max(f.matched, 1)}></progress>
      </label>
      <p role="status">
        {f.complete ? t('record.allFound') : t('record.searching')} <a href="#fan-out">{t('record.refresh')}</a>
      </p>
    </section>
  );
}

/** The recall editor's fields, named after the JSON contract's paths. */
function RecallForm({
  c,
  action,
  fields,
  errors,
  submit,
}: {
  c: Context<WebEnv>;
  action: string;
  fields: FormFields;
  errors: Record<string, string>;
  submit: string;
}) {
  const lang = c.get('language');
  const t = tr(c);
  const v = (name: string) => valueOf(fields, name);
  const text = (name: string, opts: { required?: boolean; max: number; type?: string; hint?: string } = { max: 200 }) => (
    <Field
      name={name}
      type={opts.type ?? 'text'}
      label={t(`field.${name}` as Parameters<typeof t>[0])}
      hint={opts.hint}
      value={v(name)}
      error={errors[name]}
      required={opts.required ?? true}
      lang={lang}
      maxlength={opts.max}
    />
  );
  const area = (name: string, opts: { required?: boolean; max: number; hint?: string; rows?: number }) => (
    <TextArea
      name={name}
      label={t(`field.${name}` as Parameters<typeof t>[0])}
      hint={opts.hint}
      value={v(name)}
      error={errors[name]}
      required={opts.required ?? true}
      lang={lang}
      maxlength={opts.max}
      rows={opts.rows ?? 3}
    />
  );
  return (
    <form method="post" action={action} novalidate>
      <CsrfField token={c.get('csrfToken')} />
      <input type="hidden" name="signalId" value={v('signalId')} />
      <ErrorSummary errors={errors} lang={lang} />
      {errors.signalId && <Notice kind="danger">{errors.signalId}</Notice>}
      <Choices
        name="type"
        label={t('field.type')}
        options={recallTypes.map((x) => ({ value: x, label: recallTypeLabel(x, lang) }))}
        values={[v('type')]}
        error={errors.type}
        required
        compact
        lang={lang}
      />
      {text('title', { max: 200 })}
      <fieldset class="panel">
        <legend>{t('editor.product')}</legend>
        <div class="grid-2">
          {text('manufacturer.name', { max: 200 })}
          {text('manufacturer.uscc', { max: 18, required: false, hint: t('field.usccHint') })}
          {text('brand', { max: 100 })}
          {text('productName', { max: 200 })}
        </div>
        <Select
          name="category"
          label={t('field.category')}
          options={itemCategories.map((cat) => ({ value: cat, label: productCategoryLabel(cat, lang) }))}
          value={v('category')}
          error={errors.category}
          required
          lang={lang}
        />
        {area('models', { max: 20_000, hint: t('field.listHint') })}
        {area('batches', { max: 50_000, required: false, hint: `${t('field.listHint')}；${t('field.batchesHint')}` })}
        <div class="grid-2">
          {text('productionFrom', { type: 'date', required: false, max: 10 })}
          {text('productionTo', { type: 'date', required: false, max: 10 })}
        </div>
        {text('unitsAffected', { type: 'number', max: 10 })}
        {area('salesChannels', { max: 2_000, required: false, hint: t('field.listHint'), rows: 2 })}
      </fieldset>
      <fieldset class="panel">
        <legend>{t('editor.defect')}</legend>
        {area('hazard', { max: 2_000, rows: 4 })}
        {area('injuriesReported', { max: 2_000, required: false })}
        <Choices
          name="remedy"
          label={t('field.remedy')}
          options={remedies.map((x) => ({ value: x, label: remedyLabel(x, lang) }))}
          values={[v('remedy')]}
          error={errors.remedy}
          required
          compact
          lang={lang}
        />
        {area('remedyInstructions', { max: 3_000, rows: 4 })}
        {text('consumerContact', { max: 300 })}
        {text('startsOn', { type: 'date', max: 10 })}
      </fieldset>
      <button type="submit">{submit}</button>
    </form>
  );
}

/** A record's content as the editor's fields. */
const fieldsOfRecord = (r: RecallRecord): FormFields => ({
  type: r.type,
  title: r.title,
  category: r.category,
  'manufacturer.name': r.manufacturer.name,
  'manufacturer.uscc': r.manufacturer.uscc ?? '',
  brand: r.brand,
  productName: r.productName,
  models: r.models.join('\n'),
  batches: r.batches.join('\n'),
  productionFrom: r.productionFrom ?? '',
  productionTo: r.productionTo ?? '',
  unitsAffected: String(r.unitsAffected),
  salesChannels: r.salesChannels.join('\n'),
  hazard: r.hazard,
  injuriesReported: r.injuriesReported ?? '',
  remedy: r.remedy,
  remedyInstructions: r.remedyInstructions,
  consumerContact: r.consumerContact,
  startsOn: r.startsOn,
  signalId: r.signalId === null ? '' : String(r.signalId),
});

/** The most frequent of some values (the evidence's usual spelling of a brand or a maker). */
const mostFrequent = (values: Array<string | undefined>) => {
  const counts = new Map<string, number>();
  for (const v of values) if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
};

/** A new recall from a signal starts from its evidence: the product as the complaints name it, its hazards. */
const fieldsOfSignal = (s: SignalDetail, lang: Language): FormFields => ({
  type: 'ordered',
  category: mostFrequent(s.items.map((i) => i.category)),
  'manufacturer.name': mostFrequent(s.items.map((i) => i.product.manufacturer)),
  brand: mostFrequent(s.items.map((i) => i.product.brand)),
  models: [...new Set(s.items.map((i) => i.product.model).filter(Boolean))].join('\n'),
  hazard: s.hazards.map((h) => labelOf(hazardLabels, h, lang)).join('、'),
  startsOn: shanghaiDate(new Date()),
  signalId: String(s.id),
});

function SignalRow({ s, lang }: { s: SignalView; lang: Language }) {
  const t = translator(recallPageMessages, lang);
  return (
    <tr>
      <td>
        <a href={`/regulator/signals/${s.id}`}>{`#${s.id} ${s.subject.label}`}</a>
        <br />
        <small>{t(s.subject.kind === 'manufacturer' ? 'signal.subject.manufacturer' : 'signal.subject.product')}</small>
      </td>
      <td>
        <span class={`badge signal-${s.status}`}>{signalStatusLabel(s.status, lang)}</span>
      </td>
      <td>{s.itemCount}</td>
      <td>{s.worstInjury ? labelOf(injuryLabels, s.worstInjury, lang) : '—'}</td>
      <td>{s.hazards.map((h) => labelOf(hazardLabels, h, lang)).join('、') || '—'}</td>
      <td>{s.jurisdictionCodes.join(' ')}</td>
      <td>{`${day(s.firstAt)} – ${day(s.lastAt)}`}</td>
    </tr>
  );
}

const StatusFilter = ({
  action,
  statuses,
  value,
  label,
  lang,
}: {
  action: string;
  statuses: readonly string[];
  value: string;
  label: (s: string) => string;
  lang: Language;
}) => {
  const t = translator(recallPageMessages, lang);
  return (
    <form method="get" action={action} class="filters">
      <Select
        name="status"
        label={t('field.status')}
        placeholder={t('reg.allStatuses')}
        options={statuses.map((s) => ({ value: s, label: label(s) }))}
        value={value}
        required={false}
        lang={lang}
      />
      <button type="submit" class="secondary">
        {t('reg.filter')}
      </button>
    </form>
  );
};

export function regulatorRecallPages(ctx: ServiceContext) {
  const app = new Hono<WebEnv>();
  for (const path of ['/regulator/signals', '/regulator/signals/*', '/regulator/recalls', '/regulator/recalls/*']) {
    app.use(path, requireStaffPage('regulator'));
  }

  /* ---- defect signals ---- */

  app.get('/regulator/signals', async (c) => {
    const lang = c.get('language');
    const t = tr(c);
    const query = listQuery(c, signalListQuerySchema);
    const status = query.status;
    const list = await listSignals(ctx, { staff: pageStaff(c), query });
    return renderPage(c, {
      title: t('reg.signals'),
      wide: true,
      children: (
        <section>
          <h1>{t('reg.signals')}</h1>
          <p>{t('signal.lead')}</p>
          <StatusFilter
            action="/regulator/signals"
            statuses={signalStatuses}
            value={status ?? ''}
            label={(s) => signalStatusLabel(s, lang)}
            lang={lang}
          />
          <DataTable
            label={t('reg.signals')}
            headers={[
              t('signal.subject'),
              t('field.status'),
              t('signal.items'),
              t('signal.worstInjury'),
              t('signal.hazards'),
              t('signal.jurisdictions'),
              t('signal.period'),
            ]}
            count={list.items.length}
            empty={t('reg.none')}
          >
            {list.items.map((s) => (
              <SignalRow s={s} lang={lang} />
            ))}
          </DataTable>
        </section>
      ),
    });
  });

  const signalPage = async (
    c: Context<WebEnv>,
    id: number,
    extra: { errors?: Record<string, string>; form?: string } = {},
    status: 200 | 400 | 409 = 200,
  ) => {
    const lang = c.get('language');
    const t = tr(c);
    const s = await getSignal(ctx, { staff: pageStaff(c), id });
    const active = s.status === 'open' || s.status === 'investigating';
    const notice = c.req.query('notice');
    const decide = (to: 'investigating' | 'dismissed', label: string) => {
      const errors = extra.form === to ? (extra.errors ?? {}) : {};
      return (
        <form method="post" action={`/regulator/signals/${s.id}/transitions`} class="panel">
          <CsrfField token={c.get('csrfToken')} />
          <input type="hidden" name="to" value={to} />
          <ErrorSummary errors={errors} lang={lang} scope={to} />
          <TextArea
            name="reason"
            scope={to}
            label={t('signal.reason')}
            error={errors.reason ?? errors.to}
            lang={lang}
            maxlength={2000}
            rows={2}
          />
          <button type="submit" class={to === 'dismissed' ? 'secondary' : ''}>
            {label}
          </button>
        </form>
      );
    };
    return renderPage(
      c,
      {
        title: t('signal.title', { id: s.id }),
        wide: true,
        children: (
          <section>
            <p>
              <a href="/regulator/signals">{t('reg.signals')}</a>
            </p>
            <h1>
              {t('signal.title', { id: s.id })} · {s.subject.label}
            </h1>
            {notice && (signalStatuses as readonly string[]).includes(notice) && (
              <Notice kind="success">{t('signal.decided', { status: signalStatusLabel(notice, lang) })}</Notice>
            )}
            <dl class="facts">
              <dt>{t('field.status')}</dt>
              <dd>
                <span class={`badge signal-${s.status}`}>{signalStatusLabel(s.status, lang)}</span>
              </dd>
              <dt>{t('signal.subject')}</dt>
              <dd>{`${t(s.subject.kind === 'manufacturer' ? 'signal.subject.manufacturer' : 'signal.subject.product')}：${s.subject.label}`}</dd>
              <dt>{t('signal.items')}</dt>
              <dd>{s.itemCount}</dd>
              <dt>{t('signal.hazards')}</dt>
              <dd>{s.hazards.map((h) => labelOf(hazardLabels, h, lang)).join('、') || '—'}</dd>
              <dt>{t('signal.worstInjury')}</dt>
              <dd>{s.worstInjury ? labelOf(injuryLabels, s.worstInjury, lang) : '—'}</dd>
              <dt>{t('signal.jurisdictions')}</dt>
              <dd>{s.jurisdictionCodes.join(' ')}</dd>
              <dt>{t('signal.period')}</dt>
              <dd>{`${day(s.firstAt)} – ${day(s.lastAt)}`}</dd>
              {s.recallNo && (
                <>
                  <dt>{t('signal.recall')}</dt>
                  <dd>
                    <a href={`/regulator/recalls/${s.recallNo}`}>{s.recallNo}</a>
                  </dd>
                </>
              )}
            </dl>
            {active && (
              <section aria-labelledby="decide">
                <h2 id="decide">{t('signal.decide')}</h2>
                <p>
                  <a href={`/regulator/recalls/new?signal=${s.id}`} role="button">
                    {t('signal.startRecall')}
                  </a>
                </p>
                <div class="grid-2">
                  {s.status === 'open' && decide('investigating', t('signal.investigate'))}
                  {decide('dismissed', t('signal.dismiss'))}
                </div>
              </section>
            )}
            <section aria-labelledby="evidence">
              <h2 id="evidence">{t('signal.evidence')}</h2>
              <DataTable
                label={t('signal.evidence')}
                headers={[
                  t('signal.trackingNo'),
                  t('signal.received'),
                  t('signal.product'),
                  t('signal.hazards'),
                  t('signal.injury'),
                  t('signal.jurisdictions'),
                ]}
                count={s.items.length}
                empty={t('reg.none')}
              >
                {s.items.map((i) => (
                  <tr>
                    <td>
                      <code>{i.trackingNo}</code>
                      <br />
                      {i.title}
                    </td>
                    <td>{day(i.receivedAt)}</td>
                    <td>{[i.product.brand, i.product.model, i.product.manufacturer].filter(Boolean).join(' · ')}</td>
                    <td>{i.hazards.map((h) => labelOf(hazardLabels, h, lang)).join('、') || '—'}</td>
                    <td>{i.injury ? labelOf(injuryLabels, i.injury, lang) : '—'}</td>
                    <td>{i.jurisdictionCode ?? '—'}</td>
                  </tr>
                ))}
              </DataTable>
            </section>
            <section aria-labelledby="history">
              <h2 id="history">{t('signal.history')}</h2>
              <ol class="timeline">
                <li>
                  <time datetime={s.openedAt}>{day(s.openedAt)}</time>
                  <strong>{t('signal.opened')}</strong>
                </li>
                {s.events.map((e) => (
                  <li>
                    <time datetime={e.at}>{day(e.at)}</time>
                    <strong>{signalStatusLabel(e.to, lang)}</strong>
                    {e.reason && <span>{e.reason}</span>}
                  </li>
                ))}
              </ol>
            </section>
          </section>
        ),
      },
      status,
    );
  };

  const signalIdOf = (c: Context<WebEnv>) => {
    const id = idSchema.safeParse(c.req.param('id'));
    if (!id.success) throw notFound('signal');
    return id.data;
  };

  app.get('/regulator/signals/:id', (c) => signalPage(c, signalIdOf(c)));

  app.post('/regulator/signals/:id/transitions', async (c) => {
    const id = signalIdOf(c);
    const lang = c.get('language');
    const fields = await readForm(c);
    const form = valueOf(fields, 'to');
    const parsed = signalTransitionInputSchema.safeParse(formToInput(signalTransitionInputSchema, fields));
    if (!parsed.success) return signalPage(c, id, { form, errors: fieldErrors(fieldIssues(parsed.error, [], lang), [], lang) }, 400);
    try {
      const s = await transitionSignal(ctx, { staff: pageStaff(c), id, input: parsed.data });
      return c.redirect(`/regulator/signals/${id}?notice=${s.status}`, 303);
    } catch (err) {
      const r = refusal(err, lang, 'to');
      if (r) return signalPage(c, id, { form, errors: r.errors }, r.status);
      throw err;
    }
  });

  /* ---- recalls ---- */

  app.get('/regulator/recalls', async (c) => {
    const lang = c.get('language');
    const t = tr(c);
    const query = listQuery(c, recallRecordListQuerySchema);
    const status = query.status;
    const list = await listRecallRecords(ctx, { staff: pageStaff(c), query });
    return renderPage(c, {
      title: t('records.title'),
      wide: true,
      children: (
        <section>
          <h1>{t('records.title')}</h1>
          <p>
            <a href="/regulator/recalls/new" role="button">
              {t('records.new')}
            </a>{' '}
            <a href="/regulator/signals">{t('reg.signals')}</a>
          </p>
          <StatusFilter
            action="/regulator/recalls"
            statuses={recallStatuses}
            value={status ?? ''}
            label={(s) => recallStatusLabel(s, lang)}
            lang={lang}
          />
          <DataTable
            label={t('records.title')}
            headers={[t('field.recallNo'), t('field.title'), t('field.status'), t('records.fanOut'), t('records.updated')]}
            count={list.items.length}
            empty={t('reg.none')}
          >
            {list.items.map((r) => (
              <tr>
                <td>
                  <a href={`/regulator/recalls/${r.recallNo}`}>{r.recallNo}</a>
                </td>
                <td>{`${r.brand} · ${r.title}`}</td>
                <td>
                  <StatusBadge status={r.status} lang={lang} />
                </td>
                <td>{r.fanOut ? t('record.sentOf', { sent: r.fanOut.sent, matched: r.fanOut.matched }) : '—'}</td>
                <td>{day(r.updatedAt)}</td>
              </tr>
            ))}
          </DataTable>
        </section>
      ),
    });
  });

  const editorPage = (
    c: Context<WebEnv>,
    opts: { title: string; action: string; fields: FormFields; errors?: Record<string, string>; intro?: Child },
    status: 200 | 400 | 409 = 200,
  ) =>
    renderPage(
      c,
      {
        title: opts.title,
        children: (
          <section class="narrow">
            <p>
              <a href="/regulator/recalls">{tr(c)('records.title')}</a>
            </p>
            <h1>{opts.title}</h1>
            {opts.intro}
            <RecallForm c={c} action={opts.action} fields={opts.fields} errors={opts.errors ?? {}} submit={tr(c)('editor.save')} />
          </section>
        ),
      },
      status,
    );

  const fromSignalNotice = (c: Context<WebEnv>, fields: FormFields) =>
    valueOf(fields, 'signalId') ? (
      <Notice kind="info">{tr(c)('editor.fromSignal', { id: valueOf(fields, 'signalId') })}</Notice>
    ) : undefined;

  app.get('/regulator/recalls/new', async (c) => {
    const signalId = idSchema.safeParse(c.req.query('signal'));
    const fields = signalId.success
      ? fieldsOfSignal(await getSignal(ctx, { staff: pageStaff(c), id: signalId.data }), c.get('language'))
      : { startsOn: shanghaiDate(new Date()) };
    return editorPage(c, { title: tr(c)('editor.newTitle'), action: '/regulator/recalls', fields, intro: fromSignalNotice(c, fields) });
  });

  /** Parses the editor's fields and runs a save; a refusal shows the form again with the values kept. */
  const saveRecall = async (
    c: Context<WebEnv>,
    page: { title: string; action: string },
    save: (input: ReturnType<typeof recallInputSchema.parse>) => Promise<{ recallNo: string }>,
  ) => {
    const lang = c.get('language');
    const fields = await readForm(c);
    const again = (errors: Record<string, string>, status: 400 | 409) =>
      editorPage(c, { ...page, fields, errors, intro: fromSignalNotice(c, fields) }, status);
    const parsed = recallInputSchema.safeParse(formToInput(recallInputSchema, listFields(fields, LISTS)));
    if (!parsed.success) return again(fieldErrors(fieldIssues(parsed.error, [], lang), LISTS, lang), 400);
    try {
      const saved = await save(parsed.data);
      return c.redirect(`/regulator/recalls/${saved.recallNo}?notice=saved`, 303);
    } catch (err) {
      const r = refusal(err, lang, 'title');
      if (r) return again(r.errors, r.status);
      throw err;
    }
  };

  app.post('/regulator/recalls', (c) =>
    saveRecall(c, { title: tr(c)('editor.newTitle'), action: '/regulator/recalls' }, (input) =>
      createRecall(ctx, { staff: pageStaff(c), input }),
    ),
  );

  app.get('/regulator/recalls/:recallNo/edit', async (c) => {
    const record = await getRecallRecord(ctx, { staff: pageStaff(c), recallNo: c.req.param('recallNo') });
    if (record.status !== 'draft') return c.redirect(`/regulator/recalls/${record.recallNo}`, 303);
    return editorPage(c, {
      title: tr(c)('editor.editTitle', { recallNo: record.recallNo }),
      action: `/regulator/recalls/${record.recallNo}`,
      fields: fieldsOfRecord(record),
    });
  });

  app.post('/regulator/recalls/:recallNo', (c) => {
    const recallNo = c.req.param('recallNo');
    return saveRecall(c, { title: tr(c)('editor.editTitle', { recallNo }), action: `/regulator/recalls/${recallNo}` }, (input) =>
      updateRecall(ctx, { staff: pageStaff(c), recallNo, input }),
    );
  });

  const recordPage = async (
    c: Context<WebEnv>,
    recallNo: string,
    extra: { form?: string; fields?: FormFields; errors?: Record<string, string> } = {},
    status: 200 | 400 | 409 = 200,
  ) => {
    const lang = c.get('language');
    const t = tr(c);
    const r = await getRecallRecord(ctx, { staff: pageStaff(c), recallNo });
    const today = shanghaiDate(new Date());
    const errorsOf = (form: string) => (extra.form === form ? (extra.errors ?? {}) : {});
    const notice = c.req.query('notice');
    const notices: Record<string, string> = {
      saved: t('editor.saved'),
      published: t('record.published'),
      progress: t('record.progressSaved'),
      completed: t('record.moved', { status: recallStatusLabel('completed', lang) }),
      closed: t('record.moved', { status: recallStatusLabel('closed', lang) }),
    };
    const move = (to: 'completed' | 'closed', label: string, hint: string) => {
      const errors = errorsOf(to);
      return (
        <form method="post" action={`/regulator/recalls/${r.recallNo}/transitions`} class="panel">
          <CsrfField token={c.get('csrfToken')} />
          <input type="hidden" name="to" value={to} />
          <ErrorSummary errors={errors} lang={lang} scope={to} />
          <p>{hint}</p>
          <TextArea
            name="note"
            scope={to}
            label={t('record.note')}
            error={errors.note ?? errors.to}
            lang={lang}
            maxlength={2000}
            rows={2}
          />
          <button type="submit">{label}</button>
        </form>
      );
    };
    const progressErrors = errorsOf('progress');
    return renderPage(
      c,
      {
        title: `${r.recallNo} ${r.title}`,
        scripts: r.status === 'draft' ? [] : ['/static/js/fanout.js'],
        children: (
          <article>
            <p>
              <a href="/regulator/recalls">{t('records.title')}</a>
            </p>
            <p>
              <StatusBadge status={r.status} lang={lang} /> <code>{r.recallNo}</code>
              {r.publishedOn && ` · ${t('search.published', { day: r.publishedOn })}`}
            </p>
            <h1>{r.title}</h1>
            {notice && notices[notice] && <Notice kind="success">{notices[notice]}</Notice>}
            {r.status === 'draft' ? (
              <section class="panel" aria-labelledby="publish">
                <h2 id="publish">{t('record.publish')}</h2>
                <p>{t('record.publishHint')}</p>
                <div class="actions">
                  <a href={`/regulator/recalls/${r.recallNo}/edit`} role="button" class="secondary">
                    {t('record.edit')}
                  </a>
                  <form method="post" action={`/regulator/recalls/${r.recallNo}/publish`}>
                    <CsrfField token={c.get('csrfToken')} />
                    <button type="submit">{t('record.publish')}</button>
                  </form>
                </div>
                {errorsOf('publish').publish && <p class="field-error">{errorsOf('publish').publish}</p>}
              </section>
            ) : (
              <>
                <p>
                  <a href={`/recalls/${r.recallNo}`}>{t('record.public')}</a>
                </p>
                <FanOutProgress fanOut={r.fanOut} lang={lang} />
              </>
            )}
            {r.signalId !== null && (
              <p>
                {t('record.signal')}：<a href={`/regulator/signals/${r.signalId}`}>{`#${r.signalId}`}</a>
              </p>
            )}
            {r.status !== 'draft' && (
              <section aria-labelledby="reports">
                <h2 id="reports">{t('record.reports')}</h2>
                <dl class="facts">
                  <dt>{t('field.unitsRemedied')}</dt>
                  <dd>
                    {`${r.unitsRemedied} / ${r.unitsAffected}`}
                    <progress value={r.unitsRemedied} max={r.unitsAffected} aria-label={t('field.unitsRemedied')}></progress>
                  </dd>
                  {r.nextReportDue && (
                    <>
                      <dt>{t('record.nextReportDue')}</dt>
                      <dd>
                        <Countdown dueOn={r.nextReportDue} today={today} lang={lang} />
                      </dd>
                    </>
                  )}
                  {r.summaryDue && (
                    <>
                      <dt>{t('record.summaryDue')}</dt>
                      <dd>
                        <Countdown dueOn={r.summaryDue} today={today} lang={lang} />
                      </dd>
                    </>
                  )}
                </dl>
                <DataTable
                  label={t('record.reports')}
                  headers={[t('record.asOf'), t('field.unitsRemedied'), t('record.note')]}
                  count={r.progressReports.length}
                  empty={t('record.noReports')}
                >
                  {r.progressReports.map((p) => (
                    <tr>
                      <td>{p.asOf}</td>
                      <td>{p.unitsRemedied}</td>
                      <td>{p.note ?? ''}</td>
                    </tr>
                  ))}
                </DataTable>
                {r.status === 'published' && (
                  <form method="post" action={`/regulator/recalls/${r.recallNo}/progress`} class="panel" novalidate>
                    <CsrfField token={c.get('csrfToken')} />
                    <h3>{t('record.reportProgress')}</h3>
                    <ErrorSummary errors={progressErrors} lang={lang} scope="progress" />
                    <div class="grid-2">
                      <Field
                        name="asOf"
                        scope="progress"
                        type="date"
                        label={t('record.asOf')}
                        value={valueOf(extra.fields, 'asOf') || today}
                        error={progressErrors.asOf}
                        required
                        lang={lang}
                        max={today}
                      />
                      <Field
                        name="unitsRemedied"
                        scope="progress"
                        type="number"
                        inputmode="numeric"
                        min="0"
                        label={t('field.unitsRemedied')}
                        value={valueOf(extra.fields, 'unitsRemedied')}
                        error={progressErrors.unitsRemedied}
                        required
                        lang={lang}
                      />
                    </div>
                    <TextArea
                      name="note"
                      scope="progress"
                      label={t('record.note')}
                      value={valueOf(extra.fields, 'note')}
                      error={progressErrors.note}
                      lang={lang}
                      maxlength={2000}
                      rows={2}
                    />
                    <button type="submit">{t('record.reportProgress')}</button>
                  </form>
                )}
                {r.status === 'published' && move('completed', t('record.complete'), t('record.completeHint'))}
                {r.status === 'completed' && move('closed', t('record.close'), t('record.closeHint'))}
              </section>
            )}
            <RecallAdvice recall={r} lang={lang} />
            <section aria-labelledby="details">
              <h2 id="details">{t('recall.details')}</h2>
              <RecallFacts recall={r} lang={lang} />
            </section>
            <section aria-labelledby="history">
              <h2 id="history">{t('record.history')}</h2>
              <ol class="timeline">
                {r.events.map((e) => (
                  <li>
                    <time datetime={e.at}>{day(e.at)}</time>
                    <strong>
                      {e.action === 'progress_reported'
                        ? t('event.progress_reported', { n: e.data.unitsRemedied })
                        : t(`event.${e.action}`)}
                    </strong>
                    {'note' in e.data && e.data.note && <span>{e.data.note}</span>}
                  </li>
                ))}
              </ol>
            </section>
          </article>
        ),
      },
      status,
    );
  };

  app.get('/regulator/recalls/:recallNo', (c) => recordPage(c, c.req.param('recallNo')));

  /** A lifecycle step from the record page: done, back to the page with a notice; refused, the page with the errors. */
  const step = async (
    c: Context<WebEnv>,
    form: string,
    keyField: string,
    run: () => Promise<unknown>,
    notice: string,
    fields?: FormFields,
  ) => {
    const recallNo = c.req.param('recallNo')!;
    try {
      await run();
      return c.redirect(`/regulator/recalls/${recallNo}?notice=${notice}`, 303);
    } catch (err) {
      const r = refusal(err, c.get('language'), keyField);
      if (r) return recordPage(c, recallNo, { form, errors: r.errors, ...(fields ? { fields } : {}) }, r.status);
      throw err;
    }
  };

  app.post('/regulator/recalls/:recallNo/publish', (c) =>
    step(c, 'publish', 'publish', () => publishRecall(ctx, { staff: pageStaff(c), recallNo: c.req.param('recallNo') }), 'published'),
  );

  app.post('/regulator/recalls/:recallNo/progress', async (c) => {
    const lang = c.get('language');
    const fields = await readForm(c);
    const recallNo = c.req.param('recallNo');
    const parsed = progressInputSchema.safeParse(formToInput(progressInputSchema, fields));
    if (!parsed.success)
      return recordPage(c, recallNo, { form: 'progress', fields, errors: fieldErrors(fieldIssues(parsed.error, [], lang), [], lang) }, 400);
    return step(
      c,
      'progress',
      'unitsRemedied',
      () => reportProgress(ctx, { staff: pageStaff(c), recallNo, input: parsed.data }),
      'progress',
      fields,
    );
  });

  app.post('/regulator/recalls/:recallNo/transitions', async (c) => {
    const lang = c.get('language');
    const fields = await readForm(c);
    const recallNo = c.req.param('recallNo');
    const form = valueOf(fields, 'to');
    const parsed = recallTransitionInputSchema.safeParse(formToInput(recallTransitionInputSchema, fields));
    if (!parsed.success) return recordPage(c, recallNo, { form, errors: fieldErrors(fieldIssues(parsed.error, [], lang), [], lang) }, 400);
    return step(c, form, 'to', () => transitionRecall(ctx, { staff: pageStaff(c), recallNo, input: parsed.data }), parsed.data.to);
  });

  return app;
}
