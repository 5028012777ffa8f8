/** The words of 你点我检 (public-nominated sampling), each list in one place; types, zod enums, SQL checks and labels derive from them. */

/** A campaign moves through these phases, only forward, one step at a time. */
export const campaignPhases = ['draft', 'nominating', 'voting', 'selecting', 'sampling', 'published', 'closed'] as const;
export type CampaignPhase = (typeof campaignPhases)[number];

/** Who moves a campaign: a regulator by hand, the clock job at the window times, the selection job once the tasks exist. */
export const phaseActors = ['staff', 'clock', 'selection'] as const;
export type PhaseActor = (typeof phaseActors)[number];

export const nominationStatuses = ['pending', 'approved', 'rejected', 'merged'] as const;
export type NominationStatus = (typeof nominationStatuses)[number];

export const moderationDecisions = ['approve', 'reject', 'merge'] as const;
export type ModerationDecision = (typeof moderationDecisions)[number];

/**
 * A sampling task: drawn inspectors collect the sample, the lab result is recorded and notified to the merchant, who
 * may object (re-test) within the window; the result then becomes final.
 */
export const taskStatuses = ['awaiting_collection', 'collected', 'notified', 'retest_pending', 'final'] as const;
export type TaskStatus = (typeof taskStatuses)[number];

/** Lab verdicts per test item and overall (any fail → fail). */
export const testVerdicts = ['pass', 'fail'] as const;
export type TestVerdict = (typeof testVerdicts)[number];

/** The first lab result, and the re-test on the reserve sample at another lab (final). */
export const resultStages = ['first', 'retest'] as const;
export type ResultStage = (typeof resultStages)[number];

/** Why a result is final: the objection window passed, the merchant waived it in writing, or the re-test decided. */
export const finalBases = ['window_passed', 'waived', 'retested'] as const;
export type FinalBasis = (typeof finalBases)[number];

/** Who may object to a result and ask for a re-test. */
export const objectionParties = ['merchant', 'manufacturer'] as const;
export type ObjectionParty = (typeof objectionParties)[number];

/** How the merchant is told of the result: by email when an address is known, else by a printed letter. */
export const noticeMethods = ['email', 'letter'] as const;
export type NoticeMethod = (typeof noticeMethods)[number];

/**
 * How the result reached the merchant. A result that cannot be delivered is posted publicly and counts as delivered
 * 30 days later (public_notice).
 */
export const deliveryMethods = ['email', 'in_person', 'post', 'public_notice'] as const;
export type DeliveryMethod = (typeof deliveryMethods)[number];

/** The audit trail of a campaign, its nominations and tasks. */
export const samplingEventActions = [
  'campaign_created',
  'campaign_updated',
  'phase_changed',
  'seed_committed',
  'selection_blocked',
  'selected',
  'nomination_moderated',
  'collection_recorded',
  'results_recorded',
  'delivery_recorded',
  'objection_recorded',
  'waiver_recorded',
  'retest_recorded',
  'finalised',
  'follow_up_opened',
  'results_mailed',
] as const;
export type SamplingEventAction = (typeof samplingEventActions)[number];

/** The jobs a campaign's phase changes start: the selection and draw on entering selecting, the results emails on publication. */
export const campaignJobSteps = ['select', 'mail_results'] as const;
export type CampaignJobStep = (typeof campaignJobSteps)[number];
