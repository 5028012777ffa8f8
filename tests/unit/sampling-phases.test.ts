import { describe, expect, it } from 'vitest';
import {
  campaignPhases,
  dueClockSteps,
  nominationsOpen,
  phaseActors,
  phaseByClock,
  planPhaseChange,
  votingOpen,
  windowProblems,
} from '../../shared/sampling/index.js';

// Written out by hand from the issue: forward only, one step at a time; the selection job alone moves selecting → sampling.
const allowed = new Set([
  'staff draft→nominating',
  'staff nominating→voting',
  'staff voting→selecting',
  'staff sampling→published',
  'staff published→closed',
  'clock draft→nominating',
  'clock nominating→voting',
  'clock voting→selecting',
  'selection selecting→sampling',
]);

describe('the campaign phase machine, every (actor, from, to)', () => {
  for (const actor of phaseActors) {
    for (const from of campaignPhases) {
      for (const to of campaignPhases) {
        const key = `${actor} ${from}→${to}`;
        it(`${key}: ${allowed.has(key) ? 'allowed' : 'refused'}`, () => {
          const plan = planPhaseChange(from, to, actor);
          if (allowed.has(key)) expect(plan).toEqual({ ok: true, to });
          else expect(plan.ok).toBe(false);
        });
      }
    }
  }

  it('names the one step allowed when a move is refused', () => {
    expect(planPhaseChange('voting', 'published', 'staff')).toEqual({ ok: false, allowed: ['selecting'] });
    expect(planPhaseChange('selecting', 'sampling', 'staff')).toEqual({ ok: false, allowed: [] });
    expect(planPhaseChange('closed', 'draft', 'staff')).toEqual({ ok: false, allowed: [] });
  });
});

const w = {
  nominationOpensAt: new Date('2026-11-01T00:00:00+08:00'),
  nominationClosesAt: new Date('2026-11-10T00:00:00+08:00'),
  votingOpensAt: new Date('2026-11-11T00:00:00+08:00'),
  votingClosesAt: new Date('2026-11-20T00:00:00+08:00'),
};
const at = (s: string) => new Date(s);

describe('the clock', () => {
  it.each([
    ['2026-10-31T23:59:59+08:00', 'draft'],
    ['2026-11-01T00:00:00+08:00', 'nominating'],
    ['2026-11-10T12:00:00+08:00', 'nominating'], // between the windows: nominations closed, voting not open yet
    ['2026-11-11T00:00:00+08:00', 'voting'],
    ['2026-11-19T23:59:59.999+08:00', 'voting'],
    ['2026-11-20T00:00:00+08:00', 'selecting'],
    ['2027-06-01T00:00:00+08:00', 'selecting'],
  ])('at %s the windows say %s', (now, phase) => expect(phaseByClock(w, at(now))).toBe(phase));

  it.each([
    ['draft', '2026-10-31T00:00:00+08:00', []],
    ['draft', '2026-11-02T00:00:00+08:00', ['nominating']],
    ['draft', '2026-11-21T00:00:00+08:00', ['nominating', 'voting', 'selecting']],
    ['nominating', '2026-11-12T00:00:00+08:00', ['voting']],
    ['voting', '2026-11-12T00:00:00+08:00', []],
    ['voting', '2026-11-20T00:00:00+08:00', ['selecting']],
    ['selecting', '2026-12-01T00:00:00+08:00', []],
    ['sampling', '2026-12-01T00:00:00+08:00', []],
    // A campaign moved early by hand is never moved back.
    ['voting', '2026-11-05T00:00:00+08:00', []],
    ['published', '2026-11-05T00:00:00+08:00', []],
  ] as const)('from %s at %s takes the steps %j', (from, now, steps) => expect(dueClockSteps(from, w, at(now))).toEqual(steps));
});

describe('the windows', () => {
  it.each([
    ['nominating', '2026-11-09T23:59:59+08:00', true],
    ['nominating', '2026-11-10T00:00:00+08:00', false],
    ['draft', '2026-11-05T00:00:00+08:00', false],
    ['voting', '2026-11-05T00:00:00+08:00', false],
  ] as const)('nominations in %s at %s: %s', (phase, now, open) =>
    expect(nominationsOpen({ phase, nominationClosesAt: w.nominationClosesAt }, at(now))).toBe(open),
  );

  it.each([
    ['voting', '2026-11-19T23:59:59+08:00', true],
    ['voting', '2026-11-20T00:00:00+08:00', false], // the clock may not have run yet: the close time still holds
    ['nominating', '2026-11-12T00:00:00+08:00', false],
    ['selecting', '2026-11-19T00:00:00+08:00', false],
  ] as const)('votes in %s at %s: %s', (phase, now, open) =>
    expect(votingOpen({ phase, votingClosesAt: w.votingClosesAt }, at(now))).toBe(open),
  );

  it.each([
    [{}, []],
    [{ nominationClosesAt: w.nominationOpensAt }, ['nominationClosesAt']],
    [{ votingOpensAt: new Date('2026-11-09T00:00:00+08:00') }, ['votingOpensAt']],
    [{ votingOpensAt: w.nominationClosesAt }, []],
    [{ votingClosesAt: w.votingOpensAt }, ['votingClosesAt']],
  ])('must follow each other: %j', (change, fields) => expect(windowProblems({ ...w, ...change }).map((p) => p.field)).toEqual(fields));
});
