/** Defect signals (缺陷线索), recalls (召回) and recall alerts: vocabulary, labels, shapes, matching and signal rules. */
export * from './vocabulary.js';
export * from './schemas.js';
export { recallStatusLabel, recallTypeLabel, remedyLabel, remedyLabels, signalStatusLabel } from './labels.js';
export {
  batchMatch,
  keyOf,
  matchesRecall,
  productKeysOf,
  recallSpecOf,
  sameManufacturer,
  type BatchMatch,
  type ProductFacts,
  type ProductKeys,
  type RecallMatchSpec,
} from './matching.js';
export {
  isHazardous,
  shouldNotify,
  SIGNAL_WINDOW_DAYS,
  signalSubjectsOf,
  signalWindowStart,
  summarizeEvidence,
  type EvidenceRow,
  type SignalEvidence,
  type SignalSubjectRef,
} from './signals.js';
export { formatRecallNo } from './recall-no.js';
export {
  findActiveRecalls,
  matchingRecalls,
  selectRecallCandidates,
  type RecallCandidate,
  holdRecallMatchingLock,
  itemProductOf,
  recallSpecOfRow,
  type ActiveRecall,
  type ItemProduct,
} from './store.js';
export {
  ALERT_CONFIRM_PURPOSE,
  ALERT_UNSUBSCRIBE_PURPOSE,
  confirmUrl,
  listUnsubscribeHeaders,
  publicBaseUrl,
  UNSUBSCRIBE_PAGE_PREFIX,
  unsubscribeLinks,
  type UnsubscribeLinks,
} from './alerts.js';
