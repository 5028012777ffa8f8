import type { Migration } from 'kysely';
import * as m20261121120000 from './20261121120000_create_core_tables.js';
import * as m20261121140000 from './20261121140000_add_casework.js';
import * as m20261121150000 from './20261121150000_create_attachments.js';
import * as m20261123090000 from './20261123090000_create_staff_events.js';
import * as m20261125090000 from './20261125090000_create_sampling_tables.js';
import * as m20261125090100 from './20261125090100_add_sampling_task_photos.js';
import * as m20261125090200 from './20261125090200_add_sampling_followups.js';
import * as m20261126100000 from './20261126100000_create_recalls.js';
import * as m20261127090000 from './20261127090000_check_casework_vocabulary.js';
import * as m20261128120000 from './20261128120000_drop_outbox_notify.js';
import * as m20261206110000 from './20261206110000_index_running_deadlines.js';
import * as m20261206120000 from './20261206120000_add_reconcile_indexes.js';
import * as m20261206130000 from './20261206130000_add_recall_notice_send_groups.js';
import * as m20261206200000 from './20261206200000_add_objection_items.js';
import * as m20261206210000 from './20261206210000_backfill_first_decision.js';
import * as m20261206220000 from './20261206220000_add_provincial_reports.js';

/**
 * Every migration, by name. Static imports work the same under tsx, vitest and a compiled build;
 * tests/unit/migrations.test.ts fails when a file in this folder is missing here.
 */
export const migrations: Record<string, Migration> = {
  '20261121120000_create_core_tables': m20261121120000,
  '20261121140000_add_casework': m20261121140000,
  '20261121150000_create_attachments': m20261121150000,
  '20261123090000_create_staff_events': m20261123090000,
  '20261125090000_create_sampling_tables': m20261125090000,
  '20261125090100_add_sampling_task_photos': m20261125090100,
  '20261125090200_add_sampling_followups': m20261125090200,
  '20261126100000_create_recalls': m20261126100000,
  '20261127090000_check_casework_vocabulary': m20261127090000,
  '20261128120000_drop_outbox_notify': m20261128120000,
  '20261206110000_index_running_deadlines': m20261206110000,
  '20261206120000_add_reconcile_indexes': m20261206120000,
  '20261206130000_add_recall_notice_send_groups': m20261206130000,
  '20261206200000_add_objection_items': m20261206200000,
  '20261206210000_backfill_first_decision': m20261206210000,
  '20261206220000_add_provincial_reports': m20261206220000,
};
