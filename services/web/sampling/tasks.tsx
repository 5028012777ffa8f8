import { Hono, type Context } from 'hono';
import type { z } from 'zod';
import { photoUploadSchema } from '../../../shared/attachments/index.js';
import { shanghaiDate } from '../../../shared/calendar/index.js';
import { categoryLabels } from '../../../shared/complaints/index.js';
import { DomainError } from '../../../shared/errors/index.js';
import { labelOf, type Language } from '../../../shared/i18n/index.js';
import type { ServiceContext } from '../../../shared/runtime/index.js';
import {
  collectionInputSchema,
  defaultDisputedItems,
  deliveryInputSchema,
  deliveryMethods,
  finalBasisLabels,
  labResultsInputSchema,
  objectionInputSchema,
  objectionParties,
  objectionPartyLabels,
  retestResultsInputSchema,
  taskStatusLabel,
  testVerdicts,
  verdictLabel,
  waiverInputSchema,
  type TaskDetail,
} from '../../../shared/sampling/index.js';
import { idSchema } from '../../../shared/validation/index.js';
import {
  addTaskPhoto,
  getResultNotice,
  getTask,
  readTaskPhoto,
  recordCollection,
  recordDelivery,
  recordObjection,
  recordResults,
  recordRetest,
  recordWaiver,
} from '../../sampling/index.js';
import { Choices, CsrfField, Field, Notice, Select, TextArea } from '../components.js';
import { formToInput, readForm, valueOf, valuesOf, type FormFields } from '../forms.js';
import { renderPage } from '../layout.js';
import { translator } from '../messages.js';
import { pageStaff, requireStaffPage } from '../session.js';
import type { WebEnv } from '../types.js';
import { samplingPageMessages } from './messages.js';
import {
  attempt,
  EventTrail,
  FormProblems,
  formatTime,
  localInputValue,
  ResultItems,
  stateFor,
  VerdictBadge,
  withInstants,
  type FormState,
  type PageStatus,
} from './shared.js';

interface Extras extends FormState {
  notice?: string | undefined;
  rows?: number;
}

const MAX_ROWS = 30;

/** A sampling task for its drawn inspectors and the regulators: collection, photos, results, notice, objection, re-test, waiver. */
export function taskPages(ctx: ServiceContext) {
  const app = new Hono<WebEnv>();
  app.use('/staff/sampling/tasks/*', requireStaffPage('inspector', 'regulator'));

  const taskIdOf = (c: Context<WebEnv>) => {
    const id = idSchema.safeParse(c.req.param('id'));
    if (!id.success) throw new DomainError('not_found', 'sampling task not found');
    return id.data;
  };

  const taskPage = async (c: Context<WebEnv>, taskId: number, extra: Extras = {}, status: PageStatus = 200) => {
    const lang = c.get('language');
    const t = translator(samplingPageMessages, lang);
    const task = await getTask(ctx, { staff: pageStaff(c), taskId });
    const title = t('task.title', { id: task.id, product: task.productName });
    return renderPage(c, { title, wide: true, children: <TaskPage c={c} task={task} extra={extra} /> }, status);
  };

  app.get('/staff/sampling/tasks/:id', (c) => {
    const rows = Number(c.req.query('rows'));
    return taskPage(c, taskIdOf(c), {
      notice: c.req.query('notice'),
      ...(Number.isInteger(rows) && rows > 0 ? { rows: Math.min(rows, MAX_ROWS) } : {}),
    });
  });

  /** One step of a task: the form through its API schema to its use case, then back to the task (or the errors). */
  const step = <S extends z.ZodType>(
    path: string,
    schema: S,
    run: (c: Context<WebEnv>, taskId: number, input: z.infer<S>) => Promise<unknown>,
    times: readonly string[] = [],
  ) =>
    app.post(`/staff/sampling/tasks/:id/${path}`, async (c) => {
      const taskId = taskIdOf(c);
      const fields = await readForm(c);
      const result = await attempt(c, {
        form: path,
        fields,
        schema,
        input: formToInput(schema, withInstants(fields, times)),
        run: (input) => run(c, taskId, input),
      });
      if (!result.ok) return taskPage(c, taskId, result.state, result.status);
      return c.redirect(`/staff/sampling/tasks/${taskId}?notice=saved#${path}`, 303);
    });

  step('collection', collectionInputSchema, (c, taskId, input) => recordCollection(ctx, { staff: pageStaff(c), taskId, input }), [
    'collectedAt',
  ]);
  step('results', labResultsInputSchema, (c, taskId, input) => recordResults(ctx, { staff: pageStaff(c), taskId, input }));
  step('delivery', deliveryInputSchema, (c, taskId, input) => recordDelivery(ctx, { staff: pageStaff(c), taskId, ...input }));
  step('objection', objectionInputSchema, (c, taskId, input) => recordObjection(ctx, { staff: pageStaff(c), taskId, ...input }));
  step('retest', retestResultsInputSchema, (c, taskId, input) => recordRetest(ctx, { staff: pageStaff(c), taskId, input }));
  step('waiver', waiverInputSchema, (c, taskId, input) => recordWaiver(ctx, { staff: pageStaff(c), taskId, receivedOn: input.receivedOn }));
  step('photos', photoUploadSchema, async (c, taskId, input) =>
    addTaskPhoto(ctx, { staff: pageStaff(c), taskId, bytes: new Uint8Array(await input.file.arrayBuffer()) }),
  );

  app.get('/staff/sampling/tasks/:id/photos/:attachmentId', async (c) => {
    const attachmentId = idSchema.safeParse(c.req.param('attachmentId'));
    if (!attachmentId.success) throw new DomainError('not_found', 'attachment not found');
    const file = await readTaskPhoto(ctx, { staff: pageStaff(c), taskId: taskIdOf(c), attachmentId: attachmentId.data });
    return c.body(new Uint8Array(file.bytes), 200, {
      'content-type': file.contentType,
      'cache-control': 'private, no-store',
      'x-content-type-options': 'nosniff',
    });
  });

  app.get('/staff/sampling/tasks/:id/letter', async (c) => {
    const lang = c.get('language');
    const notice = await getResultNotice(ctx, { staff: pageStaff(c), taskId: taskIdOf(c), language: lang });
    return renderPage(c, {
      title: notice.subject,
      children: (
        <article class="letter narrow">
          <h1>{notice.subject}</h1>
          {notice.lines.map((line) => (
            <p>{line}</p>
          ))}
        </article>
      ),
    });
  });

  return app;
}

