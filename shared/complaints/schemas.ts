import { z } from 'zod';
import { shanghaiDate } from '../calendar/index.js';
import { randomCode } from '../crypto/index.js';
import { cccCertificateNoSchema, districtCodeSchema, mobilePhoneSchema, usccSchema } from '../identifiers/index.js';
import { languageSchema } from '../i18n/index.js';
import { DEFAULT_INTERVAL_G, favourings } from '../metrology/index.js';
import { remedies } from '../recalls/vocabulary.js';
import { finalBases, testVerdicts } from '../sampling/vocabulary.js';
import { emailSchema, isoDay, pastOrTodayDay, pathText, text, webAddress, yuan } from '../validation/index.js';
import {
  childProductTypes,
  ebikeHazardCodes,
  ebikeIssueCodes,
  hazardCodes,
  injuryLevels,
  intakeKinds,
  itemCategories,
  itemKinds,
  itemStatuses,
} from './vocabulary.js';

/** The one set of zod schemas for complaint intake and tracking, shared by the routes, the pages, the workers and the tests. */

const pastDay = () => pastOrTodayDay(() => shanghaiDate(new Date()));
const distinct = <T>(a: readonly T[]) => new Set(a).size === a.length;

export const merchantSchema = z.strictObject({
  name: text(200),
  uscc: usccSchema.optional(),
  address: text(300).optional(),
  districtCode: districtCodeSchema.optional(),
  onlineShopUrl: webAddress(500).optional(),
  /** Where a "stop selling" recall notice reaches the merchant. */
  email: emailSchema.optional(),
});

export const productSchema = z.strictObject({
  name: text(200).optional(),
  brand: text(100).optional(),
  model: text(100).optional(),
  batch: text(100).optional(),
  manufacturer: text(200).optional(),
  manufacturerUscc: usccSchema.optional(),
  cccCertificateNo: cccCertificateNoSchema.optional(),
  purchaseDate: pastDay().optional(),
  pricePaidCny: yuan().optional(),
});

export const scaleEvidenceSchema = z
  .strictObject({
    referenceMassG: z.number().positive().max(1_000_000),
    displayedMassG: z.number().nonnegative().max(1_000_000),
    scaleMaxG: z.number().positive().max(1_000_000).optional(),
    scaleIntervalG: z.number().positive().max(1000).optional(),
    marketName: text(100).optional(),
    stallNo: text(50).optional(),
  })
  .superRefine((e, ctx) => {
    if (e.scaleMaxG !== undefined && e.referenceMassG > e.scaleMaxG) {
      ctx.addIssue({ code: 'custom', path: ['referenceMassG'], message: 'reference mass is above the scale maximum' });
    }
    if (e.referenceMassG / (e.scaleIntervalG ?? DEFAULT_INTERVAL_G) > 10_000) {
      ctx.addIssue({ code: 'custom', path: ['referenceMassG'], message: 'reference mass is above 10000e of the scale' });
    }
  });

export const ebikeEvidenceSchema = z.strictObject({
  hasCccMark: z.boolean(),
  hasConformityCertificate: z.boolean().optional(),
  issues: z.array(z.enum(ebikeIssueCodes)).max(ebikeIssueCodes.length).refine(distinct, 'issues must not repeat'),
  observedTopSpeedKmh: z.number().nonnegative().max(200).optional(),
  hazards: z.array(z.enum(ebikeHazardCodes)).max(ebikeHazardCodes.length).refine(distinct, 'hazards must not repeat').optional(),
});

export const childProductEvidenceSchema = z.strictObject({
  productType: z.enum(childProductTypes),
  hazards: z.array(z.enum(hazardCodes)).max(hazardCodes.length).refine(distinct, 'hazards must not repeat'),
  hasCccMark: z.boolean().optional(),
  ageRange: text(30).optional(),
});

/** One test item of a sampling lab report as recorded; the sampling results and a follow-up's evidence show it. */
export const testItemResultSchema = z.object({
  name: z.string(),
  standardClause: z.string(),
  limit: z.string(),
  measured: z.string(),
  unit: z.string(),
  verdict: z.enum(testVerdicts),
});

/**
 * The evidence of a sampling follow-up item (kind sampling_followup): the final lab result that failed, written by
 * the sampling finalisation, never by intake.
 */
export const samplingFollowUpEvidenceSchema = z
  .strictObject({
    samplingTaskId: z.number(),
    campaignId: z.number(),
    reportNo: z.string(),
    labName: z.string().nullable(),
    retested: z.boolean(),
    finalBasis: z.enum(finalBases),
    failedItems: z.array(testItemResultSchema),
  })
  .meta({ id: 'SamplingFollowUpEvidence' });
export type SamplingFollowUpEvidence = z.infer<typeof samplingFollowUpEvidenceSchema>;

/** Any one item's evidence, as stored on it (the category, or the sampling_followup kind, says which). */
export const evidenceSchema = z
  .union([scaleEvidenceSchema, ebikeEvidenceSchema, childProductEvidenceSchema, samplingFollowUpEvidenceSchema])
  .meta({ id: 'Evidence' });

export const harmSchema = z.strictObject({
  injury: z.enum(injuryLevels),
  childInvolved: z.boolean(),
});

