import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { categoryLabels } from '../../../shared/complaints/index.js';
import { DomainError } from '../../../shared/errors/index.js';
import { labelOf, type Language } from '../../../shared/i18n/index.js';
import type { District } from '../../../shared/jurisdictions/index.js';
import type { ServiceContext } from '../../../shared/runtime/index.js';
import {
  campaignPhases,
  nominationInputSchema,
  phaseLabel,
  voterCodeRequestSchema,
  voterLimits,
  voterVerifySchema,
  type CampaignView,
  type DrawView,
  type PublishedResult,
} from '../../../shared/sampling/index.js';
import { idSchema } from '../../../shared/validation/index.js';
import { clientAddress } from '../../http/index.js';
import { countiesWithin } from '../../jurisdictions/index.js';
import {
  castVote,
  getDraw,
  getPublicCampaign,
  getPublishedResults,
  listPublicCampaigns,
  listPublicNominations,
  nominate,
  requestVoterCode,
  samplingRateLimits,
  verifyVoter,
} from '../../sampling/index.js';
import { CsrfField, Field, Notice, Select, TextArea, Choices } from '../components.js';
import { fieldId, formToInput, readForm, valueOf } from '../forms.js';
import { renderPage } from '../layout.js';
import { translator } from '../messages.js';
import { sealedCookie } from '../sealed-cookie.js';
import type { WebEnv } from '../types.js';
import { samplingPageMessages } from './messages.js';
import { attempt, FormProblems, formatTime, ResultItems, stateFor, VerdictBadge, type FormState, type PageStatus } from './shared.js';

/** The address a code was just sent to, between the two steps of verification (never in a URL). */
const pendingVoter = sealedCookie(
  'cpt_voter_code',
  z.object({ campaignId: z.number(), email: z.string() }),
  voterLimits.codeTtlMinutes * 60,
);

/** A verified voter's token for one campaign, with what the page shows: votes left and the nominations voted for. */
const voterSession = sealedCookie(
  'cpt_voter',
  z.object({
    campaignId: z.number(),
    voterToken: z.string(),
    votesPerVoter: z.number(),
    votesLeft: z.number(),
    voted: z.array(z.number()),
  }),
  voterLimits.tokenTtlHours * 3600,
);

type Notices = 'nominated' | 'code-sent' | 'verified' | 'voted';

interface CampaignExtras extends FormState {
  notice?: string | undefined;
}

