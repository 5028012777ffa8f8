/** The words of complaints and reports, each list in one place; types, zod enums, SQL checks and labels derive from them. */

/** What the public files: complaints (投诉) and tip-offs (举报). */
export const intakeKinds = ['complaint', 'report'] as const;
export type IntakeKind = (typeof intakeKinds)[number];

/** Every kind of item on a case: what the public files, and the follow-up (后处理) of a final sampling failure. */
export const itemKinds = [...intakeKinds, 'sampling_followup'] as const;
export type ItemKind = (typeof itemKinds)[number];

export const itemCategories = ['scale', 'ebike', 'child_product', 'other'] as const;
export type ItemCategory = (typeof itemCategories)[number];

/** Consumer-visible statuses (Order No. 121 lifecycle). */
export const itemStatuses = [
  'submitted',
  'pending_acceptance',
  'pending_verification',
  'accepted',
  'mediating',
  'paused_for_testing',
  'rejected',
  'transferred',
  'case_filed',
  'not_filed',
  'pending_rectification',
  'rechecking',
  'closed',
] as const;
export type ItemStatus = (typeof itemStatuses)[number];

/** Statuses in which an item is over: it no longer keeps its case open or counts against its merchant. */
export const finishedStatuses = ['closed', 'rejected', 'not_filed'] as const satisfies readonly ItemStatus[];

/** Grounds for not accepting a complaint (不予受理), Order No. 121. */
export const rejectionReasons = [
  'outside_scope',
  'already_handled',
  'not_consumer_dispute',
  'time_barred',
  'materials_missing_or_false',
  'identity_refused',
  'other_legal_ground',
] as const;

/** Grounds for not opening a case on a report (不予立案). */
export const notFiledReasons = ['no_violation', 'insufficient_evidence', 'outside_scope', 'already_handled', 'other_legal_ground'] as const;

/** The reason code a regulator gives when extending a report's verification period. */
export const extensionReason = 'extension' as const;

export const reasonCodes = [...new Set([...rejectionReasons, ...notFiledReasons, extensionReason])] as const;
export type ReasonCode = (typeof rejectionReasons)[number] | (typeof notFiledReasons)[number] | typeof extensionReason;

export const complaintOutcomes = ['mediated_agreement', 'mediation_failed', 'mediation_expired', 'withdrawn'] as const;
export const reportOutcomes = ['referred_for_enforcement', 'unfounded', 'withdrawn'] as const;
/** How a sampling follow-up ends: rectified at the re-check, referred for enforcement, or the merchant closed down. */
export const followUpOutcomes = ['rectified', 'referred_for_enforcement', 'merchant_closed'] as const;
export const outcomes = [...new Set([...complaintOutcomes, ...reportOutcomes, ...followUpOutcomes])] as const;
export type Outcome = (typeof complaintOutcomes)[number] | (typeof reportOutcomes)[number] | (typeof followUpOutcomes)[number];

export const injuryLevels = ['none', 'minor', 'serious', 'fatal'] as const;
export type InjuryLevel = (typeof injuryLevels)[number];

export const ebikeIssueCodes = [
  'no_ccc',
  'no_conformity_certificate',
  'speed_over_25',
  'tampered_limiter',
  'battery_no_ccc',
  'charger_no_ccc',
  'old_standard_sold_after_deadline',
] as const;
export type EbikeIssueCode = (typeof ebikeIssueCodes)[number];

export const hazardCodes = [
  'small_parts',
  'sharp_edge',
  'pinch_point',
  'chemical',
  'battery_ingestion',
  'magnet_ingestion',
  'strangulation_cord',
  'tip_over',
  'brake_failure',
  'flammability',
  'fire',
  'electric_shock',
  'other',
] as const;
export type HazardCode = (typeof hazardCodes)[number];
/** What can go wrong with an e-bike itself (a fire is P1, and any of them counts towards a defect signal). */
export const ebikeHazardCodes = ['fire', 'electric_shock', 'brake_failure', 'other'] as const satisfies readonly HazardCode[];

export const childProductTypes = ['toy', 'stroller', 'children_vehicle', 'stationery', 'textile', 'car_seat', 'other'] as const;
export type ChildProductType = (typeof childProductTypes)[number];

/** Who caused an event on an item. */
export const actorTypes = ['system', 'consumer', 'staff'] as const;
export type ActorType = (typeof actorTypes)[number];
