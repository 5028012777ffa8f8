import { describe, expect, it } from 'vitest';
import { WorkingCalendar } from '../../shared/calendar/index.js';
import {
  addMonths,
  deliveredOn,
  emailHash,
  followUpDeadlines,
  isRepeatSampling,
  objectionInTime,
  objectionWindowEnd,
  overallVerdict,
  productKey,
  readUnsubscribeToken,
  readVoterToken,
  repeatSamplingAllowedFrom,
  defaultDisputedItems,
  finalItems,
  retestRefundDue,
  selectTopNominations,
  signVoterToken,
  unsubscribeToken,
  voterCodeHash,
  voterCodeMatches,
  windowHasPassed,
  newVoterCode,
} from '../../shared/sampling/index.js';

const calendar = new WorkingCalendar();

describe('the objection window: 15 days from receipt, Asia/Shanghai days', () => {
  it.each([
    // delivered, last day (day 15 from the next day; a day off moves it to the next working day)
    ['2026-11-02', '2026-11-17'], // Monday → Tuesday two weeks later
    ['2026-11-06', '2026-11-23'], // day 15 is Saturday 11-21 → Monday
    ['2026-09-16', '2026-10-08'], // day 15 is 10-01, National Day (10-01..10-07) → 10-08
    ['2026-02-01', '2026-02-24'], // day 15 is 02-16, Spring Festival → 02-24
    ['2026-09-15', '2026-09-30'],
  ])('delivered %s → objections until %s', (delivered, last) => expect(objectionWindowEnd(calendar, delivered)).toBe(last));

  it.each([
    ['2026-11-02', '2026-11-02', true], // the day of delivery
    ['2026-11-02', '2026-11-17', true], // day 15 accepted
    ['2026-11-02', '2026-11-18', false], // day 16 refused
    ['2026-11-06', '2026-11-21', true], // day 15 is a Saturday
    ['2026-11-06', '2026-11-23', true], // … so the next working day still counts
    ['2026-11-06', '2026-11-24', false],
    ['2026-09-16', '2026-10-08', true],
    ['2026-09-16', '2026-10-09', false],
    ['2026-12-02', '2026-11-20', true], // during a public posting, before it counts as delivered
  ])('delivered %s, objection received %s: in time %s', (delivered, received, ok) =>
    expect(objectionInTime(calendar, delivered, received)).toBe(ok),
  );

  it.each([
    ['2026-11-17', '2026-11-17', false], // the last day itself: an objection can still arrive
    ['2026-11-17', '2026-11-18', true],
  ])('window ending %s has passed on %s: %s', (end, today, passed) => expect(windowHasPassed(end, today)).toBe(passed));

  it.each([
    ['email', '2026-11-02', '2026-11-02'],
    ['in_person', '2026-11-02', '2026-11-02'],
    ['post', '2026-11-02', '2026-11-02'],
    ['public_notice', '2026-11-02', '2026-12-02'], // a posted result counts as delivered 30 days later
  ] as const)('delivery by %s on %s counts from %s', (method, on, day) => expect(deliveredOn(method, on)).toBe(day));
});

describe('follow-up deadlines: rectify within 60 days, re-check within 75 days of the order', () => {
  it.each([
    ['2026-09-15', '2026-11-16', '2026-11-30'], // 11-14 is a Saturday, 11-29 a Sunday
    ['2026-01-20', '2026-03-23', '2026-04-07'], // 03-21 Saturday; 04-05 Sunday, 04-06 Qingming holiday
    ['2026-06-01', '2026-07-31', '2026-08-17'], // 07-31 Friday; 08-15 Saturday
  ])('ordered %s → rectify by %s, re-check by %s', (order, rectifyBy, recheckBy) =>
    expect(followUpDeadlines(calendar, order)).toEqual({ rectifyBy, recheckBy }),
  );
});