const productOf = (task: TaskDetail) => [task.brand, task.productName, task.model].filter(Boolean).join(' ');

function TaskPage({ c, task, extra }: { c: Context<WebEnv>; task: TaskDetail; extra: Extras }) {
  const lang = c.get('language');
  const t = translator(samplingPageMessages, lang);
  const staff = pageStaff(c);
  const regulator = staff.role === 'regulator';
  const mayWork = regulator || task.inspectors.some((i) => i.id === staff.id);
  const s = task.status;
  return (
    <article class="task">
      <p>
        <a href="/staff/sampling">← {t('staff.title')}</a>
      </p>
      <h1>{t('task.title', { id: task.id, product: productOf(task) })}</h1>
      {extra.notice === 'saved' && <Notice kind="success">{t('task.saved')}</Notice>}
      <dl class="facts">
        <dt>{t('staff.status')}</dt>
        <dd>
          <span class="badge">{taskStatusLabel(s, lang)}</span>
          {task.verdict && <VerdictBadge verdict={task.verdict} lang={lang} />}
        </dd>
        <dt>{t('task.campaign')}</dt>
        <dd>{regulator ? <a href={`/staff/sampling/campaigns/${task.campaignId}`}>{task.campaignTitle}</a> : task.campaignTitle}</dd>
        <dt>{t('task.rank')}</dt>
        <dd>{t('task.rankValue', { rank: task.rank, votes: task.votes })}</dd>
        <dt>{t('staff.product')}</dt>
        <dd>{`${productOf(task)} · ${labelOf(categoryLabels, task.category, lang)}`}</dd>
        <dt>{t('staff.merchant')}</dt>
        <dd>{[task.merchantName, task.merchantAddress, task.districtCode].filter(Boolean).join(' · ')}</dd>
        <dt>{t('task.inspectors')}</dt>
        <dd>{task.inspectors.map((i) => `${i.name}（${i.pseudonym}）`).join('、')}</dd>
      </dl>

      <section aria-labelledby="collection-title" id="collection" class="panel">
        <h2 id="collection-title">{t('task.collection')}</h2>
        {task.collection && (
          <dl class="facts">
            <dt>{t('task.sampleNo')}</dt>
            <dd>{`${task.collection.sampleNo} · ${t('task.sealNo')} ${task.collection.sealNo}`}</dd>
            <dt>{t('task.quantity')}</dt>
            <dd>{`${task.collection.quantity} + ${t('task.reserveQuantity')} ${task.collection.reserveQuantity}`}</dd>
            <dt>{t('task.pricePaidCny')}</dt>
            <dd>{`¥${task.collection.pricePaidCny.toFixed(2)}`}</dd>
            <dt>{t('task.labName')}</dt>
            <dd>{task.collection.labName}</dd>
            <dt>{t('task.collectedAt')}</dt>
            <dd>{formatTime(task.collection.collectedAt, lang)}</dd>
          </dl>
        )}
        {mayWork && (s === 'awaiting_collection' || s === 'collected') && <CollectionForm c={c} task={task} extra={extra} />}
      </section>

      <section aria-labelledby="photos-title" id="photos" class="panel">
        <h2 id="photos-title">{t('task.photos')}</h2>
        {task.photos.length === 0 ? (
          <p class="muted">{t('task.noPhotos')}</p>
        ) : (
          <ul class="photos">
            {task.photos.map((p, i) => (
              <li>
                <a href={`/staff/sampling/tasks/${task.id}/photos/${p.id}`}>
                  <img
                    src={`/staff/sampling/tasks/${task.id}/photos/${p.id}`}
                    alt={`${t('task.photo')} ${i + 1}`}
                    width={160}
                    height={120}
                    loading="lazy"
                  />
                </a>
              </li>
            ))}
          </ul>
        )}
        {mayWork && (
          <>
            <FormProblems state={extra} form="photos" lang={lang} />
            <form method="post" action={`/staff/sampling/tasks/${task.id}/photos`} enctype="multipart/form-data">
              <CsrfField token={c.get('csrfToken')} />
              <Field name="file" type="file" label={t('task.photo')} error={stateFor(extra, 'photos').errors.file} required lang={lang} />
              <button type="submit" class="secondary">
                {t('task.upload')}
              </button>
            </form>
          </>
        )}
      </section>

      <section aria-labelledby="results-title" id="results" class="panel">
        <h2 id="results-title">{t('task.results')}</h2>
        {task.results && <RecordedResult result={task.results} lang={lang} />}
        {mayWork && s === 'collected' && (
          <ResultsForm c={c} task={task} extra={extra} form="results" submit={t('task.recordResults')} labLabel={t('task.resultLab')} />
        )}
      </section>

      {task.notice && (
        <section aria-labelledby="notice-title" id="delivery" class="panel">
          <h2 id="notice-title">{t('task.notice')}</h2>
          <p>
            {task.notice.method === 'email'
              ? t('task.noticeEmail', { at: formatTime(task.notice.issuedAt, lang) })
              : t('task.noticeLetter')}{' '}
            <a href={`/staff/sampling/tasks/${task.id}/letter`}>{t('task.letter')}</a>
          </p>
          {task.notice.deliveredOn && task.notice.deliveryMethod && (
            <p>{t('task.delivered', { on: task.notice.deliveredOn, method: t(`delivery.${task.notice.deliveryMethod}`) })}</p>
          )}
          {task.notice.objectionWindowEndsOn && <p>{t('task.window', { on: task.notice.objectionWindowEndsOn })}</p>}
          {regulator && s === 'notified' && <DeliveryForm c={c} task={task} extra={extra} />}
        </section>
      )}

      {(task.objection || (regulator && s === 'notified')) && (
        <section aria-labelledby="objection-title" id="objection" class="panel">
          <h2 id="objection-title">{t('task.objection')}</h2>
          {task.objection && (
            <p>
              {t('task.objection.recorded', {
                on: task.objection.receivedOn,
                by: labelOf(objectionPartyLabels, task.objection.by, lang),
                grounds: task.objection.grounds,
              })}
              <br />
              {t('task.objection.disputed', { items: task.objection.disputedItems.join(lang === 'en' ? ', ' : '、') })}
            </p>
          )}
          {regulator && s === 'notified' && <ObjectionForm c={c} task={task} extra={extra} />}
        </section>
      )}

      {(task.retest || (regulator && s === 'retest_pending')) && (
        <section aria-labelledby="retest-title" id="retest" class="panel">
          <h2 id="retest-title">{t('task.retest')}</h2>
          {task.retest && (
            <>
              <RecordedResult result={task.retest} lang={lang} />
              {task.retest.refundDue && <Notice kind="info">{t('task.refundDue')}</Notice>}
            </>
          )}
          {regulator && s === 'retest_pending' && (
            <ResultsForm
              c={c}
              task={task}
              extra={extra}
              form="retest"
              submit={t('task.retest.save')}
              labLabel={t('task.retestLab')}
              retest
            />
          )}
        </section>
      )}

      {regulator && (s === 'notified' || s === 'retest_pending') && (
        <section aria-labelledby="waiver-title" id="waiver" class="panel">
          <h2 id="waiver-title">{t('task.waiver')}</h2>
          <DayForm
            c={c}
            task={task}
            extra={extra}
            form="waiver"
            name="receivedOn"
            label={t('task.waiver.receivedOn')}
            submit={t('task.waiver.save')}
          />
        </section>
      )}
      {!regulator && (s === 'notified' || s === 'retest_pending') && <p class="muted">{t('task.regulatorOnly')}</p>}

      {task.final && (
        <section aria-labelledby="final-title" class="panel">
          <h2 id="final-title">
            {t('task.final', { verdict: verdictLabel(task.final.verdict, lang), basis: labelOf(finalBasisLabels, task.final.basis, lang) })}
          </h2>
          {task.followUpCaseId !== null && (
            <p>
              {`${t('task.followUp')}：`}
              <a href={`/staff/cases/${task.followUpCaseId}`}>
                {t('task.followUpLink', { id: task.followUpCaseId, trackingNo: task.followUpTrackingNo ?? '' })}
              </a>
            </p>
          )}
        </section>
      )}

      <section aria-labelledby="events-title">
        <h2 id="events-title">{t('manage.events')}</h2>
        <EventTrail events={task.events} lang={lang} />
      </section>
    </article>
  );
}

