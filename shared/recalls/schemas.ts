import { z } from 'zod';
import { shanghaiDate } from '../calendar/index.js';
import { injuryLevels, itemCategories } from '../complaints/index.js';
import { languageSchema } from '../i18n/index.js';
import { usccSchema } from '../identifiers/index.js';
import { emailSchema, idSchema, isoDay, optionalText, pastOrTodayDay, pathText, text } from '../validation/index.js';
import { keyOf } from './matching.js';
import {
  publicRecallStatuses,
  recallStatuses,
  recallTransitionTargets,
  recallTypes,
  remedies,
  signalStatuses,
  signalSubjects,
  signalTransitionTargets,
  type RecallEventAction,
} from './vocabulary.js';

/**
 * Shapes of recalls, defect signals and recall alerts, shared by routes, pages, workers and tests. Field names
 * follow SAMR/DPAC recall notices and the CPSC Recalls API where they overlap (docs/product.md lists the mapping).
 */

/** A list of names that must differ after normalisation (LT-100 and lt100 are one model) and keep something. */
const distinctNames = (max: number, maxItems: number) =>
  z
    .array(text(max))
    .max(maxItems)
    .superRefine((values, ctx) => {
      const seen = new Set<string>();
      values.forEach((v, i) => {
        const key = keyOf(v);
        if (key === null) ctx.addIssue({ code: 'custom', path: [i], message: 'must contain a letter or a digit' });
        else if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [i], message: 'repeats an earlier entry once normalised' });
        else seen.add(key);
      });
    });

const nameWithKey = (max: number) => text(max).refine((v) => keyOf(v) !== null, 'must contain a letter or a digit');

export const recallInputSchema = z
  .strictObject({
    type: z.enum(recallTypes),
    title: text(200),
    category: z.enum(itemCategories),
    manufacturer: z.strictObject({ name: nameWithKey(200), uscc: usccSchema.optional() }),
    brand: nameWithKey(100),
    productName: text(200),
    models: distinctNames(100, 200).min(1),
    batches: distinctNames(100, 500).optional(),
    productionFrom: isoDay().optional(),
    productionTo: isoDay().optional(),
    unitsAffected: z.number().int().positive().max(1_000_000_000),
    salesChannels: z.array(text(100)).max(20).optional(),
    hazard: text(2000),
    injuriesReported: optionalText(2000).optional(),
    remedy: z.enum(remedies),
    remedyInstructions: text(3000),
    consumerContact: text(300),
    startsOn: isoDay(),
    signalId: z.number().int().positive().optional(),
  })
  .superRefine((r, ctx) => {
    if (r.productionFrom && r.productionTo && r.productionFrom > r.productionTo) {
      ctx.addIssue({ code: 'custom', path: ['productionTo'], message: 'must not be before productionFrom' });
    }
  })
  .meta({ id: 'RecallInput' });

export type RecallInput = z.infer<typeof recallInputSchema>;

/** Recall numbers look like RC-2026-0001; anything else is answered as unknown. */
export const RECALL_NO_PATTERN = /^RC-\d{4}-\d{4,6}$/;
export const recallNoParamSchema = z.object({ recallNo: pathText(32) });

const day = z.string().meta({ description: 'YYYY-MM-DD (Asia/Shanghai)' });

export const recallViewSchema = z
  .object({
    recallNo: z.string(),
    type: z.enum(recallTypes),
    status: z.enum(publicRecallStatuses),
    title: z.string(),
    category: z.enum(itemCategories),
    manufacturer: z.object({ name: z.string(), uscc: z.string().optional() }),
    brand: z.string(),
    productName: z.string(),
    models: z.array(z.string()),
    batches: z.array(z.string()),
    productionFrom: day.optional(),
    productionTo: day.optional(),
    unitsAffected: z.number(),
    unitsRemedied: z.number(),
    salesChannels: z.array(z.string()),
    hazard: z.string(),
    injuriesReported: z.string().optional(),
    remedy: z.enum(remedies),
    remedyInstructions: z.string(),
    consumerContact: z.string(),
    startsOn: day,
    publishedOn: day,
    completedOn: day.optional(),
    closedOn: day.optional(),
  })
  .meta({ id: 'Recall' });

export type RecallView = z.infer<typeof recallViewSchema>;

export const fanOutSchema = z
  .object({
    matched: z.number().meta({ description: 'Recipients found so far: one per address' }),
    queued: z.number(),
    sent: z.number().meta({ description: 'Notices sent, and new complaints whose acknowledgement carried the recall' }),
    failed: z.number(),
    cancelled: z.number().meta({ description: 'Subscribers who left before their notice went out' }),
    complete: z.boolean().meta({ description: 'Every recipient has been found (sending may still go on)' }),
  })
  .meta({ id: 'RecallFanOut' });

export type FanOut = z.infer<typeof fanOutSchema>;

