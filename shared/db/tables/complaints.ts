import type { ColumnType, Generated } from 'kysely';
import type { ActorType, InjuryLevel, ItemCategory, ItemKind, ItemStatus } from '../../complaints/vocabulary.js';
import type { CaseQueue } from '../../casework/vocabulary.js';
import type { Language } from '../../i18n/vocabulary.js';
import type { CreatedAt, Json, JsonOnce, NullableJson, Timestamp } from './columns.js';

export interface MerchantTable {
  id: Generated<number>;
  /** uscc:<USCC>, else name:<normalised name>|<district code>: the identity used for repeat counts and cases. */
  merchant_key: string;
  uscc: string | null;
  name: string;
  normalized_name: string;
  district_code: string | null;
  address: string | null;
  online_shop_url: string | null;
  /** Where a "stop selling" recall notice goes, when a consumer gave one. */
  email: string | null;
  created_at: CreatedAt;
}

export interface StoredFieldWarning {
  field: string;
  code: string;
  message: string;
}

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
  harm: NullableJson<{ injury: InjuryLevel; childInvolved: boolean }>;
  reporter_name: string | null;
  reporter_phone: string | null;
  reporter_email: string | null;
  language: Language;
  screening: NullableJson<Record<string, unknown>>;
  warnings: ColumnType<StoredFieldWarning[], string | undefined, string>;
  status: ItemStatus;
  jurisdiction_code: string | null;
  queue: CaseQueue | null;
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
  /** A sampling follow-up's deadlines: the merchant rectifies by, the bureau re-checks by. */
  rectify_by: Date | null;
  recheck_by: Date | null;
  /** A death or serious injury: reported to the provincial bureau by then (2 working days), and when it was. */
  provincial_report_by: Date | null;
  provincial_reported_at: Date | null;
  provincial_reported_by: number | null;
  received_at: Timestamp;
  routed_at: Date | null;
  updated_at: Timestamp;
}

export interface ItemEventTable {
  id: Generated<number>;
  item_id: number;
  at: CreatedAt;
  actor_type: ActorType;
  actor_id: number | null;
  from_status: ItemStatus | null;
  to_status: ItemStatus;
  reason_code: string | null;
  note: string | null;
  data: JsonOnce<Record<string, unknown>>;
}

export interface IdempotencyKeyTable {
  key: string;
  request_hash: string;
  response_status: number | null;
  response_body: NullableJson<unknown>;
  created_at: CreatedAt;
}
