/** Photo attachments: accepted types and limits, metadata stripping, and where the bytes are stored. */
export * from './vocabulary.js';
export { MalformedImageError, stripJpegMetadata, stripPngMetadata } from './images.js';
export { FileStorage, type AttachmentStorage } from './storage.js';
export { photoUploadSchema, storedAttachmentSchema } from './schemas.js';