function RecordedResult({ result, lang }: { result: NonNullable<TaskDetail['results']>; lang: Language }) {
  const t = translator(samplingPageMessages, lang);
  return (
    <>
      <p>
        {`${t('task.reportNo')} ${result.reportNo}${result.labName ? ` · ${result.labName}` : ''} · `}
        <VerdictBadge verdict={result.verdict} lang={lang} />
      </p>
      <ResultItems items={result.items} lang={lang} caption={`${t('task.reportNo')} ${result.reportNo}`} />
    </>
  );
}

/** A form's field helpers: its posted values after an error, else the defaults, and the errors by field. */
function formKit(extra: Extras, form: string) {
  const s = stateFor(extra, form);
  const v = (name: string, fallback = '') => (s.fields ? valueOf(s.fields, name) : fallback);
  return { ...s, v };
}

function CollectionForm({ c, task, extra }: { c: Context<WebEnv>; task: TaskDetail; extra: Extras }) {
  const lang = c.get('language');
  const t = translator(samplingPageMessages, lang);
  const { errors, v } = formKit(extra, 'collection');
  const k = task.collection;
  const count = { type: 'number', min: '1', inputmode: 'numeric', required: true } as const;
  // The fields in order: name, what is recorded now (a correction starts from it), and the input's kind.
  const fields: Array<[CollectionField, string | null | undefined, Partial<Parameters<typeof Field>[0]>]> = [
    ['sampleNo', k?.sampleNo, { required: true, maxlength: 60 }],
    ['sealNo', k?.sealNo, { required: true, maxlength: 60 }],
    ['quantity', k && String(k.quantity), count],
    ['reserveQuantity', k && String(k.reserveQuantity), count],
    ['labName', k?.labName, { required: true, maxlength: 200 }],
    ['pricePaidCny', k && String(k.pricePaidCny), { type: 'number', min: '0', step: '0.01', inputmode: 'decimal', required: true }],
    [
      'collectedAt',
      localInputValue(k?.collectedAt ?? new Date().toISOString()),
      { type: 'datetime-local', hint: t('form.times.hint'), required: true },
    ],
    ['merchantEmail', k?.merchantEmail ?? undefined, { type: 'email', hint: t('task.merchantEmail.hint'), maxlength: 254 }],
    ['manufacturer.name', k?.manufacturer?.name, { maxlength: 200 }],
    ['manufacturer.email', k?.manufacturer?.email ?? undefined, { type: 'email', maxlength: 254 }],
  ];
  return (
    <>
      <p class="muted">{t('task.collection.hint')}</p>
      <FormProblems state={extra} form="collection" lang={lang} />
      <form method="post" action={`/staff/sampling/tasks/${task.id}/collection`} novalidate>
        <CsrfField token={c.get('csrfToken')} />
        <div class="grid-2">
          {fields.map(([name, current, props]) => (
            <Field {...props} name={name} label={t(`task.${name}`)} value={v(name, current ?? '')} error={errors[name]} lang={lang} />
          ))}
        </div>
        <button type="submit">{k ? t('task.correctCollection') : t('task.recordCollection')}</button>
      </form>
    </>
  );
}

