import { z } from 'zod';
import { photoUploadSchema } from '../../shared/attachments/index.js';
import type { ServiceContext } from '../../shared/runtime/index.js';
import {
  campaignIdParamSchema,
  campaignInputSchema,
  campaignListQuerySchema,
  campaignListSchema,
  campaignPatchSchema,
  campaignViewSchema,
  collectionInputSchema,
  conflictInputSchema,
  conflictListSchema,
  conflictViewSchema,
  deliveryInputSchema,
  drawRosterSchema,
  drawViewSchema,
  labResultsInputSchema,
  moderationInputSchema,
  moderationQuerySchema,
  nominationCreatedSchema,
  nominationInputSchema,
  objectionInputSchema,
  phaseTransitionInputSchema,
  photoViewSchema,
  publicNominationListSchema,
  publishedResultSchema,
  retestResultsInputSchema,
  staffCampaignViewSchema,
  staffNominationListSchema,
  staffNominationSchema,
  taskDetailSchema,
  taskIdParamSchema,
  taskListQuerySchema,
  taskListSchema,
  unsubscribedSchema,
  unsubscribeParamSchema,
  voteResultSchema,
  voterCodeRequestSchema,
  voterTokenHeaderSchema,
  voterTokenSchema,
  voterVerifySchema,
  waiverInputSchema,
} from '../../shared/sampling/index.js';
import { idSchema } from '../../shared/validation/index.js';
import { defineRoute, domainRouter, jsonBody, jsonResponse, perClientRateLimit } from '../http/index.js';
import { currentStaff, requireStaff } from '../staff/index.js';
import {
  createCampaign,
  getPublicCampaign,
  getStaffCampaign,
  listManagedCampaigns,
  listPublicCampaigns,
  transitionCampaign,
  updateCampaign,
} from './campaigns.js';
import { declareConflict, listConflicts, withdrawConflict } from './conflicts.js';
import { getDraw, getDrawRoster } from './draw.js';
import { listNominationsForModeration, listPublicNominations, moderateNomination, nominate } from './nominations.js';
import { getPublishedResults, unsubscribe } from './publication.js';
import {
  addTaskPhoto,
  listTaskPhotos,
  readTaskPhoto,
  recordCollection,
  recordDelivery,
  recordObjection,
  recordResults,
  recordRetest,
  recordWaiver,
} from './task-steps.js';
import { getResultLetter, getTask, listTasks } from './tasks.js';
import { castVote, requestVoterCode, verifyVoter } from './voting.js';

/** Per client address and minute (RATE_LIMIT_MULTIPLIER scales them all); codes are also limited per address. */
export const samplingRateLimits = { nominate: 10, voterCode: 10, verify: 20, vote: 60, unsubscribe: 10 } as const;

const publicOp = { tags: ['sampling'], access: 'public' as const };
const staffOp = { tags: ['sampling-staff'], access: 'staff' as const };
const idParam = campaignIdParamSchema;

/* ---- public ---- */

export const listCampaignsRoute = defineRoute({
  ...publicOp,
  operationId: 'listSamplingCampaigns',
  method: 'get',
  path: '/sampling/campaigns',
  summary: '你点我检 campaigns (drafts are not public), the most recent first',
  request: { query: campaignListQuerySchema },
  responses: { 200: jsonResponse(campaignListSchema, 'Campaigns') },
});

export const getCampaignRoute = defineRoute({
  ...publicOp,
  operationId: 'getSamplingCampaign',
  method: 'get',
  path: '/sampling/campaigns/{id}',
  summary: 'A campaign, with the SHA-256 commitment to its draw seed once voting has opened',
  request: { params: idParam },
  responses: { 200: jsonResponse(campaignViewSchema, 'The campaign') },
  errors: ['not_found'],
});

