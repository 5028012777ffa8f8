import type { Child } from 'hono/jsx';
import type { Language } from '../../shared/i18n/index.js';
import { fieldId } from './forms.js';
import { commonMessages, translator } from './messages.js';

/** Form building blocks with the accessibility every form needs: labels, hints and errors tied to their input. */

export const CsrfField = ({ token }: { token: string }) => <input type="hidden" name="_csrf" value={token} />;

interface FieldBase {
  name: string;
  /** Forms repeated on a page (one per row or per decision) give their fields a scope, so ids stay unique. */
  scope?: string | undefined;
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  required?: boolean;
  lang: Language;
}

function describedBy(id: string, hint?: string, error?: string) {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return ids || undefined;
}

function Label({ id, label, required, lang }: { id: string; label: string; required?: boolean | undefined; lang: Language }) {
  const t = translator(commonMessages, lang);
  return (
    <label for={id}>
      {label}
      {required ? <span class="req"> *</span> : <span class="opt"> （{t('form.optional')}）</span>}
    </label>
  );
}

const Hint = ({ id, hint }: { id: string; hint?: string | undefined }) => (hint ? <small id={`${id}-hint`}>{hint}</small> : null);
const ErrorText = ({ id, error }: { id: string; error?: string | undefined }) =>
  error ? (
    <small id={`${id}-error`} class="field-error">
      {error}
    </small>
  ) : null;

export function Field(
  props: FieldBase & {
    type?: string;
    value?: string | undefined;
    inputmode?: 'search' | 'email' | 'url' | 'none' | 'text' | 'decimal' | 'numeric' | 'tel';
    step?: string;
    min?: string;
    max?: string;
    maxlength?: number;
    autocomplete?: string;
    placeholder?: string;
    list?: string;
    pattern?: string;
  },
) {
  const id = fieldId(props.scope ? `${props.scope}.${props.name}` : props.name);
  return (
    <div class="field">
      <Label id={id} label={props.label} required={props.required} lang={props.lang} />
      <input
        id={id}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.value ?? ''}
        required={props.required}
        inputmode={props.inputmode}
        step={props.step}
        min={props.min}
        max={props.max}
        maxlength={props.maxlength}
        autocomplete={props.autocomplete ?? 'off'}
        placeholder={props.placeholder}
        list={props.list}
        pattern={props.pattern}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy(id, props.hint, props.error)}
      />
      <Hint id={id} hint={props.hint} />
      <ErrorText id={id} error={props.error} />
    </div>
  );
}

export function TextArea(props: FieldBase & { value?: string | undefined; rows?: number; maxlength?: number }) {
  const id = fieldId(props.scope ? `${props.scope}.${props.name}` : props.name);
  return (
    <div class="field">
      <Label id={id} label={props.label} required={props.required} lang={props.lang} />
      <textarea
        id={id}
        name={props.name}
        rows={props.rows ?? 4}
        required={props.required}
        maxlength={props.maxlength}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy(id, props.hint, props.error)}
      >
        {props.value ?? ''}
      </textarea>
      <Hint id={id} hint={props.hint} />
      <ErrorText id={id} error={props.error} />
    </div>
  );
}

export interface Option {
  value: string;
  label: string;
}

export function Select(props: FieldBase & { options: Option[]; value?: string | undefined; placeholder?: string }) {
  const id = fieldId(props.scope ? `${props.scope}.${props.name}` : props.name);
  const t = translator(commonMessages, props.lang);
  return (
    <div class="field">
      <Label id={id} label={props.label} required={props.required} lang={props.lang} />
      <select
        id={id}
        name={props.name}
        required={props.required}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy(id, props.hint, props.error)}
      >
        <option value="">{props.placeholder ?? t('form.choose')}</option>
        {props.options.map((o) => (
          <option value={o.value} selected={o.value === props.value}>
            {o.label}
          </option>
        ))}
      </select>
      <Hint id={id} hint={props.hint} />
      <ErrorText id={id} error={props.error} />
    </div>
  );
}

/** Radio buttons or checkboxes in a fieldset whose legend is the question. */
export function Choices(
  props: FieldBase & {
    options: Array<Option & { icon?: string; description?: string }>;
    multiple?: boolean;
    values?: string[];
    compact?: boolean;
  },
) {
  const id = fieldId(props.scope ? `${props.scope}.${props.name}` : props.name);
  const t = translator(commonMessages, props.lang);
  return (
    <fieldset
      id={id}
      class={props.compact ? 'choices compact' : 'choices'}
      aria-invalid={props.error ? 'true' : undefined}
      aria-describedby={describedBy(id, props.hint, props.error)}
    >
      <legend>
        {props.label}
        {props.required ? <span class="req"> *</span> : <span class="opt"> （{t('form.optional')}）</span>}
      </legend>
      <Hint id={id} hint={props.hint} />
      {props.options.map((o, i) => (
        <label for={`${id}-${i}`} class="choice">
          <input
            id={`${id}-${i}`}
            type={props.multiple ? 'checkbox' : 'radio'}
            name={props.name}
            value={o.value}
            checked={(props.values ?? []).includes(o.value)}
          />
          {o.icon && <img src={o.icon} alt="" width={32} height={32} />}
          <span>
            {o.label}
            {o.description && <small>{o.description}</small>}
          </span>
        </label>
      ))}
      <ErrorText id={id} error={props.error} />
    </fieldset>
  );
}

/** The list of what is wrong, at the top of a form, announced and linked to each field. */
export function ErrorSummary({ errors, lang, scope }: { errors: Record<string, string>; lang: Language; scope?: string | undefined }) {
  const entries = Object.entries(errors);
  if (entries.length === 0) return null;
  const t = translator(commonMessages, lang);
  return (
    <div class="error-summary" role="alert" tabindex={-1} id={scope ? fieldId(`${scope}.summary`) : 'error-summary'}>
      <p>
        <strong>{t('form.errors', { n: entries.length })}</strong>
      </p>
      <ul>
        {entries.map(([field, message]) => (
          <li>
            <a href={`#${fieldId(scope ? `${scope}.${field}` : field)}`}>{message}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function Notice({ kind, children }: { kind: 'info' | 'success' | 'warning' | 'danger'; children?: Child }) {
  return (
    <div class={`notice notice-${kind}`} role={kind === 'danger' || kind === 'warning' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}

/** Days left until a legal deadline (Asia/Shanghai days), red when overdue; page scripts keep it current. */
export function Countdown({ dueOn, today, lang }: { dueOn: string | null | undefined; today: string; lang: Language }) {
  if (!dueOn) return <span>—</span>;
  const t = translator(commonMessages, lang);
  const days = Math.round((Date.parse(dueOn) - Date.parse(today)) / 86_400_000);
  const text = days < 0 ? t('date.overdue', { n: -days }) : days === 0 ? t('date.dueToday') : t('date.dueIn', { n: days });
  return (
    <span class={days < 0 ? 'countdown overdue' : days <= 1 ? 'countdown soon' : 'countdown'} data-due={dueOn}>
      <time datetime={dueOn}>{dueOn}</time> · <span class="countdown-text">{text}</span>
    </span>
  );
}

export const PriorityBadge = ({ priority }: { priority: number | null }) =>
  priority ? <span class={`badge p${priority}`}>P{priority}</span> : <span class="badge">—</span>;
