import type { Logger } from '../../shared/logger.js';
import type { Language } from '../../shared/i18n.js';

export interface AppEnv {
  Variables: {
    requestId: string;
    logger: Logger;
    language: Language;
  };
}
