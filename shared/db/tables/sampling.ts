import type { ColumnType, Generated } from 'kysely';
import type { ItemCategory } from '../../complaints/vocabulary.js';
import type { Language } from '../../i18n/vocabulary.js';
import type {
  CampaignPhase,
  DeliveryMethod,
  FinalBasis,
  NominationStatus,
  NoticeMethod,
  ObjectionParty,
  ResultStage,
  SamplingEventAction,
  TaskStatus,
  TestVerdict,
} from '../../sampling/vocabulary.js';
import type { CreatedAt, Json, JsonOnce, NullableJson, Timestamp } from './columns.js';

/** 你点我检: campaigns, nominations, verified voters and their votes, tasks with their draw and results, conflicts, audit. */

export interface SamplingCampaignTable {
  id: Generated<number>;
  title: string;
  description: string;
  jurisdiction_code: string;
  categories: ColumnType<ItemCategory[], ItemCategory[], ItemCategory[]>;
  nomination_opens_at: Date;
  nomination_closes_at: Date;
  voting_opens_at: Date;
  voting_closes_at: Date;
  quota: number;
  votes_per_voter: number;
  phase: Generated<CampaignPhase>;
  /** The draw seed sealed with the server key, from the moment voting opens. */
  seed_sealed: string | null;
  /** The seed in the clear, once selection has revealed it. */
  seed: string | null;
  seed_commitment: string | null;
  committed_at: Date | null;
  revealed_at: Date | null;
  selection_problem: NullableJson<Record<string, unknown>>;
  published_at: Date | null;
  created_by: number;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface SamplingNominationTable {
  id: Generated<number>;
  campaign_id: number;
  category: ItemCategory;
  product_name: string;
  brand: string | null;
  model: string | null;
  product_key: string;
  merchant_name: string;
  merchant_address: string | null;
  merchant_uscc: string | null;
  merchant_district_code: string;
  merchant_key: string;
  reason: string;
  nominator_email: string | null;
  nominator_email_hash: string | null;
  notify_results: Generated<boolean>;
  language: Generated<Language>;
  status: Generated<NominationStatus>;
  /** Distinct voters, merged duplicates included (see the migration). */
  vote_count: Generated<number>;
  moderation_reason: string | null;
  merged_into_id: number | null;
  moderated_by: number | null;
  moderated_at: Date | null;
  repeat_of_task_id: number | null;
  created_at: CreatedAt;
}

export interface SamplingVoterTable {
  id: Generated<number>;
  campaign_id: number;
  email_hash: string;
  email: string | null;
  notify_results: Generated<boolean>;
  language: Generated<Language>;
  code_hash: string | null;
  code_expires_at: Date | null;
  code_attempts: Generated<number>;
  verified_at: Date | null;
  created_at: CreatedAt;
}

export interface SamplingVoteTable {
  voter_id: number;
  nomination_id: number;
  campaign_id: number;
  created_at: CreatedAt;
}

/** The draw of one task as made, for audit and for recomputation. */
export interface StoredDraw {
  roster: Array<{ pseudonym: string; staffId: number }>;
  excluded: string[];
  drawn: string[];
}

export interface SamplingTaskTable {
  id: Generated<number>;
  campaign_id: number;
  nomination_id: number;
  rank: number;
  votes: number;
  merchant_id: number;
  district_code: string;
  category: ItemCategory;
  product_key: string;
  status: Generated<TaskStatus>;
  draw: Json<StoredDraw>;
  sample_no: string | null;
  quantity: number | null;
  reserve_quantity: number | null;
  seal_no: string | null;
  lab_name: string | null;
  price_paid_fen: number | null;
  collected_at: Date | null;
  collected_by: number | null;
  merchant_email: string | null;
  manufacturer: NullableJson<{ name: string; email: string | null }>;
  notice_method: NoticeMethod | null;
  notified_at: Date | null;
  delivery_method: DeliveryMethod | null;
  delivered_on: string | null;
  objection_window_ends_on: string | null;
  objection_received_on: string | null;
  objection_by: ObjectionParty | null;
  objection_grounds: string | null;
  /** The names of the first report's test items the objection disputes (null: recorded before they were named). */
  objection_items: string[] | null;
  waiver_received_on: string | null;
  verdict: TestVerdict | null;
  final_basis: FinalBasis | null;
  finalised_at: Date | null;
  follow_up_item_id: number | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface SamplingTaskInspectorTable {
  task_id: number;
  staff_id: number;
  pseudonym: string;
  position: number;
}

export interface StoredTestItem {
  name: string;
  standardClause: string;
  limit: string;
  measured: string;
  unit: string;
  verdict: TestVerdict;
}

export interface SamplingResultTable {
  id: Generated<number>;
  task_id: number;
  stage: ResultStage;
  report_no: string;
  lab_name: string | null;
  items: Json<StoredTestItem[]>;
  verdict: TestVerdict;
  fee_paid_fen: number | null;
  recorded_by: number;
  recorded_at: CreatedAt;
}

export interface SamplingConflictTable {
  id: Generated<number>;
  staff_id: number;
  merchant_key: string;
  merchant_name: string;
  merchant_district_code: string | null;
  reason: string;
  declared_by: number;
  declared_at: CreatedAt;
  withdrawn_by: number | null;
  withdrawn_at: Date | null;
}

export interface SamplingUnsubscribeTable {
  email_hash: string;
  at: CreatedAt;
}

export interface SamplingEventTable {
  id: Generated<number>;
  campaign_id: number;
  task_id: number | null;
  nomination_id: number | null;
  at: CreatedAt;
  actor_id: number | null;
  action: SamplingEventAction;
  data: JsonOnce<Record<string, unknown>>;
}
