/** Staff sign-in, sessions and account administration; the middleware other domains use to require staff. */
export { staffRoutes } from './routes.js';
export { authenticate, login, logout, LOCKOUT_MINUTES, MAX_FAILED_LOGINS } from './sessions.js';
export { bearerToken, currentStaff, requireStaff } from './middleware.js';
export {
  createStaff,
  deactivateStaff,
  listStaff,
  listStaffEvents,
  reactivateStaff,
  resetStaffPassword,
  updateStaff,
  type StaffSelector,
} from './accounts.js';
