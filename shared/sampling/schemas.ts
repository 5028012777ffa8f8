import { z } from 'zod';
import { shanghaiDate } from '../calendar/index.js';
import { itemCategories, itemStatuses, testItemResultSchema } from '../complaints/index.js';
import { languageSchema } from '../i18n/index.js';
import { districtCodeSchema, usccSchema } from '../identifiers/index.js';
import {
  emailSchema,
  idSchema,
  isoInstant,
  optionalText,
  pastOrTodayDay,
  pathText,
  storableString,
  text,
  yuan,
} from '../validation/index.js';
import { windowProblems } from './phases.js';
import {
  campaignPhases,
  deliveryMethods,
  finalBases,
  noticeMethods,
  nominationStatuses,
  moderationDecisions,
  objectionParties,
  phaseActors,
  samplingEventActions,
  taskStatuses,
  testVerdicts,
  type SamplingEventAction,
} from './vocabulary.js';

/** The one set of zod schemas of 你点我检, shared by the routes, the pages, the workers and the tests. */

const pastDay = () => pastOrTodayDay(() => shanghaiDate(new Date()));
const distinct = <T>(a: readonly T[]) => new Set(a).size === a.length;
const count = (max: number) => z.number().int().min(1).max(max);

/* ---- campaigns ---- */

const windowFields = {
  nominationOpensAt: isoInstant(),
  nominationClosesAt: isoInstant(),
  votingOpensAt: isoInstant(),
  votingClosesAt: isoInstant(),
};

const campaignFields = {
  title: text(200),
  description: text(5000),
  jurisdictionCode: districtCodeSchema,
  categories: z.array(z.enum(itemCategories)).min(1).max(itemCategories.length).refine(distinct, 'categories must not repeat'),
  ...windowFields,
  quota: count(100),
  votesPerVoter: count(20),
};

const windowsOf = (v: Record<keyof typeof windowFields, string>) => ({
  nominationOpensAt: new Date(v.nominationOpensAt),
  nominationClosesAt: new Date(v.nominationClosesAt),
  votingOpensAt: new Date(v.votingOpensAt),
  votingClosesAt: new Date(v.votingClosesAt),
});

export const campaignInputSchema = z
  .strictObject(campaignFields)
  .superRefine((v, ctx) => {
    for (const p of windowProblems(windowsOf(v))) ctx.addIssue({ code: 'custom', path: [p.field], message: p.message });
  })
  .meta({ id: 'SamplingCampaignInput' });
export type CampaignInput = z.infer<typeof campaignInputSchema>;

/** A draft's changes; the windows are checked again against the merged result. */
export const campaignPatchSchema = z
  .strictObject(campaignFields)
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'nothing to change')
  .meta({ id: 'SamplingCampaignPatch' });
export type CampaignPatch = z.infer<typeof campaignPatchSchema>;

export const phaseTransitionInputSchema = z.strictObject({ to: z.enum(campaignPhases) }).meta({ id: 'SamplingPhaseTransition' });

export const campaignIdParamSchema = z.object({ id: idSchema });

export const campaignListQuerySchema = z.object({
  phase: z.enum(campaignPhases).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});
export type CampaignListQuery = z.infer<typeof campaignListQuerySchema>;

export const campaignViewSchema = z
  .object({
    id: z.number(),
    title: z.string(),
    description: z.string(),
    jurisdictionCode: z.string(),
    jurisdictionName: z.string(),
    categories: z.array(z.enum(itemCategories)),
    nominationOpensAt: z.string(),
    nominationClosesAt: z.string(),
    votingOpensAt: z.string(),
    votingClosesAt: z.string(),
    quota: z.number(),
    votesPerVoter: z.number(),
    phase: z.enum(campaignPhases),
    phaseLabel: z.string(),
    draw: z.object({
      algorithm: z.string(),
      seedCommitment: z.string().nullable().meta({ description: 'SHA-256 of the secret seed, published when voting opens' }),
      committedAt: z.string().nullable(),
      revealedAt: z.string().nullable(),
    }),
    publishedAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'SamplingCampaign' });
