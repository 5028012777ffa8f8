/** Complaints (投诉) and reports (举报): vocabulary, labels, intake and tracking schemas, and their pure rules. */
export * from './vocabulary.js';
export * from './labels.js';
export * from './schemas.js';
export {
  allowedTargets,
  decisionsFor,
  lifecycleRules,
  planTransition,
  type Effect,
  type Rule,
  type TransitionPlan,
  type TransitionRequest,
} from './lifecycle.js';
export {
  basePriority,
  priorities,
  REPEAT_MERCHANT_THRESHOLD,
  REPEAT_MERCHANT_WINDOW_DAYS,
  triagePriority,
  type Priority,
  type PriorityFacts,
} from './priority.js';
export { merchantKey, normalizeMerchantName } from './merchant.js';
