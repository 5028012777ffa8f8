/** 你点我检: campaigns, nominations and moderation, verified voting, the draw, sampling tasks, publication, conflicts of interest. */
export { samplingRoutes, samplingRateLimits } from './routes.js';
export {
  createCampaign,
  getPublicCampaign,
  getStaffCampaign,
  listManagedCampaigns,
  listPublicCampaigns,
  transitionCampaign,
  updateCampaign,
} from './campaigns.js';
export { listNominationsForModeration, listPublicNominations, moderateNomination, nominate } from './nominations.js';
export { castVote, CODES_PER_ADDRESS, requestVoterCode, verifyVoter } from './voting.js';
export { getDraw, getDrawRoster } from './draw.js';
export { getResultLetter, getResultNotice, getTask, listTasks } from './tasks.js';
export {
  addTaskPhoto,
  listTaskPhotos,
  readTaskPhoto,
  recordCollection,
  recordDelivery,
  recordObjection,
  recordResults,
  recordRetest,
  recordWaiver,
} from './task-steps.js';
export { conflictFormOptions, declareConflict, listConflicts, withdrawConflict } from './conflicts.js';
export { getPublishedResults, unsubscribe } from './publication.js';