export type CampaignView = z.infer<typeof campaignViewSchema>;

export const campaignListSchema = z.object({ items: z.array(campaignViewSchema) }).meta({ id: 'SamplingCampaignList' });

export const selectionProblemSchema = z
  .object({
    message: z.string(),
    tasks: z.array(z.object({ nominationId: z.number(), districtCode: z.string(), needed: z.number(), available: z.number() })),
    at: z.string(),
  })
  .meta({ id: 'SamplingSelectionProblem' });
export type SelectionProblem = z.infer<typeof selectionProblemSchema>;

/**
 * What each audit event of a campaign records, by action: the API documents the shape of every event and
 * recordSamplingEvent only accepts these shapes.
 */
export const samplingEventData = {
  campaign_created: z.strictObject({}),
  campaign_updated: z.strictObject({ fields: z.array(z.string()) }),
  phase_changed: z.strictObject({ from: z.enum(campaignPhases), to: z.enum(campaignPhases), by: z.enum(phaseActors) }),
  seed_committed: z.strictObject({ seedCommitment: z.string() }),
  selection_blocked: selectionProblemSchema.omit({ at: true }).strict(),
  selected: z.strictObject({
    tasks: z.array(z.strictObject({ taskId: z.number(), nominationId: z.number(), rank: z.number(), votes: z.number() })),
    /** Approved nominations passed over: this bureau sampled the product of the merchant within 6 months. */
    skippedRepeats: z.array(z.strictObject({ nominationId: z.number(), repeatOfTaskId: z.number(), sampledOn: z.string() })).optional(),
  }),
  nomination_moderated: z.strictObject({
    decision: z.enum(moderationDecisions),
    from: z.enum(nominationStatuses),
    reason: z.string().optional(),
    mergeInto: z.number().optional(),
  }),
  collection_recorded: z.strictObject({ sampleNo: z.string(), sealNo: z.string(), corrected: z.boolean() }),
  results_recorded: z.strictObject({
    reportNo: z.string(),
    verdict: z.enum(testVerdicts),
    notice: z.enum(noticeMethods),
    notified: z.array(z.enum(objectionParties)),
  }),
  delivery_recorded: z.strictObject({
    method: z.enum(deliveryMethods),
    on: z.string(),
    deliveredOn: z.string(),
    objectionWindowEndsOn: z.string(),
  }),
  objection_recorded: z.strictObject({
    receivedOn: z.string(),
    by: z.enum(objectionParties),
    disputedItems: z.array(z.string()).optional(),
  }),
  waiver_recorded: z.strictObject({ receivedOn: z.string() }),
  retest_recorded: z.strictObject({ reportNo: z.string(), verdict: z.enum(testVerdicts), refundDue: z.boolean() }),
  finalised: z.strictObject({ basis: z.enum(finalBases), verdict: z.enum(testVerdicts) }),
  follow_up_opened: z.strictObject({ trackingNo: z.string(), caseId: z.number(), rectifyBy: z.string(), recheckBy: z.string() }),
  results_mailed: z.strictObject({ recipients: z.number() }),
} satisfies Record<SamplingEventAction, z.ZodType>;

/** An action with what it records, e.g. `{ action: 'finalised', data: { basis, verdict } }`. */
export type SamplingEventRecord = {
  [A in SamplingEventAction]: { action: A; data: z.infer<(typeof samplingEventData)[A]> };
}[SamplingEventAction];

const eventOf = <A extends SamplingEventAction>(action: A) =>
  z.object({
    at: z.string(),
    actorId: z.number().nullable(),
    action: z.literal(action),
    taskId: z.number().nullable(),
    nominationId: z.number().nullable(),
    data: samplingEventData[action],
  });

type EventVariant = { [A in SamplingEventAction]: ReturnType<typeof eventOf<A>> }[SamplingEventAction];

export const samplingEventSchema = z
  .discriminatedUnion(
    'action',
    // One variant per action; the tuple type keeps each variant's literal and data (map cannot express that).
    samplingEventActions.map(eventOf) as unknown as [EventVariant, ...EventVariant[]],
  )
  .meta({ id: 'SamplingEvent' });
