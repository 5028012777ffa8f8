/** What the staff administration audit records. */
export const staffEventActions = ['created', 'updated', 'deactivated', 'reactivated', 'password_reset'] as const;
export type StaffEventAction = (typeof staffEventActions)[number];
