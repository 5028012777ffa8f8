import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { z } from 'zod';
import { shanghaiDate } from '../domain/calendar.js';
import { checkCccCertificateNo, checkUscc } from '../domain/identifiers.js';
import { DEFAULT_INTERVAL_G } from '../domain/scale.js';

/** The one set of zod schemas for complaint intake and tracking, shared by the route, the workers and the tests. */

const text = (max: number) => z.string().trim().min(1).max(max);
const isoDate = z.iso.date();
const districtCode = z.string().regex(/^\d{6}$/, 'a 6-digit GB/T 2260 code');

export const usccSchema = z
  .string()
  .max(30)
  .superRefine((v, ctx) => {
    const r = checkUscc(v);
    if (!r.valid) {
      ctx.addIssue({
        code: 'custom',
        message:
          r.reason === 'format'
            ? 'not a unified social credit code (18 characters, GB 32100)'
            : 'unified social credit code check character does not match (GB 32100)',
      });
    }
  });

export const cccCertificateNoSchema = z
  .string()
  .max(30)
  .superRefine((v, ctx) => {
    if (!checkCccCertificateNo(v, new Date().getUTCFullYear()).valid) {
      ctx.addIssue({ code: 'custom', message: 'CCC certificate number must have 16 digits (older certificates: 12)' });
    }
  });

export const mobilePhoneSchema = z
  .string()
  .max(20)
  .refine((v) => parsePhoneNumberFromString(v, 'CN')?.getType() === 'MOBILE', {
    message: 'not a mainland China mobile number',
  });

const notInFuture = (day: string) => day <= shanghaiDate(new Date());

export const merchantSchema = z.strictObject({
  name: text(200),
  uscc: usccSchema.optional(),
  address: text(300).optional(),
  districtCode: districtCode.optional(),
  onlineShopUrl: z.url({ protocol: /^https?$/ }).max(500).optional(),
});

export const productSchema = z.strictObject({
  name: text(200).optional(),
  brand: text(100).optional(),
  model: text(100).optional(),
  batch: text(100).optional(),
  manufacturer: text(200).optional(),
  manufacturerUscc: usccSchema.optional(),
  cccCertificateNo: cccCertificateNoSchema.optional(),
  purchaseDate: isoDate.refine(notInFuture, 'must not be in the future').optional(),
  pricePaidCny: z.number().nonnegative().max(100_000_000).optional(),
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

export const ebikeIssueCodes = [
  'no_ccc',
  'no_conformity_certificate',
  'speed_over_25',
  'tampered_limiter',
  'battery_no_ccc',
  'charger_no_ccc',
  'old_standard_sold_after_deadline',
] as const;

export const ebikeEvidenceSchema = z.strictObject({
  hasCccMark: z.boolean(),
  hasConformityCertificate: z.boolean().optional(),
  issues: z.array(z.enum(ebikeIssueCodes)).max(ebikeIssueCodes.length).refine((a) => new Set(a).size === a.length, 'issues must not repeat'),
  observedTopSpeedKmh: z.number().nonnegative().max(200).optional(),
});

export const hazardCodes = [
  'small_parts',
  'sharp_edge',
  'pinch_point',
  'chemical',
  'battery_ingestion',
  'magnet_ingestion',
  'strangulation_cord',
  'tip_over',
  'brake_failure',
  'flammability',
  'fire',
  'electric_shock',
  'other',
] as const;

export const childProductTypes = ['toy', 'stroller', 'children_vehicle', 'stationery', 'textile', 'car_seat', 'other'] as const;

export const childProductEvidenceSchema = z.strictObject({
  productType: z.enum(childProductTypes),
  hazards: z.array(z.enum(hazardCodes)).max(hazardCodes.length).refine((a) => new Set(a).size === a.length, 'hazards must not repeat'),
  hasCccMark: z.boolean().optional(),
  ageRange: text(30).optional(),
});

export const harmSchema = z.strictObject({
  injury: z.enum(['none', 'minor', 'serious', 'fatal']),
  childInvolved: z.boolean(),
});

export const languageSchema = z.enum(['zh-CN', 'en']);

export const reporterSchema = z.strictObject({
  name: text(50).optional(),
  phone: mobilePhoneSchema.optional(),
  email: z.email().max(254).optional(),
  language: languageSchema.optional(),
});

const common = {
  kind: z.enum(['complaint', 'report']),
  title: text(200),
  description: text(5000),
  occurredOn: isoDate.refine(notInFuture, 'must not be in the future').optional(),
  merchant: merchantSchema,
  product: productSchema.optional(),
  harm: harmSchema.optional(),
  reporter: reporterSchema.optional(),
};

export const complaintInputSchema = z
  .discriminatedUnion('category', [
    z.strictObject({ ...common, category: z.literal('scale'), evidence: scaleEvidenceSchema.optional() }),
    z.strictObject({ ...common, category: z.literal('ebike'), evidence: ebikeEvidenceSchema.optional() }),
    z.strictObject({ ...common, category: z.literal('child_product'), evidence: childProductEvidenceSchema.optional() }),
    z.strictObject({ ...common, category: z.literal('other') }),
  ])
  .meta({ id: 'ComplaintInput' });

export type ComplaintInput = z.infer<typeof complaintInputSchema>;

export const scaleScreeningSchema = z
  .object({
    deviationG: z.number(),
    mpeG: z.number(),
    ratio: z.number(),
    exceedsTolerance: z.boolean(),
    favours: z.enum(['merchant', 'consumer', 'none']),
  })
  .meta({ id: 'ScaleScreening' });

export const fieldWarningSchema = z.object({ field: z.string(), code: z.string(), message: z.string() });

export const intakeResponseSchema = z
  .object({
    trackingNo: z.string(),
    accessCode: z.string(),
    status: z.literal('submitted'),
    screening: scaleScreeningSchema.optional(),
    relatedRecalls: z.array(z.object({ recallNo: z.string(), title: z.string() })),
    warnings: z.array(fieldWarningSchema).optional(),
  })
  .meta({ id: 'IntakeResponse' });

export type IntakeResponse = z.infer<typeof intakeResponseSchema>;

/** An item's legal time limits, as Asia/Shanghai days. */
export const deadlinesSchema = z.object({
  acceptBy: isoDate.optional(),
  verifyBy: isoDate.optional(),
  mediationEndsBy: isoDate.optional(),
});

export const trackingResponseSchema = z
  .object({
    trackingNo: z.string(),
    kind: z.enum(['complaint', 'report']),
    category: z.enum(['scale', 'ebike', 'child_product', 'other']),
    status: z.string(),
    statusLabel: z.string(),
    jurisdiction: z.object({ code: z.string(), name: z.string(), bureauName: z.string() }).optional(),
    queue: z.string().optional(),
    deadlines: deadlinesSchema,
    timeline: z.array(z.object({ at: z.string(), status: z.string(), statusLabel: z.string(), note: z.string().optional() })),
    outcome: z.string().optional(),
  })
  .meta({ id: 'TrackingView' });

export type TrackingView = z.infer<typeof trackingResponseSchema>;
