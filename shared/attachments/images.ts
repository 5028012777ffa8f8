/**
 * Removes metadata that can carry a photo's location (EXIF GPS, XMP) from JPEG and PNG files, keeping the image data.
 * Pure byte surgery: no decoding, so nothing about the picture itself changes.
 */

const JPEG_APP1 = 0xe1; // EXIF and XMP live here
const JPEG_APP13 = 0xed; // Photoshop IRB, may embed IPTC location

export class MalformedImageError extends Error {
  override name = 'MalformedImageError';
}

export function stripJpegMetadata(bytes: Uint8Array): Uint8Array {
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) throw new MalformedImageError('not a JPEG');
  const kept: Uint8Array[] = [bytes.subarray(0, 2)];
  let i = 2;
  while (i < bytes.length) {
    if (bytes[i] !== 0xff) throw new MalformedImageError(`no marker at ${i}`);
    const marker = bytes[i + 1]!;
    // Start of scan: the rest is entropy-coded image data up to EOI; keep it whole.
    if (marker === 0xda || marker === 0xd9) {
      kept.push(bytes.subarray(i));
      break;
    }
    if (i + 4 > bytes.length) throw new MalformedImageError('truncated segment header');
    const length = (bytes[i + 2]! << 8) | bytes[i + 3]!;
    const end = i + 2 + length;
    if (length < 2 || end > bytes.length) throw new MalformedImageError('truncated segment');
    if (marker !== JPEG_APP1 && marker !== JPEG_APP13) kept.push(bytes.subarray(i, end));
    i = end;
  }
  return concat(kept);
}

/** Chunks that can hold EXIF or text metadata (XMP is carried in iTXt). */
const PNG_DROPPED = new Set(['eXIf', 'tEXt', 'iTXt', 'zTXt']);

export function stripPngMetadata(bytes: Uint8Array): Uint8Array {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (!signature.every((b, k) => bytes[k] === b)) throw new MalformedImageError('not a PNG');
  const kept: Uint8Array[] = [bytes.subarray(0, 8)];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let i = 8;
  while (i < bytes.length) {
    if (i + 12 > bytes.length) throw new MalformedImageError('truncated chunk');
    const length = view.getUint32(i);
    const type = String.fromCharCode(...bytes.subarray(i + 4, i + 8));
    const end = i + 12 + length;
    if (end > bytes.length) throw new MalformedImageError('truncated chunk');
    if (!PNG_DROPPED.has(type)) kept.push(bytes.subarray(i, end));
    i = end;
    if (type === 'IEND') break;
  }
  return concat(kept);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
