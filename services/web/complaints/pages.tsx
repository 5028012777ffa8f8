import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS_PER_ITEM } from '../../../shared/attachments/index.js';
import { shanghaiDate } from '../../../shared/calendar/index.js';
import {
  categoryLabels,
  complaintInputSchema,
  finishedStatuses,
  itemCategories,
  kindLabels,
  outcomeLabel,
  scaleEvidenceSchema,
  type TrackingView,
} from '../../../shared/complaints/index.js';
import { DomainError, type FieldIssue } from '../../../shared/errors/index.js';
import { labelOf, translateError } from '../../../shared/i18n/index.js';
import { screenScaleReading } from '../../../shared/metrology/index.js';
import type { ServiceContext } from '../../../shared/runtime/index.js';
import { addAttachment, cleanImage } from '../../attachments/index.js';
import { getTrackingView, itemIdForConsumer, submitComplaint } from '../../complaints/index.js';
import { fieldIssues } from '../../http/index.js';
import { resolveDistrict } from '../../jurisdictions/index.js';
import { Countdown, CsrfField, ErrorSummary, Field, Notice } from '../components.js';
import { errorsByField, formToInput, valueOf, readForm, type FormFields } from '../forms.js';
import { renderPage } from '../layout.js';
import { commonMessages, translator } from '../messages.js';
import { sealedCookie } from '../sealed-cookie.js';
import { overLimit } from '../security.js';
import type { WebEnv } from '../types.js';
import { complaintPageMessages } from './messages.js';
import { categorySlugs, categoryTitle, PhotosField, ReportForm, slugOf, type CategorySlug, type ReportFormState } from './report.js';

/** The access code shown once on /report/done, carried there from the POST without ever entering a URL. */
const receipt = sealedCookie(
  'cpt_receipt',
  z.object({
    trackingNo: z.string(),
    accessCode: z.string(),
    kind: z.enum(['complaint', 'report']),
    emailed: z.boolean(),
    photos: z.number(),
    photoErrors: z.array(z.string()),
    relatedRecalls: z.array(z.object({ recallNo: z.string(), title: z.string() })),
  }),
  10 * 60,
);

/** A consumer's verified view of one item: the access code stays sealed in the cookie and is checked on each view. */
const trackGrant = sealedCookie('cpt_track', z.object({ trackingNo: z.string(), accessCode: z.string() }), 30 * 60);

const isSlug = (s: string): s is CategorySlug => Object.hasOwn(categorySlugs, s);

const photosOf = (fields: FormFields): File[] => {
  const v = fields.photos;
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is File => x instanceof File && x.size > 0);
};

