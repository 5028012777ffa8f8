import { randomUUID } from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import {
  MalformedImageError,
  MAX_ATTACHMENT_BYTES,
  MAX_ATTACHMENTS_PER_ITEM,
  stripJpegMetadata,
  stripPngMetadata,
  type ImageType,
  type Uploader,
} from '../../shared/attachments/index.js';
import { recordCaseEvent } from '../../shared/casework/index.js';
import { sha256Bytes } from '../../shared/crypto/index.js';
import { withTransaction, type Tx } from '../../shared/db/index.js';
import { DomainError, invalidFields, notFound } from '../../shared/errors/index.js';
import type { ServiceContext } from '../../shared/runtime/index.js';

const strippers: Record<ImageType, (b: Uint8Array) => Uint8Array> = { 'image/jpeg': stripJpegMetadata, 'image/png': stripPngMetadata };
const isImageType = (t: string | undefined): t is ImageType => t !== undefined && Object.hasOwn(strippers, t);

/** Sniffs, checks and strips a photo; nothing is stored by this step (forms check photos before storing anything). */
export async function cleanImage(bytes: Uint8Array): Promise<{ type: ImageType; clean: Uint8Array }> {
  if (bytes.length === 0) throw invalidFields({ field: 'file', message: 'empty file' });
  if (bytes.length > MAX_ATTACHMENT_BYTES)
    throw new DomainError('payload_too_large', `a photo may be at most ${MAX_ATTACHMENT_BYTES} bytes`);
  const sniffed = (await fileTypeFromBuffer(bytes))?.mime;
  if (!isImageType(sniffed))
    throw new DomainError('unsupported_media_type', 'only JPEG and PNG photos are accepted (checked by content, not by name)');
  try {
    return { type: sniffed, clean: strippers[sniffed](bytes) };
  } catch (err) {
    if (err instanceof MalformedImageError) throw invalidFields({ field: 'file', message: 'damaged image' });
    throw err;
  }
}

/**
 * Writes a cleaned photo's file, then runs `insert` (which checks the owner and the count cap and writes the row)
 * in a transaction. The file is written before the row's transaction and removed when it fails; a crash in between
 * leaves a file with no row, which housekeeping sweeps (sweepOrphanFiles). Nothing is kept when any check fails.
 */
async function storePhoto<T>(
  ctx: ServiceContext,
  folder: string,
  bytes: Uint8Array,
  insert: (tx: Tx, photo: { type: ImageType; sizeBytes: number; sha256: string; key: string }) => Promise<T>,
): Promise<T> {
  const { type, clean } = await cleanImage(bytes);
  const key = `${folder}/${randomUUID()}`;
  await ctx.storage.put(key, clean);
  try {
    return await withTransaction(ctx.db, (tx) => insert(tx, { type, sizeBytes: clean.length, sha256: sha256Bytes(clean), key }));
  } catch (err) {
    await ctx.storage.delete(key).catch((e: unknown) => ctx.logger.warn({ err: e, key }, 'could not remove the file of a failed upload'));
    throw err;
  }
}

async function countPhotos(tx: Tx, owner: { item_id: number } | { sampling_task_id: number }) {
  const [column, id] = 'item_id' in owner ? (['item_id', owner.item_id] as const) : (['sampling_task_id', owner.sampling_task_id] as const);
  const { n } = await tx
    .selectFrom('attachments')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where(column, '=', id)
    .executeTakeFirstOrThrow();
  if (Number(n) >= MAX_ATTACHMENTS_PER_ITEM)
    throw new DomainError(
      'conflict',
      `${column === 'item_id' ? 'an item' : 'a sampling task'} holds at most ${MAX_ATTACHMENTS_PER_ITEM} photos`,
    );
}

/**
 * Stores one photo on an item: the type is sniffed from the bytes (the name and declared type are ignored), only
 * JPEG and PNG are taken, location metadata is stripped, and an item holds at most MAX_ATTACHMENTS_PER_ITEM.
 */
