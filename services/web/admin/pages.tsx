import { Hono, type Context } from 'hono';
import { staffRoles } from '../../../shared/access/index.js';
import { caseQueueLabels, caseQueues } from '../../../shared/casework/index.js';
import { DomainError, type FieldIssue } from '../../../shared/errors/index.js';
import { labelOf, translateError, type LabelCatalogue } from '../../../shared/i18n/index.js';
import type { ServiceContext } from '../../../shared/runtime/index.js';
import {
  createStaffSchema,
  passwordSchema,
  updateStaffSchema,
  type StaffAccount,
  type StaffEventView,
} from '../../../shared/staff/index.js';
import { idSchema } from '../../../shared/validation/index.js';
import { fieldIssues } from '../../http/index.js';
import {
  createStaff,
  deactivateStaff,
  listStaff,
  listStaffEvents,
  reactivateStaff,
  resetStaffPassword,
  updateStaff,
} from '../../staff/index.js';
import { Choices, CsrfField, ErrorSummary, Field, Notice, Select } from '../components.js';
import { errorsByField, formToInput, valueOf, valuesOf, readForm, type FormFields } from '../forms.js';
import { renderPage } from '../layout.js';
import { defineMessages, translator } from '../messages.js';
import { pageStaff, requireStaffPage } from '../session.js';
import type { WebEnv } from '../types.js';

const roleLabels: LabelCatalogue<(typeof staffRoles)[number]> = {
  inspector: { 'zh-CN': '检查人员', en: 'Inspector' },
  regulator: { 'zh-CN': '监管人员', en: 'Regulator' },
  admin: { 'zh-CN': '系统管理员', en: 'Administrator' },
};

const m = defineMessages({
  title: { 'zh-CN': '工作人员账号', en: 'Staff accounts' },
  create: { 'zh-CN': '新建账号', en: 'New account' },
  email: { 'zh-CN': '工作邮箱', en: 'Work email' },
  name: { 'zh-CN': '姓名', en: 'Name' },
  role: { 'zh-CN': '角色', en: 'Role' },
  jurisdiction: { 'zh-CN': '辖区代码', en: 'Jurisdiction code' },
  jurisdictionHint: { 'zh-CN': '6 位行政区划代码，须在您的辖区内', en: '6-digit division code, inside your jurisdiction' },
  specialties: { 'zh-CN': '专业队列（检查人员）', en: 'Queues (inspectors)' },
  password: { 'zh-CN': '初始密码', en: 'Initial password' },
  newPassword: { 'zh-CN': '新密码', en: 'New password' },
  passwordHint: { 'zh-CN': '至少 12 个字符；请当面或电话告知本人', en: 'At least 12 characters; tell the person in person or by phone' },
  save: { 'zh-CN': '保存', en: 'Save' },
  created: { 'zh-CN': '已创建账号 {email}', en: 'Account {email} created' },
  updated: { 'zh-CN': '已更新 {email}', en: '{email} updated' },
  deactivate: { 'zh-CN': '停用', en: 'Deactivate' },
  reactivate: { 'zh-CN': '启用', en: 'Reactivate' },
  reset: { 'zh-CN': '重置密码', en: 'Reset password' },
  edit: { 'zh-CN': '修改', en: 'Edit' },
  status: { 'zh-CN': '状态', en: 'Status' },
  active: { 'zh-CN': '在用', en: 'Active' },
  inactive: { 'zh-CN': '已停用', en: 'Deactivated' },
  events: { 'zh-CN': '账号操作记录', en: 'Account audit trail' },
  by: { 'zh-CN': '操作人', en: 'By' },
  cli: { 'zh-CN': '服务器命令行', en: 'server CLI' },
  'event.created': { 'zh-CN': '创建', en: 'created' },
  'event.updated': { 'zh-CN': '修改', en: 'updated' },
  'event.deactivated': { 'zh-CN': '停用', en: 'deactivated' },
  'event.reactivated': { 'zh-CN': '启用', en: 'reactivated' },
  'event.password_reset': { 'zh-CN': '重置密码', en: 'password reset' },
});

