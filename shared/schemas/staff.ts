import { z } from 'zod';

export const staffRoles = ['inspector', 'regulator', 'admin'] as const;
export const specialtyQueues = ['metrology', 'product_quality', 'child_safety', 'intake'] as const;

export const loginInputSchema = z.strictObject({
  email: z.email().max(254),
  password: z.string().min(1).max(200),
});

export const staffUserSchema = z
  .object({
    id: z.number(),
    name: z.string(),
    role: z.enum(staffRoles),
    jurisdictionCode: z.string(),
    specialties: z.array(z.string()),
  })
  .meta({ id: 'StaffUser' });

export const loginResponseSchema = z
  .object({ token: z.string(), expiresAt: z.string(), user: staffUserSchema })
  .meta({ id: 'LoginResponse' });

const password = z.string().min(12, 'at least 12 characters').max(200);

export const createStaffSchema = z.strictObject({
  email: z.email().max(254),
  name: z.string().trim().min(1).max(50),
  role: z.enum(staffRoles),
  jurisdictionCode: z.string().regex(/^\d{6}$/),
  specialties: z.array(z.enum(specialtyQueues)).max(specialtyQueues.length).default([]),
  password,
});

export const resetPasswordSchema = z.strictObject({ password });

export const staffListItemSchema = staffUserSchema.extend({ email: z.string(), active: z.boolean() }).meta({ id: 'StaffAccount' });

export type StaffUser = z.infer<typeof staffUserSchema>;
export type CreateStaffInput = z.infer<typeof createStaffSchema>;
