import chineseDays from 'chinese-days';

// The package is CommonJS (UMD) for Node: its functions hang off the default export.
const { getHolidaysInRange, isWorkday: libIsWorkday } = chineseDays;

/**
 * Legal time limits on the official Chinese working-day calendar (with 调休 make-up workdays), from the
 * maintained chinese-days package. Day boundaries are Asia/Shanghai (UTC+8, no daylight saving).
 * A year the package has no data for falls back to Monday–Friday, with one warning per year.
 */

export type IsoDate = string; // YYYY-MM-DD, a day in Asia/Shanghai

const SHANGHAI_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;

export function shanghaiDate(instant: Date): IsoDate {
  return new Date(instant.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** The last instant of a Shanghai day: a deadline on that day is met until then. */
export function endOfShanghaiDay(day: IsoDate): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) - SHANGHAI_OFFSET_MS + DAY_MS - 1);
}

export function addDays(day: IsoDate, n: number): IsoDate {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** The same day n months later, clamped to the month's end (01-31 + 1 month → 02-28 or 02-29). */
export function addMonths(day: IsoDate, n: number): IsoDate {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const monthIndex = y * 12 + (m - 1) + n;
  const year = Math.floor(monthIndex / 12);
  const month = monthIndex - year * 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month, Math.min(d, lastDay))).toISOString().slice(0, 10);
}

export class WorkingCalendar {
  private readonly coveredYears = new Map<number, boolean>();

  constructor(private readonly onMissingYear: (year: number) => void = () => {}) {}

  /** Whether the calendar package has the State Council's schedule for the year (every year has weekday holidays). */
  hasDataFor(year: number): boolean {
    let covered = this.coveredYears.get(year);
    if (covered === undefined) {
      covered = getHolidaysInRange(`${year}-01-01`, `${year}-12-31`, false).length > 0;
      this.coveredYears.set(year, covered);
      if (!covered) this.onMissingYear(year);
    }
    return covered;
  }

  isWorkday(day: IsoDate): boolean {
    if (this.hasDataFor(Number(day.slice(0, 4)))) return libIsWorkday(day);
    const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
    return weekday !== 0 && weekday !== 6;
  }

  /** n working days after `from`; the first day is not counted. */
  addWorkingDays(from: IsoDate, n: number): IsoDate {
    let day = from;
    for (let counted = 0; counted < n;) {
      day = addDays(day, 1);
      if (this.isWorkday(day)) counted++;
    }
    return day;
  }

  nextWorkdayOnOrAfter(day: IsoDate): IsoDate {
    let d = day;
    while (!this.isWorkday(d)) d = addDays(d, 1);
    return d;
  }

  /** n calendar days after `from`; a period whose last day is a day off ends on the next working day. */
  addCalendarDays(from: IsoDate, n: number): IsoDate {
    return this.nextWorkdayOnOrAfter(addDays(from, n));
  }
}

/** Order No. 121 time limits. */
export const timeLimits = {
  complaintAcceptWorkingDays: 7,
  reportVerifyWorkingDays: 15,
  mediationCalendarDays: 60,
  /** A death or serious injury is reported to the provincial bureau within 2 working days of learning of it. */
  provincialReportWorkingDays: 2,
} as const;
