/** Photos are JPEG or PNG only, recognised by content. */
export const imageTypes = ['image/jpeg', 'image/png'] as const;
export type ImageType = (typeof imageTypes)[number];

export const uploaders = ['consumer', 'staff'] as const;
export type Uploader = (typeof uploaders)[number];

export const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;
export const MAX_ATTACHMENTS_PER_ITEM = 10;