/** The public's pages of 你点我检: the campaigns, one campaign with nominating, voting, the draw and the results. */
export function publicSamplingPages(ctx: ServiceContext) {
  const app = new Hono<WebEnv>();

  /** Counts a public form against the same per-client limit as its API route. */
  const limitClient = async (c: Context<WebEnv>, name: string, perMinute: number) => {
    const r = await ctx.rateLimits.hit(`sampling-${name}`, perMinute, clientAddress(c, ctx.config.TRUST_PROXY));
    if (!r.allowed)
      throw new DomainError('rate_limited', 'too many requests, please slow down', { retryAfterSeconds: r.retryAfterSeconds });
  };

  app.get('/sampling', async (c) => {
    const lang = c.get('language');
    const t = translator(samplingPageMessages, lang);
    const { items } = await listPublicCampaigns(ctx, { query: { limit: 200, offset: 0 }, language: lang });
    const phases = campaignPhases.filter((p) => items.some((i) => i.phase === p));
    return renderPage(c, {
      title: t('list.title'),
      children: (
        <section>
          <h1>{t('list.title')}</h1>
          <p class="lead">{t('list.lead')}</p>
          <details class="panel">
            <summary>{t('list.how')}</summary>
            <ol>
              <li>{t('list.how.1')}</li>
              <li>{t('list.how.2')}</li>
              <li>{t('list.how.3')}</li>
              <li>{t('list.how.4')}</li>
            </ol>
          </details>
          {items.length === 0 && <p>{t('list.none')}</p>}
          {phases.map((phase) => (
            <section aria-labelledby={`phase-${phase}`}>
              <h2 id={`phase-${phase}`}>{phaseLabel(phase, lang)}</h2>
              <ul class="cards campaign-cards">
                {items
                  .filter((i) => i.phase === phase)
                  .map((i) => (
                    <li class="card">
                      <a href={`/sampling/${i.id}`}>
                        <strong>{i.title}</strong>
                        <span>{t('list.jurisdiction', { name: i.jurisdictionName })}</span>
                        <span>
                          {`${t('campaign.votingWindow')}：${t('campaign.window', {
                            from: formatTime(i.votingOpensAt, lang),
                            to: formatTime(i.votingClosesAt, lang),
                          })}`}
                        </span>
                      </a>
                    </li>
                  ))}
              </ul>
            </section>
          ))}
        </section>
      ),
    });
  });

  const campaignIdOf = (c: Context<WebEnv>) => {
    const id = idSchema.safeParse(c.req.param('id'));
    if (!id.success) throw new DomainError('not_found', 'campaign not found');
    return id.data;
  };

  const campaignPage = async (c: Context<WebEnv>, campaignId: number, extra: CampaignExtras = {}, status: PageStatus = 200) => {
    const lang = c.get('language');
    const campaign = await getPublicCampaign(ctx, { campaignId, language: lang });
    const [nominations, counties, draw, results] = await Promise.all([
      listPublicNominations(ctx, { campaignId }),
      countiesWithin(ctx, campaign.jurisdictionCode),
      campaign.draw.revealedAt ? getDraw(ctx, { campaignId }) : undefined,
      campaign.publishedAt ? getPublishedResults(ctx, { campaignId, language: lang }) : undefined,
    ]);
    const voter = voterSession.get(c, ctx.config);
    const pending = pendingVoter.get(c, ctx.config);
    c.header('Cache-Control', 'no-store');
    return renderPage(
      c,
      {
        title: campaign.title,
        scripts: draw ? ['/static/js/sampling-draw.js'] : [],
        children: (
          <CampaignPage
            c={c}
            campaign={campaign}
            nominations={nominations.items}
            counties={counties}
            draw={draw}
            results={results}
            voter={voter?.campaignId === campaignId ? voter : undefined}
            pendingEmail={pending?.campaignId === campaignId ? pending.email : undefined}
            extra={extra}
          />
        ),
      },
      status,
    );
  };

  app.get('/sampling/:id', (c) => campaignPage(c, campaignIdOf(c), { notice: c.req.query('notice') }));

  app.post('/sampling/:id/nominate', async (c) => {
    const campaignId = campaignIdOf(c);
    const fields = await readForm(c);
    const body = formToInput(nominationInputSchema, fields) as Record<string, unknown>;
    const result = await attempt(c, {
      form: 'nominate',
      fields,
      schema: nominationInputSchema,
      // An empty merchant block is each of its required fields missing, named beside them.
      input: { ...body, merchant: body.merchant ?? {} },
      run: async (input) => {
        await limitClient(c, 'nominate', samplingRateLimits.nominate);
        return nominate(ctx, { campaignId, input });
      },
    });
    if (!result.ok) return campaignPage(c, campaignId, result.state, result.status);
    return c.redirect(`/sampling/${campaignId}?notice=nominated#nominate`, 303);
  });

  app.post('/sampling/:id/voter', async (c) => {
    const campaignId = campaignIdOf(c);
    const lang = c.get('language');
    const fields = await readForm(c);
    const result = await attempt(c, {
      form: 'voter',
      fields,
      schema: voterCodeRequestSchema,
      input: {
        campaignId,
        email: valueOf(fields, 'email').trim(),
        ...(valueOf(fields, 'notifyResults') ? { notifyResults: true } : {}),
        language: lang,
      },
      run: async (input) => {
        await limitClient(c, 'voter-code', samplingRateLimits.voterCode);
        await requestVoterCode(ctx, { input });
        return input.email;
      },
    });
    if (!result.ok) return campaignPage(c, campaignId, result.state, result.status);
    pendingVoter.set(c, ctx.config, { campaignId, email: result.value });
    return c.redirect(`/sampling/${campaignId}?notice=code-sent#vote`, 303);
  });

  app.post('/sampling/:id/voter/reset', (c) => {
    pendingVoter.clear(c, ctx.config);
    return c.redirect(`/sampling/${campaignIdOf(c)}#vote`, 303);
  });

  app.post('/sampling/:id/verify', async (c) => {
    const campaignId = campaignIdOf(c);
    const fields = await readForm(c);
    const pending = pendingVoter.get(c, ctx.config);
    if (pending?.campaignId !== campaignId) return c.redirect(`/sampling/${campaignId}#vote`, 303);
    const result = await attempt(c, {
      form: 'verify',
      fields,
      schema: voterVerifySchema,
      input: { campaignId, email: pending.email, code: valueOf(fields, 'code').trim() },
      run: async (input) => {
        await limitClient(c, 'verify', samplingRateLimits.verify);
        return verifyVoter(ctx, input);
      },
    });
    if (!result.ok) return campaignPage(c, campaignId, result.state, result.status);
    pendingVoter.clear(c, ctx.config);
    voterSession.set(c, ctx.config, {
      campaignId,
      voterToken: result.value.voterToken,
      votesPerVoter: result.value.votesPerVoter,
      votesLeft: result.value.votesLeft,
      voted: [],
    });
    return c.redirect(`/sampling/${campaignId}?notice=verified#nominations`, 303);
  });

  app.post('/sampling/:id/nominations/:nominationId/vote', async (c) => {
    const campaignId = campaignIdOf(c);
    const fields = await readForm(c);
    const voter = voterSession.get(c, ctx.config);
    if (voter?.campaignId !== campaignId) return c.redirect(`/sampling/${campaignId}#vote`, 303);
    const form = `vote-${c.req.param('nominationId')}`;
    const result = await attempt(c, {
      form,
      fields,
      schema: z.object({ nominationId: idSchema }),
      input: { nominationId: c.req.param('nominationId') },
      run: async ({ nominationId }) => {
        await limitClient(c, 'vote', samplingRateLimits.vote);
        return castVote(ctx, { voterToken: voter.voterToken, nominationId });
      },
    });
    if (!result.ok) {
      if (result.status === 401) voterSession.clear(c, ctx.config);
      return campaignPage(c, campaignId, result.state, result.status);
    }
    const { nominationId, votesLeft, votes } = result.value;
    voterSession.set(c, ctx.config, { ...voter, votesLeft, voted: [...new Set([...voter.voted, nominationId])] });
    return c.redirect(`/sampling/${campaignId}?notice=${encodeURIComponent(`voted:${votes}:${votesLeft}`)}#nominations`, 303);
  });

  return app;
}

