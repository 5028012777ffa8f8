import type { Migration } from 'kysely';
import * as m20261121120000 from './20261121120000_create_core_tables.js';
import * as m20261121140000 from './20261121140000_add_casework.js';
import * as m20261121150000 from './20261121150000_create_attachments.js';

/**
 * Every migration, by name. Static imports work the same under tsx, vitest and a compiled build;
 * tests/unit/migrations.test.ts fails when a file in this folder is missing here.
 */
export const migrations: Record<string, Migration> = {
  '20261121120000_create_core_tables': m20261121120000,
  '20261121140000_add_casework': m20261121140000,
  '20261121150000_create_attachments': m20261121150000,
};