export const listNominationsRoute = defineRoute({
  ...publicOp,
  operationId: 'listSamplingNominations',
  method: 'get',
  path: '/sampling/campaigns/{id}/nominations',
  summary: 'Approved nominations with their votes, most voted first',
  request: { params: idParam },
  responses: { 200: jsonResponse(publicNominationListSchema, 'Nominations') },
  errors: ['not_found'],
});

export const nominateRoute = defineRoute({
  ...publicOp,
  operationId: 'nominateForSampling',
  method: 'post',
  path: '/sampling/campaigns/{id}/nominations',
  summary: 'Nominate a product of a merchant in the campaign’s jurisdiction (while nominations are open)',
  description: 'Waits for moderation. `phase_closed` outside the nomination window; a district outside the jurisdiction is a 400.',
  request: { params: idParam, ...jsonBody(nominationInputSchema) },
  responses: { 201: jsonResponse(nominationCreatedSchema, 'Received, awaiting moderation') },
  errors: ['not_found', 'phase_closed', 'rate_limited'],
});

export const requestVoterCodeRoute = defineRoute({
  ...publicOp,
  operationId: 'requestSamplingVoterCode',
  method: 'post',
  path: '/sampling/voters',
  summary: 'Email a 6-digit code to vote with (valid 15 minutes, 5 tries)',
  description: 'Rate limited per client and per address. Only a keyed hash of the address is kept unless `notifyResults` is true.',
  request: jsonBody(voterCodeRequestSchema),
  responses: {
    202: jsonResponse(z.object({ sent: z.literal(true), expiresAt: z.string() }).meta({ id: 'SamplingVoterCodeSent' }), 'Code sent'),
  },
  errors: ['not_found', 'phase_closed', 'rate_limited'],
});

export const verifyVoterRoute = defineRoute({
  ...publicOp,
  operationId: 'verifySamplingVoter',
  method: 'post',
  path: '/sampling/voters/verify',
  summary: 'Exchange the emailed code for a voter token',
  request: jsonBody(voterVerifySchema),
  responses: { 200: jsonResponse(voterTokenSchema, 'Verified') },
  errors: ['not_found', 'phase_closed', 'unauthorized', 'rate_limited'],
});

export const castVoteRoute = defineRoute({
  ...publicOp,
  operationId: 'voteForSamplingNomination',
  method: 'post',
  path: '/sampling/nominations/{id}/votes',
  summary: 'Vote for an approved nomination with the voter token',
  description:
    'One vote per nomination (`already_voted`, also for a duplicate merged into it), at most K per campaign (`vote_limit_reached`), only while voting is open (`phase_closed`); a forged, expired or other campaign’s token is a 401.',
  request: { params: z.object({ id: idSchema }), headers: voterTokenHeaderSchema },
  responses: { 201: jsonResponse(voteResultSchema, 'Counted') },
  errors: ['unauthorized', 'not_found', 'already_voted', 'vote_limit_reached', 'phase_closed', 'rate_limited'],
});

export const getDrawRoute = defineRoute({
  ...publicOp,
  operationId: 'getSamplingDraw',
  method: 'get',
  path: '/sampling/campaigns/{id}/draw',
  summary: 'The revealed draw: seed, algorithm, pseudonymous rosters, exclusions and drawn inspectors, to recompute',
  request: { params: idParam },
  responses: { 200: jsonResponse(drawViewSchema, 'The draw') },
  errors: ['not_found', 'conflict'],
});

export const getResultsRoute = defineRoute({
  ...publicOp,
  operationId: 'getSamplingResults',
  method: 'get',
  path: '/sampling/campaigns/{id}/results',
  summary: 'The published results (final results only; no personal data)',
  request: { params: idParam },
  responses: { 200: jsonResponse(z.array(publishedResultSchema), 'Results') },
  errors: ['not_found', 'results_not_final'],
});

