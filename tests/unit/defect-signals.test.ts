import { describe, expect, it } from 'vitest';
import type { InjuryLevel } from '../../shared/complaints/index.js';
import {
  isHazardous,
  productKeysOf,
  shouldNotify,
  SIGNAL_WINDOW_DAYS,
  signalSubjectsOf,
  signalWindowStart,
  summarizeEvidence,
  type EvidenceRow,
} from '../../shared/recalls/index.js';

const row = (itemId: number, at: string, code: string | null, hazards: string[], injury: InjuryLevel | null): EvidenceRow => ({
  itemId,
  receivedAt: new Date(at),
  jurisdictionCode: code,
  hazards,
  injury,
});

describe('defect signal rules', () => {
  it.each<[string[], InjuryLevel | null, boolean]>([
    [['small_parts'], null, true],
    [[], 'minor', true],
    [[], 'fatal', true],
    [[], 'none', false],
    [[], null, false],
  ])('hazards %j, injury %s → counts: %s', (hazards, injury, expected) => {
    expect(isHazardous({ hazards, injury })).toBe(expected);
  });

  it('summarises the evidence: items oldest first, every hazard, the worst injury, jurisdictions, first and last dates', () => {
    const evidence = summarizeEvidence([
      row(7, '2026-11-20T10:00:00Z', '410802', ['sharp_edge', 'small_parts'], 'minor'),
      row(3, '2026-10-01T10:00:00Z', '410702', ['small_parts'], null),
      row(9, '2026-11-01T10:00:00Z', '410702', [], 'serious'),
      row(4, '2026-11-01T10:00:00Z', null, [], 'none'),
    ]);
    expect(evidence).toEqual({
      itemCount: 4,
      itemIds: [3, 4, 9, 7],
      hazards: ['sharp_edge', 'small_parts'],
      worstInjury: 'serious',
      jurisdictionCodes: ['410702', '410802'],
      firstAt: new Date('2026-10-01T10:00:00Z'),
      lastAt: new Date('2026-11-20T10:00:00Z'),
    });
    expect(summarizeEvidence([])).toBeUndefined();
    expect(summarizeEvidence([row(1, '2026-11-01T00:00:00Z', '410702', ['fire'], null)])?.worstInjury).toBeNull();
  });

  it.each([
    [3, 0, true], // opened
    [4, 3, false],
    [5, 3, true], // grew by half (4.5 rounds up)
    [7, 5, false],
    [8, 5, true],
    [12, 8, true],
    [11, 8, false],
  ])('%d items, last told at %d → tell again: %s', (count, notified, expected) => {
    expect(shouldNotify(count, notified)).toBe(expected);
  });

  it('looks 90 days back, never before the subject’s last decision', () => {
    const now = new Date('2026-11-26T00:00:00Z');
    const ninetyDaysAgo = new Date(now.getTime() - SIGNAL_WINDOW_DAYS * 86_400_000);
    expect(signalWindowStart(now, null)).toEqual(ninetyDaysAgo);
    expect(signalWindowStart(now, new Date('2026-01-01T00:00:00Z'))).toEqual(ninetyDaysAgo);
    expect(signalWindowStart(now, new Date('2026-11-01T00:00:00Z'))).toEqual(new Date('2026-11-01T00:00:00Z'));
  });

  it('raises a signal about the brand and model and about the manufacturer', () => {
    const product = { brand: '乐童', model: 'LT-100', manufacturer: '乐童玩具' };
    expect(signalSubjectsOf(productKeysOf(product), product)).toEqual([
      { kind: 'product', key: 'product:乐童|lt100', label: '乐童 LT-100' },
      { kind: 'manufacturer', key: 'manufacturer:name:乐童玩具', label: '乐童玩具' },
    ]);
    expect(signalSubjectsOf(productKeysOf({ model: 'LT-100' }), { model: 'LT-100' })).toEqual([]);
  });
});