type Nomination = Awaited<ReturnType<typeof listPublicNominations>>['items'][number];
type Voter = NonNullable<ReturnType<typeof voterSession.get>>;

function CampaignPage(props: {
  c: Context<WebEnv>;
  campaign: CampaignView;
  nominations: Nomination[];
  counties: District[];
  draw: DrawView | undefined;
  results: PublishedResult[] | undefined;
  voter: Voter | undefined;
  pendingEmail: string | undefined;
  extra: CampaignExtras;
}) {
  const { c, campaign, extra } = props;
  const lang = c.get('language');
  const t = translator(samplingPageMessages, lang);
  const [notice, ...noticeArgs] = (extra.notice ?? '').split(':') as [Notices | '', ...string[]];
  const countyName = (code: string) => props.counties.find((d) => d.code === code)?.name ?? code;
  const now = Date.now();
  const windows = [
    { label: t('campaign.nominationWindow'), from: campaign.nominationOpensAt, to: campaign.nominationClosesAt, phase: 'nominating' },
    { label: t('campaign.votingWindow'), from: campaign.votingOpensAt, to: campaign.votingClosesAt, phase: 'voting' },
  ];
  return (
    <article class="campaign">
      <p class="phase-line">
        <span class={`badge phase phase-${campaign.phase}`}>{campaign.phaseLabel}</span>
      </p>
      <h1>{campaign.title}</h1>
      <p class="lead">{campaign.description}</p>
      <section aria-labelledby="facts" class="panel">
        <h2 id="facts" class="visually-hidden">
          {t('campaign.facts')}
        </h2>
        <dl class="facts">
          <dt>{t('campaign.jurisdiction')}</dt>
          <dd>{campaign.jurisdictionName}</dd>
          <dt>{t('campaign.categories')}</dt>
          <dd>{campaign.categories.map((cat) => labelOf(categoryLabels, cat, lang)).join('、')}</dd>
          <dt>{t('campaign.quota')}</dt>
          <dd>{t('campaign.quotaValue', { n: campaign.quota })}</dd>
          <dt>{t('campaign.votesPerVoter')}</dt>
          <dd>{t('campaign.votesValue', { n: campaign.votesPerVoter })}</dd>
        </dl>
        <h3>{t('campaign.schedule')}</h3>
        <ol class="steps">
          {windows.map((w) => (
            <li class={campaign.phase === w.phase ? 'current' : Date.parse(w.to) < now ? 'past' : ''}>
              <strong>{w.label}</strong>
              {campaign.phase === w.phase && <span class="badge">{t('campaign.now')}</span>}{' '}
              <span>{t('campaign.window', { from: formatTime(w.from, lang), to: formatTime(w.to, lang) })}</span>
            </li>
          ))}
        </ol>
      </section>

      <ResultsSection c={c} campaign={campaign} results={props.results} countyName={countyName} />
      {campaign.phase === 'nominating' && (
        <NominateForm c={c} campaign={campaign} counties={props.counties} extra={extra} done={notice === 'nominated'} />
      )}
      {campaign.phase === 'voting' && (
        <VoteBox c={c} campaign={campaign} voter={props.voter} pendingEmail={props.pendingEmail} extra={extra} />
      )}

      {(props.nominations.length > 0 || campaign.phase === 'nominating' || campaign.phase === 'voting') && (
        <section aria-labelledby="nominations-title" id="nominations">
          <h2 id="nominations-title">{t('nominations.title')}</h2>
          {notice === 'voted' && (
            <Notice kind="success">{t('vote.thanks', { votes: noticeArgs[0] ?? '', left: noticeArgs[1] ?? '' })}</Notice>
          )}
          {extra.form?.startsWith('vote-') && extra.general && <Notice kind="danger">{extra.general}</Notice>}
          {props.nominations.length === 0 ? (
            <p>{t('nominations.none')}</p>
          ) : (
            <ol class="nominations">
              {props.nominations.map((n) => (
                <li class="nomination">
                  <div class="nomination-head">
                    <strong>{[n.brand, n.productName, n.model].filter(Boolean).join(' ')}</strong>
                    <span class="votes" data-votes={n.votes}>
                      {t('nominations.votes', { n: n.votes })}
                    </span>
                  </div>
                  <p class="muted">
                    {`${labelOf(categoryLabels, n.category, lang)} · ${t('nominations.merchant')}：${n.merchantName}（${countyName(n.districtCode)}）`}
                  </p>
                  <p>{t('nominations.reason', { reason: n.reason })}</p>
                  {campaign.phase === 'voting' && props.voter && (
                    <VoteButton c={c} campaignId={campaign.id} nomination={n} voter={props.voter} />
                  )}
                </li>
              ))}
            </ol>
          )}
        </section>
      )}

      <DrawSection c={c} campaign={campaign} draw={props.draw} nominations={props.nominations} />
    </article>
  );
}

