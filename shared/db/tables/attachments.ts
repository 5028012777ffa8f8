import type { Generated } from 'kysely';
import type { ImageType, Uploader } from '../../attachments/vocabulary.js';
import type { CreatedAt } from './columns.js';

export interface AttachmentTable {
  id: Generated<number>;
  /** Exactly one owner: an item, or a sampling task's collection. */
  item_id: number | null;
  sampling_task_id: number | null;
  case_id: number | null;
  uploaded_by: Uploader;
  staff_id: number | null;
  content_type: ImageType;
  size_bytes: number;
  sha256: string;
  storage_key: string;
  created_at: CreatedAt;
}
