import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { staffRoles } from '../../shared/access/index.js';
import { imageTypes, uploaders } from '../../shared/attachments/index.js';
import {
  alertLevels,
  caseEventActions,
  caseQueues,
  caseStatuses,
  deadlineKinds,
  inspectionTypes,
  verdicts,
} from '../../shared/casework/index.js';
import { actorTypes, injuryLevels, itemCategories, itemKinds, itemStatuses } from '../../shared/complaints/index.js';
import { languages } from '../../shared/i18n/index.js';
import { jurisdictionLevels } from '../../shared/jurisdictions/index.js';
import { notificationStatuses } from '../../shared/mail/index.js';
import {
  fanOutPhases,
  noticeStatuses,
  recallEventActions,
  recallReports,
  recallStatuses,
  recallTypes,
  recipientKinds,
  remedies,
  signalStatuses,
  signalSubjects,
  subscriptionStatuses,
} from '../../shared/recalls/index.js';
import {
  campaignPhases,
  deliveryMethods,
  finalBases,
  nominationStatuses,
  noticeMethods,
  objectionParties,
  resultStages,
  samplingEventActions,
  taskStatuses,
  testVerdicts,
} from '../../shared/sampling/index.js';
import { staffEventActions } from '../../shared/staff/index.js';

/**
 * Every CHECK constraint that lists allowed values must list exactly the domain's vocabulary: adding a word to a
 * vocabulary.ts without a migration (or the reverse) fails here.
 */
const expected: Record<string, readonly string[]> = {
  'jurisdictions.level': jurisdictionLevels,
  'staff.role': staffRoles,
  'staff_events.action': staffEventActions,
  'items.kind': itemKinds,
  'items.category': itemCategories,
  'items.status': itemStatuses,
  'items.queue': caseQueues,
  'items.language': languages,
  'item_events.actor_type': actorTypes,
  'item_events.to_status': itemStatuses,
  'item_events.from_status': itemStatuses,
  'cases.status': caseStatuses,
  'cases.category': itemCategories,
  'cases.queue': caseQueues,
  'case_events.action': caseEventActions,
  'inspections.type': inspectionTypes,
  'inspections.verdict': verdicts,
  'deadline_alerts.deadline': deadlineKinds,
  'deadline_alerts.level': alertLevels,
  'attachments.uploaded_by': uploaders,
  'attachments.content_type': imageTypes,
  'notifications.status': notificationStatuses,
  'notifications.language': languages,
  'sampling_campaigns.phase': campaignPhases,
  'sampling_campaigns.categories': itemCategories,
  'sampling_nominations.status': nominationStatuses,
  'sampling_nominations.category': itemCategories,
  'sampling_nominations.language': languages,
  'sampling_voters.language': languages,
  'sampling_tasks.status': taskStatuses,
  'sampling_tasks.category': itemCategories,
  'sampling_tasks.notice_method': noticeMethods,
  'sampling_tasks.delivery_method': deliveryMethods,
  'sampling_tasks.objection_by': objectionParties,
  'sampling_tasks.verdict': testVerdicts,
  'sampling_tasks.final_basis': finalBases,
  'sampling_results.stage': resultStages,
  'sampling_results.verdict': testVerdicts,
  'sampling_events.action': samplingEventActions,
  'item_products.injury': injuryLevels,
  'defect_signals.subject_kind': signalSubjects,
  'defect_signals.status': signalStatuses,
  'defect_signals.worst_injury': injuryLevels,
  'recalls.type': recallTypes,
  'recalls.status': recallStatuses,
  'recalls.category': itemCategories,
  'recalls.remedy': remedies,
  'recall_events.action': recallEventActions,
  'recall_alerts.report': recallReports,
  'alert_subscriptions.language': languages,
  'alert_subscriptions.status': subscriptionStatuses,
  'recall_notices.kind': recipientKinds,
  'recall_notices.language': languages,
  'recall_notices.status': noticeStatuses,
  'recall_fanouts.phase': fanOutPhases,
};

let client: pg.Client;
let checks: Map<string, string[]>;

beforeAll(async () => {
  const url = new URL(inject('serverUrl'));
  url.pathname = `/${inject('templateDatabase')}`;
  client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  const { rows } = await client.query<{ table: string; column: string; def: string }>(`
    SELECT c.conrelid::regclass::text AS table, a.attname AS column, pg_get_constraintdef(c.oid) AS def
    FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
    WHERE c.contype = 'c' AND array_length(c.conkey, 1) = 1 AND c.connamespace = 'public'::regnamespace`);
  checks = new Map();
  for (const r of rows) {
    // pg renders IN (...) as = ANY (ARRAY['a'::text, 'b'::text]); a column may also carry a non-list check.
    const values = r.def.includes('ARRAY[') ? [...r.def.matchAll(/'([^']*)'::text/g)].map((m) => m[1]!) : [];
    if (values.length > 0) checks.set(`${r.table}.${r.column}`, values);
  }
});
afterAll(async () => {
  await client.end();
});

describe('vocabulary ↔ SQL CHECK constraints', () => {
  it.each(Object.entries(expected))('%s', (column, words) => {
    expect(checks.get(column), `no CHECK listing the values of ${column}`).toBeDefined();
    expect([...checks.get(column)!].sort()).toEqual([...words].sort());
  });

  it('every value-list CHECK in the schema is covered above', () => {
    expect([...checks.keys()].filter((k) => !(k in expected))).toEqual([]);
  });
});
