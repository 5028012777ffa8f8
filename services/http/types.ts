import type { Logger } from '../../shared/logger.js';
import type { Language } from '../../shared/i18n.js';
import type { Principal } from '../staff/auth.js';

export interface AppEnv {
  Variables: {
    requestId: string;
    logger: Logger;
    language: Language;
    staff?: Principal;
  };
}