export type SamplingEvent = z.infer<typeof samplingEventSchema>;

export const staffCampaignViewSchema = campaignViewSchema
  .extend({
    createdBy: z.number(),
    selectionProblem: selectionProblemSchema.nullable(),
    counts: z.object({
      nominations: z.object(
        Object.fromEntries(nominationStatuses.map((s) => [s, z.number()])) as Record<(typeof nominationStatuses)[number], z.ZodNumber>,
      ),
      voters: z.number(),
      votes: z.number(),
      tasks: z.number(),
      finalTasks: z.number(),
    }),
    events: z.array(samplingEventSchema),
  })
  .meta({ id: 'SamplingCampaignForStaff' });
export type StaffCampaignView = z.infer<typeof staffCampaignViewSchema>;

/* ---- nominations ---- */

export const nominationInputSchema = z
  .strictObject({
    productName: text(200),
    brand: text(100).optional(),
    model: text(100).optional(),
    category: z.enum(itemCategories).optional().meta({ description: 'required when the campaign covers more than one category' }),
    merchant: z.strictObject({
      name: text(200),
      address: text(300).optional(),
      districtCode: districtCodeSchema,
      uscc: usccSchema.optional(),
    }),
    reason: text(2000),
    nominator: z
      .strictObject({ email: emailSchema.optional(), notifyResults: z.boolean().optional(), language: languageSchema.optional() })
      .refine((n) => !n.notifyResults || n.email !== undefined, { path: ['email'], message: 'needed to send you the results' })
      .optional(),
  })
  .meta({ id: 'SamplingNominationInput' });
export type NominationInput = z.infer<typeof nominationInputSchema>;

export const nominationCreatedSchema = z.object({ id: z.number(), status: z.literal('pending') }).meta({ id: 'SamplingNominationCreated' });

export const publicNominationSchema = z
  .object({
    id: z.number(),
    productName: z.string(),
    brand: z.string().nullable(),
    model: z.string().nullable(),
    category: z.enum(itemCategories),
    merchantName: z.string(),
    districtCode: z.string(),
    reason: z.string(),
    votes: z.number(),
    createdAt: z.string(),
  })
  .meta({ id: 'SamplingNomination' });

export const publicNominationListSchema = z.object({ items: z.array(publicNominationSchema) }).meta({ id: 'SamplingNominationList' });

export const moderationQuerySchema = z.object({ status: z.enum(nominationStatuses).optional() });

export const staffNominationSchema = publicNominationSchema
  .extend({
    status: z.enum(nominationStatuses),
    merchantAddress: z.string().nullable(),
    moderationReason: z.string().nullable(),
    mergedInto: z.number().nullable(),
    moderatedAt: z.string().nullable(),
    repeatSampling: z
      .object({ taskId: z.number(), campaignId: z.number(), sampledOn: z.string(), allowedFrom: z.string() })
      .nullable()
      .meta({ description: 'this bureau sampled the same product of the same merchant within 6 months' }),
  })
  .meta({ id: 'SamplingNominationForStaff' });
export type StaffNomination = z.infer<typeof staffNominationSchema>;

export const staffNominationListSchema = z.object({ items: z.array(staffNominationSchema) }).meta({ id: 'SamplingNominationListForStaff' });

export const moderationInputSchema = z
  .discriminatedUnion('decision', [
    z.strictObject({ decision: z.literal('approve'), reason: optionalText(500).optional() }),
    z.strictObject({ decision: z.literal('reject'), reason: text(500) }),
    z.strictObject({ decision: z.literal('merge'), mergeInto: idSchema, reason: optionalText(500).optional() }),
  ])
  .meta({ id: 'SamplingModerationInput' });
export type ModerationInput = z.infer<typeof moderationInputSchema>;

/* ---- voters and votes ---- */

export const voterCodeRequestSchema = z
  .strictObject({
    campaignId: idSchema,
    email: emailSchema,
    notifyResults: z
      .boolean()
      .optional()
      .meta({ description: 'keep the address to send the results; otherwise only its keyed hash is kept' }),
    language: languageSchema.optional(),
  })
  .meta({ id: 'SamplingVoterCodeRequest' });
