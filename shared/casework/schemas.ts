import { z } from 'zod';
import { imageTypes, uploaders } from '../attachments/index.js';
import {
  actorTypes,
  deadlinesSchema,
  evidenceSchema,
  fieldWarningSchema,
  harmSchema,
  hazardCodes,
  itemCategories,
  itemKinds,
  itemStatuses,
  productSchema,
  scaleScreeningSchema,
} from '../complaints/index.js';
import { languages } from '../i18n/index.js';
import { districtCodeSchema } from '../identifiers/index.js';
import { idSchema, optionalText, storableString, text } from '../validation/index.js';
import { caseQueues, caseStatuses, cccProblems, claimFilters, inspectionTypes, verdicts, type CaseEventAction } from './vocabulary.js';

/** Shapes of the inspectors' and regulators' API, shared by routes, pages, services and tests. */

export const transitionInputSchema = z
  .strictObject({
    to: z.enum(itemStatuses),
    reasonCode: text(50).optional(),
    note: optionalText(2000).optional(),
    outcome: text(50).optional(),
    toDistrictCode: storableString().max(6).optional(),
  })
  .meta({ id: 'TransitionInput' });

export type TransitionInput = z.infer<typeof transitionInputSchema>;

export const transitionResultSchema = z
  .object({
    trackingNo: z.string(),
    status: z.enum(itemStatuses),
    statusLabel: z.string(),
    jurisdictionCode: z.string().nullable(),
    deadlines: deadlinesSchema,
    outcome: z.string().optional(),
    reasonCode: z.string().optional(),
  })
  .meta({ id: 'TransitionResult' });

