import { Hono, type Context } from 'hono';
import { categoryLabels, itemCategories } from '../../../shared/complaints/index.js';
import { DomainError } from '../../../shared/errors/index.js';
import { labelOf } from '../../../shared/i18n/index.js';
import type { ServiceContext } from '../../../shared/runtime/index.js';
import {
  campaignInputSchema,
  campaignPatchSchema,
  moderationInputSchema,
  nextPhase,
  nominationStatuses,
  nominationStatusLabels,
  phaseLabel,
  phaseTransitionInputSchema,
  planPhaseChange,
  taskStatusLabel,
  type StaffCampaignView,
  type StaffNomination,
} from '../../../shared/sampling/index.js';
import { idSchema } from '../../../shared/validation/index.js';
import {
  createCampaign,
  getDrawRoster,
  getStaffCampaign,
  listManagedCampaigns,
  listNominationsForModeration,
  listTasks,
  moderateNomination,
  transitionCampaign,
  updateCampaign,
} from '../../sampling/index.js';
import { Choices, CsrfField, Field, Notice, TextArea, Select } from '../components.js';
import { formToInput, readForm, valueOf, valuesOf } from '../forms.js';
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
  stateFor,
  TableWrap,
  VerdictBadge,
  withInstants,
  type FormState,
  type PageStatus,
} from './shared.js';

/** The campaign form's windows are datetime-local fields in Beijing time; the schemas take instants. */
const windowNames = ['nominationOpensAt', 'nominationClosesAt', 'votingOpensAt', 'votingClosesAt'] as const;

interface Extras extends FormState {
  notice?: string | undefined;
}

