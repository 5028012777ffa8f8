/** Legal time limits on the official Chinese working-day calendar, with Asia/Shanghai day boundaries. */
export { addDays, addMonths, endOfShanghaiDay, shanghaiDate, timeLimits, WorkingCalendar, type IsoDate } from './working-calendar.js';
