import { z } from 'zod';
import { staffRoles } from '../access/index.js';
import { caseQueues } from '../casework/index.js';
import { districtCodeSchema } from '../identifiers/index.js';
import { emailSchema, storableString, text } from '../validation/index.js';
import type { StaffEventAction } from './vocabulary.js';

export const loginInputSchema = z.strictObject({
  email: emailSchema,
  password: storableString().min(1).max(200),
});

export const staffUserSchema = z
  .object({
    id: z.number(),
    name: z.string(),
    role: z.enum(staffRoles),
    jurisdictionCode: z.string(),
    specialties: z.array(z.enum(caseQueues)),
  })
  .meta({ id: 'StaffUser' });

export const loginResponseSchema = z
  .object({ token: z.string(), expiresAt: z.string(), user: staffUserSchema })
  .meta({ id: 'LoginResponse' });

export const passwordSchema = storableString().min(12, 'at least 12 characters').max(200);

export const createStaffSchema = z
  .strictObject({
    email: emailSchema,
    name: text(50),
    role: z.enum(staffRoles),
    jurisdictionCode: districtCodeSchema,
    specialties: z.array(z.enum(caseQueues)).max(caseQueues.length).default([]),
    password: passwordSchema,
  })
  .meta({ id: 'CreateStaffInput' });

export const updateStaffSchema = z
  .strictObject({
    name: text(50).optional(),
    role: z.enum(staffRoles).optional(),
    jurisdictionCode: districtCodeSchema.optional(),
    specialties: z.array(z.enum(caseQueues)).max(caseQueues.length).optional(),
  })
  .meta({ id: 'UpdateStaffInput' });

export type UpdateStaffInput = z.infer<typeof updateStaffSchema>;

const change = <T extends z.ZodType>(t: T) => z.object({ from: t, to: t });

/** What each administration event records. */
export const staffEventDataSchemas = {
  created: z.object({ role: z.enum(staffRoles), jurisdictionCode: z.string(), specialties: z.array(z.enum(caseQueues)) }),
  updated: z.object({
    name: change(z.string()).optional(),
    role: change(z.enum(staffRoles)).optional(),
    jurisdictionCode: change(z.string()).optional(),
    specialties: change(z.array(z.enum(caseQueues))).optional(),
  }),
  deactivated: z.object({}),
  reactivated: z.object({}),
  password_reset: z.object({}),
} as const satisfies Record<StaffEventAction, z.ZodType>;

export type NewStaffEvent = { [A in StaffEventAction]: { action: A; data: z.infer<(typeof staffEventDataSchemas)[A]> } }[StaffEventAction];

const staffEventOf = <A extends StaffEventAction>(action: A) =>
  z.object({
    id: z.number(),
    at: z.string(),
    staffId: z.number(),
    email: z.string(),
    actorEmail: z.string().nullable(),
    action: z.literal(action),
    data: staffEventDataSchemas[action],
  });

export const staffEventSchema = z
  .discriminatedUnion('action', [
    staffEventOf('created'),
    staffEventOf('updated'),
    staffEventOf('deactivated'),
    staffEventOf('reactivated'),
    staffEventOf('password_reset'),
  ])
  .meta({ id: 'StaffEvent' });
export type StaffEventView = z.infer<typeof staffEventSchema>;

export const resetPasswordSchema = z.strictObject({ password: passwordSchema }).meta({ id: 'ResetPasswordInput' });

export const staffAccountSchema = staffUserSchema.extend({ email: z.string(), active: z.boolean() }).meta({ id: 'StaffAccount' });

export type StaffUser = z.infer<typeof staffUserSchema>;
export type StaffAccount = z.infer<typeof staffAccountSchema>;
export type CreateStaffInput = z.infer<typeof createStaffSchema>;

/** The signed-in staff member, as every staff use case receives it; jti names the session row behind the token. */
export interface Principal extends StaffUser {
  jti: string;
}
