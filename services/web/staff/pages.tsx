import { Hono, type Context } from 'hono';
import { shanghaiDate } from '../../../shared/calendar/index.js';
import {
  caseListQuerySchema,
  caseQueueLabels,
  caseQueues,
  inspectionInputSchema,
  transitionInputSchema,
  type CaseDetail,
  type CaseEventView,
  type InspectionView,
} from '../../../shared/casework/index.js';
import {
  categoryLabels,
  decisionsFor,
  ebikeIssueLabels,
  hazardCodes,
  hazardLabels,
  injuryLabels,
  kindLabels,
  outcomeLabel,
  reasonLabel,
  statusLabel,
  type Rule,
} from '../../../shared/complaints/index.js';
import { transitionItem } from '../../../shared/decisions/index.js';
import { DomainError, type FieldIssue } from '../../../shared/errors/index.js';
import { labelOf, translateError, type Language } from '../../../shared/i18n/index.js';
import type { ServiceContext } from '../../../shared/runtime/index.js';
import { idSchema } from '../../../shared/validation/index.js';
import {
  addCasePhoto,
  assignCase,
  claimNextCase,
  getCase,
  listAssignableInspectors,
  listCases,
  readCasePhoto,
  recordInspection,
  recordProvincialReport,
  releaseCase,
} from '../../casework/index.js';
import { clientAddress, fieldIssues } from '../../http/index.js';
import { login, logout } from '../../staff/index.js';
import { Choices, Countdown, CsrfField, ErrorSummary, Field, Notice, PriorityBadge, Select } from '../components.js';
import { errorsByField, formToInput, valueOf, readForm, type FormFields } from '../forms.js';
import { renderPage } from '../layout.js';
import { translator } from '../messages.js';
import { endStaffSession, pageStaff, requireStaffPage, startStaffSession } from '../session.js';
import type { WebEnv } from '../types.js';
import { staffPageMessages } from './messages.js';

/** Only a path on this site may be the place to return to after signing in. */
const safeNext = (next: string | undefined) => (next && /^\/(?!\/)[^\s\\]*$/.test(next) ? next : undefined);
const homeOf = (role: string) => (role === 'admin' ? '/admin/staff' : role === 'regulator' ? '/regulator' : '/staff/queue');