export const caseListQuerySchema = z.object({
  queue: z.enum(caseQueues).optional(),
  status: z.enum(caseStatuses).default('open'),
  priority: z.coerce.number().int().min(1).max(4).optional(),
  claimed: z.enum(claimFilters).default('any'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});

export type CaseListQuery = z.infer<typeof caseListQuerySchema>;

export const claimInputSchema = z.strictObject({ queue: z.enum(caseQueues).optional() });
export const assignInputSchema = z.strictObject({ inspectorId: z.number().int().positive() });
export const caseIdParamSchema = z.object({ id: idSchema });

const inspectionCommon = {
  trackingNo: storableString().max(64).optional(),
  notes: optionalText(5000).optional(),
};

export const inspectionInputSchema = z
  .discriminatedUnion('type', [
    z
      .strictObject({
        ...inspectionCommon,
        type: z.literal('scale_verification'),
        scaleMaxG: z.number().positive().max(1_000_000).optional(),
        scaleIntervalG: z.number().positive().max(1000).optional(),
        loads: z
          .array(z.strictObject({ loadG: z.number().nonnegative().max(1_000_000), indicationG: z.number().nonnegative().max(1_000_000) }))
          .min(1)
          .max(30),
      })
      .superRefine((v, ctx) => {
        v.loads.forEach((l, i) => {
          if (l.loadG / (v.scaleIntervalG ?? 5) > 10_000)
            ctx.addIssue({ code: 'custom', path: ['loads', i, 'loadG'], message: 'above 10000e of the scale' });
          if (v.scaleMaxG !== undefined && l.loadG > v.scaleMaxG)
            ctx.addIssue({ code: 'custom', path: ['loads', i, 'loadG'], message: 'above the scale maximum' });
        });
      }),
    z.strictObject({
      ...inspectionCommon,
      type: z.literal('ccc_check'),
      certificateNo: storableString().max(30).optional(),
      markPresent: z.boolean(),
      conformityCertificatePresent: z.boolean(),
    }),
    z.strictObject({
      ...inspectionCommon,
      type: z.literal('product_hazard_check'),
      hazardsFound: z.array(z.enum(hazardCodes)).max(hazardCodes.length),
    }),
  ])
  .meta({ id: 'InspectionInput' });

export type InspectionInput = z.infer<typeof inspectionInputSchema>;

/* ---- responses ---- */

const masked = z.string().nullable();

/** The computed results stored with each kind of inspection. */
export const scaleVerificationResultSchema = z.object({
  scaleIntervalG: z.number(),
  scaleMaxG: z.number().nullable(),
  results: z.array(z.object({ loadG: z.number(), indicationG: z.number(), errorG: z.number(), mpeG: z.number(), withinMpe: z.boolean() })),
  verdict: z.enum(verdicts),
});
export const cccCheckResultSchema = z.object({
  certificateNo: z.string().nullable(),
  legacyCertificate: z.boolean(),
  problems: z.array(z.enum(cccProblems)),
  markPresent: z.boolean(),
  conformityCertificatePresent: z.boolean(),
  verdict: z.enum(verdicts),
});
export const productHazardCheckResultSchema = z.object({ hazardsFound: z.array(z.enum(hazardCodes)), verdict: z.enum(verdicts) });

const inspectionCommonView = {
  id: z.number(),
  verdict: z.enum(verdicts),
  notes: z.string().nullable(),
  trackingNo: z.string().nullable(),
  createdAt: z.string(),
};

export const inspectionViewSchema = z
  .discriminatedUnion('type', [
    z.object({ ...inspectionCommonView, type: z.literal('scale_verification'), data: scaleVerificationResultSchema }),
    z.object({ ...inspectionCommonView, type: z.literal('ccc_check'), data: cccCheckResultSchema }),
    z.object({ ...inspectionCommonView, type: z.literal('product_hazard_check'), data: productHazardCheckResultSchema }),
  ])
  .meta({ id: 'Inspection' });
export type InspectionView = z.infer<typeof inspectionViewSchema>;

export const caseSummarySchema = z.object({
  id: z.number(),
  queue: z.enum(caseQueues),
  category: z.enum(itemCategories),
  jurisdictionCode: z.string(),
  status: z.enum(caseStatuses),
  priority: z.number(),
  dueOn: z.string().nullable(),
  claimedBy: z.number().nullable(),
  claimedAt: z.string().nullable(),
  openedAt: z.string(),
  escalated: z.boolean(),
});

export const caseListEntrySchema = caseSummarySchema
  .extend({
    merchantName: z.string(),
    items: z.array(
      z.object({
        trackingNo: z.string(),
        kind: z.enum(itemKinds),
        status: z.enum(itemStatuses),
        title: z.string(),
        priority: z.number().nullable(),
        reporter: z.object({ name: masked, phone: masked, email: masked }),
      }),
    ),
  })
  .meta({ id: 'CaseListEntry' });

/** The data each case event action records, as stored. */
export const caseEventDataSchemas = {
  claimed: z.object({}),
  released: z.object({ from: z.number().nullable() }),
  assigned: z.object({ from: z.number().nullable(), to: z.number() }),
  contact_viewed: z.object({ items: z.array(z.string()) }),
  inspection_recorded: z.object({ inspectionId: z.number(), type: z.enum(inspectionTypes), verdict: z.enum(verdicts) }),
  attachment_added: z.object({ attachmentId: z.number(), uploadedBy: z.enum(uploaders) }),
} as const satisfies Record<CaseEventAction, z.ZodType>;

export type CaseEventData<A extends CaseEventAction> = z.infer<(typeof caseEventDataSchemas)[A]>;
export type NewCaseEvent = { [A in CaseEventAction]: { action: A; data: CaseEventData<A> } }[CaseEventAction];

const eventBase = { at: z.string(), actorId: z.number().nullable() };

/** A case's audit trail entry: its own events, and its items' decisions shown as `transition`. */
const eventOf = <A extends CaseEventAction>(action: A) =>
  z.object({ ...eventBase, action: z.literal(action), data: caseEventDataSchemas[action] });

export const caseEventSchema = z
  .discriminatedUnion('action', [
    eventOf('claimed'),
    eventOf('released'),
    eventOf('assigned'),
    eventOf('contact_viewed'),
    eventOf('inspection_recorded'),
    eventOf('attachment_added'),
    z.object({
      ...eventBase,
      action: z.literal('transition'),
      data: z.object({
        trackingNo: z.string(),
        from: z.enum(itemStatuses).nullable(),
        to: z.enum(itemStatuses),
        reasonCode: z.string().nullable(),
        note: z.string().nullable(),
        actorType: z.enum(actorTypes),
      }),
    }),
  ])
  .meta({ id: 'CaseEvent' });
export type CaseEventView = z.infer<typeof caseEventSchema>;

export const attachmentViewSchema = z
  .object({
    id: z.number(),
    trackingNo: z.string(),
    contentType: z.enum(imageTypes),
    sizeBytes: z.number(),
    uploadedBy: z.enum(uploaders),
    createdAt: z.string(),
  })
  .meta({ id: 'CaseAttachment' });

export const caseDetailSchema = caseSummarySchema
  .extend({
    merchant: z.object({
      name: z.string(),
      uscc: z.string().nullable(),
      districtCode: districtCodeSchema.nullable(),
      address: z.string().nullable(),
      onlineShopUrl: z.string().nullable(),
    }),
    items: z.array(
      z.object({
        trackingNo: z.string(),
        kind: z.enum(itemKinds),
        category: z.enum(itemCategories),
        status: z.enum(itemStatuses),
        title: z.string(),
        description: z.string(),
        occurredOn: z.string().nullable(),
        priority: z.number().nullable(),
        product: productSchema.nullable(),
        // A union with null, not .nullable(): the OpenAPI generator renders a nullable $ref as an unsatisfiable allOf.
        evidence: z.union([evidenceSchema, z.null()]),
        harm: harmSchema.nullable(),
        screening: z.union([scaleScreeningSchema, z.null()]),
        warnings: z.array(fieldWarningSchema),
        receivedAt: z.string(),
        deadlines: z.object({
          acceptBy: z.string().nullable(),
          verifyBy: z.string().nullable(),
          mediationEndsBy: z.string().nullable(),
          rectifyBy: z.string().nullable(),
          recheckBy: z.string().nullable(),
          /** A death or serious injury: the day the provincial bureau must have been told by. */
          provincialReportBy: z.string().nullable(),
        }),
        /** When staff recorded the report to the provincial bureau as made. */
        provincialReportedAt: z.string().nullable(),
        outcome: z.string().nullable(),
        reasonCode: z.string().nullable(),
        /** A report's verification period has had its one extension. */
        verifyExtended: z.boolean(),
        reporter: z.object({ name: masked, phone: masked, email: masked, language: z.enum(languages) }),
      }),
    ),
    inspections: z.array(z.intersection(inspectionViewSchema, z.object({ inspectorId: z.number() }))),
    attachments: z.array(attachmentViewSchema),
    contactDetails: z.enum(['full', 'masked']),
    events: z.array(caseEventSchema),
  })
  .meta({ id: 'CaseDetail' });

export type CaseDetail = z.infer<typeof caseDetailSchema>;

/* ---- the regulator's dashboard ---- */

export const dashboardSchema = z
  .object({
    jurisdictionCode: z.string(),
    generatedAt: z.string(),
    totals: z.object({ openItems: z.number(), overdueItems: z.number(), receivedThisWeek: z.number(), unclaimedCases: z.number() }),
    itemsByWeek: z.array(z.object({ week: z.string(), category: z.enum(itemCategories), count: z.number() })),
    compliance: z.array(
      z.object({ jurisdictionCode: z.string(), name: z.string(), decided: z.number(), decidedOnTime: z.number(), openOverdue: z.number() }),
    ),
    escalations: z.array(
      z.object({
        caseId: z.number(),
        merchantName: z.string(),
        jurisdictionCode: z.string(),
        priority: z.number(),
        dueOn: z.string().nullable(),
        escalatedAt: z.string(),
        claimedBy: z.string().nullable(),
      }),
    ),
    topMerchants: z.array(
      z.object({ merchantName: z.string(), districtCode: z.string().nullable(), items: z.number(), openItems: z.number() }),
    ),
  })
  .meta({ id: 'Dashboard' });
export type Dashboard = z.infer<typeof dashboardSchema>;

export const assignableInspectorSchema = z
  .object({ id: z.number(), name: z.string(), jurisdictionCode: z.string() })
  .meta({ id: 'AssignableInspector' });

export const provincialReportResultSchema = z
  .object({ trackingNo: z.string(), provincialReportBy: z.string(), provincialReportedAt: z.string(), onTime: z.boolean() })
  .meta({ id: 'ProvincialReport' });
