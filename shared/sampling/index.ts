/** 你点我检 (public-nominated sampling): vocabulary, labels, schemas, the pure rules and the draw, and the rules' database side. */
export * from './vocabulary.js';
export * from './labels.js';
export * from './schemas.js';
export {
  dueClockSteps,
  moderationOpen,
  nextPhase,
  nominationsOpen,
  phaseByClock,
  planPhaseChange,
  votingOpen,
  windowProblems,
  type CampaignWindows,
  type PhasePlan,
} from './phases.js';
export {
  addMonths,
  deliveredOn,
  followUpDeadlines,
  isRepeatSampling,
  objectionInTime,
  objectionWindowEnd,
  repeatSamplingAllowedFrom,
  samplingTimeLimits,
  windowHasPassed,
  type PeriodCalendar,
} from './time-limits.js';
export { defaultDisputedItems, finalItems, overallVerdict, retestRefundDue } from './results.js';
export { compareNominations, selectTopNominations, type RankableNomination } from './ranking.js';
export {
  DRAW_ALGORITHM,
  DrawError,
  drawInspectors,
  INSPECTORS_PER_TASK,
  inspectorPseudonym,
  isDrawSeed,
  seedCommitment,
  type DrawInput,
  type DrawOutcome,
} from './draw.js';
export {
  emailHash,
  newVoterCode,
  normalizeEmail,
  readUnsubscribeToken,
  readVoterToken,
  signVoterToken,
  unsubscribeToken,
  voterCodeHash,
  voterCodeMatches,
  voterLimits,
  type VoterClaims,
  type VoterTokenCheck,
} from './voters.js';
export { productKey } from './product.js';
export { resultNotice, resultNoticeLetter } from './notice.js';
export { applyPhaseChange, lastSampling, recentSampling, recordSamplingEvent, recountVotes, type CampaignRow } from './store.js';
export { finaliseTask, FOLLOW_UP_PRIORITY, type FinaliseDeps } from './finalise.js';
