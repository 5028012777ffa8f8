import { addDays, type IsoDate } from '../calendar/index.js';
import type { DeliveryMethod } from './vocabulary.js';

/**
 * The time limits of product quality supervision sampling, as Asia/Shanghai days. Periods of days follow the legal
 * counting used everywhere in the product: the day of the event is not counted, the period starts the next day, and
 * a period whose last day is a day off (weekend or statutory holiday) ends on the next working day.
 */
export const samplingTimeLimits = {
  /** The merchant may object within 15 days of receiving the result. */
  objectionDays: 15,
  /** A result that cannot be delivered is posted publicly and counts as delivered 30 days later. */
  publicNoticeDays: 30,
  /** After a final failure the bureau orders rectification within 60 days and re-checks within 75 days of the order. */
  rectifyDays: 60,
  recheckDays: 75,
  /** One bureau does not sample the same product of the same merchant twice within 6 months. */
  repeatSamplingMonths: 6,
} as const;

/** What the period rules need from the working-day calendar. */
export interface PeriodCalendar {
  addCalendarDays(from: IsoDate, n: number): IsoDate;
}

/** The day a result counts as received: the day of delivery, or 30 days after a public posting. */
export function deliveredOn(method: DeliveryMethod, on: IsoDate): IsoDate {
  return method === 'public_notice' ? addDays(on, samplingTimeLimits.publicNoticeDays) : on;
}

/**
 * The last day an objection is accepted: day 15 counted from the day after delivery (delivered on 2026-11-02, a
 * Monday → 2026-11-17; an objection received that day is in time, one received on 2026-11-18 is not), moved to the
 * next working day when day 15 is a day off.
 */
export function objectionWindowEnd(calendar: PeriodCalendar, delivered: IsoDate): IsoDate {
  return calendar.addCalendarDays(delivered, samplingTimeLimits.objectionDays);
}

/** An objection is in time until the window's last day; one made before the (deemed) delivery is in time too. */
export function objectionInTime(calendar: PeriodCalendar, delivered: IsoDate, receivedOn: IsoDate): boolean {
  return receivedOn <= objectionWindowEnd(calendar, delivered);
}

/** A notified result becomes final the day after its window's last day (so an objection posted on day 15 can still be recorded that day). */
export const windowHasPassed = (windowEnd: IsoDate, today: IsoDate) => today > windowEnd;

/** The follow-up of a final failure, counted from the day the rectification is ordered. */
export function followUpDeadlines(calendar: PeriodCalendar, orderDay: IsoDate): { rectifyBy: IsoDate; recheckBy: IsoDate } {
  return {
    rectifyBy: calendar.addCalendarDays(orderDay, samplingTimeLimits.rectifyDays),
    recheckBy: calendar.addCalendarDays(orderDay, samplingTimeLimits.recheckDays),
  };
}

/** The same day n months later; a day the later month lacks becomes its last day (08-31 + 6 months → 02-28). */
export function addMonths(day: IsoDate, n: number): IsoDate {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const monthIndex = y * 12 + (m - 1) + n;
  const year = Math.floor(monthIndex / 12);
  const month = (monthIndex % 12) + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d, lastDay)).padStart(2, '0')}`;
}

/** The first day the same product of the same merchant may be sampled again by the same bureau. */
export const repeatSamplingAllowedFrom = (sampledOn: IsoDate) => addMonths(sampledOn, samplingTimeLimits.repeatSamplingMonths);

/** Whether a nomination on `today` repeats a sampling done on `sampledOn` within 6 months (flagged to the moderator). */
export const isRepeatSampling = (sampledOn: IsoDate, today: IsoDate) => today < repeatSamplingAllowedFrom(sampledOn);
