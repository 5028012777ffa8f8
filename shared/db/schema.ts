import type { ColumnType, Generated, JSONColumnType } from 'kysely';

/** Kysely table types; one interface per table, combined into Database. */

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Json<T extends object | null> = JSONColumnType<T, string, string>;
type NullableJson<T> = ColumnType<T | null, string | null | undefined, string | null>;

export type JurisdictionLevel = 'province' | 'city' | 'county';

export interface JurisdictionTable {
  code: string;
  name: string;
  full_name: string;
  level: JurisdictionLevel;
  parent_code: string | null;
  bureau_name: string;
}

export type StaffRole = 'inspector' | 'regulator' | 'admin';

export interface StaffTable {
  id: Generated<number>;
  email: string;
  name: string;
  password_hash: string;
  role: StaffRole;
  jurisdiction_code: string;
  specialties: ColumnType<string[], string[] | undefined, string[]>;
  active: Generated<boolean>;
  failed_logins: Generated<number>;
  locked_until: Date | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface StaffSessionTable {
  jti: string;
  staff_id: number;
  created_at: CreatedAt;
  expires_at: Date;
  revoked_at: Date | null;
}

export interface CaseEventTable {
  id: Generated<number>;
  case_id: number;
  item_id: number | null;
  at: CreatedAt;
  actor_id: number | null;
  action: string;
  data: ColumnType<Record<string, unknown>, string | undefined, never>;
}

export type InspectionType = 'scale_verification' | 'ccc_check' | 'product_hazard_check';

export interface InspectionTable {
  id: Generated<number>;
  case_id: number;
  item_id: number | null;
  inspector_id: number;
  type: InspectionType;
  data: Json<Record<string, unknown>>;
  verdict: 'pass' | 'fail' | 'inconclusive';
  notes: string | null;
  created_at: CreatedAt;
}

export interface DeadlineAlertTable {
  id: Generated<number>;
  item_id: number;
  deadline: 'accept_by' | 'verify_by' | 'mediation_ends_by';
  level: 'warning' | 'overdue';
  due_at: Date;
  created_at: CreatedAt;
}

export interface MerchantTable {
  id: Generated<number>;
  /** uscc:<USCC>, else name:<normalised name>|<district code> — the identity used for repeat counts and cases. */
  merchant_key: string;
  uscc: string | null;
  name: string;
  normalized_name: string;
  district_code: string | null;
  address: string | null;
  online_shop_url: string | null;
  created_at: CreatedAt;
}

export type ItemKind = 'complaint' | 'report';
export type ItemCategory = 'scale' | 'ebike' | 'child_product' | 'other';
export type QueueName = 'metrology' | 'product_quality' | 'child_safety' | 'intake';

export interface ItemTable {
  id: Generated<number>;
  tracking_no: string;
  access_code_hash: string;
  /** The access code sealed with the server key, kept only until the "received" email has gone out. */
  access_code_sealed: string | null;
  kind: ItemKind;
  category: ItemCategory;
  title: string;
  description: string;
  occurred_on: string | null;
  merchant_id: number;
  merchant: Json<Record<string, unknown>>;
  product: NullableJson<Record<string, unknown>>;
  evidence: NullableJson<Record<string, unknown>>;
  harm: NullableJson<{ injury: 'none' | 'minor' | 'serious' | 'fatal'; childInvolved: boolean }>;
  reporter_name: string | null;
  reporter_phone: string | null;
  reporter_email: string | null;
  language: 'zh-CN' | 'en';
  screening: NullableJson<Record<string, unknown>>;
  warnings: ColumnType<FieldWarning[], string | undefined, string>;
  status: string;
  jurisdiction_code: string | null;
  queue: QueueName | null;
  priority: number | null;
  accept_by: Date | null;
  verify_by: Date | null;
  mediation_ends_by: Date | null;
  case_id: number | null;
  outcome: string | null;
  reason_code: string | null;
  accepted_at: Date | null;
  paused_at: Date | null;
  paused_days: Generated<number>;
  verify_extended: Generated<boolean>;
  decided_at: Date | null;
  received_at: Timestamp;
  routed_at: Date | null;
  updated_at: Timestamp;
}

export interface FieldWarning {
  field: string;
  code: string;
  message: string;
}

export type ActorType = 'system' | 'consumer' | 'staff';

export interface ItemEventTable {
  id: Generated<number>;
  item_id: number;
  at: CreatedAt;
  actor_type: ActorType;
  actor_id: number | null;
  from_status: string | null;
  to_status: string;
  reason_code: string | null;
  note: string | null;
  data: ColumnType<Record<string, unknown>, string | undefined, never>;
}

export interface CaseTable {
  id: Generated<number>;
  merchant_id: number;
  category: ItemCategory;
  queue: QueueName;
  jurisdiction_code: string;
  status: 'open' | 'closed';
  priority: number;
  due_at: Date | null;
  claimed_by: number | null;
  claimed_at: Date | null;
  opened_at: CreatedAt;
  closed_at: Date | null;
  escalated_at: Date | null;
}

export interface OutboxTable {
  id: Generated<number>;
  queue: string;
  payload: Json<Record<string, unknown>>;
  created_at: CreatedAt;
  relayed_at: Date | null;
  attempts: Generated<number>;
  last_error: string | null;
}

export type NotificationStatus = 'queued' | 'sent' | 'failed';

export interface NotificationTable {
  id: Generated<number>;
  dedupe_key: string;
  item_id: number | null;
  recipient: string;
  template: string;
  language: 'zh-CN' | 'en';
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

export interface IdempotencyKeyTable {
  key: string;
  request_hash: string;
  response_status: number | null;
  response_body: NullableJson<unknown>;
  created_at: CreatedAt;
}

export interface RateLimitTable {
  key: string;
  hits: number;
  reset_at: Date;
}

export interface AttachmentTable {
  id: Generated<number>;
  item_id: number;
  case_id: number | null;
  uploaded_by: 'consumer' | 'staff';
  staff_id: number | null;
  content_type: 'image/jpeg' | 'image/png';
  size_bytes: number;
  sha256: string;
  storage_key: string;
  created_at: CreatedAt;
}

export interface Database {
  attachments: AttachmentTable;
  jurisdictions: JurisdictionTable;
  staff: StaffTable;
  staff_sessions: StaffSessionTable;
  case_events: CaseEventTable;
  inspections: InspectionTable;
  deadline_alerts: DeadlineAlertTable;
  merchants: MerchantTable;
  items: ItemTable;
  item_events: ItemEventTable;
  cases: CaseTable;
  outbox: OutboxTable;
  notifications: NotificationTable;
  dead_letters: DeadLetterTable;
  idempotency_keys: IdempotencyKeyTable;
  rate_limits: RateLimitTable;
}
