/**
 * Decisions on complaints and reports: staff's, through the API and the pages, and the system's where the law ends a
 * period (mediation's 60 days, from the deadline check). Apart from casework's vocabulary so that the many modules
 * that read casework's shapes do not depend on the database, the mail and the runtime.
 */
export { expireMediation, mediationEndDay, transitionItem } from './apply.js';
