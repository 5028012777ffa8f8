import type { AttachmentStorage } from '../attachments/index.js';
import type { WorkingCalendar } from '../calendar/index.js';
import type { Config } from '../config/index.js';
import type { Db } from '../db/index.js';
import type { Logger } from '../logger/index.js';
import type { RateLimits } from '../rate-limits/index.js';

/**
 * What every use case needs from its surroundings, built once per process and passed in as the first argument:
 * `useCase(ctx, input)`. Nothing is imported as a global.
 */
export interface ServiceContext {
  db: Db;
  config: Config;
  logger: Logger;
  calendar: WorkingCalendar;
  storage: AttachmentStorage;
  rateLimits: RateLimits;
}
