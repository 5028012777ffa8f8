import type { AttachmentTable } from './attachments.js';
import type { CaseEventTable, CaseTable, DeadlineAlertTable, InspectionTable } from './casework.js';
import type { IdempotencyKeyTable, ItemEventTable, ItemTable, MerchantTable } from './complaints.js';
import type { DeadLetterTable, NotificationTable, OutboxTable, RateLimitTable } from './delivery.js';
import type {
  AlertSubscriptionTable,
  DefectSignalTable,
  ItemProductTable,
  RecallAlertTable,
  RecallEventTable,
  RecallFanoutTable,
  RecallNoticeTable,
  RecallProgressReportTable,
  RecallSequenceTable,
  RecallTable,
  SignalEventTable,
} from './recalls.js';
import type { JurisdictionTable } from './reference.js';
import type {
  SamplingCampaignTable,
  SamplingConflictTable,
  SamplingEventTable,
  SamplingNominationTable,
  SamplingResultTable,
  SamplingTaskInspectorTable,
  SamplingTaskTable,
  SamplingUnsubscribeTable,
  SamplingVoterTable,
  SamplingVoteTable,
} from './sampling.js';
import type { StaffEventTable, StaffSessionTable, StaffTable } from './staff.js';

/** Kysely table types, one file per domain, combined here into the one Database type. */
export interface Database {
  jurisdictions: JurisdictionTable;
  staff: StaffTable;
  staff_sessions: StaffSessionTable;
  staff_events: StaffEventTable;
  merchants: MerchantTable;
  items: ItemTable;
  item_events: ItemEventTable;
  idempotency_keys: IdempotencyKeyTable;
  cases: CaseTable;
  case_events: CaseEventTable;
  inspections: InspectionTable;
  deadline_alerts: DeadlineAlertTable;
  attachments: AttachmentTable;
  outbox: OutboxTable;
  notifications: NotificationTable;
  dead_letters: DeadLetterTable;
  rate_limits: RateLimitTable;
  sampling_campaigns: SamplingCampaignTable;
  sampling_nominations: SamplingNominationTable;
  sampling_voters: SamplingVoterTable;
  sampling_votes: SamplingVoteTable;
  sampling_tasks: SamplingTaskTable;
  sampling_task_inspectors: SamplingTaskInspectorTable;
  sampling_results: SamplingResultTable;
  sampling_conflicts: SamplingConflictTable;
  sampling_unsubscribes: SamplingUnsubscribeTable;
  sampling_events: SamplingEventTable;
  item_products: ItemProductTable;
  defect_signals: DefectSignalTable;
  signal_events: SignalEventTable;
  recall_sequences: RecallSequenceTable;
  recalls: RecallTable;
  recall_events: RecallEventTable;
  recall_progress_reports: RecallProgressReportTable;
  recall_alerts: RecallAlertTable;
  alert_subscriptions: AlertSubscriptionTable;
  recall_notices: RecallNoticeTable;
  recall_fanouts: RecallFanoutTable;
}

export type * from './attachments.js';
export type * from './casework.js';
export type * from './complaints.js';
export type * from './delivery.js';
export type * from './recalls.js';
export type * from './reference.js';
export type * from './sampling.js';
export type * from './staff.js';
export type * from './columns.js';
