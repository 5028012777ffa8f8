import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { z } from 'zod';
import { DomainError, type FieldIssue } from '../../../shared/errors/index.js';
import { labelOf, translateError, type Language } from '../../../shared/i18n/index.js';
import { nominationStatusLabels, phaseLabel, verdictLabel, type ResultView, type SamplingEvent } from '../../../shared/sampling/index.js';
import { fieldIssues, httpStatusOf } from '../../http/index.js';
import { ErrorSummary, Notice } from '../components.js';
import { errorsByField, formToInput, type FormFields } from '../forms.js';
import type { renderPage } from '../layout.js';
import { translator } from '../messages.js';
import type { WebEnv } from '../types.js';
import { samplingPageMessages } from './messages.js';

/** What a page shows after a POST that did not go through: which form, what was posted, and what is wrong. */
export interface FormState {
  form?: string | undefined;
  fields?: FormFields | undefined;
  errors?: Record<string, string> | undefined;
  /** An error that belongs to no one field (a phase closed, a vote already cast). */
  general?: string | undefined;
}

export type PageStatus = NonNullable<Parameters<typeof renderPage>[2]>;

type Outcome<T> = { ok: true; value: T } | { ok: false; status: PageStatus; state: FormState };

/**
 * Runs a form through the API's own schema and use case: a bad field or a use case's refusal comes back as the
 * form's state (messages in the reader's language, beside their fields), with the status the API would answer.
 * Not-found and forbidden stay errors, for the page's error handler.
 */
export async function attempt<S extends z.ZodType, T>(
  c: Context<WebEnv>,
  opts: { form: string; fields: FormFields; schema: S; input?: unknown; run: (input: z.infer<S>) => Promise<T> },
): Promise<Outcome<T>> {
  const lang = c.get('language');
  const base = { form: opts.form, fields: opts.fields };
  const input = opts.input ?? formToInput(opts.schema, opts.fields);
  const parsed = opts.schema.safeParse(input);
  if (!parsed.success) {
    const required = translator(samplingPageMessages, lang)('form.required');
    // A field left empty is absent from the input: say so, not "expected string, received undefined".
    const empty = new Set(
      parsed.error.issues.filter((i) => i.code === 'invalid_type' && valueAt(input, i.path) === undefined).map((i) => i.path.join('.')),
    );
    const issues = fieldIssues(parsed.error, [], lang).map((i) =>
      i.code === 'invalid_type' && empty.has(i.field) ? { ...i, message: required } : i,
    );
    return { ok: false, status: 400, state: { ...base, errors: errorsByField(issues) } };
  }
  try {
    return { ok: true, value: await opts.run(parsed.data) };
  } catch (err) {
    if (!(err instanceof DomainError) || err.code === 'not_found' || err.code === 'forbidden') throw err;
    const issues = err.code === 'validation_failed' && Array.isArray(err.details) ? (err.details as FieldIssue[]) : [];
    const retry = (err.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
    if (err.code === 'rate_limited' && typeof retry === 'number') c.header('Retry-After', String(retry));
    return {
      ok: false,
      status: httpStatusOf[err.code],
      state: issues.length
        ? { ...base, errors: errorsByField(issues.map((i) => ({ ...i, message: translateError(i.message, lang) }))) }
        : { ...base, general: translateError(err.message, lang) },
    };
  }
}

const valueAt = (value: unknown, path: readonly PropertyKey[]): unknown =>
  path.reduce<unknown>((v, k) => (typeof v === 'object' && v !== null ? (v as Record<PropertyKey, unknown>)[k] : undefined), value);

/** The state's errors when they belong to this form: the summary at its top and the errors beside its fields. */
export function stateFor(state: FormState | undefined, form: string) {
  const mine = state?.form === form ? state : undefined;
  return { fields: mine?.fields, errors: mine?.errors ?? {}, general: mine?.general };
}

export function FormProblems({
  state,
  form,
  lang,
  scope,
}: {
  state?: FormState | undefined;
  form: string;
  lang: Language;
  scope?: string;
}) {
  const s = stateFor(state, form);
  return (
    <>
      {s.general && <Notice kind="danger">{s.general}</Notice>}
      <ErrorSummary errors={s.errors} lang={lang} scope={scope} />
    </>
  );
}

const TZ = 'Asia/Shanghai';

/** A datetime-local value (Beijing time, the bureau's) → the ISO instant the schemas take; anything else unchanged. */
export const shanghaiInstant = (v: string) => (/^\d{4}-\d\d-\d\dT\d\d:\d\d$/.test(v) ? `${v}:00+08:00` : v);

/** An ISO instant → the datetime-local value showing it in Beijing time. */
export function localInputValue(iso: string): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: TZ,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(new Date(iso))
      .map((x) => [x.type, x.value]),
  );
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

