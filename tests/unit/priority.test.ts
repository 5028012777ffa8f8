import { describe, expect, it } from 'vitest';
import { triagePriority, type PriorityFacts } from '../../shared/complaints/index.js';

const f = (facts: Partial<PriorityFacts>): PriorityFacts => ({ category: 'other', openItemsAgainstMerchant: 1, ...facts });

describe('triage priority', () => {
  it.each<[string, Partial<PriorityFacts>, number]>([
    ['fatal injury', { injury: 'fatal' }, 1],
    ['serious injury', { category: 'ebike', injury: 'serious' }, 1],
    ['minor injury to a child', { category: 'child_product', injury: 'minor', childInvolved: true, hazards: ['sharp_edge'] }, 1],
    ['fire hazard', { category: 'child_product', hazards: ['fire'] }, 1],
    ['battery ingestion hazard', { category: 'child_product', hazards: ['battery_ingestion'] }, 1],
    ['children’s hazard without injury', { category: 'child_product', hazards: ['small_parts'], injury: 'none' }, 2],
    ['e-bike without CCC mark', { category: 'ebike', hasCccMark: false, ebikeIssues: [] }, 2],
    ['e-bike reported no_ccc', { category: 'ebike', hasCccMark: true, ebikeIssues: ['no_ccc'] }, 2],
    ['scale over 5 × MPE', { category: 'scale', scaleRatio: 5.5 }, 2],
    ['scale exactly 5 × MPE', { category: 'scale', scaleRatio: 5 }, 3],
    ['scale over MPE', { category: 'scale', scaleRatio: 3.5 }, 3],
    ['scale within MPE', { category: 'scale', scaleRatio: 1 }, 4],
    ['minor injury to an adult', { injury: 'minor', childInvolved: false }, 4],
    ['e-bike with CCC, speed only', { category: 'ebike', hasCccMark: true, ebikeIssues: ['speed_over_25'] }, 4],
    ['e-bike battery caught fire, no injury', { category: 'ebike', hasCccMark: true, ebikeIssues: [], hazards: ['fire'] }, 1],
    ['e-bike brakes failed, no injury, with CCC', { category: 'ebike', hasCccMark: true, ebikeIssues: [], hazards: ['brake_failure'] }, 4],
    ['children’s product, no hazards', { category: 'child_product', hazards: [] }, 4],
    ['nothing alarming', {}, 4],
  ])('%s → P%d', (_name, facts, expected) => {
    expect(triagePriority(f(facts))).toBe(expected);
  });

  it.each<[number, Partial<PriorityFacts>, number]>([
    [2, { category: 'scale', scaleRatio: 3.5 }, 3],
    [3, { category: 'scale', scaleRatio: 3.5 }, 2],
    [5, {}, 3],
    [3, { injury: 'fatal' }, 1], // P1 cannot go higher
  ])('%d open items against the merchant', (open, facts, expected) => {
    expect(triagePriority(f({ ...facts, openItemsAgainstMerchant: open }))).toBe(expected);
  });
});