function NominateForm({
  c,
  campaign,
  counties,
  extra,
  done,
}: {
  c: Context<WebEnv>;
  campaign: CampaignView;
  counties: District[];
  extra: CampaignExtras;
  done: boolean;
}) {
  const lang = c.get('language');
  const t = translator(samplingPageMessages, lang);
  const { fields, errors } = stateFor(extra, 'nominate');
  const v = (name: string) => valueOf(fields, name);
  return (
    <section aria-labelledby="nominate-title" id="nominate" class="narrow">
      <h2 id="nominate-title">{t('nominate.title')}</h2>
      {done && <Notice kind="success">{t('nominate.done')}</Notice>}
      <p>{t('nominate.intro')}</p>
      <FormProblems state={extra} form="nominate" lang={lang} />
      <form method="post" action={`/sampling/${campaign.id}/nominate`} novalidate>
        <CsrfField token={c.get('csrfToken')} />
        <Field
          name="productName"
          label={t('nominate.productName')}
          value={v('productName')}
          error={errors.productName}
          required
          lang={lang}
          maxlength={200}
        />
        <div class="grid-2">
          <Field name="brand" label={t('nominate.brand')} value={v('brand')} error={errors.brand} lang={lang} maxlength={100} />
          <Field name="model" label={t('nominate.model')} value={v('model')} error={errors.model} lang={lang} maxlength={100} />
        </div>
        {campaign.categories.length > 1 ? (
          <Choices
            name="category"
            label={t('nominate.category')}
            options={campaign.categories.map((cat) => ({ value: cat, label: labelOf(categoryLabels, cat, lang) }))}
            values={[v('category')]}
            error={errors.category}
            required
            compact
            lang={lang}
          />
        ) : (
          <input type="hidden" name="category" value={campaign.categories[0]} />
        )}
        <fieldset class="panel">
          <legend>{t('nominate.merchant')}</legend>
          <Field
            name="merchant.name"
            label={t('nominate.merchant.name')}
            value={v('merchant.name')}
            error={errors['merchant.name']}
            required
            lang={lang}
            maxlength={200}
          />
          <Select
            name="merchant.districtCode"
            label={t('nominate.merchant.districtCode')}
            options={counties.map((d) => ({ value: d.code, label: d.name }))}
            value={v('merchant.districtCode')}
            error={errors['merchant.districtCode']}
            required
            lang={lang}
          />
          <Field
            name="merchant.address"
            label={t('nominate.merchant.address')}
            value={v('merchant.address')}
            error={errors['merchant.address']}
            lang={lang}
            maxlength={300}
          />
        </fieldset>
        <TextArea
          name="reason"
          label={t('nominate.reason')}
          hint={t('nominate.reason.hint')}
          value={v('reason')}
          error={errors.reason}
          required
          lang={lang}
          maxlength={2000}
        />
        <Field
          name="nominator.email"
          type="email"
          label={t('nominate.email')}
          value={v('nominator.email')}
          error={errors['nominator.email']}
          lang={lang}
          autocomplete="email"
          maxlength={254}
        />
        <Checkbox name="nominator.notifyResults" label={t('nominate.notify')} checked={v('nominator.notifyResults') !== ''} />
        <input type="hidden" name="nominator.language" value={lang} />
        <button type="submit">{t('nominate.submit')}</button>
      </form>
    </section>
  );
}

