import type { StaffRole } from '../access/index.js';
import {
  complaintOutcomes,
  extensionReason,
  followUpOutcomes,
  notFiledReasons,
  rejectionReasons,
  reportOutcomes,
  type ItemKind,
  type ItemStatus,
} from './vocabulary.js';

/**
 * The one state machine of a complaint or report (SAMR Order No. 121). Pure: given the item's kind and status, the
 * requested target and who asks, it says whether the move is allowed, what it needs, and what it does.
 */

export type Effect =
  | 'accept'
  | 'reject'
  | 'transfer'
  | 'start_mediation'
  | 'pause'
  | 'resume'
  | 'close'
  | 'file_case'
  | 'not_file'
  | 'extend_verification'
  | 'start_recheck';

export interface Rule {
  kind: ItemKind;
  from: ItemStatus;
  to: ItemStatus;
  effect: Effect;
  roles: readonly StaffRole[];
  requires?: 'reasonCode' | 'outcome' | 'toDistrictCode';
  reasonCodes?: readonly string[];
  outcomes?: readonly string[];
}

const casework = ['inspector', 'regulator'] as const;
const supervisors = ['regulator'] as const;

export const lifecycleRules: readonly Rule[] = [
  // complaints (投诉)
  { kind: 'complaint', from: 'pending_acceptance', to: 'accepted', effect: 'accept', roles: casework },
  {
    kind: 'complaint',
    from: 'pending_acceptance',
    to: 'rejected',
    effect: 'reject',
    roles: casework,
    requires: 'reasonCode',
    reasonCodes: rejectionReasons,
  },
  { kind: 'complaint', from: 'pending_acceptance', to: 'transferred', effect: 'transfer', roles: casework, requires: 'toDistrictCode' },
  {
    kind: 'complaint',
    from: 'pending_acceptance',
    to: 'closed',
    effect: 'close',
    roles: casework,
    requires: 'outcome',
    outcomes: ['withdrawn'],
  },
  { kind: 'complaint', from: 'accepted', to: 'mediating', effect: 'start_mediation', roles: casework },
  { kind: 'complaint', from: 'accepted', to: 'paused_for_testing', effect: 'pause', roles: casework },
  { kind: 'complaint', from: 'mediating', to: 'paused_for_testing', effect: 'pause', roles: casework },
  { kind: 'complaint', from: 'paused_for_testing', to: 'mediating', effect: 'resume', roles: casework },
  { kind: 'complaint', from: 'accepted', to: 'closed', effect: 'close', roles: casework, requires: 'outcome', outcomes: complaintOutcomes },
  {
    kind: 'complaint',
    from: 'mediating',
    to: 'closed',
    effect: 'close',
    roles: casework,
    requires: 'outcome',
    outcomes: complaintOutcomes,
  },
  {
    kind: 'complaint',
    from: 'paused_for_testing',
    to: 'closed',
    effect: 'close',
    roles: casework,
    requires: 'outcome',
    outcomes: ['withdrawn'],
  },
  // reports (举报)
  { kind: 'report', from: 'pending_verification', to: 'case_filed', effect: 'file_case', roles: casework },
  {
    kind: 'report',
    from: 'pending_verification',
    to: 'not_filed',
    effect: 'not_file',
    roles: casework,
    requires: 'reasonCode',
    reasonCodes: notFiledReasons,
  },
  { kind: 'report', from: 'pending_verification', to: 'transferred', effect: 'transfer', roles: casework, requires: 'toDistrictCode' },
  {
    kind: 'report',
    from: 'pending_verification',
    to: 'pending_verification',
    effect: 'extend_verification',
    roles: supervisors,
    requires: 'reasonCode',
    reasonCodes: [extensionReason],
  },
  {
    kind: 'report',
    from: 'pending_verification',
    to: 'closed',
    effect: 'close',
    roles: casework,
    requires: 'outcome',
    outcomes: ['withdrawn'],
  },
  { kind: 'report', from: 'case_filed', to: 'closed', effect: 'close', roles: casework, requires: 'outcome', outcomes: reportOutcomes },
  // sampling follow-ups (后处理): the merchant stops selling and rectifies; the bureau re-checks, then closes.
  { kind: 'sampling_followup', from: 'pending_rectification', to: 'rechecking', effect: 'start_recheck', roles: casework },
  {
    kind: 'sampling_followup',
    from: 'pending_rectification',
    to: 'closed',
    effect: 'close',
    roles: casework,
    requires: 'outcome',
    outcomes: ['referred_for_enforcement', 'merchant_closed'],
  },
  {
    kind: 'sampling_followup',
    from: 'rechecking',
    to: 'closed',
    effect: 'close',
    roles: casework,
    requires: 'outcome',
    outcomes: followUpOutcomes,
  },
];

