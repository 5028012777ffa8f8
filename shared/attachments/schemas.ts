import { z } from 'zod';
import { storableString } from '../validation/index.js';
import { MAX_ATTACHMENT_BYTES } from './vocabulary.js';

/** A multipart photo upload: the file, and on a case the item it belongs to. */
export const photoUploadSchema = z.object({
  file: z
    .instanceof(File)
    .meta({ type: 'string', format: 'binary', description: `a JPEG or PNG photo, at most ${MAX_ATTACHMENT_BYTES} bytes` }),
  trackingNo: storableString().max(64).optional(),
});

export const storedAttachmentSchema = z
  .object({ id: z.number(), contentType: z.string(), sizeBytes: z.number(), createdAt: z.string() })
  .meta({ id: 'Attachment' });