/** Staff administration pages: the same use cases as the /api/v1/staff endpoints, for admins. */
export function adminPages(ctx: ServiceContext) {
  const app = new Hono<WebEnv>();
  app.use('/admin/staff', requireStaffPage('admin'));
  app.use('/admin/staff/*', requireStaffPage('admin'));

  const page = async (
    c: Context<WebEnv>,
    extra: { notice?: string; form?: string; fields?: FormFields; errors?: Record<string, string> } = {},
    status: 200 | 400 | 404 | 409 = 200,
  ) => {
    const lang = c.get('language');
    const t = translator(m, lang);
    const admin = pageStaff(c);
    const [accounts, events] = await Promise.all([listStaff(ctx, { admin }), listStaffEvents(ctx, { admin, limit: 30 })]);
    return renderPage(
      c,
      { title: t('title'), wide: true, children: <AdminStaff c={c} accounts={accounts} events={events} extra={extra} /> },
      status,
    );
  };

  const failed = (c: Context<WebEnv>, form: string, fields: FormFields, err: unknown) => {
    const lang = c.get('language');
    if (err instanceof DomainError && ['validation_failed', 'conflict', 'not_found'].includes(err.code)) {
      const issues = Array.isArray(err.details) ? (err.details as FieldIssue[]) : [];
      const errors = issues.length
        ? errorsByField(issues.map((i) => ({ ...i, message: translateError(i.message, lang) })))
        : { _: translateError(err.message, lang) };
      return page(c, { form, fields, errors }, err.code === 'conflict' ? 409 : err.code === 'not_found' ? 404 : 400);
    }
    throw err;
  };

  app.get('/admin/staff', (c) => page(c, { notice: c.req.query('notice') }));

  app.post('/admin/staff', async (c) => {
    const fields = await readForm(c);
    const parsed = createStaffSchema.safeParse(formToInput(createStaffSchema, fields));
    if (!parsed.success)
      return page(c, { form: 'create', fields, errors: errorsByField(fieldIssues(parsed.error, [], c.get('language'))) }, 400);
    try {
      const account = await createStaff(ctx, { account: parsed.data, admin: pageStaff(c) });
      return c.redirect(`/admin/staff?notice=${encodeURIComponent(`created:${account.email}`)}`, 303);
    } catch (err) {
      return failed(c, 'create', fields, err);
    }
  });

  const idOf = (c: Context<WebEnv>) => {
    const id = idSchema.safeParse(c.req.param('id'));
    if (!id.success) throw new DomainError('not_found', 'staff account not found');
    return id.data;
  };

  app.post('/admin/staff/:id', async (c) => {
    const id = idOf(c);
    const fields = await readForm(c);
    const parsed = updateStaffSchema.safeParse(formToInput(updateStaffSchema, fields));
    if (!parsed.success)
      return page(c, { form: `edit-${id}`, fields, errors: errorsByField(fieldIssues(parsed.error, [], c.get('language'))) }, 400);
    try {
      const account = await updateStaff(ctx, { by: { id }, changes: parsed.data, admin: pageStaff(c) });
      return c.redirect(`/admin/staff?notice=${encodeURIComponent(`updated:${account.email}`)}`, 303);
    } catch (err) {
      return failed(c, `edit-${id}`, fields, err);
    }
  });

  app.post('/admin/staff/:id/deactivate', async (c) => {
    try {
      const account = await deactivateStaff(ctx, { by: { id: idOf(c) }, admin: pageStaff(c) });
      return c.redirect(`/admin/staff?notice=${encodeURIComponent(`updated:${account.email}`)}`, 303);
    } catch (err) {
      return failed(c, `edit-${idOf(c)}`, {}, err);
    }
  });

  app.post('/admin/staff/:id/reactivate', async (c) => {
    const account = await reactivateStaff(ctx, { by: { id: idOf(c) }, admin: pageStaff(c) });
    return c.redirect(`/admin/staff?notice=${encodeURIComponent(`updated:${account.email}`)}`, 303);
  });

  app.post('/admin/staff/:id/reset-password', async (c) => {
    const id = idOf(c);
    const fields = await readForm(c);
    const password = passwordSchema.safeParse(valueOf(fields, 'password'));
    if (!password.success) {
      return page(
        c,
        { form: `reset-${id}`, fields, errors: errorsByField(fieldIssues(password.error, ['password'], c.get('language'))) },
        400,
      );
    }
    const account = await resetStaffPassword(ctx, { by: { id }, password: password.data, admin: pageStaff(c) });
    return c.redirect(`/admin/staff?notice=${encodeURIComponent(`updated:${account.email}`)}`, 303);
  });

  return app;
}

