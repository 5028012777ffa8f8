import type { Generated } from 'kysely';
import type { Language } from '../../i18n/vocabulary.js';
import type { NotificationStatus } from '../../mail/vocabulary.js';
import type { CreatedAt, Json } from './columns.js';

/** The outbox, the email rows and the dead letters: how side effects leave a transaction. */

export interface OutboxTable {
  id: Generated<number>;
  queue: string;
  payload: Json<Record<string, unknown>>;
  created_at: CreatedAt;
  relayed_at: Date | null;
  attempts: Generated<number>;
  last_error: string | null;
}

export interface NotificationTable {
  id: Generated<number>;
  dedupe_key: string;
  item_id: number | null;
  recipient: string;
  template: string;
  language: Language;
  params: Json<Record<string, unknown>>;
  status: Generated<NotificationStatus>;
  attempts: Generated<number>;
  last_error: string | null;
  message_id: string | null;
  created_at: CreatedAt;
  sent_at: Date | null;
}

export interface DeadLetterTable {
  id: Generated<number>;
  queue: string;
  job_id: string | null;
  payload: Json<Record<string, unknown>>;
  error: string;
  attempts: number;
  failed_at: CreatedAt;
}

export interface RateLimitTable {
  key: string;
  hits: number;
  reset_at: Date;
}
