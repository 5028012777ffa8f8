import type { ColumnType, Generated } from 'kysely';
import type { InjuryLevel, ItemCategory } from '../../complaints/vocabulary.js';
import type { Language } from '../../i18n/vocabulary.js';
import type {
  FanOutPhase,
  NoticeStatus,
  RecallEventAction,
  RecallReport,
  RecallStatus,
  RecallType,
  RecipientKind,
  Remedy,
  SignalStatus,
  SignalSubject,
  SubscriptionStatus,
} from '../../recalls/vocabulary.js';
import type { CreatedAt, JsonOnce, Timestamp } from './columns.js';

/** Defect signals, recalls, their notices and fan-out state, and recall alert subscriptions. */

type TextArray = ColumnType<string[], string[] | undefined, string[]>;

export interface ItemProductTable {
  item_id: number;
  received_at: Date;
  jurisdiction_code: string | null;
  brand_key: string | null;
  model_key: string | null;
  batch_key: string | null;
  product_key: string | null;
  manufacturer_key: string | null;
  manufacturer_uscc: string | null;
  manufacturer_name_key: string | null;
  hazardous: boolean;
  hazards: TextArray;
  injury: InjuryLevel | null;
}

export interface DefectSignalTable {
  id: Generated<number>;
  subject_kind: SignalSubject;
  subject_key: string;
  subject_label: string;
  status: Generated<SignalStatus>;
  window_start: Date;
  item_count: number;
  /** bigint[]: pg returns the elements as strings. */
  item_ids: ColumnType<string[], number[], number[]>;
  hazards: TextArray;
  worst_injury: InjuryLevel | null;
  jurisdiction_codes: TextArray;
  first_at: Date;
  last_at: Date;
  notified_count: Generated<number>;
  opened_at: CreatedAt;
  updated_at: Timestamp;
  closed_at: Date | null;
}

export interface SignalEventTable {
  id: Generated<number>;
  signal_id: number;
  at: CreatedAt;
  actor_id: number | null;
  from_status: SignalStatus | null;
  to_status: SignalStatus;
  reason: string | null;
  data: JsonOnce<Record<string, unknown>>;
}

export interface RecallSequenceTable {
  year: number;
  last_no: number;
}

export interface RecallTable {
  id: Generated<number>;
  recall_no: string;
  type: RecallType;
  status: Generated<RecallStatus>;
  title: string;
  category: ItemCategory;
  manufacturer_name: string;
  manufacturer_uscc: string | null;
  manufacturer_name_key: string;
  brand: string;
  brand_key: string;
  product_name: string;
  models: string[];
  model_keys: string[];
  batches: TextArray;
  batch_keys: TextArray;
  production_from: string | null;
  production_to: string | null;
  units_affected: number;
  units_remedied: Generated<number>;
  sales_channels: TextArray;
  hazard: string;
  injuries_reported: string | null;
  remedy: Remedy;
  remedy_instructions: string;
  consumer_contact: string;
  starts_on: string;
  signal_id: number | null;
  jurisdiction_code: string;
  created_by: number | null;
  search_vector: ColumnType<string, unknown, unknown>;
  next_report_due: string | null;
  summary_due: string | null;
  published_at: Date | null;
  completed_at: Date | null;
  closed_at: Date | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface RecallEventTable {
  id: Generated<number>;
  recall_id: number;
  at: CreatedAt;
  actor_id: number | null;
  action: RecallEventAction;
  data: JsonOnce<Record<string, unknown>>;
}

export interface RecallProgressReportTable {
  id: Generated<number>;
  recall_id: number;
  as_of: string;
  units_remedied: number;
  note: string | null;
  reported_by: number | null;
  created_at: CreatedAt;
}

export interface RecallAlertTable {
  id: Generated<number>;
  recall_id: number;
  report: RecallReport;
  due_on: string;
  created_at: CreatedAt;
}

export interface AlertSubscriptionTable {
  id: Generated<number>;
  email: string;
  language: Generated<Language>;
  categories: ColumnType<ItemCategory[], ItemCategory[] | undefined, ItemCategory[]>;
  brands: TextArray;
  brand_keys: TextArray;
  models: TextArray;
  model_keys: TextArray;
  status: Generated<SubscriptionStatus>;
  nonce: string;
  requested_at: Timestamp;
  confirmed_at: Date | null;
  unsubscribed_at: Date | null;
  created_at: CreatedAt;
}

export interface RecallNoticeTable {
  id: Generated<number>;
  recall_id: number;
  recipient: string;
  kind: RecipientKind;
  language: Language;
  item_id: number | null;
  merchant_id: number | null;
  subscription_id: number | null;
  status: Generated<NoticeStatus>;
  attempts: Generated<number>;
  last_error: string | null;
  message_id: string | null;
  created_at: CreatedAt;
  sent_at: Date | null;
  /** The bulk-mail job that sends it: (recall_id, send_group); null for notices never sent by the fan-out. */
  send_group: number | null;
}

export interface RecallFanoutTable {
  recall_id: number;
  phase: Generated<FanOutPhase>;
  model_index: Generated<number>;
  cursor_id: Generated<number>;
  dispatched_through: Generated<number>;
  batches: Generated<number>;
  started_at: CreatedAt;
  finished_at: Date | null;
}