export const reporterSchema = z.strictObject({
  name: text(50).optional(),
  phone: mobilePhoneSchema.optional(),
  email: emailSchema.optional(),
  language: languageSchema.optional(),
});

const common = {
  kind: z.enum(intakeKinds),
  title: text(200),
  description: text(5000),
  occurredOn: pastDay().optional(),
  merchant: merchantSchema,
  product: productSchema.optional(),
  harm: harmSchema.optional(),
  reporter: reporterSchema.optional(),
};

/** Evidence per category: the category discriminates which evidence shape is allowed. */
export const complaintInputSchema = z
  .discriminatedUnion('category', [
    z.strictObject({ ...common, category: z.literal('scale'), evidence: scaleEvidenceSchema.optional() }),
    z.strictObject({ ...common, category: z.literal('ebike'), evidence: ebikeEvidenceSchema.optional() }),
    z.strictObject({ ...common, category: z.literal('child_product'), evidence: childProductEvidenceSchema.optional() }),
    z.strictObject({ ...common, category: z.literal('other') }),
  ])
  .meta({ id: 'ComplaintInput' });

export type ComplaintInput = z.infer<typeof complaintInputSchema>;
export type MerchantInput = z.infer<typeof merchantSchema>;

export const scaleScreeningSchema = z
  .object({
    deviationG: z.number(),
    mpeG: z.number(),
    ratio: z.number(),
    exceedsTolerance: z.boolean(),
    favours: z.enum(favourings),
  })
  .meta({ id: 'ScaleScreening' });

/** The live check of a scale reading (the report page's helper): the same rule and limits as intake's evidence. */
export const scaleScreeningQuerySchema = z
  .object({
    referenceMassG: z.coerce.number().positive().max(1_000_000),
    displayedMassG: z.coerce.number().nonnegative().max(1_000_000),
    scaleIntervalG: z.coerce.number().positive().max(1000).optional(),
    scaleMaxG: z.coerce.number().positive().max(1_000_000).optional(),
  })
  .superRefine((e, ctx) => {
    if (e.scaleMaxG !== undefined && e.referenceMassG > e.scaleMaxG) {
      ctx.addIssue({ code: 'custom', path: ['referenceMassG'], message: 'reference mass is above the scale maximum' });
    }
    if (e.referenceMassG / (e.scaleIntervalG ?? DEFAULT_INTERVAL_G) > 10_000) {
      ctx.addIssue({ code: 'custom', path: ['referenceMassG'], message: 'reference mass is above 10000e of the scale' });
    }
  });

export const fieldWarningSchema = z.object({ field: z.string(), code: z.string(), message: z.string() }).meta({ id: 'FieldWarning' });
export type FieldWarning = z.infer<typeof fieldWarningSchema>;

/** An active recall the complaint's product falls under (brand or manufacturer, model, batch when listed). */
export const relatedRecallSchema = z
  .object({ recallNo: z.string(), title: z.string(), remedy: z.enum(remedies) })
  .meta({ id: 'RelatedRecall' });

export const intakeResponseSchema = z
  .object({
    trackingNo: z.string(),
    accessCode: z.string(),
    status: z.literal('submitted'),
    screening: scaleScreeningSchema.optional(),
    relatedRecalls: z.array(relatedRecallSchema),
    warnings: z.array(fieldWarningSchema).optional(),
  })
  .meta({ id: 'IntakeResponse' });

export type IntakeResponse = z.infer<typeof intakeResponseSchema>;

/** An item's legal time limits, as Asia/Shanghai days. */
export const deadlinesSchema = z
  .object({
    acceptBy: isoDay().optional(),
    verifyBy: isoDay().optional(),
    mediationEndsBy: isoDay().optional(),
    rectifyBy: isoDay().optional(),
    recheckBy: isoDay().optional(),
  })
  .meta({ id: 'Deadlines' });

/** Tracking numbers look like T20261123ABCDEFGH; anything else is answered as unknown. */
export const TRACKING_NO_PATTERN = /^T\d{8}[A-Z2-9]{8}$/;

/** A new tracking number: T, the Shanghai day, 8 unambiguous random characters. */
export const newTrackingNo = (now: Date) => `T${shanghaiDate(now).replaceAll('-', '')}${randomCode(8)}`;
export const trackingNoParamSchema = z.object({ trackingNo: pathText(64) });

export const trackingResponseSchema = z
  .object({
    trackingNo: z.string(),
    kind: z.enum(itemKinds),
    category: z.enum(itemCategories),
    status: z.enum(itemStatuses),
    statusLabel: z.string(),
    jurisdiction: z.object({ code: z.string(), name: z.string(), bureauName: z.string() }).optional(),
    queue: z.string().optional(),
    deadlines: deadlinesSchema,
    timeline: z.array(z.object({ at: z.string(), status: z.enum(itemStatuses), statusLabel: z.string(), note: z.string().optional() })),
    outcome: z.string().optional(),
    reason: z
      .object({ code: z.string(), label: z.string() })
      .optional()
      .meta({ description: 'The legal ground of a rejection (不予受理) or of no case being filed (不予立案).' }),
    otherRemedies: z
      .string()
      .optional()
      .meta({ description: 'Where else the consumer can turn, once the bureau will not mediate or mediation ended without agreement.' }),
  })
  .meta({ id: 'TrackingView' });

export type TrackingView = z.infer<typeof trackingResponseSchema>;
