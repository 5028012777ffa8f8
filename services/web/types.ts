import type { Language } from '../../shared/i18n/index.js';
import type { Principal } from '../../shared/staff/index.js';
import type { AppEnv } from '../http/index.js';

/** What a page request carries: the reader's language, the CSP nonce, the CSRF token and, for staff, who is signed in. */
export interface WebEnv extends AppEnv {
  Variables: AppEnv['Variables'] & {
    language: Language;
    secureHeadersNonce?: string;
    csrfToken: string;
    staff?: Principal;
  };
}