describe('the 6-month repeat-sampling rule', () => {
  it.each([
    ['2026-03-15', 6, '2026-09-15'],
    ['2026-08-31', 6, '2027-02-28'],
    ['2028-08-31', 6, '2029-02-28'],
    ['2027-08-31', 6, '2028-02-29'], // leap year
    ['2026-12-15', 1, '2027-01-15'],
    ['2026-01-31', -1, '2025-12-31'],
  ])('%s + %i months = %s', (day, n, expected) => expect(addMonths(day, n)).toBe(expected));

  it.each([
    ['2026-03-15', '2026-03-15', true],
    ['2026-03-15', '2026-09-14', true],
    ['2026-03-15', '2026-09-15', false],
    ['2026-08-31', '2027-02-27', true],
    ['2026-08-31', '2027-02-28', false],
  ])('sampled %s, nominated %s: flagged %s', (sampled, today, flagged) => {
    expect(isRepeatSampling(sampled, today)).toBe(flagged);
    expect(repeatSamplingAllowedFrom(sampled) <= today).toBe(!flagged);
  });

  it('knows a product by brand, name and model, whatever the spacing, width and case', () => {
    expect(productKey({ brand: '乐童', productName: '益智 积木', model: 'LT-100' })).toBe(
      productKey({ brand: '乐童', productName: '益智积木', model: 'ＬＴ１００' }),
    );
    expect(productKey({ productName: '积木', model: 'A1' })).not.toBe(productKey({ productName: '积木', model: 'A2' }));
    expect(productKey({ brand: 'A', productName: 'B' })).not.toBe(productKey({ productName: 'AB' }));
  });
});

describe('verdicts', () => {
  it.each([
    [['pass'], 'pass'],
    [['pass', 'pass', 'pass'], 'pass'],
    [['fail'], 'fail'],
    [['pass', 'fail', 'pass'], 'fail'],
    [['fail', 'fail'], 'fail'],
  ] as const)('items %j → %s (any fail fails the sample)', (items, verdict) =>
    expect(overallVerdict(items.map((v) => ({ verdict: v })))).toBe(verdict),
  );

  it('needs at least one item', () => expect(() => overallVerdict([])).toThrow(RangeError));

  it.each([
    ['fail', 'pass', true],
    ['pass', 'fail', true],
    ['fail', 'fail', false],
    ['pass', 'pass', false],
  ] as const)('first %s, re-test %s: the bureau refunds the fee %s', (first, retest, refund) =>
    expect(retestRefundDue([{ name: 'A', verdict: first }], [{ name: 'A', verdict: retest }])).toBe(refund),
  );

  // A failed A and B; the objection disputes the items named, the re-test reports those.
  const first = [
    { name: 'A', verdict: 'fail' },
    { name: 'B', verdict: 'fail' },
    { name: 'C', verdict: 'pass' },
  ] as const;
  it.each([
    ['A re-tested pass: B still fails the sample', [['A', 'pass']], 'fail', true],
    [
      'A and B re-tested pass',
      [
        ['A', 'pass'],
        ['B', 'pass'],
      ],
      'pass',
      true,
    ],
    ['A re-tested fail: no refund', [['A', 'fail']], 'fail', false],
    [
      'A pass, B fail: differs on A, so the fee is refunded',
      [
        ['A', 'pass'],
        ['B', 'fail'],
      ],
      'fail',
      true,
    ],
    ['C (passed) disputed and re-tested fail', [['C', 'fail']], 'fail', true],
  ] as const)('%s', (_, retested, verdict, refund) => {
    const retest = retested.map(([name, v]) => ({ name, verdict: v }));
    const final = finalItems(first, retest);
    expect(final.map((i) => i.name)).toEqual(['A', 'B', 'C']); // the first report's order, every item once
    expect(overallVerdict(final)).toBe(verdict);
    expect(retestRefundDue(first, retest)).toBe(refund);
  });

  it('an objection naming no items disputes every failed one, or every item when none failed', () => {
    expect(defaultDisputedItems(first)).toEqual(['A', 'B']);
    expect(
      defaultDisputedItems([
        { name: 'A', verdict: 'pass' },
        { name: 'B', verdict: 'pass' },
      ]),
    ).toEqual(['A', 'B']);
    expect(finalItems(first, undefined)).toEqual(first);
  });
});