/** The posted fields with the named datetime-local values turned into instants, for the schema. */
export function withInstants(fields: FormFields, names: readonly string[]): FormFields {
  const out = { ...fields };
  for (const n of names) if (typeof out[n] === 'string') out[n] = shanghaiInstant(out[n]);
  return out;
}

export const formatTime = (iso: string, lang: Language) =>
  new Date(iso).toLocaleString(lang, {
    timeZone: TZ,
    hour12: false,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });

/** A wide table scrolls inside its box on a phone; the box is a labelled region keyboards can scroll. */
export const TableWrap = ({ label, children }: { label: string; children?: Child }) => (
  <div class="table-wrap" role="region" aria-label={label} tabindex={0}>
    {children}
  </div>
);

/** The test items of a lab report, as the public and the staff read them. */
export function ResultItems({ items, lang, caption }: { items: ResultView['items']; lang: Language; caption: string }) {
  const t = translator(samplingPageMessages, lang);
  return (
    <TableWrap label={caption}>
      <table class="striped result-items">
        <caption class="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('results.item')}</th>
            <th scope="col">{t('results.clause')}</th>
            <th scope="col">{t('results.limit')}</th>
            <th scope="col">{t('results.measured')}</th>
            <th scope="col">{t('results.verdict')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((i) => (
            <tr>
              <th scope="row">{i.name}</th>
              <td data-label={t('results.clause')}>{i.standardClause}</td>
              <td data-label={t('results.limit')}>{`${i.limit}${i.unit ? ` ${i.unit}` : ''}`}</td>
              <td data-label={t('results.measured')}>{`${i.measured}${i.unit ? ` ${i.unit}` : ''}`}</td>
              <td data-label={t('results.verdict')} class={`verdict-${i.verdict}`}>
                {verdictLabel(i.verdict, lang)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

export const VerdictBadge = ({ verdict, lang }: { verdict: string; lang: Language }) => (
  <span class={`badge verdict-badge verdict-${verdict}`}>{verdictLabel(verdict, lang)}</span>
);

/** The gist of an event's data, where a reader needs it to follow the trail. */
function eventDetail(e: SamplingEvent, lang: Language): string {
  switch (e.action) {
    case 'phase_changed':
      return `：${phaseLabel(e.data.from, lang)} → ${phaseLabel(e.data.to, lang)}`;
    case 'nomination_moderated':
      return `：#${e.nominationId ?? ''} ${labelOf(nominationStatusLabels, e.data.decision === 'merge' ? 'merged' : e.data.decision === 'approve' ? 'approved' : 'rejected', lang)}`;
    case 'results_recorded':
    case 'retest_recorded':
    case 'finalised':
      return `：${verdictLabel(e.data.verdict, lang)}`;
    case 'follow_up_opened':
      return `：${e.data.trackingNo}`;
    default:
      return '';
  }
}

/** The audit trail of a campaign or task, newest first. */
export function EventTrail({ events, lang }: { events: SamplingEvent[]; lang: Language }) {
  const t = translator(samplingPageMessages, lang);
  return (
    <ol class="timeline" reversed>
      {[...events].reverse().map((e) => (
        <li>
          <time datetime={e.at}>{formatTime(e.at, lang)}</time>
          <span>
            {t(`event.${e.action}`)}
            {eventDetail(e, lang)}
            {' · '}
            {e.actorId === null ? t('event.system') : t('event.by', { id: e.actorId })}
            {e.taskId !== null ? ` · #${e.taskId}` : ''}
          </span>
        </li>
      ))}
    </ol>
  );
}