export function complaintPages(ctx: ServiceContext) {
  const app = new Hono<WebEnv>();

  app.get('/', (c) => {
    const lang = c.get('language');
    const t = translator(complaintPageMessages, lang);
    const cards: Array<[CategorySlug, string]> = [
      ['scale', t('home.scale.text')],
      ['ebike', t('home.ebike.text')],
      ['child-product', t('home.child.text')],
      ['other', t('home.other.text')],
    ];
    return renderPage(c, {
      title: t('home.title'),
      children: (
        <>
          <section class="hero">
            <h1>{t('home.title')}</h1>
            <p class="lead">{t('home.lead')}</p>
          </section>
          <section aria-labelledby="what">
            <h2 id="what">{t('home.whatToReport')}</h2>
            <ul class="cards">
              {cards.map(([slug, text]) => (
                <li class="card">
                  <a href={`/report/${slug}`}>
                    <img src={`/static/img/category-${slug}.svg`} alt="" width={48} height={48} />
                    <strong>{labelOf(categoryLabels, categorySlugs[slug], lang)}</strong>
                    <span>{text}</span>
                  </a>
                </li>
              ))}
            </ul>
          </section>
          <section aria-labelledby="deadlines" class="panel">
            <h2 id="deadlines">{t('home.deadlines.title')}</h2>
            <ul>
              <li>{t('home.deadlines.complaint')}</li>
              <li>{t('home.deadlines.report')}</li>
              <li>{t('home.deadlines.days')}</li>
            </ul>
          </section>
          <section aria-labelledby="more">
            <h2 id="more">{t('home.more.title')}</h2>
            <ul class="link-list">
              <li>
                <a href="/track">{t('home.more.track')}</a>
              </li>
              <li>
                <a href="/recalls">{t('home.more.recalls')}</a>
              </li>
              <li>
                <a href="/sampling">{t('home.more.sampling')}</a>
              </li>
            </ul>
          </section>
        </>
      ),
    });
  });

  app.get('/report', (c) => {
    const lang = c.get('language');
    const t = translator(complaintPageMessages, lang);
    return renderPage(c, {
      title: t('report.choose'),
      children: (
        <section>
          <h1>{t('report.choose')}</h1>
          <ul class="cards">
            {itemCategories.map((cat) => (
              <li class="card">
                <a href={`/report/${slugOf(cat)}`}>
                  <img src={`/static/img/category-${slugOf(cat)}.svg`} alt="" width={48} height={48} />
                  <strong>{labelOf(categoryLabels, cat, lang)}</strong>
                </a>
              </li>
            ))}
          </ul>
        </section>
      ),
    });
  });

  const showForm = (c: Context<WebEnv>, state: ReportFormState, status: 200 | 400 = 200) => {
    const t = translator(complaintPageMessages, c.get('language'));
    const title = t('report.title', { category: categoryTitle(state.category, c.get('language')) });
    return renderPage(
      c,
      {
        title,
        scripts: ['/static/js/report.js'],
        children: (
          <section class="narrow">
            <h1>{title}</h1>
            <ReportForm c={c} state={state} />
          </section>
        ),
      },
      status,
    );
  };

  app.get('/report/done', (c) => {
    const lang = c.get('language');
    const t = translator(complaintPageMessages, lang);
    const r = receipt.get(c, ctx.config);
    receipt.clear(c, ctx.config);
    if (!r) {
      return renderPage(c, {
        title: t('done.track'),
        children: (
          <section class="narrow">
            <Notice kind="info">{t('done.gone')}</Notice>
            <p>
              <a href="/track">{t('done.track')}</a>
            </p>
          </section>
        ),
      });
    }
    const kind = labelOf(kindLabels, r.kind, lang);
    c.header('Cache-Control', 'no-store');
    return renderPage(c, {
      title: t('done.title', { kind }),
      scripts: ['/static/js/copy.js'],
      children: (
        <section class="narrow">
          <h1>{t('done.title', { kind })}</h1>
          <Notice kind="warning">{t('done.keep')}</Notice>
          <dl class="receipt">
            <dt>{t('done.trackingNo')}</dt>
            <dd>
              <code id="tracking-no">{r.trackingNo}</code>
              <button type="button" class="secondary copy js-only" data-copy="tracking-no" data-copied={t('done.copied')} hidden>
                {t('done.copy')}
              </button>
            </dd>
            <dt>{t('done.accessCode')}</dt>
            <dd>
              <code id="access-code">{r.accessCode}</code>
              <button type="button" class="secondary copy js-only" data-copy="access-code" data-copied={t('done.copied')} hidden>
                {t('done.copy')}
              </button>
            </dd>
          </dl>
          <p>{t('done.next')}</p>
          {r.emailed && <p>{t('done.email')}</p>}
          {r.photos > 0 && <p>{t('done.photos', { n: r.photos })}</p>}
          {r.photoErrors.map((m) => (
            <Notice kind="warning">{m}</Notice>
          ))}
          {r.relatedRecalls.length > 0 && (
            <Notice kind="warning">
              {t('done.recalls')}
              <ul>
                {r.relatedRecalls.map((rc) => (
                  <li>
                    <a href={`/recalls/${rc.recallNo}`}>{`${rc.recallNo} ${rc.title}`}</a>
                  </li>
                ))}
              </ul>
            </Notice>
          )}
          <p>
            <a href="/track">{t('done.track')}</a>
          </p>
        </section>
      ),
    });
  });

  app.get('/report/:category', (c) => {
    const slug = c.req.param('category');
    if (!isSlug(slug)) return c.notFound();
    return showForm(c, { category: categorySlugs[slug], idempotencyKey: randomUUID() });
  });

  app.post('/report/:category', async (c) => {
    const slug = c.req.param('category');
    if (!isSlug(slug)) return c.notFound();
    const category = categorySlugs[slug];
    const lang = c.get('language');
    const t = translator(complaintPageMessages, lang);
    const fields = await readForm(c);
    const idempotencyKey = /^[0-9a-f-]{36}$/.test(valueOf(fields, '_idem')) ? valueOf(fields, '_idem') : randomUUID();
    const state: ReportFormState = { category, fields, idempotencyKey };

    // The scale helper without script: check the reading and show the form again, storing nothing.
    if (valueOf(fields, '_action') === 'check') {
      const evidence = scaleEvidenceSchema.safeParse(
        (formToInput(complaintInputSchema, { ...fields, category }) as { evidence?: unknown }).evidence ?? {},
      );
      if (!evidence.success) return showForm(c, { ...state, errors: prefixed(fieldIssues(evidence.error, ['evidence'], lang)) }, 400);
      return showForm(c, { ...state, screening: screenScaleReading(evidence.data) });
    }
    await overLimit(c, ctx, 'intake', ctx.config.RATE_LIMIT_INTAKE_PER_MINUTE);

    const errors: Record<string, string> = {};
    const typedDistrict = valueOf(fields, 'merchant.districtCode');
    const { photos: _photos, ...textFields } = fields;
    const normalised: FormFields = { ...textFields, category };
    if (typedDistrict) {
      const choice = await resolveDistrict(ctx, typedDistrict);
      if ('code' in choice) normalised['merchant.districtCode'] = choice.code;
      else {
        errors['merchant.districtCode'] = choice.candidates.length
          ? t('district.choose', { typed: typedDistrict })
          : t('district.none', { typed: typedDistrict });
        state.districtCandidates = choice.candidates;
      }
    }
    // The "child involved" box is only sent when ticked.
    if (valueOf(fields, 'harm.injury') && !valueOf(fields, 'harm.childInvolved')) normalised['harm.childInvolved'] = 'false';
    const parsed = complaintInputSchema.safeParse(formToInput(complaintInputSchema, normalised));
    if (!parsed.success) Object.assign(errors, { ...errorsByField(fieldIssues(parsed.error, [], lang)), ...errors });

    // Photos are checked before anything is stored, so a refused photo never leaves a half-filed complaint.
    const photos = photosOf(fields);
    const cleaned: Array<{ name: string; bytes: Uint8Array }> = [];
    if (photos.length > MAX_ATTACHMENTS_PER_ITEM)
      errors.photos = translateError(`an item holds at most ${MAX_ATTACHMENTS_PER_ITEM} photos`, lang);
    for (const p of photos.slice(0, MAX_ATTACHMENTS_PER_ITEM)) {
      try {
        if (p.size > MAX_ATTACHMENT_BYTES)
          throw new DomainError('payload_too_large', `a photo may be at most ${MAX_ATTACHMENT_BYTES} bytes`);
        const bytes = new Uint8Array(await p.arrayBuffer());
        await cleanImage(bytes);
        cleaned.push({ name: p.name, bytes });
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        const detail = (err.details as FieldIssue[] | undefined)?.[0]?.message ?? err.message;
        errors.photos = t('report.photoRefused', { name: p.name, reason: translateError(detail, lang) });
      }
    }
    if (Object.keys(errors).length > 0 || !parsed.success) return showForm(c, { ...state, errors }, 400);

    const filed = await submitComplaint(ctx, { input: parsed.data, idempotencyKey });
    let stored = 0;
    const photoErrors: string[] = [];
    if (cleaned.length) {
      const itemId = await itemIdForConsumer(ctx, { trackingNo: filed.trackingNo, accessCode: filed.accessCode });
      for (const p of cleaned) {
        try {
          await addAttachment(ctx, { itemId, uploader: { kind: 'consumer' }, bytes: p.bytes });
          stored++;
        } catch (err) {
          // A replayed form (same idempotency key) finds its photos there already; anything else is reported.
          if (!(err instanceof DomainError)) throw err;
          photoErrors.push(t('report.photoRefused', { name: p.name, reason: translateError(err.message, lang) }));
        }
      }
    }
    receipt.set(c, ctx.config, {
      trackingNo: filed.trackingNo,
      accessCode: filed.accessCode,
      kind: parsed.data.kind,
      emailed: parsed.data.reporter?.email !== undefined,
      photos: stored,
      photoErrors,
      relatedRecalls: filed.relatedRecalls.map((r) => ({ recallNo: r.recallNo, title: r.title })),
    });
    return c.redirect('/report/done', 303);
  });

  const trackForm = (c: Context<WebEnv>, fields?: FormFields, error?: string, status: 200 | 400 = 200) => {
    const lang = c.get('language');
    const t = translator(complaintPageMessages, lang);
    const errors: Record<string, string> = error ? { trackingNo: error } : {};
    return renderPage(
      c,
      {
        title: t('track.title'),
        children: (
          <section class="narrow">
            <h1>{t('track.title')}</h1>
            <p>{t('track.intro')}</p>
            <form method="post" action="/track" novalidate>
              <CsrfField token={c.get('csrfToken')} />
              <ErrorSummary errors={errors} lang={lang} />
              <Field
                name="trackingNo"
                label={t('field.trackingNo')}
                value={valueOf(fields, 'trackingNo')}
                required
                lang={lang}
                maxlength={64}
                error={error}
              />
              <Field name="accessCode" label={t('field.accessCode')} value="" required lang={lang} maxlength={64} autocomplete="off" />
              <button type="submit">{t('track.submit')}</button>
            </form>
          </section>
        ),
      },
      status,
    );
  };

  app.get('/track', (c) => trackForm(c));

  app.post('/track', async (c) => {
    await overLimit(c, ctx, 'tracking', ctx.config.RATE_LIMIT_TRACKING_PER_MINUTE);
    const fields = await readForm(c);
    const t = translator(complaintPageMessages, c.get('language'));
    const trackingNo = valueOf(fields, 'trackingNo').trim().toUpperCase();
    const accessCode = valueOf(fields, 'accessCode').trim();
    try {
      await getTrackingView(ctx, { trackingNo, accessCode, language: c.get('language') });
    } catch (err) {
      if (err instanceof DomainError && err.code === 'not_found') return trackForm(c, fields, t('track.notFound'), 400);
      throw err;
    }
    trackGrant.set(c, ctx.config, { trackingNo, accessCode });
    return c.redirect(`/track/${trackingNo}`, 303);
  });

  const grantFor = (c: Context<WebEnv>, trackingNo: string) => {
    const g = trackGrant.get(c, ctx.config);
    return g?.trackingNo === trackingNo ? g : undefined;
  };

  app.get('/track/:trackingNo', async (c) => {
    const grant = grantFor(c, c.req.param('trackingNo'));
    const t = translator(complaintPageMessages, c.get('language'));
    if (!grant) return trackForm(c, { trackingNo: c.req.param('trackingNo') }, t('track.expired'));
    const view = await getTrackingView(ctx, { ...grant, language: c.get('language') });
    c.header('Cache-Control', 'no-store');
    return renderPage(c, {
      title: `${t('track.title')} ${view.trackingNo}`,
      scripts: ['/static/js/countdown.js'],
      children: <TrackingPage c={c} view={view} added={c.req.query('added')} />,
    });
  });

  app.post('/track/:trackingNo/photos', async (c) => {
    await overLimit(c, ctx, 'tracking', ctx.config.RATE_LIMIT_TRACKING_PER_MINUTE);
    const grant = grantFor(c, c.req.param('trackingNo'));
    if (!grant) return c.redirect('/track', 303);
    const itemId = await itemIdForConsumer(ctx, grant);
    const fields = await readForm(c);
    let added = 0;
    for (const p of photosOf(fields)) {
      await addAttachment(ctx, { itemId, uploader: { kind: 'consumer' }, bytes: new Uint8Array(await p.arrayBuffer()) });
      added++;
    }
    return c.redirect(`/track/${grant.trackingNo}?added=${added}`, 303);
  });

  app.post('/track/forget', (c) => {
    trackGrant.clear(c, ctx.config);
    return c.redirect('/track', 303);
  });

  return app;
}

