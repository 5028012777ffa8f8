import type { ItemStatus } from '../complaints/vocabulary.js';

/** The words of casework, each list in one place. */

/** The case queues (desks) inspectors work; an inspector's specialties are a subset. `intake` is manual routing. */
export const caseQueues = ['metrology', 'product_quality', 'child_safety', 'intake'] as const;
export type CaseQueue = (typeof caseQueues)[number];
export type RoutedCaseQueue = Exclude<CaseQueue, 'intake'>;

export const caseStatuses = ['open', 'closed'] as const;
export type CaseStatus = (typeof caseStatuses)[number];

export const inspectionTypes = ['scale_verification', 'ccc_check', 'product_hazard_check'] as const;
export type InspectionType = (typeof inspectionTypes)[number];

export const verdicts = ['pass', 'fail', 'inconclusive'] as const;
export type Verdict = (typeof verdicts)[number];

/**
 * The legal clocks of an item, named as their columns: the one its status runs (runningClock), and the report of a
 * death or serious injury to the provincial bureau, which runs beside it until it is made.
 */
export const deadlineKinds = ['accept_by', 'verify_by', 'mediation_ends_by', 'recheck_by', 'provincial_report_by'] as const;
export type DeadlineKind = (typeof deadlineKinds)[number];

export const alertLevels = ['warning', 'overdue'] as const;
export type AlertLevel = (typeof alertLevels)[number];

export const claimFilters = ['mine', 'unclaimed', 'any'] as const;

/** What a case's own audit trail records (decisions on its items are item events, shown alongside as transitions). */
export const caseEventActions = ['claimed', 'released', 'assigned', 'contact_viewed', 'inspection_recorded', 'attachment_added'] as const;
export type CaseEventAction = (typeof caseEventActions)[number];

/** Problems a CCC check can find. */
export const cccProblems = ['no_ccc_mark', 'no_conformity_certificate', 'no_certificate_number', 'invalid_certificate_number'] as const;
export type CccProblem = (typeof cccProblems)[number];

/** The legal clock that runs in each status; paused_for_testing has none (testing time does not count). */
export const runningClock = {
  pending_acceptance: 'accept_by',
  pending_verification: 'verify_by',
  accepted: 'mediation_ends_by',
  mediating: 'mediation_ends_by',
  // A sampling follow-up: the bureau must re-check by this day, whether or not the merchant reported rectification.
  pending_rectification: 'recheck_by',
  rechecking: 'recheck_by',
} as const satisfies Partial<Record<ItemStatus, DeadlineKind>>;
