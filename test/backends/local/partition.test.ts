import { describe, expect, it } from 'vitest';
import { partitionInput, type Partition } from '../../../src/backends/local/partition.js';

const bytesOf = (ps: Partition[]): number[] => ps.map((p) => p.bytes);

/** Global [from, to) byte range of each partition over the concatenated objects. */
function globalRanges(ps: Partition[], objects: { key: string; bytes: number }[]): [number, number][] {
  const start = new Map<string, number>();
  let at = 0;
  for (const o of objects) {
    start.set(o.key, at);
    at += o.bytes;
  }
  return ps.map((p) => {
    const s = p.segments[0];
    const e = p.segments.at(-1);
    return s && e ? [start.get(s.key)! + s.start, start.get(e.key)! + e.end] : [NaN, NaN];
  });
}

describe('partitionInput', () => {
  it('balances bytes across workers and covers the input exactly once', () => {
    const objects = [
      { key: 'a', bytes: 1000 },
      { key: 'b', bytes: 10 },
      { key: 'c', bytes: 490 },
    ];
    const ps = partitionInput(objects, 3);
    expect(bytesOf(ps)).toEqual([500, 500, 500]);
    expect(ps[1]!.segments).toEqual([{ key: 'a', start: 500, end: 1000 }]);
    expect(ps[2]!.keys).toEqual(['b', 'c']);
    expect(ps.every((p) => p.count === 3)).toBe(true);
  });

  it('never splits a fixed-size record', () => {
    const ps = partitionInput([{ key: 'a', bytes: 1000 }], 3, { recordBytes: 100 });
    for (const p of ps) for (const s of p.segments) expect(s.start % 100).toBe(0);
    expect(bytesOf(ps)).toEqual([300, 400, 300]);
  });

  it('does not depend on how many upstream workers wrote the input (bytes mode)', () => {
    const one = [{ key: 'up/0', bytes: 1200 }];
    const three = [
      { key: 'up/0', bytes: 400 },
      { key: 'up/1', bytes: 400 },
      { key: 'up/2', bytes: 400 },
    ];
    const four = [
      { key: 'up/0', bytes: 300 },
      { key: 'up/1', bytes: 300 },
      { key: 'up/2', bytes: 300 },
      { key: 'up/3', bytes: 300 },
    ];
    for (const workers of [1, 2, 5, 7]) {
      const expected = globalRanges(partitionInput(one, workers, { recordBytes: 100 }), one);
      expect(globalRanges(partitionInput(three, workers, { recordBytes: 100 }), three)).toEqual(expected);
      expect(globalRanges(partitionInput(four, workers, { recordBytes: 100 }), four)).toEqual(expected);
    }
  });

  it('gives whole objects in objects mode, and empty partitions when workers exceed the input', () => {
    const ps = partitionInput(
      [
        { key: 'a', bytes: 100 },
        { key: 'b', bytes: 100 },
      ],
      3,
      { unit: 'objects' },
    );
    expect(ps.map((p) => p.keys)).toEqual([['a'], [], ['b']]);
    expect(partitionInput([], 2).map((p) => p.bytes)).toEqual([0, 0]);
  });
});
