import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import { productCategoryLabel } from '../../../shared/complaints/index.js';
import type { FieldIssue } from '../../../shared/errors/index.js';
import type { Language } from '../../../shared/i18n/index.js';
import { recallStatusLabel, recallTypeLabel, remedyLabel, type RecallView } from '../../../shared/recalls/index.js';
import { errorsByField } from '../forms.js';
import { translator } from '../messages.js';
import type { WebEnv } from '../types.js';
import { recallPageMessages } from './messages.js';

/** Pieces the public recall pages and the regulator's share. */

export const tr = (c: Context<WebEnv>) => translator(recallPageMessages, c.get('language'));

/** Lists are typed one per line or separated by commas (either width, or 、), as people copy them from a notice. */
export const splitList = (text: string) =>
  text
    .split(/[\n,，、;；]+/)
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * A list typed into one field is posted to the schema as `name.0`, `name.1` …; its issues come back per entry and are
 * shown beside the one field, saying which entry.
 */
export function listFields(fields: Record<string, unknown>, names: readonly string[]): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (typeof v !== 'string' && !Array.isArray(v)) continue;
    if (!names.includes(k)) out[k] = v as string | string[];
    else splitList(Array.isArray(v) ? v.join('\n') : v).forEach((entry, i) => (out[`${k}.${i}`] = entry));
  }
  return out;
}

export function fieldErrors(issues: readonly FieldIssue[], listNames: readonly string[], lang: Language): Record<string, string> {
  const t = translator(recallPageMessages, lang);
  return errorsByField(
    issues.map((i) => {
      const list = listNames.find((n) => i.field.startsWith(`${n}.`) && /^\d+$/.test(i.field.slice(n.length + 1)));
      if (!list) return i;
      return { ...i, field: list, message: t('field.listItem', { n: Number(i.field.slice(list.length + 1)) + 1, message: i.message }) };
    }),
  );
}

const Fact = ({ label, value }: { label: string; value: string | number | undefined }) =>
  value === undefined || value === '' ? null : (
    <>
      <dt>{label}</dt>
      <dd>{String(value)}</dd>
    </>
  );

/** Everything a recall states, as SAMR notices list it. */
export function RecallFacts({ recall, lang }: { recall: Omit<RecallView, 'status' | 'publishedOn'>; lang: Language }) {
  const t = translator(recallPageMessages, lang);
  const production =
    recall.productionFrom || recall.productionTo ? `${recall.productionFrom ?? '…'} – ${recall.productionTo ?? '…'}` : undefined;
  return (
    <dl class="facts recall-facts">
      <Fact label={t('field.recallNo')} value={recall.recallNo} />
      <Fact label={t('field.type')} value={recallTypeLabel(recall.type, lang)} />
      <Fact label={t('field.manufacturer.name')} value={recall.manufacturer.name} />
      <Fact label={t('field.manufacturer.uscc')} value={recall.manufacturer.uscc} />
      <Fact label={t('field.brand')} value={recall.brand} />
      <Fact label={t('field.productName')} value={recall.productName} />
      <Fact label={t('field.category')} value={productCategoryLabel(recall.category, lang)} />
      <Fact label={t('field.models')} value={recall.models.join('、')} />
      <Fact label={t('field.batches')} value={recall.batches.length ? recall.batches.join('、') : t('value.allBatches')} />
      <Fact label={t('field.production')} value={production} />
      <Fact label={t('field.unitsAffected')} value={t('value.units', { n: recall.unitsAffected })} />
      <Fact label={t('field.salesChannels')} value={recall.salesChannels.join('、')} />
      <Fact label={t('field.injuriesReported')} value={recall.injuriesReported ?? t('value.none')} />
      <Fact label={t('field.consumerContact')} value={recall.consumerContact} />
      <Fact label={t('field.startsOn')} value={recall.startsOn} />
      <Fact label={t('field.completedOn')} value={recall.completedOn} />
      <Fact label={t('field.closedOn')} value={recall.closedOn} />
    </dl>
  );
}

/** The danger and the remedy, first on a recall's page: what a consumer came for. */
export function RecallAdvice({ recall, lang }: { recall: Pick<RecallView, 'hazard' | 'remedy' | 'remedyInstructions'>; lang: Language }) {
  const t = translator(recallPageMessages, lang);
  return (
    <>
      <section class="panel" aria-labelledby="danger">
        <h2 id="danger">{t('recall.danger')}</h2>
        <p class="prewrap">{recall.hazard}</p>
      </section>
      <section class="notice notice-warning" aria-labelledby="what-to-do">
        <h2 id="what-to-do">
          {t('recall.whatToDo')} · {remedyLabel(recall.remedy, lang)}
        </h2>
        <p class="prewrap">{recall.remedyInstructions}</p>
      </section>
    </>
  );
}

export const StatusBadge = ({ status, lang }: { status: string; lang: Language }) => (
  <span class={`badge recall-${status}`}>{recallStatusLabel(status, lang)}</span>
);

/**
 * A striped table that scrolls sideways inside itself on a phone (a labelled region keyboard users can focus and
 * scroll), or a line saying there is nothing yet.
 */
export function DataTable(props: { label: string; headers: string[]; count: number; empty: string; children?: Child }) {
  const { headers, count, empty, children } = props;
  if (count === 0) return <p>{empty}</p>;
  return (
    <div class="table-wrap" role="region" aria-label={props.label} tabindex={0}>
      <table class="striped">
        <thead>
          <tr>
            {headers.map((h) => (
              <th scope="col">{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
