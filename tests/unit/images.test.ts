import { describe, expect, it } from 'vitest';
import { MalformedImageError, stripJpegMetadata, stripPngMetadata } from '../../shared/attachments/index.js';
import { jpegWithGps, pngWithExif } from '../support/images.js';

const text = (b: Uint8Array) => Buffer.from(b).toString('latin1');

describe('location metadata stripping', () => {
  it('drops EXIF and XMP segments from a JPEG and keeps the rest byte for byte', () => {
    const original = jpegWithGps();
    const clean = stripJpegMetadata(original);
    expect(text(clean)).not.toMatch(/GPS|Exif|xmpmeta/);
    expect(text(clean)).toContain('JFIF');
    expect(text(clean.subarray(-8))).toBe(text(original.subarray(-8))); // scan data and EOI untouched
    expect(stripJpegMetadata(clean)).toEqual(clean);
  });

  it('drops eXIf and text chunks from a PNG', () => {
    const clean = stripPngMetadata(pngWithExif());
    expect(text(clean)).not.toMatch(/GPS|35\.30N|eXIf|tEXt/);
    expect(text(clean)).toMatch(/IHDR[\s\S]*IDAT[\s\S]*IEND/);
  });

  it.each([
    ['not a JPEG', () => stripJpegMetadata(Buffer.from('hello'))],
    ['a truncated JPEG segment', () => stripJpegMetadata(jpegWithGps().subarray(0, 30))],
    ['a truncated PNG chunk', () => stripPngMetadata(pngWithExif().subarray(0, 40))],
  ])('refuses %s', (_name, fn) => {
    expect(fn).toThrow(MalformedImageError);
  });
});