export function staffPages(ctx: ServiceContext) {
  const app = new Hono<WebEnv>();

  const loginPage = (
    c: Context<WebEnv>,
    opts: { email?: string; failed?: boolean; next?: string | undefined } = {},
    status: 200 | 400 = 200,
  ) => {
    const lang = c.get('language');
    const t = translator(staffPageMessages, lang);
    return renderPage(
      c,
      {
        title: t('login.title'),
        children: (
          <section class="narrow">
            <h1>{t('login.title')}</h1>
            {opts.failed && <Notice kind="danger">{t('login.failed')}</Notice>}
            <form method="post" action="/staff/login">
              <CsrfField token={c.get('csrfToken')} />
              <input type="hidden" name="next" value={opts.next ?? ''} />
              <Field
                name="email"
                type="email"
                label={t('login.email')}
                value={opts.email}
                required
                lang={lang}
                autocomplete="username"
                maxlength={254}
              />
              <Field
                name="password"
                type="password"
                label={t('login.password')}
                value=""
                required
                lang={lang}
                autocomplete="current-password"
                maxlength={200}
              />
              <button type="submit">{t('login.submit')}</button>
            </form>
          </section>
        ),
      },
      status,
    );
  };

  app.get('/staff/login', (c) => {
    const staff = c.get('staff');
    if (staff) return c.redirect(safeNext(c.req.query('next')) ?? homeOf(staff.role), 303);
    return loginPage(c, { next: safeNext(c.req.query('next')) });
  });

  app.post('/staff/login', async (c) => {
    const fields = await readForm(c);
    const email = valueOf(fields, 'email').trim();
    const next = safeNext(valueOf(fields, 'next'));
    const limited = await ctx.rateLimits.hit('login', ctx.config.RATE_LIMIT_LOGIN_PER_MINUTE, clientAddress(c, ctx.config.TRUST_PROXY));
    if (!limited.allowed) {
      c.header('Retry-After', String(limited.retryAfterSeconds));
      throw new DomainError('rate_limited', 'too many requests, please slow down');
    }
    try {
      const session = await login(ctx, { email, password: valueOf(fields, 'password') });
      startStaffSession(c, ctx, session.token);
      return c.redirect(next ?? homeOf(session.user.role), 303);
    } catch (err) {
      if (err instanceof DomainError && err.code === 'unauthorized') return loginPage(c, { email, failed: true, next }, 400);
      throw err;
    }
  });

  app.post('/staff/logout', async (c) => {
    const staff = c.get('staff');
    if (staff) await logout(ctx, { staff });
    endStaffSession(c, ctx);
    return c.redirect('/staff/login', 303);
  });

  app.use('/staff/queue', requireStaffPage('inspector', 'regulator'));
  app.use('/staff/queue/*', requireStaffPage('inspector', 'regulator'));
  app.use('/staff/cases/*', requireStaffPage('inspector', 'regulator'));

  app.get('/staff/queue', async (c) => {
    const lang = c.get('language');
    const t = translator(staffPageMessages, lang);
    const staff = pageStaff(c);
    const parsed = caseListQuerySchema.safeParse(c.req.query());
    const query = parsed.success ? parsed.data : caseListQuerySchema.parse({});
    const cases = await listCases(ctx, { staff, query });
    const today = shanghaiDate(new Date());
    const notice = c.req.query('notice');
    const queues = staff.role === 'inspector' ? staff.specialties : caseQueues;
    return renderPage(c, {
      title: t('queue.title'),
      wide: true,
      scripts: ['/static/js/countdown.js'],
      children: (
        <section>
          <h1>{t('queue.title')}</h1>
          {notice === 'nothing' && <Notice kind="info">{t('queue.nothing')}</Notice>}
          <form method="post" action="/staff/queue/claim" class="actions">
            <CsrfField token={c.get('csrfToken')} />
            {query.queue && <input type="hidden" name="queue" value={query.queue} />}
            <button type="submit">{t('queue.claimNext')}</button>
          </form>
          <form method="get" action="/staff/queue" class="filters" aria-label={t('queue.filter')}>
            <Select
              name="queue"
              label={t('queue.queue')}
              lang={lang}
              value={query.queue}
              placeholder={t('queue.claimed.any')}
              options={queues.map((q) => ({ value: q, label: labelOf(caseQueueLabels, q, lang) }))}
            />
            <Select
              name="priority"
              label={t('queue.priority')}
              lang={lang}
              value={query.priority ? String(query.priority) : ''}
              placeholder={t('queue.claimed.any')}
              options={[1, 2, 3, 4].map((p) => ({ value: String(p), label: `P${p}` }))}
            />
            <Select
              name="claimed"
              label={t('queue.claimed')}
              lang={lang}
              value={query.claimed}
              placeholder={t('queue.claimed.any')}
              options={[
                { value: 'mine', label: t('queue.claimed.mine') },
                { value: 'unclaimed', label: t('queue.claimed.unclaimed') },
              ]}
            />
            <Select
              name="status"
              label={t('queue.status')}
              lang={lang}
              value={query.status}
              placeholder={t('queue.status.open')}
              options={[{ value: 'closed', label: t('queue.status.closed') }]}
            />
            <button type="submit" class="secondary">
              {t('queue.filter')}
            </button>
          </form>
          {cases.length === 0 ? (
            <p>{t('queue.empty')}</p>
          ) : (
            <div class="table-wrap">
              <table class="striped">
                <thead>
                  <tr>
                    <th scope="col">{t('queue.col.priority')}</th>
                    <th scope="col">{t('queue.col.case')}</th>
                    <th scope="col">{t('queue.col.items')}</th>
                    <th scope="col">{t('queue.col.due')}</th>
                    <th scope="col">{t('queue.col.claimed')}</th>
                  </tr>
                </thead>
                <tbody>
                  {cases.map((k) => (
                    <tr>
                      <td>
                        <PriorityBadge priority={k.priority} />
                        {k.escalated && (
                          <>
                            {' '}
                            <span class="badge p1">{t('queue.escalated')}</span>
                          </>
                        )}
                      </td>
                      <td>
                        <a href={`/staff/cases/${k.id}`}>{`#${k.id} ${k.merchantName}`}</a>
                        <br />
                        <small>{`${labelOf(caseQueueLabels, k.queue, lang)} · ${labelOf(categoryLabels, k.category, lang)} · ${k.jurisdictionCode}`}</small>
                      </td>
                      <td>
                        <ul class="plain">
                          {k.items.map((i) => (
                            <li>{`${i.title}（${statusLabel(i.status, lang)}）`}</li>
                          ))}
                        </ul>
                      </td>
                      <td>
                        <Countdown dueOn={k.dueOn} today={today} lang={lang} />
                      </td>
                      <td>{k.claimedBy === null ? t('queue.unclaimed') : k.claimedBy === staff.id ? t('queue.me') : t('queue.someone')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      ),
    });
  });

  app.post('/staff/queue/claim', async (c) => {
    const fields = await readForm(c);
    const queue = (caseQueues as readonly string[]).includes(valueOf(fields, 'queue'))
      ? (valueOf(fields, 'queue') as (typeof caseQueues)[number])
      : undefined;
    const id = await claimNextCase(ctx, { staff: pageStaff(c), queue });
    return c.redirect(id === undefined ? '/staff/queue?notice=nothing' : `/staff/cases/${id}`, 303);
  });

  const caseIdOf = (c: Context<WebEnv>) => {
    const id = idSchema.safeParse(c.req.param('id'));
    if (!id.success) throw new DomainError('not_found', 'case not found');
    return id.data;
  };

  const casePage = async (c: Context<WebEnv>, caseId: number, extra: CaseExtras = {}, status: 200 | 400 | 409 = 200) => {
    const staff = pageStaff(c);
    const detail = await getCase(ctx, { staff, caseId });
    const inspectors = staff.role === 'regulator' ? await listAssignableInspectors(ctx, { staff, caseId }) : [];
    const t = translator(staffPageMessages, c.get('language'));
    return renderPage(
      c,
      {
        title: t('case.title', { id: detail.id, merchant: detail.merchant.name }),
        wide: true,
        scripts: ['/static/js/countdown.js', '/static/js/inspection.js'],
        children: <CasePage c={c} detail={detail} inspectors={inspectors} extra={extra} />,
      },
      status,
    );
  };

  app.get('/staff/cases/:id', async (c) => casePage(c, caseIdOf(c), { notice: c.req.query('notice') }));

  app.post('/staff/cases/:id/release', async (c) => {
    const caseId = caseIdOf(c);
    await releaseCase(ctx, { staff: pageStaff(c), caseId });
    return c.redirect('/staff/queue', 303);
  });

  app.post('/staff/cases/:id/assign', async (c) => {
    const caseId = caseIdOf(c);
    const fields = await readForm(c);
    const inspectorId = idSchema.safeParse(valueOf(fields, 'inspectorId'));
    if (!inspectorId.success)
      return casePage(c, caseId, { errors: { inspectorId: translateError('the request is invalid', c.get('language')) } }, 400);
    await assignCase(ctx, { staff: pageStaff(c), caseId, inspectorId: inspectorId.data });
    return c.redirect(`/staff/cases/${caseId}`, 303);
  });

  app.post('/staff/cases/:id/items/:trackingNo/transition', async (c) => {
    const caseId = caseIdOf(c);
    const lang = c.get('language');
    const trackingNo = c.req.param('trackingNo');
    const fields = await readForm(c);
    const parsed = transitionInputSchema.safeParse(formToInput(transitionInputSchema, fields));
    const form = `decide-${trackingNo}-${valueOf(fields, 'to')}`;
    if (!parsed.success) return casePage(c, caseId, { form, errors: errorsByField(fieldIssues(parsed.error, [], lang)) }, 400);
    try {
      const result = await transitionItem(ctx, { staff: pageStaff(c), trackingNo, transition: parsed.data, language: lang });
      return c.redirect(`/staff/cases/${caseId}?notice=${encodeURIComponent(`decided:${result.status}`)}`, 303);
    } catch (err) {
      if (err instanceof DomainError && (err.code === 'validation_failed' || err.code === 'conflict')) {
        const issues = (err.details as FieldIssue[] | undefined) ?? [];
        const errors =
          Array.isArray(issues) && issues.length
            ? errorsByField(issues.map((i) => ({ ...i, message: translateError(i.message, lang) })))
            : { to: translateError(err.message, lang) };
        return casePage(c, caseId, { form, errors }, err.code === 'conflict' ? 409 : 400);
      }
      throw err;
    }
  });

  app.post('/staff/cases/:id/items/:trackingNo/provincial-report', async (c) => {
    const caseId = caseIdOf(c);
    await recordProvincialReport(ctx, { staff: pageStaff(c), trackingNo: c.req.param('trackingNo') });
    return c.redirect(`/staff/cases/${caseId}?notice=provincial`, 303);
  });

  app.post('/staff/cases/:id/inspections', async (c) => {
    const caseId = caseIdOf(c);
    const lang = c.get('language');
    const fields = await readForm(c);
    const form = `inspect-${valueOf(fields, 'type')}`;
    const parsed = inspectionInputSchema.safeParse(formToInput(inspectionInputSchema, fields));
    if (!parsed.success) return casePage(c, caseId, { form, fields, errors: errorsByField(fieldIssues(parsed.error, [], lang)) }, 400);
    const recorded = await recordInspection(ctx, { staff: pageStaff(c), caseId, inspection: parsed.data });
    return c.redirect(`/staff/cases/${caseId}?notice=${encodeURIComponent(`inspected:${recorded.verdict}`)}`, 303);
  });

  app.post('/staff/cases/:id/photos', async (c) => {
    const caseId = caseIdOf(c);
    const fields = await readForm(c);
    const file = fields.file;
    if (!(file instanceof File) || file.size === 0) {
      return casePage(c, caseId, { form: 'photos', errors: { file: translateError('empty file', c.get('language')) } }, 400);
    }
    const trackingNo = valueOf(fields, 'trackingNo') || undefined;
    await addCasePhoto(ctx, { staff: pageStaff(c), caseId, trackingNo, bytes: new Uint8Array(await file.arrayBuffer()) });
    return c.redirect(`/staff/cases/${caseId}#photos`, 303);
  });

  app.get('/staff/cases/:id/photos/:attachmentId', async (c) => {
    const attachmentId = idSchema.safeParse(c.req.param('attachmentId'));
    if (!attachmentId.success) throw new DomainError('not_found', 'attachment not found');
    const file = await readCasePhoto(ctx, { staff: pageStaff(c), caseId: caseIdOf(c), attachmentId: attachmentId.data });
    return c.body(new Uint8Array(file.bytes), 200, {
      'content-type': file.contentType,
      'cache-control': 'private, no-store',
      'x-content-type-options': 'nosniff',
    });
  });

  return app;
}

interface CaseExtras {
  notice?: string | undefined;
  /** Which form the errors belong to. */
  form?: string;
  fields?: FormFields;
  errors?: Record<string, string>;
}

const verdictLabel = (v: string, lang: Language) => translator(staffPageMessages, lang)(`verdict.${v}` as 'verdict.pass');

function CasePage({
  c,
  detail,
  inspectors,
  extra,
}: {
  c: Context<WebEnv>;
  detail: CaseDetail;
  inspectors: Array<{ id: number; name: string }>;
  extra: CaseExtras;
}) {
  const lang = c.get('language');
  const t = translator(staffPageMessages, lang);
  const staff = pageStaff(c);
  const today = shanghaiDate(new Date());
  const csrf = c.get('csrfToken');
  const [noticeKind, noticeValue] = (extra.notice ?? '').split(':');
  return (
    <article class="case">
      <h1>{t('case.title', { id: detail.id, merchant: detail.merchant.name })}</h1>
      {noticeKind === 'decided' && noticeValue && (
        <Notice kind="success">{t('case.decided', { status: statusLabel(noticeValue, lang) })}</Notice>
      )}
      {noticeKind === 'inspected' && noticeValue && (
        <Notice kind="success">{t('case.inspection.saved', { verdict: verdictLabel(noticeValue, lang) })}</Notice>
      )}
      {noticeKind === 'provincial' && <Notice kind="success">{t('case.provincialRecorded')}</Notice>}
      <dl class="facts">
        <dt>{t('case.merchant')}</dt>
        <dd>
          {[detail.merchant.name, detail.merchant.uscc, detail.merchant.address, detail.merchant.districtCode].filter(Boolean).join(' · ')}
        </dd>
        <dt>{t('case.queue')}</dt>
        <dd>
          <PriorityBadge priority={detail.priority} />{' '}
          {`${labelOf(caseQueueLabels, detail.queue, lang)} · ${labelOf(categoryLabels, detail.category, lang)} · ${detail.jurisdictionCode}`}
        </dd>
        <dt>{t('case.due')}</dt>
        <dd>
          <Countdown dueOn={detail.dueOn} today={today} lang={lang} />
        </dd>
        <dt>{t('case.assignee')}</dt>
        <dd>
          {detail.claimedBy === null
            ? '—'
            : detail.claimedBy === staff.id
              ? translator(staffPageMessages, lang)('queue.me')
              : `#${detail.claimedBy}`}
          {(detail.claimedBy === staff.id || (staff.role === 'regulator' && detail.claimedBy !== null)) && detail.status === 'open' && (
            <form method="post" action={`/staff/cases/${detail.id}/release`} class="inline">
              <CsrfField token={csrf} />{' '}
              <button type="submit" class="link-button">
                {t('case.release')}
              </button>
            </form>
          )}
        </dd>
      </dl>
      {staff.role === 'regulator' && detail.status === 'open' && (
        <form method="post" action={`/staff/cases/${detail.id}/assign`} class="filters">
          <CsrfField token={csrf} />
          <Select
            name="inspectorId"
            label={t('case.assign')}
            lang={lang}
            error={extra.errors?.inspectorId}
            options={inspectors.map((i) => ({ value: String(i.id), label: i.name }))}
          />
          <button type="submit" class="secondary">
            {t('case.assign.submit')}
          </button>
        </form>
      )}

      <h2>{t('case.items')}</h2>
      {detail.items.map((item) => (
        <section class="panel" aria-labelledby={`item-${item.trackingNo}`}>
          <h3 id={`item-${item.trackingNo}`}>
            <PriorityBadge priority={item.priority} /> {`${labelOf(kindLabels, item.kind, lang)}：${item.title}`}
          </h3>
          <p>
            <code>{item.trackingNo}</code> · <strong>{statusLabel(item.status, lang)}</strong>
            {item.reasonCode && ` · ${reasonLabel(item.reasonCode, lang)}`}
            {item.outcome && ` · ${outcomeLabel(item.outcome, lang)}`}
          </p>
          <p>{item.description}</p>
          <ItemFacts item={item} lang={lang} today={today} contactDetails={detail.contactDetails} />
          {item.deadlines.provincialReportBy && <ProvincialReport c={c} caseId={detail.id} item={item} today={today} />}
          <Decisions c={c} caseId={detail.id} item={item} extra={extra} />
        </section>
      ))}

      <h2>{t('case.inspections')}</h2>
      {detail.inspections.length > 0 && (
        <ul>
          {detail.inspections.map((x) => (
            <li>
              <InspectionSummary inspection={x} lang={lang} />
            </li>
          ))}
        </ul>
      )}
      {detail.status === 'open' && <InspectionForms c={c} detail={detail} extra={extra} />}

      <h2 id="photos">{t('case.photos')}</h2>
      {detail.attachments.length === 0 ? (
        <p>{t('case.photos.none')}</p>
      ) : (
        <ul class="photos">
          {detail.attachments.map((a) => (
            <li>
              <a
                href={`/staff/cases/${detail.id}/photos/${a.id}`}
              >{`${a.trackingNo} · #${a.id} · ${Math.round(a.sizeBytes / 1024)} KB · ${a.uploadedBy}`}</a>
            </li>
          ))}
        </ul>
      )}
      <form method="post" action={`/staff/cases/${detail.id}/photos`} enctype="multipart/form-data" class="panel">
        <CsrfField token={csrf} />
        <Select
          scope="photo"
          name="trackingNo"
          label={t('case.inspection.item')}
          lang={lang}
          options={detail.items.map((i) => ({ value: i.trackingNo, label: `${i.trackingNo} ${i.title}` }))}
        />
        <div class="field">
          <label for="f-file">{t('case.photos.add')}</label>
          <input id="f-file" type="file" name="file" accept="image/jpeg,image/png,image/*" capture="environment" required />
          {extra.form === 'photos' && extra.errors?.file && <small class="field-error">{extra.errors.file}</small>}
        </div>
        <button type="submit" class="secondary">
          {t('case.photos.upload')}
        </button>
      </form>

      <h2>{t('case.audit')}</h2>
      <ol class="timeline">
        {detail.events.map((e) => (
          <li>
            <time datetime={e.at}>{new Date(e.at).toLocaleString(lang, { timeZone: 'Asia/Shanghai', hour12: false })}</time>
            <strong>{t(`action.${e.action}` as 'action.claimed')}</strong> <span>{eventText(e, lang)}</span>
            {e.actorId !== null && <small>{t('case.audit.who', { id: e.actorId })}</small>}
          </li>
        ))}
      </ol>
    </article>
  );
}

function eventText(e: CaseEventView, lang: Language): string {
  switch (e.action) {
    case 'transition':
      return `${e.data.trackingNo}：${e.data.from ? statusLabel(e.data.from, lang) : '—'} → ${statusLabel(e.data.to, lang)}${e.data.reasonCode ? `（${reasonLabel(e.data.reasonCode, lang)}）` : ''}${e.data.note ? ` ${e.data.note}` : ''}`;
    case 'inspection_recorded':
      return `${e.data.type} → ${verdictLabel(e.data.verdict, lang)}`;
    case 'assigned':
      return `#${e.data.from ?? '—'} → #${e.data.to}`;
    case 'contact_viewed':
      return e.data.items.join(', ');
    case 'attachment_added':
      return `#${e.data.attachmentId}`;
    default:
      return '';
  }
}

/** A death or serious injury goes to the provincial bureau within 2 working days: the due day, or when it was made. */
function ProvincialReport({
  c,
  caseId,
  item,
  today,
}: {
  c: Context<WebEnv>;
  caseId: number;
  item: CaseDetail['items'][number];
  today: string;
}) {
  const lang = c.get('language');
  const t = translator(staffPageMessages, lang);
  const by = item.deadlines.provincialReportBy!;
  return (
    <div class="panel" role="group" aria-label={t('case.item.provincial')}>
      {item.provincialReportedAt ? (
        <p>
          {t('case.item.provincialDone', {
            at: new Date(item.provincialReportedAt).toLocaleString(lang, { timeZone: 'Asia/Shanghai', hour12: false }),
          })}
        </p>
      ) : (
        <form method="post" action={`/staff/cases/${caseId}/items/${item.trackingNo}/provincial-report`} class="inline">
          <CsrfField token={c.get('csrfToken')} />
          <p>
            {t('case.item.provincialBy')} <Countdown dueOn={by} today={today} lang={lang} />
          </p>
          <button type="submit" class="secondary">
            {t('case.item.provincialRecord')}
          </button>
        </form>
      )}
    </div>
  );
}

function ItemFacts({
  item,
  lang,
  today,
  contactDetails,
}: {
  item: CaseDetail['items'][number];
  lang: Language;
  today: string;
  contactDetails: string;
}) {
  const t = translator(staffPageMessages, lang);
  const ev = item.evidence as Record<string, unknown> | null;
  return (
    <dl class="facts">
      <dt>{t('case.item.received')}</dt>
      <dd>{new Date(item.receivedAt).toLocaleString(lang, { timeZone: 'Asia/Shanghai', hour12: false })}</dd>
      <dt>{t('case.item.deadlines')}</dt>
      <dd>
        {item.deadlines.acceptBy && (
          <span>
            {t('case.item.acceptBy')} <Countdown dueOn={item.deadlines.acceptBy} today={today} lang={lang} />
          </span>
        )}
        {item.deadlines.verifyBy && (
          <span>
            {t('case.item.verifyBy')} <Countdown dueOn={item.deadlines.verifyBy} today={today} lang={lang} />
          </span>
        )}
        {item.deadlines.mediationEndsBy && (
          <span>
            {t('case.item.mediationEndsBy')} <Countdown dueOn={item.deadlines.mediationEndsBy} today={today} lang={lang} />
          </span>
        )}
      </dd>
      {item.screening && (
        <>
          <dt>{t('case.item.evidence')}</dt>
          <dd>{t('case.item.screening', { dev: item.screening.deviationG, mpe: item.screening.mpeG, ratio: item.screening.ratio })}</dd>
        </>
      )}
      {ev && Array.isArray(ev.issues) && ev.issues.length > 0 && (
        <>
          <dt>{t('case.item.evidence')}</dt>
          <dd>{(ev.issues as string[]).map((i) => labelOf(ebikeIssueLabels, i, lang)).join('；')}</dd>
        </>
      )}
      {ev && Array.isArray(ev.hazards) && ev.hazards.length > 0 && (
        <>
          <dt>{t('case.item.evidence')}</dt>
          <dd>{(ev.hazards as string[]).map((h) => labelOf(hazardLabels, h, lang)).join('；')}</dd>
        </>
      )}
      {item.product && (
        <>
          <dt>{t('case.item.product')}</dt>
          <dd>
            {[item.product.name, item.product.brand, item.product.model, item.product.batch, item.product.cccCertificateNo]
              .filter(Boolean)
              .join(' · ')}
          </dd>
        </>
      )}
      {item.harm && (
        <>
          <dt>{t('case.item.harm')}</dt>
          <dd>
            {labelOf(injuryLabels, item.harm.injury, lang) +
              (item.harm.childInvolved ? (lang === 'en' ? ' · a child was involved' : ' · 涉及儿童') : '')}
          </dd>
        </>
      )}
      <dt>{t('case.item.reporter')}</dt>
      <dd>
        {[item.reporter.name, item.reporter.phone, item.reporter.email].filter(Boolean).join(' · ') || '—'}
        {contactDetails === 'masked' && <small> {t('case.item.masked')}</small>}
      </dd>
    </dl>
  );
}

function Decisions({
  c,
  caseId,
  item,
  extra,
}: {
  c: Context<WebEnv>;
  caseId: number;
  item: CaseDetail['items'][number];
  extra: CaseExtras;
}) {
  const lang = c.get('language');
  const t = translator(staffPageMessages, lang);
  const staff = pageStaff(c);
  // An extension is offered once, and only while the verification period still runs.
  const today = shanghaiDate(new Date());
  const periodEnded = item.deadlines.verifyBy !== null && item.deadlines.verifyBy < today;
  const mediationEnded = item.deadlines.mediationEndsBy !== null && item.deadlines.mediationEndsBy < today;
  const decisions = decisionsFor(item.kind, item.status, staff.role, item.verifyExtended).filter(
    (r) => !(r.effect === 'extend_verification' && periodEnded),
  );
  if (decisions.length === 0) return <p class="muted">{t('case.decide.none')}</p>;
  return (
    <details open={extra.form?.startsWith(`decide-${item.trackingNo}`)}>
      <summary>{t('case.decide')}</summary>
      <div class="decisions">
        {decisions.map((rule: Rule) => {
          const formKey = `decide-${item.trackingNo}-${rule.to}`;
          const errors = extra.form === formKey ? (extra.errors ?? {}) : {};
          const label =
            rule.to === item.status ? t('case.decide.to') + '：' + statusLabel(rule.to, lang) + ' +15' : statusLabel(rule.to, lang);
          return (
            <form method="post" action={`/staff/cases/${caseId}/items/${item.trackingNo}/transition`} class="panel">
              <CsrfField token={c.get('csrfToken')} />
              <input type="hidden" name="to" value={rule.to} />
              <h4>{label}</h4>
              <ErrorSummary errors={errors} lang={lang} scope={formKey} />
              {rule.requires === 'reasonCode' && rule.reasonCodes && (
                <Select
                  scope={formKey}
                  name="reasonCode"
                  label={t('case.decide.reason')}
                  required
                  lang={lang}
                  error={errors.reasonCode}
                  options={rule.reasonCodes.map((r) => ({ value: r, label: reasonLabel(r, lang) }))}
                />
              )}
              {rule.requires === 'outcome' && rule.outcomes && (
                <Select
                  scope={formKey}
                  name="outcome"
                  label={t('case.decide.outcome')}
                  required
                  lang={lang}
                  error={errors.outcome}
                  options={rule.outcomes
                    // Mediation expires on its day (the deadline check closes it then); before, it ends otherwise.
                    .filter((o) => o !== 'mediation_expired' || mediationEnded)
                    .map((o) => ({ value: o, label: outcomeLabel(o, lang) }))}
                />
              )}
              {rule.requires === 'toDistrictCode' && (
                <Field
                  name="toDistrictCode"
                  label={t('case.decide.district')}
                  required
                  lang={lang}
                  error={errors.toDistrictCode}
                  inputmode="numeric"
                  maxlength={6}
                />
              )}
              <Field
                scope={formKey}
                name="note"
                label={t('case.decide.note')}
                required={rule.effect === 'extend_verification'}
                lang={lang}
                error={errors.note}
                maxlength={2000}
              />
              <button type="submit">{t('case.decide.submit')}</button>
              {errors.to && <small class="field-error">{errors.to}</small>}
            </form>
          );
        })}
      </div>
    </details>
  );
}

function InspectionSummary({ inspection: x, lang }: { inspection: InspectionView; lang: Language }) {
  const t = translator(staffPageMessages, lang);
  const head = `${new Date(x.createdAt).toLocaleString(lang, { timeZone: 'Asia/Shanghai', hour12: false })} · `;
  const verdict = <strong class={`verdict-${x.verdict}`}>{verdictLabel(x.verdict, lang)}</strong>;
  switch (x.type) {
    case 'scale_verification':
      return (
        <span>
          {head}
          {t('case.scale.title')}：{verdict}（
          {x.data.results.map((r) => `${r.loadG} g → ${r.indicationG} g（${r.errorG >= 0 ? '+' : ''}${r.errorG} / ±${r.mpeG}）`).join('；')}
          ）
        </span>
      );
    case 'ccc_check':
      return (
        <span>
          {head}
          {t('case.ccc.title')}：{verdict} {x.data.certificateNo ?? ''} {x.data.problems.join(', ')}
        </span>
      );
    case 'product_hazard_check':
      return (
        <span>
          {head}
          {t('case.hazard.title')}：{verdict} {x.data.hazardsFound.map((h) => labelOf(hazardLabels, h, lang)).join('；')}
        </span>
      );
  }
}

const LOAD_ROWS = 5;

function InspectionForms({ c, detail, extra }: { c: Context<WebEnv>; detail: CaseDetail; extra: CaseExtras }) {
  const lang = c.get('language');
  const t = translator(staffPageMessages, lang);
  const csrf = c.get('csrfToken');
  const items = detail.items.map((i) => ({ value: i.trackingNo, label: `${i.trackingNo} ${i.title}` }));
  const errorsFor = (type: string) => (extra.form === `inspect-${type}` ? (extra.errors ?? {}) : {});
  const valueFor = (type: string, name: string) => (extra.form === `inspect-${type}` ? valueOf(extra.fields, name) : '');
  const scaleErrors = errorsFor('scale_verification');
  const firstScreening = detail.items.find((i) => i.evidence && 'scaleIntervalG' in i.evidence)?.evidence as
    { scaleIntervalG?: number; scaleMaxG?: number } | undefined;
  return (
    <div class="stats">
      {detail.category === 'scale' && (
        <form method="post" action={`/staff/cases/${detail.id}/inspections`} class="panel" data-scale-verification>
          <CsrfField token={csrf} />
          <input type="hidden" name="type" value="scale_verification" />
          <h3>{t('case.scale.title')}</h3>
          <ErrorSummary errors={scaleErrors} lang={lang} />
          <Select
            name="trackingNo"
            label={t('case.inspection.item')}
            lang={lang}
            options={items}
            value={valueFor('scale_verification', 'trackingNo')}
          />
          <div class="grid-2">
            <Field
              scope="sv"
              name="scaleMaxG"
              label={t('case.scale.max')}
              type="number"
              step="any"
              inputmode="decimal"
              lang={lang}
              value={valueFor('scale_verification', 'scaleMaxG') || (firstScreening?.scaleMaxG ? String(firstScreening.scaleMaxG) : '')}
              error={scaleErrors.scaleMaxG}
            />
            <Field
              scope="sv"
              name="scaleIntervalG"
              label={t('case.scale.e')}
              type="number"
              step="any"
              inputmode="decimal"
              lang={lang}
              value={
                valueFor('scale_verification', 'scaleIntervalG') ||
                (firstScreening?.scaleIntervalG ? String(firstScreening.scaleIntervalG) : '5')
              }
              error={scaleErrors.scaleIntervalG}
            />
          </div>
          <div class="table-wrap">
            <table class="loads-table">
              <thead>
                <tr>
                  <th scope="col">{t('case.scale.load')}</th>
                  <th scope="col">{t('case.scale.indication')}</th>
                  <th scope="col">{t('case.scale.error')}</th>
                </tr>
              </thead>
              <tbody>
                {Array.from({ length: LOAD_ROWS }, (_, i) => (
                  <tr>
                    <td>
                      <input
                        type="number"
                        step="any"
                        inputmode="decimal"
                        name={`loads.${i}.loadG`}
                        aria-label={`${t('case.scale.load')} ${i + 1}`}
                        value={valueFor('scale_verification', `loads.${i}.loadG`)}
                        aria-invalid={scaleErrors[`loads.${i}.loadG`] ? 'true' : undefined}
                      />
                    </td>
                    <td>
                      <input
                        type="number"
                        step="any"
                        inputmode="decimal"
                        name={`loads.${i}.indicationG`}
                        aria-label={`${t('case.scale.indication')} ${i + 1}`}
                        value={valueFor('scale_verification', `loads.${i}.indicationG`)}
                      />
                    </td>
                    <td data-load-result={i} aria-live="polite"></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p class="js-only" hidden>
            {t('case.scale.live')}：<strong data-scale-verdict aria-live="polite"></strong>
          </p>
          <Field
            name="notes"
            label={t('case.inspection.notes')}
            lang={lang}
            maxlength={5000}
            value={valueFor('scale_verification', 'notes')}
          />
          <button type="submit">{t('case.save')}</button>
        </form>
      )}
      {(detail.category === 'ebike' || detail.category === 'child_product' || detail.category === 'other') && (
        <form method="post" action={`/staff/cases/${detail.id}/inspections`} class="panel">
          <CsrfField token={csrf} />
          <input type="hidden" name="type" value="ccc_check" />
          <h3>{t('case.ccc.title')}</h3>
          <ErrorSummary errors={errorsFor('ccc_check')} lang={lang} scope="ccc" />
          <Select scope="ccc" name="trackingNo" label={t('case.inspection.item')} lang={lang} options={items} />
          <Field scope="ccc" name="certificateNo" label={t('case.ccc.cert')} lang={lang} inputmode="numeric" maxlength={30} />
          <input type="hidden" name="markPresent" value="false" />
          <label class="choice">
            <input type="checkbox" name="markPresent" value="true" />
            <span>{t('case.ccc.mark')}</span>
          </label>
          <input type="hidden" name="conformityCertificatePresent" value="false" />
          <label class="choice">
            <input type="checkbox" name="conformityCertificatePresent" value="true" />
            <span>{t('case.ccc.conformity')}</span>
          </label>
          <Field scope="ccc" name="notes" label={t('case.inspection.notes')} lang={lang} maxlength={5000} />
          <button type="submit">{t('case.save')}</button>
        </form>
      )}
      {(detail.category === 'child_product' || detail.category === 'other' || detail.category === 'ebike') && (
        <form method="post" action={`/staff/cases/${detail.id}/inspections`} class="panel">
          <CsrfField token={csrf} />
          <input type="hidden" name="type" value="product_hazard_check" />
          <h3>{t('case.hazard.title')}</h3>
          <ErrorSummary errors={errorsFor('product_hazard_check')} lang={lang} scope="hz" />
          <Select scope="hz" name="trackingNo" label={t('case.inspection.item')} lang={lang} options={items} />
          <input type="hidden" name="hazardsFound" value="" />
          <Choices
            scope="hz"
            name="hazardsFound"
            label={t('case.hazard.found')}
            multiple
            lang={lang}
            options={hazardCodes.map((h) => ({ value: h, label: labelOf(hazardLabels, h, lang), icon: `/static/img/hazard-${h}.svg` }))}
          />
          <Field scope="hz" name="notes" label={t('case.inspection.notes')} lang={lang} maxlength={5000} />
          <button type="submit">{t('case.save')}</button>
        </form>
      )}
    </div>
  );
}