function AdminStaff({
  c,
  accounts,
  events,
  extra,
}: {
  c: Context<WebEnv>;
  accounts: StaffAccount[];
  events: StaffEventView[];
  extra: { notice?: string; form?: string; fields?: FormFields; errors?: Record<string, string> };
}) {
  const lang = c.get('language');
  const t = translator(m, lang);
  const csrf = c.get('csrfToken');
  const me = pageStaff(c);
  const [kind, who] = (extra.notice ?? '').split(':');
  const createErrors = extra.form === 'create' ? (extra.errors ?? {}) : {};
  const v = (name: string) => (extra.form === 'create' ? valueOf(extra.fields, name) : '');
  const roleOptions = staffRoles.map((r) => ({ value: r, label: labelOf(roleLabels, r, lang) }));
  const queueOptions = caseQueues.map((q) => ({ value: q, label: labelOf(caseQueueLabels, q, lang) }));
  return (
    <section>
      <h1>{t('title')}</h1>
      {kind === 'created' && who && <Notice kind="success">{t('created', { email: who })}</Notice>}
      {kind === 'updated' && who && <Notice kind="success">{t('updated', { email: who })}</Notice>}
      <div class="table-wrap">
        <table class="striped">
          <thead>
            <tr>
              <th scope="col">{t('name')}</th>
              <th scope="col">{t('email')}</th>
              <th scope="col">{t('role')}</th>
              <th scope="col">{t('jurisdiction')}</th>
              <th scope="col">{t('status')}</th>
              <th scope="col">{t('edit')}</th>
            </tr>
          </thead>
          <tbody>
            {accounts.map((a) => {
              const formKey = `edit-${a.id}`;
              const errors = extra.form === formKey || extra.form === `reset-${a.id}` ? (extra.errors ?? {}) : {};
              return (
                <tr>
                  <td>{a.name}</td>
                  <td>{a.email}</td>
                  <td>
                    {labelOf(roleLabels, a.role, lang)}
                    {a.specialties.length > 0 && (
                      <>
                        <br />
                        <small>{a.specialties.map((q) => labelOf(caseQueueLabels, q, lang)).join('、')}</small>
                      </>
                    )}
                  </td>
                  <td>{a.jurisdictionCode}</td>
                  <td>{a.active ? t('active') : t('inactive')}</td>
                  <td>
                    <details open={Object.keys(errors).length > 0}>
                      <summary>{t('edit')}</summary>
                      <ErrorSummary errors={errors} lang={lang} scope={`a${a.id}`} />
                      <form method="post" action={`/admin/staff/${a.id}`}>
                        <CsrfField token={csrf} />
                        <Field
                          scope={`a${a.id}`}
                          name="name"
                          label={t('name')}
                          value={a.name}
                          lang={lang}
                          maxlength={50}
                          error={errors.name}
                        />
                        <Select
                          scope={`a${a.id}`}
                          name="role"
                          label={t('role')}
                          value={a.role}
                          lang={lang}
                          options={roleOptions}
                          error={errors.role}
                        />
                        <Field
                          scope={`a${a.id}`}
                          name="jurisdictionCode"
                          label={t('jurisdiction')}
                          value={a.jurisdictionCode}
                          lang={lang}
                          inputmode="numeric"
                          maxlength={6}
                          error={errors.jurisdictionCode}
                        />
                        <input type="hidden" name="specialties" value="" />
                        <Choices
                          scope={`a${a.id}`}
                          name="specialties"
                          label={t('specialties')}
                          multiple
                          compact
                          lang={lang}
                          values={a.specialties}
                          options={queueOptions}
                        />
                        <button type="submit">{t('save')}</button>
                      </form>
                      <form method="post" action={`/admin/staff/${a.id}/reset-password`}>
                        <CsrfField token={csrf} />
                        <Field
                          scope={`a${a.id}r`}
                          name="password"
                          type="password"
                          label={t('newPassword')}
                          lang={lang}
                          autocomplete="new-password"
                          hint={t('passwordHint')}
                          error={errors.password}
                        />
                        <button type="submit" class="secondary">
                          {t('reset')}
                        </button>
                      </form>
                      {a.id !== me.id && (
                        <form method="post" action={`/admin/staff/${a.id}/${a.active ? 'deactivate' : 'reactivate'}`}>
                          <CsrfField token={csrf} />
                          <button type="submit" class={a.active ? 'contrast' : 'secondary'}>
                            {a.active ? t('deactivate') : t('reactivate')}
                          </button>
                        </form>
                      )}
                    </details>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>

      <form method="post" action="/admin/staff" class="panel narrow" novalidate>
        <h2>{t('create')}</h2>
        <CsrfField token={csrf} />
        <ErrorSummary errors={createErrors} lang={lang} />
        <Field
          name="email"
          type="email"
          label={t('email')}
          value={v('email')}
          required
          lang={lang}
          error={createErrors.email}
          maxlength={254}
        />
        <Field name="name" label={t('name')} value={v('name')} required lang={lang} error={createErrors.name} maxlength={50} />
        <Select name="role" label={t('role')} value={v('role')} required lang={lang} error={createErrors.role} options={roleOptions} />
        <Field
          name="jurisdictionCode"
          label={t('jurisdiction')}
          value={v('jurisdictionCode') || me.jurisdictionCode}
          required
          lang={lang}
          inputmode="numeric"
          maxlength={6}
          hint={t('jurisdictionHint')}
          error={createErrors.jurisdictionCode}
        />
        <input type="hidden" name="specialties" value="" />
        <Choices
          name="specialties"
          label={t('specialties')}
          multiple
          compact
          lang={lang}
          values={valuesOf(extra.fields, 'specialties')}
          options={queueOptions}
        />
        <Field
          name="password"
          type="password"
          label={t('password')}
          required
          lang={lang}
          autocomplete="new-password"
          hint={t('passwordHint')}
          error={createErrors.password}
        />
        <button type="submit">{t('create')}</button>
      </form>

      <h2>{t('events')}</h2>
      <ol class="timeline">
        {events.map((e) => (
          <li>
            <time datetime={e.at}>{new Date(e.at).toLocaleString(lang, { timeZone: 'Asia/Shanghai', hour12: false })}</time>
            <strong>{`${e.email} · ${t(`event.${e.action}`)}`}</strong>
            <span>{`${t('by')}：${e.actorEmail ?? t('cli')}${e.action === 'updated' ? ` · ${Object.keys(e.data).join(', ')}` : ''}`}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