/** Issues of a sub-schema, keyed by their full form field names. */
function prefixed(issues: FieldIssue[]): Record<string, string> {
  return errorsByField(issues);
}

function TrackingPage({ c, view, added }: { c: Context<WebEnv>; view: TrackingView; added?: string | undefined }) {
  const lang = c.get('language');
  const t = translator(complaintPageMessages, lang);
  const tc = translator(commonMessages, lang);
  const today = shanghaiDate(new Date());
  const kind = view.kind;
  const d = view.deadlines;
  // Only the time limit running now: once decided, the acceptance deadline no longer applies.
  const running = (
    [
      ['track.acceptBy', view.status === 'pending_acceptance' ? d.acceptBy : undefined],
      ['track.verifyBy', view.status === 'pending_verification' ? d.verifyBy : undefined],
      ['track.mediationEndsBy', view.status === 'accepted' || view.status === 'mediating' ? d.mediationEndsBy : undefined],
    ] as const
  ).filter((r): r is readonly [(typeof r)[0], string] => r[1] !== undefined);
  const finished = (finishedStatuses as readonly string[]).includes(view.status);
  return (
    <section class="narrow">
      <h1>
        {t('track.title')} <code>{view.trackingNo}</code>
      </h1>
      {added !== undefined && Number(added) > 0 && <Notice kind="success">{t('track.photos.added', { n: Number(added) })}</Notice>}
      <dl class="facts">
        <dt>{t('track.status')}</dt>
        <dd>
          <strong class={`status status-${view.status}`}>{view.statusLabel}</strong>
        </dd>
        <dt>{t('track.kind')}</dt>
        <dd>{`${labelOf(kindLabels, kind, lang)} · ${labelOf(categoryLabels, view.category, lang)}`}</dd>
        {view.jurisdiction && (
          <>
            <dt>{t('track.bureau')}</dt>
            <dd>{view.jurisdiction.bureauName}</dd>
          </>
        )}
        {view.outcome && (
          <>
            <dt>{t('track.outcome')}</dt>
            <dd>{outcomeLabel(view.outcome, lang)}</dd>
          </>
        )}
        {view.reason && (
          <>
            <dt>{t('track.reason')}</dt>
            <dd>{view.reason.label}</dd>
          </>
        )}
      </dl>
      {view.otherRemedies && (
        <section class="panel">
          <h2>{t('track.remedies')}</h2>
          <p>{view.otherRemedies}</p>
        </section>
      )}
      {running.length > 0 && (
        <section class="panel">
          <h2>{t('track.deadlines')}</h2>
          <ul class="deadlines">
            {running.map(([message, day]) => (
              <li>
                {t(message, { day })} <Countdown dueOn={day} today={today} lang={lang} />
              </li>
            ))}
          </ul>
        </section>
      )}
      <section>
        <h2>{t('track.timeline')}</h2>
        <ol class="timeline">
          {view.timeline.map((e) => (
            <li>
              <time datetime={e.at}>{new Date(e.at).toLocaleString(lang, { timeZone: 'Asia/Shanghai', hour12: false })}</time>
              <strong>{e.statusLabel}</strong>
              {e.note && <span>{e.note}</span>}
            </li>
          ))}
        </ol>
      </section>
      {!finished && (
        <section class="panel">
          <h2>{t('track.photos')}</h2>
          <form method="post" action={`/track/${view.trackingNo}/photos`} enctype="multipart/form-data">
            <CsrfField token={c.get('csrfToken')} />
            <PhotosField lang={lang} />
            <button type="submit" class="secondary">
              {t('track.upload')}
            </button>
          </form>
        </section>
      )}
      <form method="post" action="/track/forget">
        <CsrfField token={c.get('csrfToken')} />
        <button type="submit" class="link-button">
          {t('track.forget')}
        </button>
      </form>
      <p>
        <a href="/">{tc('nav.home')}</a>
      </p>
    </section>
  );
}
