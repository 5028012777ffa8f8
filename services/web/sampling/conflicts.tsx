import { Hono, type Context } from 'hono';
import { DomainError } from '../../../shared/errors/index.js';
import type { ServiceContext } from '../../../shared/runtime/index.js';
import { conflictInputSchema } from '../../../shared/sampling/index.js';
import { idSchema } from '../../../shared/validation/index.js';
import { conflictFormOptions, declareConflict, listConflicts, withdrawConflict } from '../../sampling/index.js';
import { CsrfField, Field, Notice, Select, TextArea } from '../components.js';
import { readForm, valueOf } from '../forms.js';
import { renderPage } from '../layout.js';
import { translator } from '../messages.js';
import { pageStaff, requireStaffPage } from '../session.js';
import type { WebEnv } from '../types.js';
import { samplingPageMessages } from './messages.js';
import { attempt, FormProblems, formatTime, stateFor, TableWrap, type FormState, type PageStatus } from './shared.js';

interface Extras extends FormState {
  notice?: string | undefined;
}

const notices = { declared: 'conflicts.declared', withdrawn: 'conflicts.withdrawn' } as const;

/**
 * Conflicts of interest (回避) beside the API's /sampling/conflicts: an inspector declares their own and withdraws
 * them; a regulator sees and records those of the inspectors of their jurisdiction. The draw reads them.
 */
export function conflictPages(ctx: ServiceContext) {
  const app = new Hono<WebEnv>();
  app.use('/staff/sampling/conflicts', requireStaffPage('inspector', 'regulator'));
  app.use('/staff/sampling/conflicts/*', requireStaffPage('inspector', 'regulator'));

  const page = async (c: Context<WebEnv>, extra: Extras, status: PageStatus = 200) => {
    const lang = c.get('language');
    const t = translator(samplingPageMessages, lang);
    const staff = pageStaff(c);
    const [declarations, options] = await Promise.all([listConflicts(ctx, { staff }), conflictFormOptions(ctx, { staff })]);
    const { errors, fields } = stateFor(extra, 'declare');
    const v = (name: string) => (fields ? valueOf(fields, name) : '');
    const notice = extra.notice && extra.notice in notices ? t(notices[extra.notice as keyof typeof notices]) : undefined;
    return renderPage(
      c,
      {
        title: t('conflicts.title'),
        wide: true,
        children: (
          <section>
            <p>
              <a href="/staff/sampling">← {t('staff.title')}</a>
            </p>
            <h1>{t('conflicts.title')}</h1>
            {notice && <Notice kind="success">{notice}</Notice>}
            <p>{t('conflicts.intro')}</p>
            <section aria-labelledby="declare" class="panel">
              <h2 id="declare">{t('conflicts.declare')}</h2>
              <FormProblems state={extra} form="declare" lang={lang} scope="declare" />
              <form method="post" action="/staff/sampling/conflicts" novalidate>
                <CsrfField token={c.get('csrfToken')} />
                <div class="grid-2">
                  {staff.role === 'regulator' && (
                    <Select
                      name="inspectorId"
                      scope="declare"
                      label={t('conflicts.inspector')}
                      options={options.inspectors.map((i) => ({ value: String(i.id), label: `${i.name}（${i.jurisdictionCode}）` }))}
                      value={v('inspectorId')}
                      error={errors.inspectorId}
                      required
                      lang={lang}
                    />
                  )}
                  <Field
                    name="merchant.name"
                    scope="declare"
                    label={t('conflicts.merchantName')}
                    value={v('merchant.name')}
                    error={errors['merchant.name'] ?? errors.merchant}
                    required
                    maxlength={200}
                    lang={lang}
                  />
                  <Select
                    name="merchant.districtCode"
                    scope="declare"
                    label={t('conflicts.district')}
                    options={options.counties.map((d) => ({ value: d.code, label: `${d.name}（${d.code}）` }))}
                    value={v('merchant.districtCode') || (options.counties.length === 1 ? options.counties[0]!.code : '')}
                    error={errors['merchant.districtCode']}
                    required
                    lang={lang}
                  />
                  <Field
                    name="merchant.uscc"
                    scope="declare"
                    label={t('conflicts.uscc')}
                    value={v('merchant.uscc')}
                    error={errors['merchant.uscc']}
                    maxlength={30}
                    lang={lang}
                  />
                </div>
                <TextArea
                  name="reason"
                  scope="declare"
                  label={t('conflicts.reason')}
                  value={v('reason')}
                  error={errors.reason}
                  required
                  maxlength={500}
                  lang={lang}
                />
                <button type="submit">{t('conflicts.declare')}</button>
              </form>
            </section>
            <section aria-labelledby="declarations">
              <h2 id="declarations">{t('conflicts.list')}</h2>
              {declarations.items.length === 0 ? (
                <p>{t('conflicts.none')}</p>
              ) : (
                <TableWrap label={t('conflicts.list')}>
                  <table class="striped">
                    <thead>
                      <tr>
                        {staff.role === 'regulator' && <th scope="col">{t('conflicts.inspector')}</th>}
                        <th scope="col">{t('conflicts.merchantName')}</th>
                        <th scope="col">{t('staff.district')}</th>
                        <th scope="col">{t('conflicts.reason')}</th>
                        <th scope="col">{t('conflicts.declaredAt')}</th>
                        <th scope="col">{t('conflicts.state')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {declarations.items.map((k) => (
                        <tr>
                          {staff.role === 'regulator' && <td>{k.inspectorName}</td>}
                          <td>{k.merchantName}</td>
                          <td>{k.merchantDistrictCode ?? '—'}</td>
                          <td>{k.reason}</td>
                          <td>{formatTime(k.declaredAt, lang)}</td>
                          <td>
                            {k.withdrawnAt ? (
                              t('conflicts.withdrawnAt', { at: formatTime(k.withdrawnAt, lang) })
                            ) : (
                              <form method="post" action={`/staff/sampling/conflicts/${k.id}/withdraw`} class="inline">
                                <CsrfField token={c.get('csrfToken')} />
                                {t('conflicts.active')}{' '}
                                <button type="submit" class="secondary" aria-label={`${t('conflicts.withdraw')}：${k.merchantName}`}>
                                  {t('conflicts.withdraw')}
                                </button>
                              </form>
                            )}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </TableWrap>
              )}
            </section>
          </section>
        ),
      },
      status,
    );
  };

  app.get('/staff/sampling/conflicts', (c) => page(c, { notice: c.req.query('notice') }));

  app.post('/staff/sampling/conflicts', async (c) => {
    const fields = await readForm(c);
    const result = await attempt(c, {
      form: 'declare',
      fields,
      schema: conflictInputSchema,
      run: (input) => declareConflict(ctx, { staff: pageStaff(c), input }),
    });
    if (!result.ok) return page(c, result.state, result.status);
    return c.redirect('/staff/sampling/conflicts?notice=declared', 303);
  });

  app.post('/staff/sampling/conflicts/:id/withdraw', async (c) => {
    const id = idSchema.safeParse(c.req.param('id'));
    if (!id.success) throw new DomainError('not_found', 'conflict of interest not found');
    await withdrawConflict(ctx, { staff: pageStaff(c), conflictId: id.data });
    return c.redirect('/staff/sampling/conflicts?notice=withdrawn', 303);
  });

  return app;
}