function VoteBox({
  c,
  campaign,
  voter,
  pendingEmail,
  extra,
}: {
  c: Context<WebEnv>;
  campaign: CampaignView;
  voter: Voter | undefined;
  pendingEmail: string | undefined;
  extra: CampaignExtras;
}) {
  const lang = c.get('language');
  const t = translator(samplingPageMessages, lang);
  const csrf = c.get('csrfToken');
  const voterState = stateFor(extra, 'voter');
  const verifyState = stateFor(extra, 'verify');
  return (
    <section aria-labelledby="vote-title" id="vote" class="narrow">
      <h2 id="vote-title">{t('vote.title')}</h2>
      {voter ? (
        <Notice kind="success">{t('vote.verified', { left: voter.votesLeft, total: voter.votesPerVoter })}</Notice>
      ) : pendingEmail ? (
        <>
          <Notice kind="info">{t('vote.codeSent', { email: pendingEmail })}</Notice>
          <FormProblems state={extra} form="verify" lang={lang} />
          <form method="post" action={`/sampling/${campaign.id}/verify`} novalidate>
            <CsrfField token={csrf} />
            <Field
              name="code"
              label={t('vote.code')}
              value={valueOf(verifyState.fields, 'code')}
              error={verifyState.errors.code}
              required
              lang={lang}
              inputmode="numeric"
              autocomplete="one-time-code"
              maxlength={6}
              pattern="[0-9]{6}"
            />
            <button type="submit">{t('vote.verify')}</button>
          </form>
          <form method="post" action={`/sampling/${campaign.id}/voter/reset`}>
            <CsrfField token={csrf} />
            <button type="submit" class="link-button">
              {t('vote.otherEmail')}
            </button>
          </form>
        </>
      ) : (
        <>
          <p>{t('vote.intro')}</p>
          <FormProblems state={extra} form="voter" lang={lang} />
          <form method="post" action={`/sampling/${campaign.id}/voter`} novalidate>
            <CsrfField token={csrf} />
            <Field
              name="email"
              type="email"
              label={t('vote.email')}
              value={valueOf(voterState.fields, 'email')}
              error={voterState.errors.email}
              required
              lang={lang}
              autocomplete="email"
              maxlength={254}
            />
            <Checkbox name="notifyResults" label={t('vote.notify')} checked={valueOf(voterState.fields, 'notifyResults') !== ''} />
            <button type="submit">{t('vote.sendCode')}</button>
          </form>
          <p class="muted">{t('vote.verifyFirst')}</p>
        </>
      )}
    </section>
  );
}

