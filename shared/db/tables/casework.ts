import type { Generated } from 'kysely';
import type { ItemCategory } from '../../complaints/vocabulary.js';
import type {
  AlertLevel,
  CaseEventAction,
  CaseQueue,
  CaseStatus,
  DeadlineKind,
  InspectionType,
  Verdict,
} from '../../casework/vocabulary.js';
import type { CreatedAt, Json, JsonOnce } from './columns.js';

export interface CaseTable {
  id: Generated<number>;
  merchant_id: number;
  category: ItemCategory;
  queue: CaseQueue;
  jurisdiction_code: string;
  status: CaseStatus;
  priority: number;
  due_at: Date | null;
  claimed_by: number | null;
  claimed_at: Date | null;
  opened_at: CreatedAt;
  closed_at: Date | null;
  escalated_at: Date | null;
}

export interface CaseEventTable {
  id: Generated<number>;
  case_id: number;
  item_id: number | null;
  at: CreatedAt;
  actor_id: number | null;
  action: CaseEventAction;
  data: JsonOnce<Record<string, unknown>>;
}

export interface InspectionTable {
  id: Generated<number>;
  case_id: number;
  item_id: number | null;
  inspector_id: number;
  type: InspectionType;
  data: Json<Record<string, unknown>>;
  verdict: Verdict;
  notes: string | null;
  created_at: CreatedAt;
}

export interface DeadlineAlertTable {
  id: Generated<number>;
  item_id: number;
  deadline: DeadlineKind;
  level: AlertLevel;
  due_at: Date;
  created_at: CreatedAt;
}
