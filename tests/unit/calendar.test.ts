import { describe, expect, it, vi } from 'vitest';
import { addMonths, endOfShanghaiDay, shanghaiDate, WorkingCalendar } from '../../shared/calendar/index.js';

const calendar = new WorkingCalendar();

describe('working-day deadlines (first day not counted, official calendar with 调休)', () => {
  it.each([
    ['2026-11-21', 7, '2026-12-01'], // received on a Saturday
    ['2026-09-30', 7, '2026-10-15'], // National Day 10-01..10-07 off, Saturday 10-10 a make-up workday
    ['2026-10-03', 7, '2026-10-15'], // received on a holiday
    ['2026-02-13', 7, '2026-03-02'], // Spring Festival
    ['2026-09-28', 15, '2026-10-23'],
    ['2026-11-23', 7, '2026-12-02'], // an ordinary Monday
  ])('%s + %d working days → %s', (from, n, expected) => {
    expect(calendar.addWorkingDays(from, n)).toBe(expected);
  });

  it('counts the make-up Saturday as a working day and the holiday weekdays as days off', () => {
    expect(calendar.isWorkday('2026-10-10')).toBe(true);
    expect(calendar.isWorkday('2026-10-05')).toBe(false);
    expect(calendar.isWorkday('2026-10-11')).toBe(false);
  });

  it.each([
    ['2026-08-02', 60, '2026-10-08'], // day 60 is 10-01, a holiday: ends on the next working day
    ['2026-09-01', 60, '2026-11-02'], // day 60 is Saturday 10-31
    ['2026-08-12', 60, '2026-10-12'], // day 60 is 10-11 (Sunday after the make-up day)
    ['2026-09-10', 60, '2026-11-09'], // an ordinary Monday
  ])('%s + %d calendar days → %s', (from, n, expected) => {
    expect(calendar.addCalendarDays(from, n)).toBe(expected);
  });

  it('falls back to Monday–Friday for a year without official data, warning once', () => {
    const warn = vi.fn();
    const cal = new WorkingCalendar(warn);
    expect(cal.addWorkingDays('2030-09-30', 7)).toBe('2030-10-09'); // no National Day data for 2030
    expect(cal.addWorkingDays('2030-01-01', 3)).toBe('2030-01-04');
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith(2030);
  });
});

describe('Asia/Shanghai day boundaries', () => {
  it.each([
    ['2026-11-21T15:59:59.999Z', '2026-11-21'],
    ['2026-11-21T16:00:00.000Z', '2026-11-22'],
    ['2026-12-31T20:00:00.000Z', '2027-01-01'],
  ])('%s is %s in Shanghai', (instant, day) => {
    expect(shanghaiDate(new Date(instant))).toBe(day);
  });

  it('a deadline day ends at midnight Shanghai time', () => {
    expect(endOfShanghaiDay('2026-12-01').toISOString()).toBe('2026-12-01T15:59:59.999Z');
  });
});

describe('months later (recall progress reports)', () => {
  it.each([
    ['2026-11-26', 3, '2027-02-26'],
    ['2026-11-30', 3, '2027-02-28'], // clamped to the month's end
    ['2027-11-30', 3, '2028-02-29'], // leap year
    ['2026-01-31', 1, '2026-02-28'],
    ['2026-12-15', 1, '2027-01-15'],
    ['2026-03-31', -1, '2026-02-28'],
    ['2026-05-10', 12, '2027-05-10'],
  ])('%s + %d months → %s', (from, n, expected) => {
    expect(addMonths(from, n)).toBe(expected);
  });
});