export const progressReportSchema = z
  .object({ asOf: day, unitsRemedied: z.number(), note: z.string().optional(), reportedAt: z.string(), reportedBy: z.number().nullable() })
  .meta({ id: 'RecallProgressReport' });

/** The data each recall event action records, as stored. */
export const recallEventDataSchemas = {
  created: z.object({ signalId: z.number().nullable() }),
  updated: z.object({}),
  published: z.object({}),
  progress_reported: z.object({ asOf: day, unitsRemedied: z.number(), nextReportDue: day.nullable() }),
  completed: z.object({ note: z.string().optional(), summaryDue: day.optional() }),
  closed: z.object({ note: z.string().optional() }),
} as const satisfies Record<RecallEventAction, z.ZodType>;

export type RecallEventData<A extends RecallEventAction> = z.infer<(typeof recallEventDataSchemas)[A]>;
export type NewRecallEvent = { [A in RecallEventAction]: { action: A; data: RecallEventData<A> } }[RecallEventAction];

const recallEventOf = <A extends RecallEventAction>(action: A) =>
  z.object({ at: z.string(), actorId: z.number().nullable(), action: z.literal(action), data: recallEventDataSchemas[action] });

/** A recall's audit trail entry, its data typed by its action. */
export const recallEventSchema = z
  .discriminatedUnion('action', [
    recallEventOf('created'),
    recallEventOf('updated'),
    recallEventOf('published'),
    recallEventOf('progress_reported'),
    recallEventOf('completed'),
    recallEventOf('closed'),
  ])
  .meta({ id: 'RecallEvent' });

export type RecallEventView = z.infer<typeof recallEventSchema>;

/** What a regulator sees: drafts too, the producer's due reports, the fan-out's progress and the audit trail. */
export const recallRecordSchema = recallViewSchema
  .extend({
    status: z.enum(recallStatuses),
    publishedOn: day.optional(),
    jurisdictionCode: z.string(),
    signalId: z.number().nullable(),
    nextReportDue: day.optional(),
    summaryDue: day.optional(),
    fanOut: fanOutSchema.optional(),
    progressReports: z.array(progressReportSchema),
    events: z.array(recallEventSchema),
  })
  .meta({ id: 'RecallRecord' });

export type RecallRecord = z.infer<typeof recallRecordSchema>;

export const recallRecordListQuerySchema = z.object({
  status: z.enum(recallStatuses).optional(),
  page: z.coerce.number().int().min(1).max(500).default(1),
});

export const recallRecordListSchema = z
  .object({
    items: z.array(
      z.object({
        recallNo: z.string(),
        title: z.string(),
        status: z.enum(recallStatuses),
        brand: z.string(),
        updatedAt: z.string(),
        fanOut: fanOutSchema.optional(),
      }),
    ),
    total: z.number(),
    page: z.number(),
    pageSize: z.number(),
  })
  .meta({ id: 'RecallRecordList' });

export const recallCreatedSchema = z.object({ recallNo: z.string(), status: z.enum(recallStatuses) }).meta({ id: 'RecallCreated' });

export const recallStateSchema = z
  .object({
    recallNo: z.string(),
    status: z.enum(recallStatuses),
    unitsAffected: z.number(),
    unitsRemedied: z.number(),
    nextReportDue: day.optional(),
    summaryDue: day.optional(),
  })
  .meta({ id: 'RecallState' });

const pastDay = () => pastOrTodayDay(() => shanghaiDate(new Date()));

export const progressInputSchema = z
  .strictObject({
    asOf: pastDay(),
    unitsRemedied: z.number().int().nonnegative().max(1_000_000_000),
    note: optionalText(2000).optional(),
  })
  .meta({ id: 'RecallProgressInput' });

export type ProgressInput = z.infer<typeof progressInputSchema>;

export const recallTransitionInputSchema = z
  .strictObject({ to: z.enum(recallTransitionTargets), note: optionalText(2000).optional() })
  .meta({ id: 'RecallTransitionInput' });

export type RecallTransitionInput = z.infer<typeof recallTransitionInputSchema>;

/* ---- public search ---- */

/** A form may send a field empty: that is no filter. */
const filterText = (max: number) =>
  optionalText(max)
    .optional()
    .transform((v) => (v ? v : undefined));

export const RECALL_PAGE_SIZE = 20;

export const recallSearchQuerySchema = z.object({
  q: filterText(200),
  brand: filterText(100),
  model: filterText(100),
  category: z.enum(itemCategories).optional(),
  from: isoDay().optional(),
  to: isoDay().optional(),
  page: z.coerce.number().int().min(1).max(500).default(1),
});

export type RecallSearchQuery = z.infer<typeof recallSearchQuerySchema>;

export const recallSummarySchema = z
  .object({
    recallNo: z.string(),
    status: z.enum(publicRecallStatuses),
    title: z.string(),
    category: z.enum(itemCategories),
    brand: z.string(),
    productName: z.string(),
    models: z.array(z.string()),
    hazard: z.string(),
    remedy: z.enum(remedies),
    publishedOn: day,
  })
  .meta({ id: 'RecallSummary' });

