/** Recalls (召回): drafting, publication, progress and completion for regulators; search, "check my product" and the feed for everyone. */
export { recallRoutes } from './routes.js';
export { createRecall, updateRecall } from './draft-recall.js';
export { publishRecall, reportProgress, transitionRecall, type RecallState } from './recall-lifecycle.js';
export { fanOutOf, getRecallRecord, listRecallRecords, type RecallRecordList } from './recall-records.js';
export { checkProduct, getRecall, latestRecalls, searchRecalls } from './search-recalls.js';
export { recallFeedXml } from './atom.js';