function Checkbox({ name, label, checked }: { name: string; label: string; checked: boolean }) {
  const id = fieldId(name);
  return (
    <div class="field">
      <label for={id} class="choice">
        <input id={id} type="checkbox" name={name} value="true" checked={checked} />
        <span>{label}</span>
      </label>
    </div>
  );
}

function VoteButton({
  c,
  campaignId,
  nomination,
  voter,
}: {
  c: Context<WebEnv>;
  campaignId: number;
  nomination: Nomination;
  voter: Voter;
}) {
  const t = translator(samplingPageMessages, c.get('language'));
  const product = [nomination.brand, nomination.productName, nomination.model].filter(Boolean).join(' ');
  if (voter.voted.includes(nomination.id)) return <p class="voted">✓ {t('vote.done')}</p>;
  return (
    <form method="post" action={`/sampling/${campaignId}/nominations/${nomination.id}/vote`} class="vote-form">
      <CsrfField token={c.get('csrfToken')} />
      <button type="submit" aria-label={t('vote.castFor', { product })} disabled={voter.votesLeft === 0}>
        {t('vote.cast')}
      </button>
    </form>
  );
}

function DrawSection({
  c,
  campaign,
  draw,
  nominations,
}: {
  c: Context<WebEnv>;
  campaign: CampaignView;
  draw: DrawView | undefined;
  nominations: Nomination[];
}) {
  const lang = c.get('language');
  const t = translator(samplingPageMessages, lang);
  if (!campaign.draw.seedCommitment) return null;
  const origin = new URL(c.req.url).origin;
  const productOf = (id: number) => {
    const n = nominations.find((x) => x.id === id);
    return n ? [n.brand, n.productName, n.model].filter(Boolean).join(' ') : `#${id}`;
  };
  return (
    <section aria-labelledby="draw-title" id="draw">
      <h2 id="draw-title">{t('draw.title')}</h2>
      <p>{t('draw.committed')}</p>
      <dl class="facts draw-facts">
        <dt>{t('draw.commitment')}</dt>
        <dd>
          <code id="seed-commitment" class="hash">
            {campaign.draw.seedCommitment}
          </code>
        </dd>
        {campaign.draw.committedAt && (
          <>
            <dt>{t('draw.committedAt')}</dt>
            <dd>{formatTime(campaign.draw.committedAt, lang)}</dd>
          </>
        )}
        <dt>{t('draw.algorithm')}</dt>
        <dd>
          <code>{campaign.draw.algorithm}</code>
        </dd>
        {draw && (
          <>
            <dt>{t('draw.seed')}</dt>
            <dd>
              <code id="seed" class="hash">
                {draw.seed}
              </code>
            </dd>
            <dt>{t('draw.revealedAt')}</dt>
            <dd>{formatTime(draw.revealedAt, lang)}</dd>
          </>
        )}
      </dl>
      {!draw ? (
        <p class="muted">{t('draw.notYet')}</p>
      ) : (
        <>
          <ul class="draw-tasks">
            {draw.tasks.map((task) => (
              <li>
                <strong>{`#${task.taskId} ${productOf(task.nominationId)}`}</strong>
                <span>{t('draw.taskLine', { roster: task.rosterSize, excluded: task.excludedCount })}</span>
                <span>
                  {task.drawn.map((p) => (
                    <code class="pseudonym">{p}</code>
                  ))}
                </span>
              </li>
            ))}
          </ul>
          {draw.passedOver.length > 0 && (
            <p>
              {t('draw.passedOver', {
                list: draw.passedOver
                  .map((k) => t('draw.passedOverItem', { product: productOf(k.nominationId), on: k.sampledOn }))
                  .join(lang === 'en' ? '; ' : '；'),
              })}
            </p>
          )}
          <section class="panel" aria-labelledby="draw-how">
            <h3 id="draw-how">{t('draw.howTitle')}</h3>
            <ol>
              <li>
                {t('draw.how.1')}
                <div class="js-only" hidden>
                  <button
                    type="button"
                    class="secondary"
                    id="check-commitment"
                    data-ok={t('draw.checkOk')}
                    data-bad={t('draw.checkBad')}
                    data-unavailable={t('draw.checkUnavailable')}
                  >
                    {t('draw.check')}
                  </button>
                  <p id="commitment-result" role="status"></p>
                </div>
              </li>
              <li>
                {t('draw.how.2')}
                <pre class="command">
                  <code>{`curl -s ${origin}/api/v1/sampling/campaigns/${campaign.id}/draw | node verify-draw.mjs`}</code>
                </pre>
              </li>
              <li>
                {t('draw.how.3')}{' '}
                <a href={`/api/v1/sampling/campaigns/${campaign.id}/draw`}>{`/api/v1/sampling/campaigns/${campaign.id}/draw`}</a>
              </li>
            </ol>
          </section>
        </>
      )}
    </section>
  );
}

