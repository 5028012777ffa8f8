import { describe, expect, it } from 'vitest';
import { planTransition } from '../../shared/complaints/index.js';
import { itemKinds, itemStatuses, type ItemKind } from '../../shared/complaints/index.js';

// Written out by hand from DESIGN section 3, independently of the rules module.
const allowedForInspectors = new Set([
  'complaint pending_acceptance→accepted',
  'complaint pending_acceptance→rejected',
  'complaint pending_acceptance→transferred',
  'complaint pending_acceptance→closed',
  'complaint accepted→mediating',
  'complaint accepted→paused_for_testing',
  'complaint accepted→closed',
  'complaint mediating→paused_for_testing',
  'complaint mediating→closed',
  'complaint paused_for_testing→mediating',
  'complaint paused_for_testing→closed',
  'report pending_verification→case_filed',
  'report pending_verification→not_filed',
  'report pending_verification→transferred',
  'report pending_verification→closed',
  'report case_filed→closed',
  'sampling_followup pending_rectification→rechecking',
  'sampling_followup pending_rectification→closed',
  'sampling_followup rechecking→closed',
]);

const valid = {
  reasonCode: undefined as string | undefined,
  outcome: undefined as string | undefined,
  toDistrictCode: '410711',
  note: 'n',
};
function fill(kind: ItemKind, from: string, to: string) {
  if (to === 'rejected') return { ...valid, reasonCode: 'outside_scope' };
  if (to === 'not_filed') return { ...valid, reasonCode: 'no_violation' };
  if (to === 'closed' && kind === 'sampling_followup') return { ...valid, outcome: 'referred_for_enforcement' };
  if (to === 'closed') {
    const outcome =
      kind === 'report' && from === 'case_filed'
        ? 'referred_for_enforcement'
        : ['accepted', 'mediating'].includes(from)
          ? 'mediated_agreement'
          : 'withdrawn';
    return { ...valid, outcome };
  }
  return valid;
}

describe('the lifecycle state machine, every (kind, status, target) pair', () => {
  for (const kind of itemKinds) {
    for (const from of itemStatuses) {
      for (const to of itemStatuses) {
        const key = `${kind} ${from}→${to}`;
        const expected = allowedForInspectors.has(key);
        it(`${key}: ${expected ? 'allowed' : '409'}`, () => {
          const plan = planTransition({ kind, from, to, role: 'inspector', ...fill(kind, from, to) });
          if (expected) {
            expect(plan).toMatchObject({ ok: true });
          } else {
            expect(plan).toMatchObject({
              ok: false,
              error: kind === 'report' && from === 'pending_verification' && to === from ? 'forbidden' : 'not_allowed',
            });
          }
        });
      }
    }
  }
});

