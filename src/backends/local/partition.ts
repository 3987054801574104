/**
 * Splits a stage's input into `workers` partitions balanced by bytes.
 *
 * The input is the concatenation of its objects in key order; partition i covers the global
 * byte range [round(i·T/W), round((i+1)·T/W)), each cut moved to the nearest allowed boundary:
 * - `bytes` (default): a multiple of `recordBytes` from the start of the object the cut falls
 *   in (any byte when recordBytes is 1), so a fixed-size record is never split;
 * - `objects`: an object boundary, so each object goes whole to one worker.
 * Because cuts depend only on the total byte stream, the partitioning of a downstream stage does
 * not depend on how many upstream workers wrote its input (in `bytes` mode; `objects` mode
 * follows the objects by definition).
 */
import type { ObjectInfo } from './object-store.js';

/** A byte range of one object, `end` exclusive. */
export interface Segment {
  key: string;
  start: number;
  end: number;
}

export interface Partition {
  /** 0-based index of this worker's partition. */
  index: number;
  /** Number of partitions (= workers). */
  count: number;
  /** Every object this partition touches, in order (partly, when `segments` cut it). */
  keys: string[];
  /** The byte ranges this partition owns, in order. */
  segments: Segment[];
  /** Bytes in `segments`. */
  bytes: number;
  /** The record size partitions align with (1 when unaligned). */
  recordBytes: number;
}

export type PartitionUnit = 'bytes' | 'objects';

export interface PartitionOptions {
  /** Fixed record size in bytes; cuts fall on record boundaries within each object. Default 1. */
  recordBytes?: number;
  unit?: PartitionUnit;
}

export function partitionInput(
  objects: readonly ObjectInfo[],
  workers: number,
  options: PartitionOptions = {},
): Partition[] {
  const recordBytes = Math.max(1, Math.floor(options.recordBytes ?? 1));
  const unit = options.unit ?? 'bytes';
  const count = Math.max(1, Math.floor(workers));
  const objs = objects.filter((o) => o.bytes > 0);
  const starts: number[] = [];
  let total = 0;
  for (const o of objs) {
    starts.push(total);
    total += o.bytes;
  }

  const snap = (cut: number): number => {
    if (cut <= 0) return 0;
    if (cut >= total) return total;
    const j = objectAt(starts, cut);
    const start = starts[j]!;
    const bytes = objs[j]!.bytes;
    if (unit === 'objects') return cut - start < start + bytes - cut ? start : start + bytes;
    return start + Math.min(bytes, Math.round((cut - start) / recordBytes) * recordBytes);
  };

  const cuts: number[] = [0];
  for (let i = 1; i < count; i++) cuts.push(Math.max(cuts[i - 1]!, snap(Math.round((i * total) / count))));
  cuts.push(total);

  return Array.from({ length: count }, (_, index) => {
    const from = cuts[index]!;
    const to = cuts[index + 1]!;
    const segments: Segment[] = [];
    for (let j = 0; j < objs.length && from < to; j++) {
      const s = starts[j]!;
      const e = s + objs[j]!.bytes;
      const lo = Math.max(from, s);
      const hi = Math.min(to, e);
      if (hi > lo) segments.push({ key: objs[j]!.key, start: lo - s, end: hi - s });
    }
    return {
      index,
      count,
      keys: segments.map((g) => g.key),
      segments,
      bytes: to - from,
      recordBytes,
    };
  });
}

/** Index of the object holding global offset `at` (binary search over object starts). */
function objectAt(starts: readonly number[], at: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= at) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