export const unsubscribeRoute = defineRoute({
  ...publicOp,
  operationId: 'unsubscribeSamplingResults',
  method: 'post',
  path: '/sampling/unsubscribe/{token}',
  summary: 'Stop results emails (the link of every results email; RFC 8058 one-click POST)',
  description: 'Any body (none, JSON, or `List-Unsubscribe=One-Click` as a form) is ignored.',
  request: { params: unsubscribeParamSchema },
  responses: { 200: jsonResponse(unsubscribedSchema, 'Unsubscribed') },
  errors: ['not_found', 'rate_limited'],
});

/* ---- staff: campaigns and moderation ---- */

export const createCampaignRoute = defineRoute({
  ...staffOp,
  operationId: 'createSamplingCampaign',
  method: 'post',
  path: '/sampling/campaigns',
  summary: 'Create a campaign (a draft, opened by the clock at nominationOpensAt)',
  request: jsonBody(campaignInputSchema),
  responses: { 201: jsonResponse(campaignViewSchema, 'Created') },
});

export const updateCampaignRoute = defineRoute({
  ...staffOp,
  operationId: 'updateSamplingCampaign',
  method: 'patch',
  path: '/sampling/campaigns/{id}',
  summary: 'Change a draft campaign',
  request: { params: idParam, ...jsonBody(campaignPatchSchema) },
  responses: { 200: jsonResponse(campaignViewSchema, 'Changed') },
  errors: ['not_found', 'conflict'],
});

export const transitionCampaignRoute = defineRoute({
  ...staffOp,
  operationId: 'transitionSamplingCampaign',
  method: 'post',
  path: '/sampling/campaigns/{id}/transitions',
  summary: 'Move a campaign one phase forward by hand (publication needs every result final)',
  request: { params: idParam, ...jsonBody(phaseTransitionInputSchema) },
  responses: { 200: jsonResponse(staffCampaignViewSchema, 'The campaign after the step') },
  errors: ['not_found', 'conflict', 'results_not_final'],
});

export const listManagedCampaignsRoute = defineRoute({
  ...staffOp,
  operationId: 'listManagedSamplingCampaigns',
  method: 'get',
  path: '/sampling/staff/campaigns',
  summary: 'Campaigns of your jurisdiction, drafts included',
  request: { query: campaignListQuerySchema },
  responses: { 200: jsonResponse(campaignListSchema, 'Campaigns') },
});

export const getManagedCampaignRoute = defineRoute({
  ...staffOp,
  operationId: 'getManagedSamplingCampaign',
  method: 'get',
  path: '/sampling/staff/campaigns/{id}',
  summary: 'A campaign with its counts, any selection problem and its audit trail',
  request: { params: idParam },
  responses: { 200: jsonResponse(staffCampaignViewSchema, 'The campaign') },
  errors: ['not_found'],
});

export const listModerationRoute = defineRoute({
  ...staffOp,
  operationId: 'listSamplingNominationsForModeration',
  method: 'get',
  path: '/sampling/campaigns/{id}/moderation',
  summary: 'Every nomination of a campaign, with repeat-sampling flags',
  request: { params: idParam, query: moderationQuerySchema },
  responses: { 200: jsonResponse(staffNominationListSchema, 'Nominations') },
  errors: ['not_found'],
});

export const moderateRoute = defineRoute({
  ...staffOp,
  operationId: 'moderateSamplingNomination',
  method: 'post',
  path: '/sampling/nominations/{id}/moderation',
  summary: 'Approve, reject with a reason, or merge into another nomination (its votes follow)',
  request: { params: z.object({ id: idSchema }), ...jsonBody(moderationInputSchema) },
  responses: { 200: jsonResponse(staffNominationSchema, 'Moderated') },
  errors: ['not_found', 'conflict', 'phase_closed'],
});