/** The regulator's 你点我检 pages: the campaigns, creating and editing a draft, the phase steps, the draw, moderation. */
export function campaignPages(ctx: ServiceContext) {
  const app = new Hono<WebEnv>();
  app.use('/staff/sampling', requireStaffPage('inspector', 'regulator'));
  app.use('/staff/sampling/campaigns/*', requireStaffPage('regulator'));

  app.get('/staff/sampling', async (c) => {
    const lang = c.get('language');
    const t = translator(samplingPageMessages, lang);
    const staff = pageStaff(c);
    const regulator = staff.role === 'regulator';
    const [campaigns, tasks] = await Promise.all([
      regulator ? listManagedCampaigns(ctx, { staff, query: { limit: 200, offset: 0 }, language: lang }) : undefined,
      listTasks(ctx, { staff, mine: !regulator }),
    ]);
    return renderPage(c, {
      title: t('staff.title'),
      wide: true,
      children: (
        <section>
          <h1>{t('staff.title')}</h1>
          {campaigns && (
            <section aria-labelledby="campaigns">
              <div class="section-head">
                <h2 id="campaigns">{t('staff.campaigns')}</h2>
                <a href="/staff/sampling/campaigns/new" role="button">
                  {t('staff.newCampaign')}
                </a>
              </div>
              {campaigns.items.length === 0 ? (
                <p>{t('staff.noCampaigns')}</p>
              ) : (
                <TableWrap label={t('staff.campaigns')}>
                  <table class="striped">
                    <thead>
                      <tr>
                        <th scope="col">{t('staff.campaignTitle')}</th>
                        <th scope="col">{t('campaign.phase')}</th>
                        <th scope="col">{t('campaign.jurisdiction')}</th>
                        <th scope="col">{t('staff.voting')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {campaigns.items.map((i) => (
                        <tr>
                          <td>
                            <a href={`/staff/sampling/campaigns/${i.id}`}>{i.title}</a>
                          </td>
                          <td>{i.phaseLabel}</td>
                          <td>{i.jurisdictionName}</td>
                          <td>{formatTime(i.votingClosesAt, lang)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </TableWrap>
              )}
            </section>
          )}
          <section aria-labelledby="tasks">
            <h2 id="tasks">{regulator ? t('staff.tasks') : t('staff.myTasks')}</h2>
            <TaskTable c={c} tasks={tasks.items} />
          </section>
          <p>
            <a href="/staff/sampling/conflicts">{t('staff.conflicts')}</a>
          </p>
        </section>
      ),
    });
  });

  const campaignForm = (c: Context<WebEnv>, extra: Extras, status: PageStatus = 200) => {
    const t = translator(samplingPageMessages, c.get('language'));
    return renderPage(
      c,
      {
        title: t('staff.newCampaign'),
        children: (
          <section class="narrow">
            <p>
              <a href="/staff/sampling">← {t('staff.title')}</a>
            </p>
            <h1>{t('staff.newCampaign')}</h1>
            <CampaignForm c={c} action="/staff/sampling/campaigns/new" form="campaign" extra={extra} submit={t('form.create')} />
          </section>
        ),
      },
      status,
    );
  };

  app.get('/staff/sampling/campaigns/new', (c) => campaignForm(c, {}));

  app.post('/staff/sampling/campaigns/new', async (c) => {
    const fields = await readForm(c);
    const lang = c.get('language');
    const result = await attempt(c, {
      form: 'campaign',
      fields,
      schema: campaignInputSchema,
      input: formToInput(campaignInputSchema, withInstants(fields, windowNames)),
      run: (input) => createCampaign(ctx, { staff: pageStaff(c), input, language: lang }),
    });
    if (!result.ok) return campaignForm(c, result.state, result.status);
    return c.redirect(`/staff/sampling/campaigns/${result.value.id}?notice=created`, 303);
  });

  const campaignIdOf = (c: Context<WebEnv>) => {
    const id = idSchema.safeParse(c.req.param('id'));
    if (!id.success) throw new DomainError('not_found', 'campaign not found');
    return id.data;
  };

  const managePage = async (c: Context<WebEnv>, campaignId: number, extra: Extras = {}, status: PageStatus = 200) => {
    const lang = c.get('language');
    const staff = pageStaff(c);
    const campaign = await getStaffCampaign(ctx, { staff, campaignId, language: lang });
    const [roster, tasks] = await Promise.all([
      campaign.draw.revealedAt ? getDrawRoster(ctx, { staff, campaignId }) : undefined,
      listTasks(ctx, { staff, mine: false, campaignId }),
    ]);
    return renderPage(
      c,
      {
        title: campaign.title,
        wide: true,
        children: <ManagePage c={c} campaign={campaign} roster={roster} tasks={tasks.items} extra={extra} />,
      },
      status,
    );
  };

  app.get('/staff/sampling/campaigns/:id', (c) => managePage(c, campaignIdOf(c), { notice: c.req.query('notice') }));

  app.post('/staff/sampling/campaigns/:id/edit', async (c) => {
    const campaignId = campaignIdOf(c);
    const lang = c.get('language');
    const fields = await readForm(c);
    const result = await attempt(c, {
      form: 'campaign',
      fields,
      schema: campaignPatchSchema,
      input: formToInput(campaignPatchSchema, withInstants(fields, windowNames)),
      run: (patch) => updateCampaign(ctx, { staff: pageStaff(c), campaignId, patch, language: lang }),
    });
    if (!result.ok) return managePage(c, campaignId, result.state, result.status);
    return c.redirect(`/staff/sampling/campaigns/${campaignId}?notice=updated`, 303);
  });

  app.post('/staff/sampling/campaigns/:id/transitions', async (c) => {
    const campaignId = campaignIdOf(c);
    const lang = c.get('language');
    const fields = await readForm(c);
    const result = await attempt(c, {
      form: 'phase',
      fields,
      schema: phaseTransitionInputSchema,
      run: ({ to }) => transitionCampaign(ctx, { staff: pageStaff(c), campaignId, to, language: lang }),
    });
    if (!result.ok) return managePage(c, campaignId, result.state, result.status);
    return c.redirect(`/staff/sampling/campaigns/${campaignId}?notice=${encodeURIComponent(`moved:${result.value.phase}`)}`, 303);
  });

  const moderationPage = async (c: Context<WebEnv>, campaignId: number, extra: Extras = {}, status: PageStatus = 200) => {
    const lang = c.get('language');
    const t = translator(samplingPageMessages, lang);
    const staff = pageStaff(c);
    const filter = nominationStatuses.find((s) => s === c.req.query('status'));
    const [campaign, all] = await Promise.all([
      getStaffCampaign(ctx, { staff, campaignId, language: lang }),
      listNominationsForModeration(ctx, { staff, campaignId }),
    ]);
    const shown = filter ? all.items.filter((n) => n.status === filter) : all.items;
    return renderPage(
      c,
      {
        title: t('mod.title', { campaign: campaign.title }),
        children: (
          <section>
            <p>
              <a href={`/staff/sampling/campaigns/${campaignId}`}>← {campaign.title}</a>
            </p>
            <h1>{t('mod.title', { campaign: campaign.title })}</h1>
            {extra.notice?.startsWith('moderated:') && (
              <Notice kind="success">{t('mod.done', { id: extra.notice.slice('moderated:'.length) })}</Notice>
            )}
            {campaign.phase !== 'nominating' && campaign.phase !== 'voting' && <Notice kind="info">{t('mod.closed')}</Notice>}
            <nav aria-label={t('mod.filter')} class="filters-inline">
              <ul class="chips">
                <li>
                  <a href={`/staff/sampling/campaigns/${campaignId}/moderation`} aria-current={filter ? undefined : 'page'}>
                    {`${t('mod.all')} (${all.items.length})`}
                  </a>
                </li>
                {nominationStatuses.map((s) => (
                  <li>
                    <a
                      href={`/staff/sampling/campaigns/${campaignId}/moderation?status=${s}`}
                      aria-current={filter === s ? 'page' : undefined}
                    >
                      {`${labelOf(nominationStatusLabels, s, lang)} (${all.items.filter((n) => n.status === s).length})`}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
            {shown.length === 0 ? (
              <p>{t('mod.none')}</p>
            ) : (
              <ol class="nominations">
                {shown.map((n) => (
                  <ModerationCard
                    c={c}
                    nomination={n}
                    others={all.items.filter((o) => o.status === 'approved' && o.id !== n.id)}
                    open={campaign.phase === 'nominating' || campaign.phase === 'voting'}
                    extra={extra}
                  />
                ))}
              </ol>
            )}
          </section>
        ),
      },
      status,
    );
  };

  app.get('/staff/sampling/campaigns/:id/moderation', (c) => moderationPage(c, campaignIdOf(c), { notice: c.req.query('notice') }));

  app.post('/staff/sampling/campaigns/:id/moderation/:nominationId', async (c) => {
    const campaignId = campaignIdOf(c);
    const nominationId = idSchema.safeParse(c.req.param('nominationId'));
    if (!nominationId.success) throw new DomainError('not_found', 'nomination not found');
    const fields = await readForm(c);
    const result = await attempt(c, {
      form: `mod-${nominationId.data}-${valueOf(fields, 'decision')}`,
      fields,
      schema: moderationInputSchema,
      run: (decision) => moderateNomination(ctx, { staff: pageStaff(c), nominationId: nominationId.data, decision }),
    });
    if (!result.ok) return moderationPage(c, campaignId, result.state, result.status);
    return c.redirect(`/staff/sampling/campaigns/${campaignId}/moderation?notice=moderated:${nominationId.data}`, 303);
  });

  return app;
}

type TaskSummary = Awaited<ReturnType<typeof listTasks>>['items'][number];

export function TaskTable({ c, tasks }: { c: Context<WebEnv>; tasks: TaskSummary[] }) {
  const lang = c.get('language');
  const t = translator(samplingPageMessages, lang);
  if (tasks.length === 0) return <p>{t('staff.noTasks')}</p>;
  return (
    <TableWrap label={t('staff.tasks')}>
      <table class="striped">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">{t('staff.product')}</th>
            <th scope="col">{t('staff.merchant')}</th>
            <th scope="col">{t('staff.district')}</th>
            <th scope="col">{t('staff.status')}</th>
            <th scope="col">{t('staff.verdict')}</th>
          </tr>
        </thead>
        <tbody>
          {tasks.map((task) => (
            <tr>
              <td>
                <a href={`/staff/sampling/tasks/${task.id}`}>{`#${task.id}`}</a>
              </td>
              <td>
                <a href={`/staff/sampling/tasks/${task.id}`}>{task.productName}</a>
              </td>
              <td>{task.merchantName}</td>
              <td>{task.districtCode}</td>
              <td>{taskStatusLabel(task.status, lang)}</td>
              <td>{task.verdict ? <VerdictBadge verdict={task.verdict} lang={lang} /> : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

function CampaignForm({
  c,
  action,
  form,
  extra,
  submit,
  campaign,
}: {
  c: Context<WebEnv>;
  action: string;
  form: string;
  extra: Extras;
  submit: string;
  campaign?: StaffCampaignView;
}) {
  const lang = c.get('language');
  const t = translator(samplingPageMessages, lang);
  const { fields, errors } = stateFor(extra, form);
  const staff = pageStaff(c);
  const v = (name: string, current: string | number | undefined) =>
    fields ? valueOf(fields, name) : current === undefined ? '' : String(current);
  const time = (name: (typeof windowNames)[number]) => v(name, campaign ? localInputValue(campaign[name]) : undefined);
  return (
    <>
      <FormProblems state={extra} form={form} lang={lang} />
      <form method="post" action={action} novalidate>
        <CsrfField token={c.get('csrfToken')} />
        <Field
          name="title"
          label={t('form.title')}
          value={v('title', campaign?.title)}
          error={errors.title}
          required
          lang={lang}
          maxlength={200}
        />
        <TextArea
          name="description"
          label={t('form.description')}
          value={v('description', campaign?.description)}
          error={errors.description}
          required
          lang={lang}
          maxlength={5000}
        />
        <Field
          name="jurisdictionCode"
          label={t('form.jurisdictionCode')}
          hint={t('form.jurisdictionCode.hint')}
          value={v('jurisdictionCode', campaign?.jurisdictionCode ?? staff.jurisdictionCode)}
          error={errors.jurisdictionCode}
          required
          lang={lang}
          inputmode="numeric"
          maxlength={6}
        />
        <Choices
          name="categories"
          label={t('form.categories')}
          options={itemCategories.map((cat) => ({ value: cat, label: labelOf(categoryLabels, cat, lang) }))}
          values={fields ? valuesOf(fields, 'categories') : (campaign?.categories ?? [])}
          error={errors.categories}
          multiple
          compact
          required
          lang={lang}
        />
        <div class="grid-2">
          {windowNames.map((name) => (
            <Field
              name={name}
              type="datetime-local"
              label={t(`form.${name}`)}
              hint={t('form.times.hint')}
              value={time(name)}
              error={errors[name]}
              required
              lang={lang}
            />
          ))}
          <Field
            name="quota"
            type="number"
            label={t('form.quota')}
            value={v('quota', campaign?.quota ?? 3)}
            error={errors.quota}
            required
            lang={lang}
            min="1"
            max="100"
            inputmode="numeric"
          />
          <Field
            name="votesPerVoter"
            type="number"
            label={t('form.votesPerVoter')}
            value={v('votesPerVoter', campaign?.votesPerVoter ?? 3)}
            error={errors.votesPerVoter}
            required
            lang={lang}
            min="1"
            max="20"
            inputmode="numeric"
          />
        </div>
        <button type="submit">{submit}</button>
      </form>
    </>
  );
}

type Roster = Awaited<ReturnType<typeof getDrawRoster>>;

function ManagePage({
  c,
  campaign,
  roster,
  tasks,
  extra,
}: {
  c: Context<WebEnv>;
  campaign: StaffCampaignView;
  roster: Roster | undefined;
  tasks: TaskSummary[];
  extra: Extras;
}) {
  const lang = c.get('language');
  const t = translator(samplingPageMessages, lang);
  const next = nextPhase(campaign.phase);
  const canMove = next !== undefined && planPhaseChange(campaign.phase, next, 'staff').ok;
  const n = campaign.counts.nominations;
  return (
    <article>
      <p>
        <a href="/staff/sampling">← {t('staff.title')}</a>
      </p>
      <p class="phase-line">
        <span class={`badge phase phase-${campaign.phase}`}>{campaign.phaseLabel}</span>
      </p>
      <h1>{campaign.title}</h1>
      {extra.notice === 'created' && <Notice kind="success">{t('form.created')}</Notice>}
      {extra.notice === 'updated' && <Notice kind="success">{t('form.updated')}</Notice>}
      {extra.notice?.startsWith('moved:') && (
        <Notice kind="success">{t('manage.moved', { phase: phaseLabel(extra.notice.slice('moved:'.length), lang) })}</Notice>
      )}
      {campaign.selectionProblem && (
        <Notice kind="warning">{t('manage.selectionProblem', { message: campaign.selectionProblem.message })}</Notice>
      )}
      <div class="stats">
        <section class="panel" aria-labelledby="phase-title">
          <h2 id="phase-title">{t('manage.phaseTitle')}</h2>
          <p>{t('manage.phaseHint')}</p>
          <dl class="facts">
            <dt>{t('campaign.nominationWindow')}</dt>
            <dd>
              {t('campaign.window', {
                from: formatTime(campaign.nominationOpensAt, lang),
                to: formatTime(campaign.nominationClosesAt, lang),
              })}
            </dd>
            <dt>{t('campaign.votingWindow')}</dt>
            <dd>
              {t('campaign.window', { from: formatTime(campaign.votingOpensAt, lang), to: formatTime(campaign.votingClosesAt, lang) })}
            </dd>
          </dl>
          {campaign.phase === 'selecting' && <Notice kind="info">{t('manage.selecting')}</Notice>}
          {next === 'published' && <p class="muted">{t('manage.publishHint')}</p>}
          <FormProblems state={extra} form="phase" lang={lang} />
          {canMove && next && (
            <form method="post" action={`/staff/sampling/campaigns/${campaign.id}/transitions`}>
              <CsrfField token={c.get('csrfToken')} />
              <input type="hidden" name="to" value={next} />
              <button type="submit">
                {next === 'selecting'
                  ? t('manage.moveToSelecting', { phase: phaseLabel(next, lang) })
                  : t('manage.moveTo', { phase: phaseLabel(next, lang) })}
              </button>
            </form>
          )}
          {campaign.phase !== 'draft' && (
            <p>
              <a href={`/sampling/${campaign.id}`}>{t('staff.publicPage')}</a>
            </p>
          )}
        </section>
        <section class="panel" aria-labelledby="counts-title">
          <h2 id="counts-title">{t('manage.counts')}</h2>
          <ul class="plain">
            <li>{t('manage.nominations', { pending: n.pending, approved: n.approved, rejected: n.rejected, merged: n.merged })}</li>
            <li>{t('manage.voters', { voters: campaign.counts.voters, votes: campaign.counts.votes })}</li>
            <li>{t('manage.tasksCount', { tasks: campaign.counts.tasks, final: campaign.counts.finalTasks })}</li>
          </ul>
          {campaign.phase !== 'draft' && (
            <p>
              <a href={`/staff/sampling/campaigns/${campaign.id}/moderation?status=pending`}>{t('manage.moderate', { n: n.pending })}</a>
            </p>
          )}
        </section>
      </div>

      {campaign.phase === 'draft' && (
        <section aria-labelledby="edit-title" class="narrow">
          <h2 id="edit-title">{t('manage.edit')}</h2>
          <CampaignForm
            c={c}
            action={`/staff/sampling/campaigns/${campaign.id}/edit`}
            form="campaign"
            extra={extra}
            submit={t('form.update')}
            campaign={campaign}
          />
        </section>
      )}

      {tasks.length > 0 && (
        <section aria-labelledby="tasks-title">
          <h2 id="tasks-title">{t('staff.tasks')}</h2>
          <TaskTable c={c} tasks={tasks} />
        </section>
      )}

      {campaign.draw.seedCommitment && (
        <section aria-labelledby="roster-title">
          <h2 id="roster-title">{t('manage.roster')}</h2>
          <dl class="facts draw-facts">
            <dt>{t('draw.commitment')}</dt>
            <dd>
              <code class="hash">{campaign.draw.seedCommitment}</code>
            </dd>
          </dl>
          {roster?.tasks.map((task) => (
            <TableWrap label={`${t('draw.task')} #${task.taskId}`}>
              <table class="striped">
                <caption>{`${t('draw.task')} #${task.taskId}`}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('manage.pseudonym')}</th>
                    <th scope="col">{t('manage.name')}</th>
                    <th scope="col">{t('manage.outcome')}</th>
                  </tr>
                </thead>
                <tbody>
                  {task.roster.map((r) => (
                    <tr>
                      <td>
                        <code class="pseudonym">{r.pseudonym}</code>
                      </td>
                      <td>{r.name}</td>
                      <td>{r.drawn ? t('manage.drawnMark') : r.excluded ? t('manage.excludedMark') : '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          ))}
        </section>
      )}

      <section aria-labelledby="events-title">
        <h2 id="events-title">{t('manage.events')}</h2>
        <EventTrail events={campaign.events} lang={lang} />
      </section>
    </article>
  );
}

function ModerationCard({
  c,
  nomination: n,
  others,
  open,
  extra,
}: {
  c: Context<WebEnv>;
  nomination: StaffNomination;
  others: StaffNomination[];
  open: boolean;
  extra: Extras;
}) {
  const lang = c.get('language');
  const t = translator(samplingPageMessages, lang);
  const csrf = c.get('csrfToken');
  const action = `/staff/sampling/campaigns/${c.req.param('id')}/moderation/${n.id}`;
  const product = [n.brand, n.productName, n.model].filter(Boolean).join(' ');
  const reject = stateFor(extra, `mod-${n.id}-reject`);
  const merge = stateFor(extra, `mod-${n.id}-merge`);
  const scope = `n${n.id}`;
  return (
    <li class="nomination panel" id={`nomination-${n.id}`}>
      <div class="nomination-head">
        <h2 class="h3">{`#${n.id} ${product}`}</h2>
        <span class="badge">{labelOf(nominationStatusLabels, n.status, lang)}</span>
      </div>
      <p class="muted">
        {`${labelOf(categoryLabels, n.category, lang)} · ${n.merchantName} · ${n.districtCode}${n.merchantAddress ? ` · ${n.merchantAddress}` : ''} · ${t('nominations.votes', { n: n.votes })}`}
      </p>
      <p>{t('nominations.reason', { reason: n.reason })}</p>
      {n.mergedInto !== null && <p class="muted">{t('mod.mergedInto', { id: n.mergedInto })}</p>}
      {n.moderationReason && <p class="muted">{`${t('mod.reason')}：${n.moderationReason}`}</p>}
      {n.repeatSampling && (
        <Notice kind="warning">
          {t('mod.repeat', { on: n.repeatSampling.sampledOn, task: n.repeatSampling.taskId, from: n.repeatSampling.allowedFrom })}
        </Notice>
      )}
      {open && (n.status === 'pending' || n.status === 'approved') && (
        <div class="actions moderation-actions">
          <FormProblems state={extra} form={`mod-${n.id}-approve`} lang={lang} />
          {n.status === 'pending' && (
            <form method="post" action={action}>
              <CsrfField token={csrf} />
              <input type="hidden" name="decision" value="approve" />
              <button type="submit" aria-label={`${t('mod.approve')} #${n.id}`}>
                {t('mod.approve')}
              </button>
            </form>
          )}
          <details open={reject.general !== undefined || Object.keys(reject.errors).length > 0}>
            <summary>{t('mod.reject')}</summary>
            <FormProblems state={extra} form={`mod-${n.id}-reject`} lang={lang} scope={scope} />
            <form method="post" action={action}>
              <CsrfField token={csrf} />
              <input type="hidden" name="decision" value="reject" />
              <Field
                name="reason"
                scope={scope}
                label={t('mod.reason')}
                value={valueOf(reject.fields, 'reason')}
                error={reject.errors.reason}
                required
                lang={lang}
                maxlength={500}
              />
              <button type="submit" class="secondary">
                {`${t('mod.reject')} #${n.id}`}
              </button>
            </form>
          </details>
          {others.length > 0 && (
            <details open={merge.general !== undefined || Object.keys(merge.errors).length > 0}>
              <summary>{t('mod.merge')}</summary>
              <FormProblems state={extra} form={`mod-${n.id}-merge`} lang={lang} scope={`${scope}m`} />
              <form method="post" action={action}>
                <CsrfField token={csrf} />
                <input type="hidden" name="decision" value="merge" />
                <Select
                  name="mergeInto"
                  scope={`${scope}m`}
                  label={t('mod.mergeInto')}
                  options={others.map((o) => ({
                    value: String(o.id),
                    label: `#${o.id} ${[o.brand, o.productName, o.model].filter(Boolean).join(' ')} · ${o.merchantName}`,
                  }))}
                  value={valueOf(merge.fields, 'mergeInto')}
                  error={merge.errors.mergeInto}
                  required
                  lang={lang}
                />
                <Field
                  name="reason"
                  scope={`${scope}m`}
                  label={t('mod.reason')}
                  value={valueOf(merge.fields, 'reason')}
                  error={merge.errors.reason}
                  lang={lang}
                  maxlength={500}
                />
                <button type="submit" class="secondary">
                  {`${t('mod.merge')} #${n.id}`}
                </button>
              </form>
            </details>
          )}
        </div>
      )}
    </li>
  );
}
