/** Staff roles: inspectors work cases, regulators supervise a jurisdiction, admins manage accounts. */
export const staffRoles = ['inspector', 'regulator', 'admin'] as const;
export type StaffRole = (typeof staffRoles)[number];
