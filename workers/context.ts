import type { ServiceContext } from '../shared/context.js';
import type { WorkingCalendar } from '../shared/domain/calendar.js';
import type { DivisionIndex } from '../shared/domain/routing.js';
import type { Mailer } from '../shared/mail/transport.js';

export interface WorkerContext extends ServiceContext {
  calendar: WorkingCalendar;
  divisions: DivisionIndex;
  mailer: Mailer;
}
