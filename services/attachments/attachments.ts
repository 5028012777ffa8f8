import { randomUUID } from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import { sha256Bytes } from '../../shared/crypto.js';
import type { Db } from '../../shared/db/connection.js';
import { MalformedImageError, stripJpegMetadata, stripPngMetadata } from '../../shared/domain/images.js';
import { DomainError, notFound } from '../../shared/errors.js';
import type { AttachmentStorage } from '../../shared/storage.js';

export const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;
export const MAX_ATTACHMENTS_PER_ITEM = 10;

const strippers = { 'image/jpeg': stripJpegMetadata, 'image/png': stripPngMetadata } as const;
type ImageType = keyof typeof strippers;

/**
 * Stores one photo on an item: the type is sniffed from the bytes (the name and declared type are ignored), only
 * JPEG and PNG are taken, location metadata is stripped, and an item holds at most MAX_ATTACHMENTS_PER_ITEM.
 * Nothing is stored when any check fails.
 */
export async function addAttachment({
  db,
  storage,
  itemId,
  uploader,
  bytes,
}: {
  db: Db;
  storage: AttachmentStorage;
  itemId: number;
  uploader: { kind: 'consumer' } | { kind: 'staff'; staffId: number };
  bytes: Uint8Array;
}) {
  if (bytes.length === 0) throw new DomainError('validation_failed', 'the request is invalid', [{ field: 'file', message: 'empty file' }]);
  if (bytes.length > MAX_ATTACHMENT_BYTES) throw new DomainError('payload_too_large', `a photo may be at most ${MAX_ATTACHMENT_BYTES} bytes`);
  const sniffed = (await fileTypeFromBuffer(bytes))?.mime;
  if (sniffed !== 'image/jpeg' && sniffed !== 'image/png') {
    throw new DomainError('unsupported_media_type', 'only JPEG and PNG photos are accepted (checked by content, not by name)');
  }
  let clean: Uint8Array;
  try {
    clean = strippers[sniffed as ImageType](bytes);
  } catch (err) {
    if (err instanceof MalformedImageError) throw new DomainError('validation_failed', 'the request is invalid', [{ field: 'file', message: 'damaged image' }]);
    throw err;
  }
  const key = `items/${itemId}/${randomUUID()}`;
  return db.transaction().execute(async (tx) => {
    // The item row lock serialises uploads to one item, so the count cap holds under concurrency.
    const item = await tx.selectFrom('items').select(['id', 'case_id']).where('id', '=', itemId).forUpdate().executeTakeFirst();
    if (!item) throw notFound('complaint');
    const { n } = await tx.selectFrom('attachments').select((eb) => eb.fn.countAll<number>().as('n')).where('item_id', '=', itemId).executeTakeFirstOrThrow();
    if (Number(n) >= MAX_ATTACHMENTS_PER_ITEM) throw new DomainError('conflict', `an item holds at most ${MAX_ATTACHMENTS_PER_ITEM} photos`);
    await storage.put(key, clean);
    try {
      const row = await tx
        .insertInto('attachments')
        .values({
          item_id: itemId,
          case_id: item.case_id,
          uploaded_by: uploader.kind,
          staff_id: uploader.kind === 'staff' ? uploader.staffId : null,
          content_type: sniffed,
          size_bytes: clean.length,
          sha256: sha256Bytes(clean),
          storage_key: key,
        })
        .returning(['id', 'created_at'])
        .executeTakeFirstOrThrow();
      if (item.case_id !== null) {
        await tx
          .insertInto('case_events')
          .values({
            case_id: item.case_id,
            item_id: itemId,
            actor_id: uploader.kind === 'staff' ? uploader.staffId : null,
            action: 'attachment_added',
            data: JSON.stringify({ attachmentId: row.id, uploadedBy: uploader.kind }),
          })
          .execute();
      }
      return { id: row.id, contentType: sniffed, sizeBytes: clean.length, createdAt: row.created_at.toISOString() };
    } catch (err) {
      await storage.delete(key);
      throw err;
    }
  });
}

export async function listAttachments(db: Db, caseId: number) {
  const rows = await db
    .selectFrom('attachments')
    .innerJoin('items', 'items.id', 'attachments.item_id')
    .select(['attachments.id', 'attachments.content_type', 'attachments.size_bytes', 'attachments.uploaded_by', 'attachments.created_at', 'items.tracking_no'])
    .where('items.case_id', '=', caseId)
    .orderBy('attachments.id')
    .execute();
  return rows.map((r) => ({ id: r.id, trackingNo: r.tracking_no, contentType: r.content_type, sizeBytes: r.size_bytes, uploadedBy: r.uploaded_by, createdAt: r.created_at.toISOString() }));
}

export async function readAttachment(db: Db, storage: AttachmentStorage, caseId: number, attachmentId: number) {
  const row = await db
    .selectFrom('attachments')
    .innerJoin('items', 'items.id', 'attachments.item_id')
    .select(['attachments.storage_key', 'attachments.content_type'])
    .where('attachments.id', '=', attachmentId)
    .where('items.case_id', '=', caseId)
    .executeTakeFirst();
  if (!row) throw notFound('attachment');
  return { contentType: row.content_type, bytes: await storage.get(row.storage_key) };
}