export type VoterCodeRequest = z.infer<typeof voterCodeRequestSchema>;

export const voterVerifySchema = z
  .strictObject({
    campaignId: idSchema,
    email: emailSchema,
    code: z.string().regex(/^\d{6}$/, 'the 6-digit code from the email'),
  })
  .meta({ id: 'SamplingVoterVerify' });

export const voterTokenSchema = z
  .object({ voterToken: z.string(), expiresAt: z.string(), votesPerVoter: z.number(), votesLeft: z.number() })
  .meta({ id: 'SamplingVoterToken' });

export const voterTokenHeaderSchema = z.object({ 'x-voter-token': storableString().min(1).max(200) });

export const voteResultSchema = z
  .object({
    nominationId: z
      .number()
      .meta({ description: 'the nomination the vote counts for (a merged duplicate’s votes go to the one it was merged into)' }),
    votes: z.number(),
    votesLeft: z.number(),
  })
  .meta({ id: 'SamplingVote' });

/* ---- the draw ---- */

export const drawViewSchema = z
  .object({
    campaignId: z.number(),
    algorithm: z.string(),
    inspectorsPerTask: z.number(),
    seedCommitment: z.string(),
    seed: z.string(),
    committedAt: z.string(),
    revealedAt: z.string(),
    tasks: z.array(
      z.object({
        taskId: z.number(),
        nominationId: z.number(),
        districtCode: z.string(),
        rosterSize: z.number(),
        excludedCount: z.number(),
        roster: z.array(z.string()).meta({ description: 'pseudonymous ids of the active inspectors, sorted' }),
        excluded: z.array(z.string()).meta({ description: 'ids with a declared conflict of interest with the merchant' }),
        drawn: z.array(z.string()),
      }),
    ),
    passedOver: z.array(z.object({ nominationId: z.number(), reason: z.literal('sampled_within_6_months'), sampledOn: z.string() })).meta({
      description:
        'approved nominations the selection passed over although their votes ranked them: this bureau sampled the product of the merchant within 6 months',
    }),
  })
  .meta({ id: 'SamplingDraw' });
export type DrawView = z.infer<typeof drawViewSchema>;

export const drawRosterSchema = z
  .object({
    tasks: z.array(
      z.object({
        taskId: z.number(),
        roster: z.array(
          z.object({ pseudonym: z.string(), staffId: z.number(), name: z.string(), excluded: z.boolean(), drawn: z.boolean() }),
        ),
      }),
    ),
  })
  .meta({ id: 'SamplingDrawRoster' });

/* ---- tasks ---- */

export const taskListQuerySchema = z.object({
  mine: z.enum(['1', '0', 'true', 'false']).optional(),
  campaignId: idSchema.optional(),
  status: z.enum(taskStatuses).optional(),
});

export const taskIdParamSchema = z.object({ id: idSchema });

export const taskSummarySchema = z
  .object({
    id: z.number(),
    campaignId: z.number(),
    nominationId: z.number(),
    productName: z.string(),
    merchantName: z.string(),
    districtCode: z.string(),
    status: z.enum(taskStatuses),
    verdict: z.enum(testVerdicts).optional(),
  })
  .meta({ id: 'SamplingTaskSummary' });

export const taskListSchema = z.object({ items: z.array(taskSummarySchema) }).meta({ id: 'SamplingTaskList' });

const testItemSchema = z.strictObject({
  name: text(200),
  standardClause: text(200),
  limit: text(100),
  measured: text(100),
  unit: optionalText(30).default(''),
  verdict: z.enum(testVerdicts),
});

export const labResultsInputSchema = z
  .strictObject({
    reportNo: text(60),
    labName: text(200).optional().meta({ description: 'defaults to the laboratory named at collection' }),
    items: z
      .array(testItemSchema)
      .min(1)
      .max(200)
      .refine((items) => new Set(items.map((i) => i.name)).size === items.length, 'each test item once, by its name'),
  })
  .meta({ id: 'SamplingLabResultsInput' });