describe('rules beyond the table', () => {
  it('names the allowed targets when a move is refused', () => {
    expect(planTransition({ kind: 'complaint', from: 'pending_acceptance', to: 'mediating', role: 'inspector' })).toEqual({
      ok: false,
      error: 'not_allowed',
      allowed: ['accepted', 'rejected', 'transferred', 'closed'],
    });
    expect(planTransition({ kind: 'complaint', from: 'closed', to: 'accepted', role: 'inspector' })).toEqual({
      ok: false,
      error: 'not_allowed',
      allowed: [],
    });
  });

  it('needs a valid reason, outcome or county', () => {
    expect(planTransition({ kind: 'complaint', from: 'pending_acceptance', to: 'rejected', role: 'inspector' })).toMatchObject({
      error: 'invalid',
      field: 'reasonCode',
    });
    expect(
      planTransition({ kind: 'complaint', from: 'pending_acceptance', to: 'rejected', role: 'inspector', reasonCode: 'too_busy' }),
    ).toMatchObject({ field: 'reasonCode' });
    expect(
      planTransition({ kind: 'complaint', from: 'mediating', to: 'closed', role: 'inspector', outcome: 'referred_for_enforcement' }),
    ).toMatchObject({ field: 'outcome' });
    expect(
      planTransition({ kind: 'complaint', from: 'pending_acceptance', to: 'closed', role: 'inspector', outcome: 'mediated_agreement' }),
    ).toMatchObject({ field: 'outcome' });
    expect(
      planTransition({ kind: 'report', from: 'pending_verification', to: 'transferred', role: 'inspector', toDistrictCode: '41' }),
    ).toMatchObject({ field: 'toDistrictCode' });
  });

  it('lets the system end mediation by the lifecycle’s own rules, and nothing the rules do not have', () => {
    for (const from of ['accepted', 'mediating']) {
      expect(planTransition({ kind: 'complaint', from, to: 'closed', role: 'system', outcome: 'mediation_expired' })).toEqual({
        ok: true,
        effect: 'close',
        to: 'closed',
      });
    }
    expect(
      planTransition({ kind: 'complaint', from: 'paused_for_testing', to: 'closed', role: 'system', outcome: 'mediation_expired' }),
    ).toEqual({ ok: false, error: 'forbidden' }); // paused for testing, the clock has stopped
    expect(planTransition({ kind: 'complaint', from: 'closed', to: 'accepted', role: 'system' })).toMatchObject({ error: 'not_allowed' });
    // Nothing a member of staff decides: accepting, rejecting, filing a case, extending.
    for (const [kind, from, to, extra] of [
      ['complaint', 'pending_acceptance', 'accepted', {}],
      ['complaint', 'pending_acceptance', 'rejected', { reasonCode: 'time_barred' }],
      ['report', 'pending_verification', 'case_filed', {}],
      ['report', 'pending_verification', 'pending_verification', { reasonCode: 'extension', note: 'x' }],
      ['report', 'case_filed', 'closed', { outcome: 'unfounded' }],
    ] as const) {
      expect(planTransition({ kind, from, to, role: 'system', ...extra })).toEqual({ ok: false, error: 'forbidden' });
    }
  });

  it('lets only a regulator extend verification, once, with a reason', () => {
    const req = { kind: 'report' as const, from: 'pending_verification', to: 'pending_verification', reasonCode: 'extension' };
    expect(planTransition({ ...req, role: 'inspector', note: 'lab' })).toEqual({ ok: false, error: 'forbidden' });
    expect(planTransition({ ...req, role: 'regulator' })).toMatchObject({ error: 'invalid', field: 'note' });
    expect(planTransition({ ...req, role: 'regulator', note: '需要补充检测' })).toEqual({
      ok: true,
      effect: 'extend_verification',
      to: 'pending_verification',
    });
    expect(planTransition({ ...req, role: 'regulator', note: 'again', verifyExtended: true })).toMatchObject({
      ok: false,
      error: 'not_allowed',
    });
  });

  it('closes a sampling follow-up only with a follow-up outcome, rectified only after the re-check', () => {
    const req = { kind: 'sampling_followup' as const, to: 'closed', role: 'inspector' as const };
    expect(planTransition({ ...req, from: 'rechecking', outcome: 'rectified' })).toEqual({ ok: true, effect: 'close', to: 'closed' });
    expect(planTransition({ ...req, from: 'pending_rectification', outcome: 'rectified' })).toMatchObject({
      error: 'invalid',
      field: 'outcome',
    });
    expect(planTransition({ ...req, from: 'pending_rectification', outcome: 'merchant_closed' })).toMatchObject({ ok: true });
    expect(planTransition({ ...req, from: 'rechecking', outcome: 'mediated_agreement' })).toMatchObject({
      error: 'invalid',
      field: 'outcome',
    });
    expect(planTransition({ kind: 'sampling_followup', from: 'pending_rectification', to: 'rechecking', role: 'regulator' })).toEqual({
      ok: true,
      effect: 'start_recheck',
      to: 'rechecking',
    });
    expect(planTransition({ kind: 'sampling_followup', from: 'pending_rectification', to: 'transferred', role: 'inspector' })).toEqual({
      ok: false,
      error: 'not_allowed',
      allowed: ['rechecking', 'closed'],
    });
  });

  it('gives admins no casework', () => {
    expect(planTransition({ kind: 'complaint', from: 'pending_acceptance', to: 'accepted', role: 'admin' })).toEqual({
      ok: false,
      error: 'forbidden',
    });
  });
});
