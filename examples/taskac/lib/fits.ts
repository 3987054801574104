/**
 * A minimal FITS writer for one 2-D float image (FITS Standard 4.0, Pence et al. 2010, A&A 524,
 * A42): 80-character ASCII header cards in 2880-byte blocks padded with spaces, ending with END;
 * then the data, big-endian IEEE float32 (BITPIX = −32), first axis fastest, padded with zeros
 * to a 2880-byte boundary. The WCS cards (SIN projection around the phase centre) let any viewer
 * (DS9, astropy) show RA/Dec.
 */

const BLOCK = 2880;
const CARD = 80;

export interface FitsImage {
  /** Row-major, row 0 = the first row in FITS order (the bottom). */
  data: Float32Array;
  width: number;
  height: number;
  /** Extra header keywords: numbers, strings, booleans. */
  header?: Record<string, number | string | boolean>;
}

/** Formats one header card: keyword padded to 8, "= ", value right-aligned to column 30. */
export function fitsCard(key: string, value: number | string | boolean, comment = ''): string {
  let v: string;
  if (typeof value === 'boolean') v = (value ? 'T' : 'F').padStart(20);
  else if (typeof value === 'number')
    v = (Number.isInteger(value) ? String(value) : value.toExponential(10).toUpperCase()).padStart(20);
  else v = `'${value.replace(/'/g, "''").padEnd(8)}'`.padEnd(20);
  const card = `${key.toUpperCase().padEnd(8).slice(0, 8)}= ${v}${comment ? ` / ${comment}` : ''}`;
  return card.slice(0, CARD).padEnd(CARD);
}

export function writeFits(img: FitsImage): Uint8Array {
  const cards = [
    fitsCard('SIMPLE', true, 'conforms to FITS standard'),
    fitsCard('BITPIX', -32, 'IEEE single precision'),
    fitsCard('NAXIS', 2),
    fitsCard('NAXIS1', img.width),
    fitsCard('NAXIS2', img.height),
    ...Object.entries(img.header ?? {}).map(([k, v]) => fitsCard(k, v)),
    'END'.padEnd(CARD),
  ];
  const headerBytes = Math.ceil((cards.length * CARD) / BLOCK) * BLOCK;
  const dataBytes = img.width * img.height * 4;
  const out = new Uint8Array(headerBytes + Math.ceil(dataBytes / BLOCK) * BLOCK);
  out.fill(0x20, 0, headerBytes);
  out.set(Buffer.from(cards.join(''), 'ascii'), 0);
  const view = new DataView(out.buffer, headerBytes, dataBytes);
  for (let i = 0; i < img.width * img.height; i++) view.setFloat32(i * 4, img.data[i]!, false);
  return out;
}
