import type { ServiceContext } from '../../shared/context.js';
import { accessCodeMatches, hashAccessCode } from '../../shared/crypto.js';
import { shanghaiDate } from '../../shared/domain/calendar.js';
import { notFound } from '../../shared/errors.js';
import { statusLabel, type Language } from '../../shared/i18n.js';
import type { TrackingView } from '../../shared/schemas/complaint.js';

const dateOrUndefined = (d: Date | null) => (d ? shanghaiDate(d) : undefined);

function timelineNote(data: Record<string, unknown>, lang: Language): string | undefined {
  const bureau = typeof data.bureauName === 'string' ? data.bureauName : undefined;
  if (!bureau) return undefined;
  if (data.routed === false) return lang === 'en' ? `Received by ${bureau} for routing` : `已由${bureau}接收，待分派`;
  return lang === 'en' ? `Assigned to ${bureau}` : `已分派至${bureau}`;
}

/** The item a tracking number and access code open; the same 404 (after the same work) for any mismatch. */
export async function itemForConsumer(ctx: ServiceContext, trackingNo: string, accessCode: string) {
  const secret = ctx.config.AUTH_SECRET;
  const item = await ctx.db.selectFrom('items').select(['id', 'access_code_hash']).where('tracking_no', '=', trackingNo).executeTakeFirst();
  assertAccessCode(secret, accessCode, item);
  return item.id;
}

function assertAccessCode<T extends { access_code_hash: string }>(secret: string, accessCode: string, item: T | undefined): asserts item is T {
  const storedHash = item?.access_code_hash ?? hashAccessCode(secret, 'no-such-item');
  if (!accessCodeMatches(secret, accessCode, storedHash) || !item) throw notFound('complaint');
}

/**
 * The consumer's view of an item. An unknown number and a wrong code give the same 404, and take the same
 * work (a hash is computed either way), so neither existence nor timing tells them apart.
 */
export async function getTrackingView({
  ctx,
  trackingNo,
  accessCode,
  language,
}: {
  ctx: ServiceContext;
  trackingNo: string;
  accessCode: string;
  language: Language;
}): Promise<TrackingView> {
  const secret = ctx.config.AUTH_SECRET;
  const item = await ctx.db
    .selectFrom('items')
    .leftJoin('jurisdictions', 'jurisdictions.code', 'items.jurisdiction_code')
    .select([
      'items.id',
      'items.tracking_no',
      'items.access_code_hash',
      'items.kind',
      'items.category',
      'items.status',
      'items.queue',
      'items.accept_by',
      'items.verify_by',
      'items.mediation_ends_by',
      'jurisdictions.code as jurisdiction_code',
      'jurisdictions.full_name as jurisdiction_name',
      'jurisdictions.bureau_name',
    ])
    .where('items.tracking_no', '=', trackingNo)
    .executeTakeFirst();
  assertAccessCode(secret, accessCode, item);

  const events = await ctx.db
    .selectFrom('item_events')
    .select(['at', 'to_status', 'data'])
    .where('item_id', '=', item.id)
    .orderBy('id')
    .execute();
  const outcomeEvent = [...events].reverse().find((e) => e.to_status === 'closed');
  const outcome = outcomeEvent && typeof outcomeEvent.data.outcome === 'string' ? outcomeEvent.data.outcome : undefined;

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
    },
    timeline: events.map((e) => {
      const note = timelineNote(e.data, language);
      return {
        at: e.at.toISOString(),
        status: e.to_status,
        statusLabel: statusLabel(e.to_status, language),
        ...(note ? { note } : {}),
      };
    }),
    ...(outcome ? { outcome } : {}),
  };
}
