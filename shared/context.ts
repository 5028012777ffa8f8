import type { Config } from './config.js';
import type { Db } from './db/connection.js';
import type { Logger } from './logger.js';

/** What a domain function needs from its surroundings; passed in, never imported as a global. */
export interface ServiceContext {
  db: Db;
  config: Config;
  logger: Logger;
}