type CollectionField = Exclude<keyof z.infer<typeof collectionInputSchema>, 'manufacturer'> | 'manufacturer.name' | 'manufacturer.email';

/** How many item rows a results form shows: what was posted, what the reader asked for, or three. */
function rowCount(fields: FormFields | undefined, asked: number | undefined) {
  const posted = Object.keys(fields ?? {}).flatMap((k) => {
    const m = /^items\.(\d+)\./.exec(k);
    return m ? [Number(m[1]) + 1] : [];
  });
  return Math.min(MAX_ROWS, Math.max(asked ?? 3, ...posted));
}

function ResultsForm({
  c,
  task,
  extra,
  form,
  submit,
  labLabel,
  retest,
}: {
  c: Context<WebEnv>;
  task: TaskDetail;
  extra: Extras;
  form: 'results' | 'retest';
  submit: string;
  labLabel: string;
  retest?: boolean;
}) {
  const lang = c.get('language');
  const t = translator(samplingPageMessages, lang);
  const { fields, errors, v } = formKit(extra, form);
  // A re-test reports the disputed items: their rows start filled in from the first report, but for the measurement.
  const disputed = retest && task.objection ? task.objection.disputedItems : [];
  const prefill = (task.results?.items ?? []).filter((i) => disputed.includes(i.name));
  const rows = Math.max(prefill.length, rowCount(fields, prefill.length ? (extra.rows ?? prefill.length) : extra.rows));
  const prefilled = (i: number, f: 'name' | 'standardClause' | 'limit' | 'measured' | 'unit') =>
    f === 'measured' ? '' : (prefill[i]?.[f] ?? '');
  return (
    <>
      <FormProblems state={extra} form={form} lang={lang} scope={form} />
      <form method="post" action={`/staff/sampling/tasks/${task.id}/${form}`} novalidate>
        <CsrfField token={c.get('csrfToken')} />
        <div class="grid-2">
          <Field
            name="reportNo"
            scope={form}
            label={t('task.reportNo')}
            value={v('reportNo')}
            error={errors.reportNo}
            required
            lang={lang}
            maxlength={60}
          />
          <Field
            name="labName"
            scope={form}
            label={labLabel}
            value={v('labName')}
            error={errors.labName}
            required={retest}
            lang={lang}
            maxlength={200}
          />
          {retest && (
            <Field
              name="feePaidCny"
              scope={form}
              type="number"
              label={t('task.feePaidCny')}
              value={v('feePaidCny')}
              error={errors.feePaidCny}
              lang={lang}
              min="0"
              step="0.01"
              inputmode="decimal"
            />
          )}
        </div>
        <p class="muted">{t('task.itemsHint')}</p>
        {Array.from({ length: rows }, (_, i) => (
          <fieldset class="panel item-row">
            <legend>{t('task.itemRow', { n: i + 1 })}</legend>
            <div class="grid-2">
              {(['name', 'standardClause', 'limit', 'measured', 'unit'] as const).map((f) => (
                <Field
                  name={`items.${i}.${f}`}
                  scope={form}
                  label={t(`task.item.${f}`)}
                  value={v(`items.${i}.${f}`, prefilled(i, f))}
                  error={errors[`items.${i}.${f}`]}
                  required={f !== 'unit'}
                  lang={lang}
                  maxlength={f === 'unit' ? 30 : 200}
                />
              ))}
              <Select
                name={`items.${i}.verdict`}
                scope={form}
                label={t('task.item.verdict')}
                options={testVerdicts.map((x) => ({ value: x, label: verdictLabel(x, lang) }))}
                value={v(`items.${i}.verdict`)}
                error={errors[`items.${i}.verdict`]}
                required
                lang={lang}
              />
            </div>
          </fieldset>
        ))}
        {errors.items && <p class="field-error">{errors.items}</p>}
        <p>
          <a href={`/staff/sampling/tasks/${task.id}?rows=${Math.min(MAX_ROWS, rows + 3)}#${form}`}>{t('task.moreRows')}</a>
        </p>
        <button type="submit">{submit}</button>
      </form>
    </>
  );
}

