import { shanghaiDate } from '../../shared/calendar/index.js';
import {
  finishedStatuses,
  reasonedStatuses,
  reasonLabel,
  remediesAfter,
  statusLabel,
  TRACKING_NO_PATTERN,
  type ItemStatus,
  type TrackingView,
} from '../../shared/complaints/index.js';
import { accessCodeMatches, hashAccessCode } from '../../shared/crypto/index.js';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import { compiledStatement } from '../../shared/db/index.js';
import { DomainError, notFound } from '../../shared/errors/index.js';
import type { Language } from '../../shared/i18n/index.js';
import type { ServiceContext } from '../../shared/runtime/index.js';

const dateOrUndefined = (d: Date | null) => (d ? shanghaiDate(d) : undefined);

function timelineNote(data: Record<string, unknown>, lang: Language): string | undefined {
  const bureau = typeof data.bureauName === 'string' ? data.bureauName : undefined;
  if (!bureau) return undefined;
  if (data.routed === false) return lang === 'en' ? `Received by ${bureau} for routing` : `已由${bureau}接收，待分派`;
  return lang === 'en' ? `Assigned to ${bureau}` : `已分派至${bureau}`;
}

/**
 * Opens an item with its tracking number and access code. An unknown or malformed number and a wrong code give the
 * same 404 after the same work (the code is hashed either way), so neither existence nor timing tells them apart.
 * A malformed number never reaches the database.
 */
async function findForConsumer<T extends { access_code_hash: string }>(
  ctx: ServiceContext,
  trackingNo: string,
  accessCode: string,
  load: (trackingNo: string) => Promise<T | undefined>,
): Promise<T> {
  const item = TRACKING_NO_PATTERN.test(trackingNo) ? await load(trackingNo) : undefined;
  const secret = ctx.config.AUTH_SECRET;
  const storedHash = item?.access_code_hash ?? hashAccessCode(secret, 'no-such-item');
  if (!accessCodeMatches(secret, accessCode, storedHash) || !item) throw notFound('complaint');
  return item;
}

/**
 * The id of the item a tracking number and access code open, for the consumer's photos: a decided item (closed,
 * rejected, no case filed) takes no more (409); new evidence makes a new complaint.
 */
export async function itemIdForConsumer(ctx: ServiceContext, input: { trackingNo: string; accessCode: string }): Promise<number> {
  const item = await findForConsumer(ctx, input.trackingNo, input.accessCode, (t) =>
    ctx.db.selectFrom('items').select(['id', 'status', 'access_code_hash']).where('tracking_no', '=', t).executeTakeFirst(),
  );
  if ((finishedStatuses as readonly ItemStatus[]).includes(item.status)) {
    throw new DomainError('conflict', 'this complaint has been decided and takes no more photos', { current: item.status });
  }
  return item.id;
}

/** The item, its bureau and its timeline in one statement: one round trip per tracking request. */
const trackingViewStatement = compiledStatement('tracking_view', (db, v: { trackingNo: string }) =>
  db
    .selectFrom('items')
    .leftJoin('jurisdictions', 'jurisdictions.code', 'items.jurisdiction_code')
    .select((eb) => [
      'items.id',
      'items.tracking_no',
      'items.access_code_hash',
      'items.kind',
      'items.category',
      'items.status',
      'items.queue',
      'items.reason_code',
      'items.accept_by',
      'items.verify_by',
      'items.mediation_ends_by',
      'items.rectify_by',
      'items.recheck_by',
      'jurisdictions.code as jurisdiction_code',
      'jurisdictions.full_name as jurisdiction_name',
      'jurisdictions.bureau_name',
      jsonArrayFrom(
        eb
          .selectFrom('item_events')
          .select((ev) => [ev.ref('item_events.at').$castTo<string>().as('at'), 'item_events.to_status', 'item_events.data'])
          .whereRef('item_events.item_id', '=', 'items.id')
          .orderBy('item_events.id'),
      ).as('events'),
    ])
    .where('items.tracking_no', '=', v.trackingNo),
);

/** The consumer's view of an item: status, bureau, deadlines and timeline. */
export async function getTrackingView(
  ctx: ServiceContext,
  input: { trackingNo: string; accessCode: string; language: Language },
): Promise<TrackingView> {
  const { language } = input;
  // The item, its bureau and its timeline in one statement: one round trip per tracking request.
  const item = await findForConsumer(ctx, input.trackingNo, input.accessCode, async (trackingNo) => {
    const [row] = await trackingViewStatement(ctx.db, { trackingNo });
    return row;
  });
  const { events } = item;
  const outcomeEvent = [...events].reverse().find((e) => e.to_status === 'closed');
  const outcome = outcomeEvent && typeof outcomeEvent.data.outcome === 'string' ? outcomeEvent.data.outcome : undefined;
  const remedies = remediesAfter(item.status, outcome, language);

  return {
    trackingNo: item.tracking_no,
    kind: item.kind,
    category: item.category,
    status: item.status,
    statusLabel: statusLabel(item.status, language),
    ...(item.jurisdiction_code
      ? { jurisdiction: { code: item.jurisdiction_code, name: item.jurisdiction_name!, bureauName: item.bureau_name! } }
      : {}),
    ...(item.queue ? { queue: item.queue } : {}),
    deadlines: {
      acceptBy: dateOrUndefined(item.accept_by),
      verifyBy: dateOrUndefined(item.verify_by),
      mediationEndsBy: dateOrUndefined(item.mediation_ends_by),
      rectifyBy: dateOrUndefined(item.rectify_by),
      recheckBy: dateOrUndefined(item.recheck_by),
    },
    timeline: events.map((e) => {
      const note = timelineNote(e.data, language);
      return {
        at: new Date(e.at).toISOString(),
        status: e.to_status,
        statusLabel: statusLabel(e.to_status, language),
        ...(note ? { note } : {}),
      };
    }),
    ...(outcome ? { outcome } : {}),
    ...(item.reason_code && (reasonedStatuses as readonly ItemStatus[]).includes(item.status)
      ? { reason: { code: item.reason_code, label: reasonLabel(item.reason_code, language) } }
      : {}),
    ...(remedies ? { otherRemedies: remedies } : {}),
  };
}
