import type { Context } from 'hono';
import {
  categoryLabels,
  childProductTypeLabels,
  childProductTypes,
  ebikeHazardCodes,
  ebikeIssueCodes,
  ebikeIssueLabels,
  hazardCodes,
  hazardLabels,
  injuryLabels,
  injuryLevels,
  kindLabels,
  type ItemCategory,
} from '../../../shared/complaints/index.js';
import { labelOf, type Language } from '../../../shared/i18n/index.js';
import type { District } from '../../../shared/jurisdictions/index.js';
import { referencePhones, type ScaleScreening } from '../../../shared/metrology/index.js';
import { Choices, CsrfField, ErrorSummary, Field, Notice, Select, TextArea } from '../components.js';
import { valueOf, valuesOf, type FormFields } from '../forms.js';
import { translator } from '../messages.js';
import type { WebEnv } from '../types.js';
import { complaintPageMessages } from './messages.js';

/** URL slugs of the report forms, one per category. */
export const categorySlugs = { scale: 'scale', ebike: 'ebike', 'child-product': 'child_product', other: 'other' } as const satisfies Record<
  string,
  ItemCategory
>;
export type CategorySlug = keyof typeof categorySlugs;
export const slugOf = (category: ItemCategory) =>
  (Object.keys(categorySlugs) as CategorySlug[]).find((s) => categorySlugs[s] === category)!;

export interface ReportFormState {
  category: ItemCategory;
  fields?: FormFields | undefined;
  errors?: Record<string, string>;
  screening?: ScaleScreening | undefined;
  districtCandidates?: District[] | undefined;
  /** A fresh key per form shown: a double submit of the same form stores one complaint. */
  idempotencyKey: string;
}

/** The consumer's photo picker (camera on a phone), on the report form and the tracking page. */
export function PhotosField({ lang, error }: { lang: Language; error?: string | undefined }) {
  const t = translator(complaintPageMessages, lang);
  return (
    <div class="field">
      <label for="f-photos">{t('field.photos')}</label>
      <input
        id="f-photos"
        type="file"
        name="photos"
        accept="image/jpeg,image/png,image/*"
        capture="environment"
        multiple
        aria-describedby="f-photos-hint"
      />
      <small id="f-photos-hint">{t('field.photos.hint')}</small>
      {error && <small class="field-error">{error}</small>}
    </div>
  );
}

export function ScreeningResult({ screening, lang }: { screening: ScaleScreening; lang: Language }) {
  const t = translator(complaintPageMessages, lang);
  const params = { dev: Math.abs(screening.deviationG), mpe: screening.mpeG, ratio: screening.ratio };
  const text = !screening.exceedsTolerance
    ? t('scale.result.ok', params)
    : screening.favours === 'merchant'
      ? t('scale.result.over', params)
      : t('scale.result.under', params);
  return (
    <Notice kind={screening.exceedsTolerance ? 'warning' : 'success'}>
      <strong>{t('scale.result.title')}：</strong>
      {text}
      <br />
      <small>{t('scale.result.note')}</small>
    </Notice>
  );
}

const yesNo = (lang: Language) => {
  const zh = lang === 'zh-CN';
  return [
    { value: 'true', label: zh ? '有' : 'Yes' },
    { value: 'false', label: zh ? '没有' : 'No' },
  ];
};

