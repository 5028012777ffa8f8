import type { Config } from '../config/index.js';
import { signedToken } from '../crypto/index.js';

/** The links of recall alerts: double opt-in confirmation and one-click unsubscription (RFC 8058). */

export const ALERT_CONFIRM_PURPOSE = 'alert-confirm';
export const ALERT_UNSUBSCRIBE_PURPOSE = 'alert-unsubscribe';

type LinkConfig = Pick<Config, 'PUBLIC_URL' | 'PORT' | 'AUTH_SECRET' | 'MAIL_FROM' | 'LIST_UNSUBSCRIBE_MAILTO'>;

/** The base of every link in an email: PUBLIC_URL (https in production), else this machine. */
export const publicBaseUrl = (config: Pick<Config, 'PUBLIC_URL' | 'PORT'>) =>
  (config.PUBLIC_URL ?? `http://localhost:${config.PORT}`).replace(/\/+$/, '');

/**
 * The confirmation link: a page whose button confirms (a GET never does, since mail scanners open links). Its token
 * is bound to the request's nonce, so a newer request voids older links.
 */
export const confirmUrl = (config: LinkConfig, subscriptionId: number, nonce: string) =>
  `${publicBaseUrl(config)}/alerts/confirm?token=${signedToken(config.AUTH_SECRET, ALERT_CONFIRM_PURPOSE, subscriptionId, nonce)}`;

/** The page of the unsubscribe link: a GET shows a button, a POST (the button, or RFC 8058 one-click) unsubscribes. */
export const UNSUBSCRIBE_PAGE_PREFIX = '/alerts/unsubscribe/';

export interface UnsubscribeLinks {
  url: string;
  mailto: string;
}

export function unsubscribeLinks(config: LinkConfig, subscriptionId: number): UnsubscribeLinks {
  const token = signedToken(config.AUTH_SECRET, ALERT_UNSUBSCRIBE_PURPOSE, subscriptionId);
  const address = config.LIST_UNSUBSCRIBE_MAILTO ?? /<([^>]+)>/.exec(config.MAIL_FROM)?.[1] ?? config.MAIL_FROM.trim();
  return {
    url: `${publicBaseUrl(config)}${UNSUBSCRIBE_PAGE_PREFIX}${token}`,
    mailto: `mailto:${address}?subject=${encodeURIComponent(`unsubscribe ${token}`)}`,
  };
}

/** RFC 2369 List-Unsubscribe with the RFC 8058 one-click marker: mailbox providers POST to the URL. */
export const listUnsubscribeHeaders = (links: UnsubscribeLinks): Record<string, string> => ({
  'List-Unsubscribe': `<${links.url}>, <${links.mailto}>`,
  'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
});