export const getDrawRosterRoute = defineRoute({
  ...staffOp,
  operationId: 'getSamplingDrawRoster',
  method: 'get',
  path: '/sampling/campaigns/{id}/draw/roster',
  summary: 'Who is behind each pseudonym of the draw (regulators)',
  request: { params: idParam },
  responses: { 200: jsonResponse(drawRosterSchema, 'Rosters with names') },
  errors: ['not_found'],
});

/* ---- staff: tasks ---- */

const taskOp = { ...staffOp, request: { params: taskIdParamSchema } };
const taskErrors = ['not_found', 'conflict'] as const;

export const listTasksRoute = defineRoute({
  ...staffOp,
  operationId: 'listSamplingTasks',
  method: 'get',
  path: '/sampling/tasks',
  summary: 'Sampling tasks of your jurisdiction; `mine=1`: those you were drawn for',
  request: { query: taskListQuerySchema },
  responses: { 200: jsonResponse(taskListSchema, 'Tasks') },
});

export const getTaskRoute = defineRoute({
  ...taskOp,
  operationId: 'getSamplingTask',
  method: 'get',
  path: '/sampling/tasks/{id}',
  summary: 'A task with collection, results, objection, re-test, finality and followUpCaseId',
  responses: { 200: jsonResponse(taskDetailSchema, 'The task') },
  errors: ['not_found'],
});

const taskStep = <const P extends string, B extends z.ZodType>(operationId: string, path: P, summary: string, body: B) =>
  defineRoute({
    ...staffOp,
    operationId,
    method: 'post',
    path,
    summary,
    request: { params: taskIdParamSchema, ...jsonBody(body) },
    responses: { 200: jsonResponse(taskDetailSchema, 'The task after the step') },
    errors: taskErrors,
  });

export const collectionRoute = taskStep(
  'recordSamplingCollection',
  '/sampling/tasks/{id}/collection',
  'Record the collection: sample and seal numbers, quantity and reserve, lab, price paid (drawn inspectors)',
  collectionInputSchema,
);
export const resultsRoute = taskStep(
  'recordSamplingResults',
  '/sampling/tasks/{id}/results',
  'Record the lab results; the verdict is derived (any fail → fail) and the merchant notified',
  labResultsInputSchema,
);
export const deliveryRoute = taskStep(
  'recordSamplingDelivery',
  '/sampling/tasks/{id}/delivery',
  'Record when the result reached the merchant (a public posting counts 30 days later); the window runs from it',
  deliveryInputSchema,
);
export const objectionRoute = defineRoute({
  ...staffOp,
  operationId: 'recordSamplingObjection',
  method: 'post',
  path: '/sampling/tasks/{id}/objection',
  summary: 'Record an objection asking for a re-test (within 15 days of receipt)',
  request: { params: taskIdParamSchema, ...jsonBody(objectionInputSchema) },
  responses: { 200: jsonResponse(taskDetailSchema, 'The task, awaiting the re-test') },
  errors: ['not_found', 'conflict', 'objection_window_closed'],
});
export const retestRoute = taskStep(
  'recordSamplingRetest',
  '/sampling/tasks/{id}/retest-results',
  'Record the re-test on the reserve sample at another lab; its result is final',
  retestResultsInputSchema,
);
export const waiverRoute = taskStep(
  'recordSamplingWaiver',
  '/sampling/tasks/{id}/waiver',
  'Record the merchant’s written waiver of the objection; the result is final',
  waiverInputSchema,
);

export const letterRoute = defineRoute({
  ...taskOp,
  operationId: 'getSamplingResultLetter',
  method: 'get',
  path: '/sampling/tasks/{id}/letter',
  summary: 'The result notice as a printable letter (for a merchant without an email address)',
  responses: { 200: { description: 'A printable HTML page', content: { 'text/html': { schema: z.string() } } } },
  errors: taskErrors,
});