export function ReportForm({ c, state }: { c: Context<WebEnv>; state: ReportFormState }) {
  const lang = c.get('language');
  const t = translator(complaintPageMessages, lang);
  const f = state.fields;
  const e = state.errors ?? {};
  const v = (name: string) => valueOf(f, name);
  const field = (name: string, extra: Record<string, unknown> = {}) => ({
    name,
    label: t(`field.${name}` as Parameters<typeof t>[0]),
    value: v(name),
    error: e[name],
    lang,
    ...extra,
  });
  const cat = state.category;
  const kind = v('kind') || (cat === 'ebike' ? 'report' : 'complaint');
  return (
    <form method="post" action={`/report/${slugOf(cat)}`} enctype="multipart/form-data" novalidate class="report-form">
      <CsrfField token={c.get('csrfToken')} />
      <input type="hidden" name="_idem" value={state.idempotencyKey} />
      <ErrorSummary errors={e} lang={lang} />
      <p>{t('report.intro')}</p>

      <Choices
        name="kind"
        label={t('report.section.kind')}
        required
        lang={lang}
        values={[kind]}
        error={e.kind}
        options={[
          { value: 'complaint', label: labelOf(kindLabels, 'complaint', lang), description: t('report.kind.complaint') },
          { value: 'report', label: labelOf(kindLabels, 'report', lang), description: t('report.kind.report') },
        ]}
      />

      {cat === 'scale' && (
        <fieldset class="panel">
          <legend>{t('report.section.scale')}</legend>
          <p>{t('scale.how')}</p>
          <div class="field js-only" hidden>
            <label for="phone-model">{t('scale.phone')}</label>
            <select id="phone-model" data-phone-picker>
              <option value="">—</option>
              {referencePhones.map((p) => (
                <option value={String(p.massG)}>{`${p.model}（${p.massG} g）`}</option>
              ))}
            </select>
          </div>
          <div class="grid-2">
            <Field {...field('evidence.referenceMassG', { type: 'number', inputmode: 'decimal', step: 'any', min: '0', required: true })} />
            <Field {...field('evidence.displayedMassG', { type: 'number', inputmode: 'decimal', step: 'any', min: '0', required: true })} />
            <Field {...field('evidence.scaleMaxG', { type: 'number', inputmode: 'decimal', step: 'any', min: '0' })} />
            <Field
              {...field('evidence.scaleIntervalG', {
                type: 'number',
                inputmode: 'decimal',
                step: 'any',
                min: '0',
                hint: t('field.evidence.scaleIntervalG.hint'),
              })}
            />
            <Field {...field('evidence.marketName', { maxlength: 100 })} />
            <Field {...field('evidence.stallNo', { maxlength: 50 })} />
          </div>
          <div id="screening-result" aria-live="polite">
            {state.screening && <ScreeningResult screening={state.screening} lang={lang} />}
          </div>
          <button type="submit" name="_action" value="check" class="secondary" formnovalidate>
            {t('scale.check')}
          </button>
        </fieldset>
      )}

      {cat === 'ebike' && (
        <fieldset class="panel">
          <legend>{t('report.section.ebike')}</legend>
          <figure class="ccc-mark">
            <img src="/static/img/ccc-mark.svg" width={96} height={64} alt={lang === 'en' ? 'The CCC mark' : 'CCC 认证标志'} />
            <figcaption>{t('ebike.mark')}</figcaption>
          </figure>
          <Choices {...field('evidence.hasCccMark')} required values={[v('evidence.hasCccMark')]} options={yesNo(lang)} compact />
          <Choices
            {...field('evidence.hasConformityCertificate')}
            values={[v('evidence.hasConformityCertificate')]}
            options={yesNo(lang)}
            compact
          />
          <Choices
            {...field('evidence.issues')}
            multiple
            values={valuesOf(f, 'evidence.issues')}
            options={ebikeIssueCodes.map((code) => ({ value: code, label: labelOf(ebikeIssueLabels, code, lang) }))}
          />
          <Field {...field('evidence.observedTopSpeedKmh', { type: 'number', inputmode: 'decimal', step: 'any', min: '0' })} />
          <Choices
            {...field('evidence.hazards')}
            multiple
            values={valuesOf(f, 'evidence.hazards')}
            options={ebikeHazardCodes.map((h) => ({
              value: h,
              label: labelOf(hazardLabels, h, lang),
              icon: `/static/img/hazard-${h}.svg`,
            }))}
          />
        </fieldset>
      )}

      {cat === 'child_product' && (
        <fieldset class="panel">
          <legend>{t('report.section.child')}</legend>
          <Select
            {...field('evidence.productType')}
            required
            options={childProductTypes.map((p) => ({ value: p, label: labelOf(childProductTypeLabels, p, lang) }))}
          />
          <Choices
            {...field('evidence.hazards')}
            multiple
            values={valuesOf(f, 'evidence.hazards')}
            options={hazardCodes.map((h) => ({ value: h, label: labelOf(hazardLabels, h, lang), icon: `/static/img/hazard-${h}.svg` }))}
          />
          <Choices
            {...field('evidence.hasCccMark')}
            label={t('field.evidence.hasCccMarkChild')}
            values={[v('evidence.hasCccMark')]}
            options={yesNo(lang)}
            compact
          />
          <Field {...field('evidence.ageRange', { maxlength: 30, placeholder: '3-6' })} />
        </fieldset>
      )}

      <fieldset class="panel">
        <legend>{t('report.section.what')}</legend>
        <Field {...field('title', { required: true, maxlength: 200, hint: t('field.title.hint') })} />
        <TextArea {...field('description', { required: true, maxlength: 5000, rows: 5, hint: t('field.description.hint') })} />
        <Field {...field('occurredOn', { type: 'date' })} />
      </fieldset>

      <fieldset class="panel">
        <legend>{t('report.section.merchant')}</legend>
        <Field {...field('merchant.name', { required: true, maxlength: 200, autocomplete: 'organization' })} />
        <Field {...field('merchant.address', { maxlength: 300, hint: t('field.merchant.address.hint') })} />
        {state.districtCandidates && state.districtCandidates.length > 0 ? (
          <Choices
            name="merchant.districtCode"
            label={t('field.merchant.districtCode')}
            lang={lang}
            error={e['merchant.districtCode']}
            hint={t('district.choose', { typed: v('merchant.districtCode') })}
            options={state.districtCandidates.map((d) => ({ value: d.code, label: `${d.fullName}（${d.code}）` }))}
          />
        ) : (
          <Field
            {...field('merchant.districtCode', { list: 'district-options', hint: t('field.merchant.districtCode.hint'), maxlength: 40 })}
          />
        )}
        <datalist id="district-options"></datalist>
        <Field {...field('merchant.uscc', { maxlength: 30, hint: t('field.merchant.uscc.hint') })} />
        <Field {...field('merchant.onlineShopUrl', { type: 'url', maxlength: 500 })} />
      </fieldset>

      {cat !== 'scale' && (
        <fieldset class="panel">
          <legend>{t('report.section.product')}</legend>
          <div class="grid-2">
            <Field {...field('product.name', { maxlength: 200 })} />
            <Field {...field('product.brand', { maxlength: 100 })} />
            <Field {...field('product.model', { maxlength: 100 })} />
            <Field {...field('product.batch', { maxlength: 100 })} />
            <Field {...field('product.manufacturer', { maxlength: 200 })} />
            {cat !== 'other' && (
              <Field
                {...field('product.cccCertificateNo', {
                  maxlength: 30,
                  inputmode: 'numeric',
                  hint: t('field.product.cccCertificateNo.hint'),
                })}
              />
            )}
            <Field {...field('product.purchaseDate', { type: 'date' })} />
            <Field {...field('product.pricePaidCny', { type: 'number', inputmode: 'decimal', step: '0.01', min: '0' })} />
          </div>
        </fieldset>
      )}

      {cat !== 'scale' && (
        <fieldset class="panel">
          <legend>{t('report.section.harm')}</legend>
          <Choices
            {...field('harm.injury')}
            values={[v('harm.injury')]}
            options={injuryLevels.map((i) => ({ value: i, label: labelOf(injuryLabels, i, lang) }))}
            compact
          />
          <label class="choice">
            <input type="checkbox" name="harm.childInvolved" value="true" checked={valuesOf(f, 'harm.childInvolved').includes('true')} />
            <span>{t('field.harm.childInvolved')}</span>
          </label>
          {e['harm.childInvolved'] && <small class="field-error">{e['harm.childInvolved']}</small>}
        </fieldset>
      )}

      <fieldset class="panel">
        <legend>{t('report.section.photos')}</legend>
        <PhotosField lang={lang} error={e.photos} />
      </fieldset>

      <fieldset class="panel">
        <legend>{t('report.section.reporter')}</legend>
        <p>
          <small>{t('report.reporter.hint')}</small>
        </p>
        <div class="grid-2">
          <Field {...field('reporter.name', { maxlength: 50, autocomplete: 'name' })} />
          <Field {...field('reporter.phone', { type: 'tel', inputmode: 'tel', maxlength: 20, autocomplete: 'tel' })} />
          <Field {...field('reporter.email', { type: 'email', maxlength: 254, autocomplete: 'email' })} />
        </div>
        <input type="hidden" name="reporter.language" value={lang} />
      </fieldset>

      <button type="submit" name="_action" value="submit">
        {t('report.submit')}
      </button>
    </form>
  );
}

export const categoryTitle = (category: ItemCategory, lang: Language) => labelOf(categoryLabels, category, lang);