function ResultsSection({
  c,
  campaign,
  results,
  countyName,
}: {
  c: Context<WebEnv>;
  campaign: CampaignView;
  results: PublishedResult[] | undefined;
  countyName: (code: string) => string;
}) {
  const lang: Language = c.get('language');
  const t = translator(samplingPageMessages, lang);
  if (!['sampling', 'published', 'closed'].includes(campaign.phase)) return null;
  return (
    <section aria-labelledby="results-title" id="results">
      <h2 id="results-title">{t('results.title')}</h2>
      {!results ? (
        <p>{t('results.notYet')}</p>
      ) : (
        <>
          <p>
            {t('results.summary', { n: results.length, failed: results.filter((r) => r.verdict === 'fail').length })}
            {campaign.publishedAt && ` ${t('results.publishedAt', { at: formatTime(campaign.publishedAt, lang) })}`}
          </p>
          <ol class="results">
            {results.map((r) => {
              const product = [r.brand, r.productName, r.model].filter(Boolean).join(' ');
              return (
                <li class={`result panel result-${r.verdict}`}>
                  <div class="nomination-head">
                    <h3>{product}</h3>
                    <VerdictBadge verdict={r.verdict} lang={lang} />
                  </div>
                  <p class="muted">
                    {`${r.merchantName}（${countyName(r.districtCode)}） · ${t('results.reportNo')} ${r.reportNo}`}
                    {r.retested && ` · ${t('results.retested')}`}
                  </p>
                  <ResultItems items={r.items} lang={lang} caption={product} />
                  {r.followUp && (
                    <p class="follow-up">
                      <strong>{t('results.followUp')}：</strong>
                      {t('results.followUpText', {
                        rectifyBy: r.followUp.rectifyBy ?? '—',
                        recheckBy: r.followUp.recheckBy ?? '—',
                        status: r.followUp.statusLabel,
                      })}
                    </p>
                  )}
                </li>
              );
            })}
          </ol>
        </>
      )}
    </section>
  );
}
