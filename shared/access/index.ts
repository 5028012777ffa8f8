/** Access control: who (a role) may act where (a jurisdiction and its subtree). */
export { staffRoles, type StaffRole } from './vocabulary.js';
export { jurisdictionPrefix, withinJurisdiction } from './scope.js';