export type LabResultsInput = z.infer<typeof labResultsInputSchema>;

export const retestResultsInputSchema = labResultsInputSchema
  .extend({
    labName: text(200).optional().meta({ description: 'the re-test laboratory; it must differ from the first' }),
    feePaidCny: yuan().optional().meta({ description: 'what the applicant paid the re-test laboratory' }),
  })
  .meta({ id: 'SamplingRetestResultsInput' });
export type RetestResultsInput = z.infer<typeof retestResultsInputSchema>;

export const collectionInputSchema = z
  .strictObject({
    sampleNo: text(60),
    quantity: count(100_000),
    reserveQuantity: count(100_000).meta({ description: 'the reserve sample (备样), sealed separately for a re-test' }),
    sealNo: text(60),
    labName: text(200),
    pricePaidCny: yuan(),
    collectedAt: isoInstant().refine((s) => Date.parse(s) <= Date.now() + 5 * 60_000, 'must not be in the future'),
    merchantEmail: emailSchema.optional().meta({ description: 'where the result notice goes; without it a letter is printed' }),
    manufacturer: z.strictObject({ name: text(200), email: emailSchema.optional() }).optional(),
  })
  .meta({ id: 'SamplingCollectionInput' });
export type CollectionInput = z.infer<typeof collectionInputSchema>;

export const deliveryInputSchema = z
  .strictObject({
    method: z.enum(deliveryMethods),
    on: pastDay().meta({ description: 'the day of delivery, or of the public posting (which counts as delivery 30 days later)' }),
  })
  .meta({ id: 'SamplingDeliveryInput' });

export const objectionInputSchema = z
  .strictObject({
    receivedOn: pastDay(),
    by: z.enum(objectionParties),
    grounds: text(2000),
    disputedItems: z
      .array(text(200))
      .min(1)
      .max(100)
      .refine((a) => new Set(a).size === a.length, 'items must not repeat')
      .optional()
      .meta({ description: 'the names of the first report’s test items disputed; the re-test covers these (default: the whole report)' }),
  })
  .meta({ id: 'SamplingObjectionInput' });

export const waiverInputSchema = z.strictObject({ receivedOn: pastDay() }).meta({ id: 'SamplingWaiverInput' });

const resultViewSchema = z.object({
  reportNo: z.string(),
  labName: z.string().nullable(),
  items: z.array(testItemResultSchema),
  verdict: z.enum(testVerdicts),
  recordedAt: z.string(),
  recordedBy: z.number(),
});
export type ResultView = z.infer<typeof resultViewSchema>;

export const photoViewSchema = z
  .object({ id: z.number(), contentType: z.string(), sizeBytes: z.number(), createdAt: z.string() })
  .meta({ id: 'SamplingTaskPhoto' });

export const taskDetailSchema = taskSummarySchema
  .extend({
    campaignTitle: z.string(),
    rank: z.number(),
    votes: z.number(),
    brand: z.string().nullable(),
    model: z.string().nullable(),
    category: z.enum(itemCategories),
    merchantAddress: z.string().nullable(),
    inspectors: z.array(z.object({ id: z.number(), name: z.string(), pseudonym: z.string() })),
    collection: z
      .object({
        sampleNo: z.string(),
        quantity: z.number(),
        reserveQuantity: z.number(),
        sealNo: z.string(),
        labName: z.string(),
        pricePaidCny: z.number(),
        collectedAt: z.string(),
        collectedBy: z.number(),
        merchantEmail: z.string().nullable(),
        manufacturer: z.object({ name: z.string(), email: z.string().nullable() }).nullable(),
      })
      .nullable(),
    results: resultViewSchema.nullable(),
    notice: z
      .object({
        method: z.enum(noticeMethods),
        issuedAt: z.string(),
        deliveryMethod: z.enum(deliveryMethods).nullable(),
        deliveredOn: z.string().nullable(),
        objectionWindowEndsOn: z.string().nullable(),
      })
      .nullable(),
    objection: z
      .object({ receivedOn: z.string(), by: z.enum(objectionParties), grounds: z.string(), disputedItems: z.array(z.string()) })
      .nullable(),
    retest: resultViewSchema.extend({ feePaidCny: z.number().nullable(), refundDue: z.boolean() }).nullable(),
    waiver: z.object({ receivedOn: z.string() }).nullable(),
    final: z.object({ basis: z.enum(finalBases), at: z.string(), verdict: z.enum(testVerdicts) }).nullable(),
    followUpCaseId: z.number().nullable(),
    followUpTrackingNo: z.string().nullable(),
    photos: z.array(photoViewSchema),
    events: z.array(samplingEventSchema),
  })
  .meta({ id: 'SamplingTask' });