/** Who decides: a member of staff by role, or the system where the law itself ends a period (mediation's 60 days). */
export type Decider = StaffRole | 'system';

export interface TransitionRequest {
  kind: ItemKind;
  from: string;
  to: string;
  role: Decider;
  reasonCode?: string | undefined;
  outcome?: string | undefined;
  toDistrictCode?: string | undefined;
  note?: string | undefined;
  verifyExtended?: boolean;
}

export type TransitionPlan =
  | { ok: true; effect: Effect; to: ItemStatus }
  | { ok: false; error: 'not_allowed'; allowed: ItemStatus[] }
  | { ok: false; error: 'forbidden' }
  | { ok: false; error: 'invalid'; field: 'reasonCode' | 'outcome' | 'toDistrictCode' | 'note'; message: string };

/** The decisions open on an item for a role, each with what it needs (for forms that show only those). */
export function decisionsFor(kind: ItemKind, from: string, role: StaffRole, verifyExtended = false) {
  return lifecycleRules.filter(
    (r) => r.kind === kind && r.from === from && r.roles.includes(role) && !(r.effect === 'extend_verification' && verifyExtended),
  );
}

/** The system acts only where the law ends a period itself: closing a mediation whose 60 days ran out. */
const mayApply = (rule: Rule, role: Decider) =>
  role === 'system' ? rule.effect === 'close' && (rule.outcomes ?? []).includes('mediation_expired') : rule.roles.includes(role);

/** Targets reachable from a status for this kind of item and role. */
export function allowedTargets(kind: ItemKind, from: string, role: Decider): ItemStatus[] {
  return [...new Set(lifecycleRules.filter((r) => r.kind === kind && r.from === from && mayApply(r, role)).map((r) => r.to))];
}

export function planTransition(req: TransitionRequest): TransitionPlan {
  const rule = lifecycleRules.find((r) => r.kind === req.kind && r.from === req.from && r.to === req.to);
  if (!rule) return { ok: false, error: 'not_allowed', allowed: allowedTargets(req.kind, req.from, req.role) };
  if (!mayApply(rule, req.role)) return { ok: false, error: 'forbidden' };
  if (rule.requires === 'reasonCode' && !rule.reasonCodes!.includes(req.reasonCode ?? '')) {
    return { ok: false, error: 'invalid', field: 'reasonCode', message: `one of: ${rule.reasonCodes!.join(', ')}` };
  }
  if (rule.requires === 'outcome' && !rule.outcomes!.includes(req.outcome ?? '')) {
    return { ok: false, error: 'invalid', field: 'outcome', message: `one of: ${rule.outcomes!.join(', ')}` };
  }
  if (rule.requires === 'toDistrictCode' && !/^\d{6}$/.test(req.toDistrictCode ?? '')) {
    return { ok: false, error: 'invalid', field: 'toDistrictCode', message: 'the 6-digit code of the county to transfer to' };
  }
  if (rule.effect === 'extend_verification') {
    if (req.verifyExtended)
      return { ok: false, error: 'not_allowed', allowed: allowedTargets(req.kind, req.from, req.role).filter((t) => t !== req.from) };
    if (!req.note?.trim()) return { ok: false, error: 'invalid', field: 'note', message: 'an extension needs the reason in the note' };
  }
  return { ok: true, effect: rule.effect, to: rule.to };
}
