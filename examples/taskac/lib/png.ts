/**
 * A minimal PNG encoder for an 8-bit greyscale image (PNG specification, 3rd ed.): signature,
 * IHDR (colour type 0, bit depth 8), one IDAT holding the zlib stream of filter-type-0 scanlines
 * (node:zlib's deflate writes the zlib wrapper PNG wants), IEND; each chunk is length, type,
 * data, CRC-32 of type + data.
 */
import { deflateSync } from 'node:zlib';
import { crc32 } from './crc32.js';

const SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(Buffer.from(type, 'ascii'), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** `pixels`: width×height bytes, row 0 at the top. */
export function encodePngGray(pixels: Uint8Array, width: number, height: number): Uint8Array {
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, width);
  v.setUint32(4, height);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // colour type: greyscale
  const raw = new Uint8Array(height * (width + 1));
  for (let y = 0; y < height; y++) raw.set(pixels.subarray(y * width, (y + 1) * width), y * (width + 1) + 1);
  const parts = [
    SIGNATURE,
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', new Uint8Array(0)),
  ];
  return Buffer.concat(parts);
}

/**
 * An image (row 0 at the bottom, as FITS) as PNG bytes (row 0 at the top), linearly scaled from
 * `lo` (black) to `hi` (white), clipped.
 */
export function imageToPng(
  image: Float32Array,
  width: number,
  height: number,
  lo: number,
  hi: number,
): Uint8Array {
  const px = new Uint8Array(width * height);
  const span = hi > lo ? hi - lo : 1;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const v = (image[y * width + x]! - lo) / span;
      px[(height - 1 - y) * width + x] = Math.max(0, Math.min(255, Math.round(255 * v)));
    }
  return encodePngGray(px, width, height);
}