function DeliveryForm({ c, task, extra }: { c: Context<WebEnv>; task: TaskDetail; extra: Extras }) {
  const lang = c.get('language');
  const t = translator(samplingPageMessages, lang);
  const { errors, v } = formKit(extra, 'delivery');
  return (
    <>
      <h3>{t('task.delivery')}</h3>
      <p class="muted">{t('task.delivery.hint')}</p>
      <FormProblems state={extra} form="delivery" lang={lang} />
      <form method="post" action={`/staff/sampling/tasks/${task.id}/delivery`} novalidate>
        <CsrfField token={c.get('csrfToken')} />
        <div class="grid-2">
          <Select
            name="method"
            label={t('task.delivery.method')}
            options={deliveryMethods.map((m) => ({ value: m, label: t(`delivery.${m}`) }))}
            value={v('method')}
            error={errors.method}
            required
            lang={lang}
          />
          <Field
            name="on"
            type="date"
            label={t('task.delivery.on')}
            value={v('on', shanghaiDate(new Date()))}
            error={errors.on}
            required
            lang={lang}
          />
        </div>
        <button type="submit" class="secondary">
          {t('task.delivery')}
        </button>
      </form>
    </>
  );
}

function ObjectionForm({ c, task, extra }: { c: Context<WebEnv>; task: TaskDetail; extra: Extras }) {
  const lang = c.get('language');
  const t = translator(samplingPageMessages, lang);
  const { errors, v, fields } = formKit(extra, 'objection');
  const picked = fields ? valuesOf(fields, 'disputedItems') : undefined;
  return (
    <>
      <FormProblems state={extra} form="objection" lang={lang} scope="objection" />
      <form method="post" action={`/staff/sampling/tasks/${task.id}/objection`} novalidate>
        <CsrfField token={c.get('csrfToken')} />
        <Field
          name="receivedOn"
          scope="objection"
          type="date"
          label={t('task.objection.receivedOn')}
          value={v('receivedOn', shanghaiDate(new Date()))}
          error={errors.receivedOn}
          required
          lang={lang}
        />
        <Choices
          name="by"
          scope="objection"
          label={t('task.objection.by')}
          options={objectionParties.map((p) => ({ value: p, label: labelOf(objectionPartyLabels, p, lang) }))}
          values={[v('by', 'merchant')]}
          error={errors.by}
          required
          compact
          lang={lang}
        />
        {task.results && (
          <Choices
            name="disputedItems"
            scope="objection"
            label={t('task.objection.items')}
            multiple
            options={task.results.items.map((i) => ({ value: i.name, label: `${i.name}（${i.standardClause}）` }))}
            values={picked ?? defaultDisputedItems(task.results.items)}
            error={errors.disputedItems}
            hint={t('task.objection.items.hint')}
            lang={lang}
          />
        )}
        <TextArea
          name="grounds"
          scope="objection"
          label={t('task.objection.grounds')}
          value={v('grounds')}
          error={errors.grounds}
          required
          lang={lang}
          maxlength={2000}
        />
        <button type="submit" class="secondary">
          {t('task.objection.save')}
        </button>
      </form>
    </>
  );
}

function DayForm({
  c,
  task,
  extra,
  form,
  name,
  label,
  submit,
}: {
  c: Context<WebEnv>;
  task: TaskDetail;
  extra: Extras;
  form: string;
  name: string;
  label: string;
  submit: string;
}) {
  const lang = c.get('language');
  const { errors, v } = formKit(extra, form);
  return (
    <>
      <FormProblems state={extra} form={form} lang={lang} scope={form} />
      <form method="post" action={`/staff/sampling/tasks/${task.id}/${form}`} novalidate>
        <CsrfField token={c.get('csrfToken')} />
        <Field
          name={name}
          scope={form}
          type="date"
          label={label}
          value={v(name, shanghaiDate(new Date()))}
          error={errors[name]}
          required
          lang={lang}
        />
        <button type="submit" class="secondary">
          {submit}
        </button>
      </form>
    </>
  );
}
