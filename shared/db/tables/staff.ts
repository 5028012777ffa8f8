import type { ColumnType, Generated } from 'kysely';
import type { StaffRole } from '../../access/vocabulary.js';
import type { CaseQueue } from '../../casework/vocabulary.js';
import type { StaffEventAction } from '../../staff/vocabulary.js';
import type { CreatedAt, JsonOnce, Timestamp } from './columns.js';

export interface StaffTable {
  id: Generated<number>;
  email: string;
  name: string;
  password_hash: string;
  role: StaffRole;
  jurisdiction_code: string;
  specialties: ColumnType<CaseQueue[], CaseQueue[] | undefined, CaseQueue[]>;
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

/** Staff administration audit: created, updated, deactivated, reactivated, password_reset; actor null from the CLI. */
export interface StaffEventTable {
  id: Generated<number>;
  staff_id: number;
  actor_id: number | null;
  at: CreatedAt;
  action: StaffEventAction;
  data: JsonOnce<Record<string, unknown>>;
}