export const addTaskPhotoRoute = defineRoute({
  ...staffOp,
  operationId: 'addSamplingTaskPhoto',
  method: 'post',
  path: '/sampling/tasks/{id}/attachments',
  summary: 'Add a photo of the collection (JPEG/PNG, sniffed, location metadata stripped)',
  request: {
    params: taskIdParamSchema,
    body: { required: true, content: { 'multipart/form-data': { schema: photoUploadSchema.pick({ file: true }) } } },
  },
  responses: { 201: jsonResponse(photoViewSchema, 'Stored') },
  errors: taskErrors,
});

export const listTaskPhotosRoute = defineRoute({
  ...taskOp,
  operationId: 'listSamplingTaskPhotos',
  method: 'get',
  path: '/sampling/tasks/{id}/attachments',
  summary: 'Photos of a task’s collection',
  responses: { 200: jsonResponse(z.array(photoViewSchema), 'Photos') },
  errors: ['not_found'],
});

export const getTaskPhotoRoute = defineRoute({
  ...staffOp,
  operationId: 'getSamplingTaskPhoto',
  method: 'get',
  path: '/sampling/tasks/{id}/attachments/{attachmentId}',
  summary: 'Download a photo',
  request: { params: taskIdParamSchema.extend({ attachmentId: idSchema }) },
  responses: {
    200: {
      description: 'The image',
      content: {
        'image/jpeg': { schema: z.string().meta({ format: 'binary' }) },
        'image/png': { schema: z.string().meta({ format: 'binary' }) },
      },
    },
  },
  errors: ['not_found'],
});

/* ---- staff: conflicts of interest ---- */

export const declareConflictRoute = defineRoute({
  ...staffOp,
  operationId: 'declareSamplingConflict',
  method: 'post',
  path: '/sampling/conflicts',
  summary: 'Declare a conflict of interest (回避) with a merchant: the inspector is never drawn for its tasks',
  request: jsonBody(conflictInputSchema),
  responses: { 201: jsonResponse(conflictViewSchema, 'Declared') },
  errors: ['conflict'],
});

export const listConflictsRoute = defineRoute({
  ...staffOp,
  operationId: 'listSamplingConflicts',
  method: 'get',
  path: '/sampling/conflicts',
  summary: 'Your declarations (inspectors) or those of your jurisdiction (regulators)',
  responses: { 200: jsonResponse(conflictListSchema, 'Declarations') },
});

export const withdrawConflictRoute = defineRoute({
  ...staffOp,
  operationId: 'withdrawSamplingConflict',
  method: 'post',
  path: '/sampling/conflicts/{id}/withdraw',
  summary: 'Withdraw a declaration (the record is kept)',
  request: { params: z.object({ id: idSchema }) },
  responses: { 200: jsonResponse(conflictViewSchema, 'Withdrawn') },
  errors: ['not_found', 'conflict'],
});