export type TaskDetail = z.infer<typeof taskDetailSchema>;

/** What the result notice to the merchant says (the email's params and the printed letter). */
export const resultNoticeFactsSchema = z
  .object({
    bureauName: z.string(),
    campaignTitle: z.string(),
    merchantName: z.string(),
    productName: z.string(),
    brand: z.string().nullable(),
    model: z.string().nullable(),
    sampleNo: z.string(),
    collectedOn: z.string(),
    labName: z.string(),
    reportNo: z.string(),
    verdict: z.enum(testVerdicts),
    failedItems: z.array(
      z.object({ name: z.string(), standardClause: z.string(), limit: z.string(), measured: z.string(), unit: z.string() }),
    ),
    issuedOn: z.string(),
    /** The last day of the objection window when delivery is by email; a letter's window starts on its delivery. */
    objectionWindowEndsOn: z.string().nullable(),
  })
  .meta({ id: 'SamplingResultNoticeFacts' });
export type ResultNoticeFacts = z.infer<typeof resultNoticeFactsSchema>;

/* ---- conflicts of interest (回避) ---- */

export const conflictInputSchema = z
  .strictObject({
    inspectorId: idSchema.optional().meta({ description: 'regulators may record a declaration for an inspector of their jurisdiction' }),
    nominationId: idSchema.optional().meta({ description: 'the merchant of this nomination' }),
    merchant: z.strictObject({ name: text(200), uscc: usccSchema.optional(), districtCode: districtCodeSchema }).optional(),
    reason: text(500),
  })
  .refine((v) => (v.nominationId === undefined) !== (v.merchant === undefined), {
    path: ['merchant'],
    message: 'name either the merchant or a nomination of it, not both',
  })
  .meta({ id: 'SamplingConflictInput' });
export type ConflictInput = z.infer<typeof conflictInputSchema>;

export const conflictViewSchema = z
  .object({
    id: z.number(),
    inspectorId: z.number(),
    inspectorName: z.string(),
    merchantName: z.string(),
    merchantDistrictCode: z.string().nullable(),
    reason: z.string(),
    declaredBy: z.number(),
    declaredAt: z.string(),
    withdrawnAt: z.string().nullable(),
  })
  .meta({ id: 'SamplingConflict' });

export const conflictListSchema = z.object({ items: z.array(conflictViewSchema) }).meta({ id: 'SamplingConflictList' });

/* ---- publication ---- */

export const publishedResultSchema = z
  .object({
    taskId: z.number(),
    productName: z.string(),
    brand: z.string().nullable(),
    model: z.string().nullable(),
    merchantName: z.string(),
    districtCode: z.string(),
    verdict: z.enum(testVerdicts),
    reportNo: z.string(),
    items: resultViewSchema.shape.items,
    retested: z.boolean(),
    publishedAt: z.string(),
    followUp: z
      .object({
        status: z.enum(itemStatuses),
        statusLabel: z.string(),
        rectifyBy: z.string().nullable(),
        recheckBy: z.string().nullable(),
      })
      .nullable()
      .meta({ description: 'a failure’s follow-up (后处理): stop selling, rectify by, re-check by, and where it stands' }),
  })
  .meta({ id: 'SamplingPublishedResult' });
export type PublishedResult = z.infer<typeof publishedResultSchema>;

export const unsubscribeParamSchema = z.object({ token: pathText(200) });
export const unsubscribedSchema = z.object({ unsubscribed: z.literal(true) }).meta({ id: 'SamplingUnsubscribed' });
