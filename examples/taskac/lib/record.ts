/**
 * The binary record: one time block of a Measurement-Set-like table, every baseline, as typed
 * arrays laid end to end so a record is read with zero copies (views on the read buffer).
 *
 *   header  8 × float64   MAGIC, block, firstTime, nTimes, nBaselines, nChannels, nCorr, 0
 *   uvw     nTimes·nBaselines·3 float64               metres, row = time·nBaselines + baseline
 *   vis     nTimes·nBaselines·nChannels·4·2 float32   (re, im) per correlation XX, XY, YX, YY
 *   weight  nTimes·nBaselines·nChannels·4 float32     0 = flagged
 *
 * Every section is a multiple of 8 bytes, so each view is aligned whatever the record's offset in
 * a chunk. A raw record holds one gain solution interval of raw steps (timestep × solint); an
 * averaged record holds the same interval after averaging. Records have a fixed size per data
 * set, which is what the stages give the local backend as `recordBytes`: partitions then cut
 * between solution intervals only.
 */

export const MAGIC = 0x7a5ac;
export const N_CORR = 4;
const HEADER_DOUBLES = 8;
export const HEADER_BYTES = HEADER_DOUBLES * 8;

export interface RecordShape {
  nTimes: number;
  nBaselines: number;
  nChannels: number;
}

export interface RecordView extends RecordShape {
  /** Solution interval (= record) index in the data set. */
  block: number;
  /** First raw time step (raw records) or averaged time step (averaged records). */
  firstTime: number;
  uvw: Float64Array;
  vis: Float32Array;
  weight: Float32Array;
}

export function recordBytes(s: RecordShape): number {
  const rows = s.nTimes * s.nBaselines;
  return HEADER_BYTES + rows * 3 * 8 + rows * s.nChannels * N_CORR * 8 + rows * s.nChannels * N_CORR * 4;
}

/** A zeroed record of this shape with its header written. */
export function allocRecord(s: RecordShape, block: number, firstTime: number): RecordView {
  const buf = new ArrayBuffer(recordBytes(s));
  new Float64Array(buf, 0, HEADER_DOUBLES).set([
    MAGIC,
    block,
    firstTime,
    s.nTimes,
    s.nBaselines,
    s.nChannels,
    N_CORR,
    0,
  ]);
  return viewRecord(new Uint8Array(buf), 0);
}

/** Views on the record starting at `offset` of `bytes`; throws on a bad magic. */
export function viewRecord(bytes: Uint8Array, offset: number): RecordView {
  if ((bytes.byteOffset + offset) % 8 !== 0) {
    // Buffers from a read may start at any offset in their pool: copy once to align.
    const copy = new Uint8Array(bytes.length - offset);
    copy.set(bytes.subarray(offset));
    return viewRecord(copy, 0);
  }
  const base = bytes.byteOffset + offset;
  const head = new Float64Array(bytes.buffer, base, HEADER_DOUBLES);
  if (head[0] !== MAGIC) throw new Error(`taskac: no record at byte ${offset} (bad magic)`);
  const nTimes = head[3]!;
  const nBaselines = head[4]!;
  const nChannels = head[5]!;
  const rows = nTimes * nBaselines;
  const samples = rows * nChannels * N_CORR;
  let at = base + HEADER_BYTES;
  const uvw = new Float64Array(bytes.buffer, at, rows * 3);
  at += rows * 3 * 8;
  const vis = new Float32Array(bytes.buffer, at, samples * 2);
  at += samples * 8;
  const weight = new Float32Array(bytes.buffer, at, samples);
  return { block: head[1]!, firstTime: head[2]!, nTimes, nBaselines, nChannels, uvw, vis, weight };
}

/** The record's bytes (a view, no copy). */
export function recordData(r: RecordView): Uint8Array {
  const start = r.uvw.byteOffset - HEADER_BYTES;
  return new Uint8Array(r.uvw.buffer, start, recordBytes(r));
}

/** Every record of a buffer holding whole records end to end (a partition or a chunk). */
export function viewRecords(bytes: Uint8Array): RecordView[] {
  const aligned = bytes.byteOffset % 8 === 0 ? bytes : Uint8Array.from(bytes);
  const out: RecordView[] = [];
  let offset = 0;
  while (offset < aligned.length) {
    const r = viewRecord(aligned, offset);
    out.push(r);
    offset += recordBytes(r);
  }
  if (offset !== aligned.length) throw new Error('taskac: buffer does not end on a record boundary');
  return out;
}

/** Concatenates records into one buffer (a chunk or a stage's output object). */
export function joinRecords(records: readonly RecordView[]): Uint8Array {
  const total = records.reduce((s, r) => s + recordBytes(r), 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const r of records) {
    out.set(recordData(r), at);
    at += recordBytes(r);
  }
  return out;
}
