import type { Language } from '../../shared/i18n/index.js';
import type { Logger } from '../../shared/logger/index.js';
import type { Principal } from '../../shared/staff/index.js';

export interface AppEnv {
  Variables: {
    requestId: string;
    logger: Logger;
    language: Language;
    staff?: Principal;
  };
}
