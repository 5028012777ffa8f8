import { z } from 'zod';
import { itemStatuses } from '../i18n.js';
import { deadlinesSchema, hazardCodes } from './complaint.js';

/** Shapes of the inspectors' and regulators' API, shared by routes, services and tests. */

export const transitionInputSchema = z
  .strictObject({
    to: z.enum(itemStatuses),
    reasonCode: z.string().max(50).optional(),
    note: z.string().trim().max(2000).optional(),
    outcome: z.string().max(50).optional(),
    toDistrictCode: z.string().max(6).optional(),
  })
  .meta({ id: 'TransitionInput' });

export type TransitionInput = z.infer<typeof transitionInputSchema>;

export const transitionResultSchema = z
  .object({
    trackingNo: z.string(),
    status: z.string(),
    statusLabel: z.string(),
    jurisdictionCode: z.string().nullable(),
    deadlines: deadlinesSchema,
    outcome: z.string().optional(),
    reasonCode: z.string().optional(),
  })
  .meta({ id: 'TransitionResult' });

export const caseListQuerySchema = z.object({
  queue: z.enum(['metrology', 'product_quality', 'child_safety', 'intake']).optional(),
  status: z.enum(['open', 'closed']).default('open'),
  priority: z.coerce.number().int().min(1).max(4).optional(),
  claimed: z.enum(['mine', 'unclaimed', 'any']).default('any'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});

export type CaseListQuery = z.infer<typeof caseListQuerySchema>;

export const claimInputSchema = z.strictObject({ queue: z.enum(['metrology', 'product_quality', 'child_safety', 'intake']).optional() });
export const assignInputSchema = z.strictObject({ inspectorId: z.number().int().positive() });

const inspectionCommon = {
  trackingNo: z.string().max(64).optional(),
  notes: z.string().trim().max(5000).optional(),
};

export const inspectionInputSchema = z
  .discriminatedUnion('type', [
    z.strictObject({
      ...inspectionCommon,
      type: z.literal('scale_verification'),
      scaleMaxG: z.number().positive().max(1_000_000).optional(),
      scaleIntervalG: z.number().positive().max(1000).optional(),
      loads: z
        .array(z.strictObject({ loadG: z.number().nonnegative().max(1_000_000), indicationG: z.number().nonnegative().max(1_000_000) }))
        .min(1)
        .max(30),
    }).superRefine((v, ctx) => {
      v.loads.forEach((l, i) => {
        if (l.loadG / (v.scaleIntervalG ?? 5) > 10_000) ctx.addIssue({ code: 'custom', path: ['loads', i, 'loadG'], message: 'above 10000e of the scale' });
        if (v.scaleMaxG !== undefined && l.loadG > v.scaleMaxG) ctx.addIssue({ code: 'custom', path: ['loads', i, 'loadG'], message: 'above the scale maximum' });
      });
    }),
    z.strictObject({
      ...inspectionCommon,
      type: z.literal('ccc_check'),
      certificateNo: z.string().max(30).optional(),
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