export async function addAttachment(
  ctx: ServiceContext,
  input: { itemId: number; uploader: { kind: Uploader; staffId?: number | undefined }; bytes: Uint8Array },
) {
  const staffId = input.uploader.kind === 'staff' ? (input.uploader.staffId ?? null) : null;
  return storePhoto(ctx, `items/${input.itemId}`, input.bytes, async (tx, photo) => {
    // The item row lock serialises uploads to one item, so the count cap holds under concurrency.
    const item = await tx.selectFrom('items').select(['id', 'case_id']).where('id', '=', input.itemId).forUpdate().executeTakeFirst();
    if (!item) throw notFound('complaint');
    await countPhotos(tx, { item_id: item.id });
    const row = await tx
      .insertInto('attachments')
      .values({
        item_id: input.itemId,
        case_id: item.case_id,
        uploaded_by: input.uploader.kind,
        staff_id: staffId,
        content_type: photo.type,
        size_bytes: photo.sizeBytes,
        sha256: photo.sha256,
        storage_key: photo.key,
      })
      .returning(['id', 'created_at'])
      .executeTakeFirstOrThrow();
    if (item.case_id !== null) {
      await recordCaseEvent(tx, {
        caseId: item.case_id,
        itemId: input.itemId,
        actorId: staffId,
        action: 'attachment_added',
        data: { attachmentId: row.id, uploadedBy: input.uploader.kind },
      });
    }
    return { id: row.id, contentType: photo.type, sizeBytes: photo.sizeBytes, createdAt: row.created_at.toISOString() };
  });
}

/**
 * Stores one photo of a sampling task's collection (the sample, the seal, the receipt), with the same checks as
 * item photos. `lockTask` locks the task row and checks the caller may add to it, so the cap holds under concurrency.
 */
export async function addSamplingTaskAttachment(
  ctx: ServiceContext,
  input: { taskId: number; staffId: number; bytes: Uint8Array; lockTask: (tx: Tx) => Promise<void> },
) {
  return storePhoto(ctx, `sampling-tasks/${input.taskId}`, input.bytes, async (tx, photo) => {
    await input.lockTask(tx);
    await countPhotos(tx, { sampling_task_id: input.taskId });
    const row = await tx
      .insertInto('attachments')
      .values({
        sampling_task_id: input.taskId,
        uploaded_by: 'staff',
        staff_id: input.staffId,
        content_type: photo.type,
        size_bytes: photo.sizeBytes,
        sha256: photo.sha256,
        storage_key: photo.key,
      })
      .returning(['id', 'created_at'])
      .executeTakeFirstOrThrow();
    return { id: row.id, contentType: photo.type, sizeBytes: photo.sizeBytes, createdAt: row.created_at.toISOString() };
  });
}

export async function listSamplingTaskAttachments(ctx: ServiceContext, input: { taskId: number }) {
  const rows = await ctx.db
    .selectFrom('attachments')
    .select(['id', 'content_type', 'size_bytes', 'created_at'])
    .where('sampling_task_id', '=', input.taskId)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ id: r.id, contentType: r.content_type, sizeBytes: r.size_bytes, createdAt: r.created_at.toISOString() }));
}

export async function readSamplingTaskAttachment(ctx: ServiceContext, input: { taskId: number; attachmentId: number }) {
  const row = await ctx.db
    .selectFrom('attachments')
    .select(['storage_key', 'content_type'])
    .where('id', '=', input.attachmentId)
    .where('sampling_task_id', '=', input.taskId)
    .executeTakeFirst();
  if (!row) throw notFound('attachment');
  return { contentType: row.content_type, bytes: await ctx.storage.get(row.storage_key) };
}

export async function listCaseAttachments(ctx: ServiceContext, input: { caseId: number }) {
  const rows = await ctx.db
    .selectFrom('attachments')
    .innerJoin('items', 'items.id', 'attachments.item_id')
    .select([
      'attachments.id',
      'attachments.content_type',
      'attachments.size_bytes',
      'attachments.uploaded_by',
      'attachments.created_at',
      'items.tracking_no',
    ])
    .where('items.case_id', '=', input.caseId)
    .orderBy('attachments.id')
    .execute();
  return rows.map(caseAttachmentView);
}

/** A case attachment as the API shows it; created_at is a Date, or ISO text when selected inside a JSON array. */
export function caseAttachmentView(r: {
  id: number;
  tracking_no: string;
  content_type: ImageType;
  size_bytes: number;
  uploaded_by: Uploader;
  created_at: Date | string;
}) {
  return {
    id: r.id,
    trackingNo: r.tracking_no,
    contentType: r.content_type,
    sizeBytes: r.size_bytes,
    uploadedBy: r.uploaded_by,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

export async function readCaseAttachment(ctx: ServiceContext, input: { caseId: number; attachmentId: number }) {
  const row = await ctx.db
    .selectFrom('attachments')
    .innerJoin('items', 'items.id', 'attachments.item_id')
    .select(['attachments.storage_key', 'attachments.content_type'])
    .where('attachments.id', '=', input.attachmentId)
    .where('items.case_id', '=', input.caseId)
    .executeTakeFirst();
  if (!row) throw notFound('attachment');
  return { contentType: row.content_type, bytes: await ctx.storage.get(row.storage_key) };
}