describe('selection: the top N by votes, ties to the earlier nomination', () => {
  const n = (id: number, votes: number, at: string) => ({ id, votes, createdAt: new Date(at) });
  it.each([
    { name: 'by votes', list: [n(1, 5, '2026-11-01'), n(2, 9, '2026-11-02'), n(3, 7, '2026-11-03')], quota: 2, ids: [2, 3] },
    {
      name: 'a tie goes to the earlier',
      list: [n(1, 5, '2026-11-03'), n(2, 5, '2026-11-01'), n(3, 5, '2026-11-02')],
      quota: 2,
      ids: [2, 3],
    },
    { name: 'same instant: the lower id', list: [n(9, 4, '2026-11-01'), n(4, 4, '2026-11-01')], quota: 1, ids: [4] },
    { name: 'fewer than the quota', list: [n(1, 0, '2026-11-01')], quota: 5, ids: [1] },
    { name: 'no votes at all', list: [n(3, 0, '2026-11-03'), n(1, 0, '2026-11-01'), n(2, 0, '2026-11-02')], quota: 2, ids: [1, 2] },
    { name: 'nothing', list: [], quota: 3, ids: [] },
  ])('$name', ({ list, quota, ids }) => expect(selectTopNominations(list, quota).map((x) => x.id)).toEqual(ids));
});

describe('voters', () => {
  const secret = 'test-secret-0123456789abcdefghijklmnopqrstuvwxyz';
  const now = new Date('2026-11-12T10:00:00Z');
  const token = signVoterToken(secret, { voterId: 17, campaignId: 3, expiresAt: new Date('2026-11-13T10:00:00Z') });

  it('reads back its own token', () =>
    expect(readVoterToken(secret, token, now)).toEqual({
      ok: true,
      claims: { voterId: 17, campaignId: 3, expiresAt: new Date('2026-11-13T10:00:00Z') },
    }));

  it.each([
    ['expired', token, new Date('2026-11-13T10:00:00Z'), 'expired'],
    [
      'signed with another secret',
      signVoterToken('another-secret', { voterId: 17, campaignId: 3, expiresAt: new Date('2026-11-13T10:00:00Z') }),
      now,
      'forged',
    ],
    ['another voter id', token.replace('v1.17.', 'v1.18.'), now, 'forged'],
    ['another campaign', token.replace('.3.', '.4.'), now, 'forged'],
    ['a later expiry', token.replace(/\.(\d+)\.([^.]+)$/, (_, e: string, mac: string) => `.${Number(e) + 3600}.${mac}`), now, 'forged'],
    ['garbage', 'not-a-token', now, 'malformed'],
    ['empty', '', now, 'malformed'],
  ])('refuses a token %s', (_name, t, at, reason) => expect(readVoterToken(secret, t, at)).toEqual({ ok: false, reason }));

  it('hashes addresses the same whatever their case and spacing, and differently per secret', () => {
    expect(emailHash(secret, ' Voter@Example.COM ')).toBe(emailHash(secret, 'voter@example.com'));
    expect(emailHash(secret, 'voter@example.com')).not.toBe(emailHash('another-secret', 'voter@example.com'));
    expect(emailHash(secret, 'voter@example.com')).not.toContain('voter');
  });

  it('binds a code to its voter', () => {
    const code = newVoterCode();
    expect(code).toMatch(/^\d{6}$/);
    const stored = voterCodeHash(secret, 5, code);
    expect(voterCodeMatches(secret, 5, code, stored)).toBe(true);
    expect(voterCodeMatches(secret, 6, code, stored)).toBe(false);
    expect(voterCodeMatches(secret, 5, code === '000000' ? '000001' : '000000', stored)).toBe(false);
  });

  it('makes unsubscribe tokens that cannot be forged for another address', () => {
    const hash = emailHash(secret, 'voter@example.com');
    const t = unsubscribeToken(secret, hash);
    expect(readUnsubscribeToken(secret, t)).toBe(hash);
    const other = emailHash(secret, 'other@example.com');
    expect(readUnsubscribeToken(secret, `${other}.${t.split('.')[1]}`)).toBeUndefined();
    expect(readUnsubscribeToken('another-secret', t)).toBeUndefined();
    expect(readUnsubscribeToken(secret, 'x')).toBeUndefined();
  });
});