export function samplingRoutes(ctx: ServiceContext) {
  const app = domainRouter();
  const limit = (name: string, perMinute: number) =>
    perClientRateLimit(ctx.rateLimits, { name: `sampling-${name}`, perMinute, trustProxy: ctx.config.TRUST_PROXY });
  const casework = requireStaff(ctx, 'inspector', 'regulator');
  const regulator = requireStaff(ctx, 'regulator');

  app.post('/sampling/campaigns/:id/nominations', limit('nominate', samplingRateLimits.nominate));
  app.post('/sampling/voters', limit('voter-code', samplingRateLimits.voterCode));
  app.post('/sampling/voters/verify', limit('verify', samplingRateLimits.verify));
  app.post('/sampling/nominations/:id/votes', limit('vote', samplingRateLimits.vote));
  app.post('/sampling/unsubscribe/:token', limit('unsubscribe', samplingRateLimits.unsubscribe));

  app.post('/sampling/campaigns', regulator);
  app.patch('/sampling/campaigns/:id', regulator);
  app.post('/sampling/campaigns/:id/transitions', regulator);
  app.get('/sampling/campaigns/:id/moderation', regulator);
  app.get('/sampling/campaigns/:id/draw/roster', regulator);
  app.post('/sampling/nominations/:id/moderation', regulator);
  app.use('/sampling/staff/*', casework);
  app.use('/sampling/tasks', casework);
  app.use('/sampling/tasks/*', casework);
  for (const step of ['delivery', 'objection', 'retest-results', 'waiver']) app.post(`/sampling/tasks/:id/${step}`, regulator);
  app.use('/sampling/conflicts', casework);
  app.use('/sampling/conflicts/*', casework);

  const language = (c: { get(key: 'language'): 'zh-CN' | 'en' }) => c.get('language');

  app.openapi(listCampaignsRoute, async (c) =>
    c.json(await listPublicCampaigns(ctx, { query: c.req.valid('query'), language: language(c) }), 200),
  );
  app.openapi(getCampaignRoute, async (c) =>
    c.json(await getPublicCampaign(ctx, { campaignId: c.req.valid('param').id, language: language(c) }), 200),
  );
  app.openapi(listNominationsRoute, async (c) => c.json(await listPublicNominations(ctx, { campaignId: c.req.valid('param').id }), 200));
  app.openapi(nominateRoute, async (c) =>
    c.json(await nominate(ctx, { campaignId: c.req.valid('param').id, input: c.req.valid('json') }), 201),
  );
  app.openapi(requestVoterCodeRoute, async (c) => c.json(await requestVoterCode(ctx, { input: c.req.valid('json') }), 202));
  app.openapi(verifyVoterRoute, async (c) => c.json(await verifyVoter(ctx, c.req.valid('json')), 200));
  app.openapi(castVoteRoute, async (c) =>
    c.json(await castVote(ctx, { voterToken: c.req.valid('header')['x-voter-token'], nominationId: c.req.valid('param').id }), 201),
  );
  app.openapi(getDrawRoute, async (c) => c.json(await getDraw(ctx, { campaignId: c.req.valid('param').id }), 200));
  app.openapi(getResultsRoute, async (c) =>
    c.json(await getPublishedResults(ctx, { campaignId: c.req.valid('param').id, language: language(c) }), 200),
  );
  app.openapi(unsubscribeRoute, async (c) => c.json(await unsubscribe(ctx, { token: c.req.valid('param').token }), 200));

  app.openapi(createCampaignRoute, async (c) =>
    c.json(await createCampaign(ctx, { staff: currentStaff(c), input: c.req.valid('json'), language: language(c) }), 201),
  );
  app.openapi(updateCampaignRoute, async (c) =>
    c.json(
      await updateCampaign(ctx, {
        staff: currentStaff(c),
        campaignId: c.req.valid('param').id,
        patch: c.req.valid('json'),
        language: language(c),
      }),
      200,
    ),
  );
  app.openapi(transitionCampaignRoute, async (c) =>
    c.json(
      await transitionCampaign(ctx, {
        staff: currentStaff(c),
        campaignId: c.req.valid('param').id,
        to: c.req.valid('json').to,
        language: language(c),
      }),
      200,
    ),
  );
  app.openapi(listManagedCampaignsRoute, async (c) =>
    c.json(await listManagedCampaigns(ctx, { staff: currentStaff(c), query: c.req.valid('query'), language: language(c) }), 200),
  );
  app.openapi(getManagedCampaignRoute, async (c) =>
    c.json(await getStaffCampaign(ctx, { staff: currentStaff(c), campaignId: c.req.valid('param').id, language: language(c) }), 200),
  );
  app.openapi(listModerationRoute, async (c) =>
    c.json(
      await listNominationsForModeration(ctx, {
        staff: currentStaff(c),
        campaignId: c.req.valid('param').id,
        status: c.req.valid('query').status,
      }),
      200,
    ),
  );
  app.openapi(moderateRoute, async (c) =>
    c.json(
      await moderateNomination(ctx, { staff: currentStaff(c), nominationId: c.req.valid('param').id, decision: c.req.valid('json') }),
      200,
    ),
  );
  app.openapi(getDrawRosterRoute, async (c) =>
    c.json(await getDrawRoster(ctx, { staff: currentStaff(c), campaignId: c.req.valid('param').id }), 200),
  );

  app.openapi(listTasksRoute, async (c) => {
    const q = c.req.valid('query');
    return c.json(
      await listTasks(ctx, {
        staff: currentStaff(c),
        mine: q.mine === '1' || q.mine === 'true',
        campaignId: q.campaignId,
        status: q.status,
      }),
      200,
    );
  });
  app.openapi(getTaskRoute, async (c) => c.json(await getTask(ctx, { staff: currentStaff(c), taskId: c.req.valid('param').id }), 200));
  app.openapi(collectionRoute, async (c) =>
    c.json(await recordCollection(ctx, { staff: currentStaff(c), taskId: c.req.valid('param').id, input: c.req.valid('json') }), 200),
  );
  app.openapi(resultsRoute, async (c) =>
    c.json(await recordResults(ctx, { staff: currentStaff(c), taskId: c.req.valid('param').id, input: c.req.valid('json') }), 200),
  );
  app.openapi(deliveryRoute, async (c) =>
    c.json(await recordDelivery(ctx, { staff: currentStaff(c), taskId: c.req.valid('param').id, ...c.req.valid('json') }), 200),
  );
  app.openapi(objectionRoute, async (c) =>
    c.json(await recordObjection(ctx, { staff: currentStaff(c), taskId: c.req.valid('param').id, ...c.req.valid('json') }), 200),
  );
  app.openapi(retestRoute, async (c) =>
    c.json(await recordRetest(ctx, { staff: currentStaff(c), taskId: c.req.valid('param').id, input: c.req.valid('json') }), 200),
  );
  app.openapi(waiverRoute, async (c) =>
    c.json(
      await recordWaiver(ctx, { staff: currentStaff(c), taskId: c.req.valid('param').id, receivedOn: c.req.valid('json').receivedOn }),
      200,
    ),
  );
  app.openapi(letterRoute, async (c) => {
    const html = await getResultLetter(ctx, { staff: currentStaff(c), taskId: c.req.valid('param').id, language: language(c) });
    return c.html(html, 200);
  });
  app.openapi(addTaskPhotoRoute, async (c) => {
    const bytes = new Uint8Array(await c.req.valid('form').file.arrayBuffer());
    return c.json(await addTaskPhoto(ctx, { staff: currentStaff(c), taskId: c.req.valid('param').id, bytes }), 201);
  });
  app.openapi(listTaskPhotosRoute, async (c) =>
    c.json(await listTaskPhotos(ctx, { staff: currentStaff(c), taskId: c.req.valid('param').id }), 200),
  );
  app.openapi(getTaskPhotoRoute, async (c) => {
    const { id, attachmentId } = c.req.valid('param');
    const file = await readTaskPhoto(ctx, { staff: currentStaff(c), taskId: id, attachmentId });
    return c.body(new Uint8Array(file.bytes), 200, {
      'content-type': file.contentType,
      'content-disposition': `attachment; filename="sample-${attachmentId}.${file.contentType === 'image/png' ? 'png' : 'jpg'}"`,
      'x-content-type-options': 'nosniff',
    });
  });

  app.openapi(declareConflictRoute, async (c) =>
    c.json(await declareConflict(ctx, { staff: currentStaff(c), input: c.req.valid('json') }), 201),
  );
  app.openapi(listConflictsRoute, async (c) => c.json(await listConflicts(ctx, { staff: currentStaff(c) }), 200));
  app.openapi(withdrawConflictRoute, async (c) =>
    c.json(await withdrawConflict(ctx, { staff: currentStaff(c), conflictId: c.req.valid('param').id }), 200),
  );
  return app;
}