export type RecallSummary = z.infer<typeof recallSummarySchema>;

export const recallSearchResultSchema = z
  .object({ items: z.array(recallSummarySchema), total: z.number(), page: z.number(), pageSize: z.number() })
  .meta({ id: 'RecallSearchResult' });

export type RecallSearchResult = z.infer<typeof recallSearchResultSchema>;

export const recallCheckQuerySchema = z.object({
  brand: text(100),
  model: text(100),
  batch: filterText(100),
});

export type RecallCheckQuery = z.infer<typeof recallCheckQuerySchema>;

export const recallCheckResultSchema = z
  .object({
    matches: z.array(
      recallSummarySchema.extend({
        remedyInstructions: z.string(),
        consumerContact: z.string(),
        batches: z.array(z.string()),
        batchMatch: z
          .enum(['all_batches', 'listed', 'not_given'])
          .meta({ description: 'every batch is recalled; your batch is listed; you gave no batch (check it against `batches`)' }),
      }),
    ),
  })
  .meta({ id: 'RecallCheckResult' });

export type RecallCheckResult = z.infer<typeof recallCheckResultSchema>;

/* ---- defect signals ---- */

export const signalListQuerySchema = z.object({
  status: z.enum(signalStatuses).optional(),
  page: z.coerce.number().int().min(1).max(500).default(1),
});

export const signalIdParamSchema = z.object({ id: idSchema });

export const signalViewSchema = z
  .object({
    id: z.number(),
    subject: z.object({ kind: z.enum(signalSubjects), label: z.string() }),
    status: z.enum(signalStatuses),
    itemCount: z.number(),
    hazards: z.array(z.string()),
    worstInjury: z.enum(injuryLevels).nullable(),
    jurisdictionCodes: z.array(z.string()),
    firstAt: z.string(),
    lastAt: z.string(),
    openedAt: z.string(),
    updatedAt: z.string(),
    closedAt: z.string().optional(),
    recallNo: z.string().optional(),
  })
  .meta({ id: 'DefectSignal' });

export type SignalView = z.infer<typeof signalViewSchema>;

export const signalListSchema = z
  .object({ items: z.array(signalViewSchema), total: z.number(), page: z.number(), pageSize: z.number() })
  .meta({ id: 'DefectSignalList' });

export const signalDetailSchema = signalViewSchema
  .extend({
    items: z.array(
      z.object({
        trackingNo: z.string(),
        title: z.string(),
        category: z.enum(itemCategories),
        receivedAt: z.string(),
        jurisdictionCode: z.string().nullable(),
        hazards: z.array(z.string()),
        injury: z.enum(injuryLevels).nullable(),
        product: z.object({ brand: z.string().optional(), model: z.string().optional(), manufacturer: z.string().optional() }),
      }),
    ),
    events: z.array(
      z.object({
        at: z.string(),
        actorId: z.number().nullable(),
        from: z.enum(signalStatuses).nullable(),
        to: z.enum(signalStatuses),
        reason: z.string().optional(),
      }),
    ),
  })
  .meta({ id: 'DefectSignalDetail' });

export type SignalDetail = z.infer<typeof signalDetailSchema>;

export const signalTransitionInputSchema = z
  .strictObject({ to: z.enum(signalTransitionTargets), reason: optionalText(2000).optional() })
  .meta({ id: 'SignalTransitionInput' });

export type SignalTransitionInput = z.infer<typeof signalTransitionInputSchema>;

/* ---- recall alerts ---- */

export const alertFiltersSchema = z
  .strictObject({
    categories: z.array(z.enum(itemCategories)).max(itemCategories.length).optional(),
    brands: distinctNames(100, 20).optional(),
    models: distinctNames(100, 50).optional(),
  })
  .meta({ id: 'AlertFilters', description: 'Empty or absent lists match every recall' });

export const subscriptionInputSchema = z
  .strictObject({ email: emailSchema, language: languageSchema.optional(), filters: alertFiltersSchema.default({}) })
  .meta({ id: 'AlertSubscriptionInput' });

export type SubscriptionInput = z.infer<typeof subscriptionInputSchema>;

export const subscriptionAcceptedSchema = z
  .object({ status: z.literal('confirmation_sent'), expiresInHours: z.number() })
  .meta({ id: 'AlertSubscriptionAccepted' });

export const alertTokenSchema = pathText(200);

export const alertTokenInputSchema = z.strictObject({ token: alertTokenSchema }).meta({ id: 'AlertTokenInput' });

export const subscriptionConfirmedSchema = z
  .object({
    status: z.literal('confirmed'),
    filters: z.object({ categories: z.array(z.enum(itemCategories)), brands: z.array(z.string()), models: z.array(z.string()) }),
  })
  .meta({ id: 'AlertSubscriptionConfirmed' });

export const unsubscribedSchema = z.object({ status: z.literal('unsubscribed') }).meta({ id: 'AlertUnsubscribed' });
