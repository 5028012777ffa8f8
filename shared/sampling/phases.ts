import { campaignPhases, type CampaignPhase, type PhaseActor } from './vocabulary.js';

/**
 * The phase machine of a campaign. Pure. Phases only move forward, one step at a time; the clock job takes the
 * steps the windows say are due (up to selecting), a regulator may take any step early by hand, except that only the
 * selection job moves selecting → sampling (once the tasks exist).
 */

export interface CampaignWindows {
  nominationOpensAt: Date;
  nominationClosesAt: Date;
  votingOpensAt: Date;
  votingClosesAt: Date;
}

export function nextPhase(phase: CampaignPhase): CampaignPhase | undefined {
  return campaignPhases[campaignPhases.indexOf(phase) + 1];
}

const stepsBy: Record<PhaseActor, ReadonlySet<CampaignPhase>> = {
  // The target phases each actor may move a campaign into.
  clock: new Set(['nominating', 'voting', 'selecting']),
  staff: new Set(['nominating', 'voting', 'selecting', 'published', 'closed']),
  selection: new Set(['sampling']),
};

export type PhasePlan = { ok: true; to: CampaignPhase } | { ok: false; allowed: CampaignPhase[] };

export function planPhaseChange(from: CampaignPhase, to: CampaignPhase, actor: PhaseActor): PhasePlan {
  const next = nextPhase(from);
  const allowed = next !== undefined && stepsBy[actor].has(next) ? [next] : [];
  return allowed.includes(to) ? { ok: true, to } : { ok: false, allowed };
}

/** The phase the windows say a campaign has reached by `now`; the clock moves it no further than selecting. */
export function phaseByClock(w: CampaignWindows, now: Date): Extract<CampaignPhase, 'draft' | 'nominating' | 'voting' | 'selecting'> {
  if (now < w.nominationOpensAt) return 'draft';
  if (now < w.votingOpensAt) return 'nominating';
  if (now < w.votingClosesAt) return 'voting';
  return 'selecting';
}

/** The steps the clock takes from `from` at `now`, in order (empty when nothing is due or the campaign is past selecting). */
export function dueClockSteps(from: CampaignPhase, w: CampaignWindows, now: Date): CampaignPhase[] {
  const target = campaignPhases.indexOf(phaseByClock(w, now));
  const steps: CampaignPhase[] = [];
  for (let i = campaignPhases.indexOf(from) + 1; i <= target; i++) steps.push(campaignPhases[i]!);
  return steps;
}

/** Nominations are taken in the nominating phase until the nomination window closes. */
export const nominationsOpen = (c: { phase: CampaignPhase; nominationClosesAt: Date }, now: Date) =>
  c.phase === 'nominating' && now < c.nominationClosesAt;

/** Votes are taken in the voting phase until the voting window closes, whether or not the clock has run yet. */
export const votingOpen = (c: { phase: CampaignPhase; votingClosesAt: Date }, now: Date) => c.phase === 'voting' && now < c.votingClosesAt;

/** Moderation (approve, reject, merge duplicates) runs while nominations and votes are being gathered. */
export const moderationOpen = (phase: CampaignPhase) => phase === 'nominating' || phase === 'voting';

/** A campaign's windows must follow each other; the problems name the field to fix. */
export function windowProblems(w: CampaignWindows): Array<{ field: keyof CampaignWindows; message: string }> {
  const problems: Array<{ field: keyof CampaignWindows; message: string }> = [];
  if (!(w.nominationOpensAt < w.nominationClosesAt))
    problems.push({ field: 'nominationClosesAt', message: 'must be after nominationOpensAt' });
  if (!(w.nominationClosesAt <= w.votingOpensAt))
    problems.push({ field: 'votingOpensAt', message: 'must not be before nominationClosesAt' });
  if (!(w.votingOpensAt < w.votingClosesAt)) problems.push({ field: 'votingClosesAt', message: 'must be after votingOpensAt' });
  return problems;
}
