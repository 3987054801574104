import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { solveSymmetric } from '../../src/models/cholesky.js';
import { nnls } from '../../src/models/nnls.js';

function rss(a: number[][], b: number[], x: number[]): number {
  return a.reduce((s, row, i) => s + (row.reduce((t, v, j) => t + v * x[j]!, 0) - b[i]!) ** 2, 0);
}

/** Brute force: the best unconstrained least squares over every support whose solution is ≥ 0. */
function bruteForce(a: number[][], b: number[]): number {
  const n = a[0]!.length;
  let best = rss(a, b, new Array<number>(n).fill(0));
  for (let mask = 1; mask < 1 << n; mask++) {
    const idx = [...Array(n).keys()].filter((j) => mask & (1 << j));
    const g = idx.map((p) => idx.map((q) => a.reduce((s, row) => s + row[p]! * row[q]!, 0)));
    const r = idx.map((p) => a.reduce((s, row, i) => s + row[p]! * b[i]!, 0));
    const sol = solveSymmetric(g, r);
    if (sol.some((v) => v < -1e-12)) continue;
    const x = new Array<number>(n).fill(0);
    idx.forEach((j, k) => (x[j] = Math.max(sol[k]!, 0)));
    best = Math.min(best, rss(a, b, x));
  }
  return best;
}

describe('nnls (Lawson–Hanson)', () => {
  it('solves a textbook case: the negative coefficient is clamped to 0', () => {
    const { x } = nnls(
      [
        [1, 0],
        [0, 1],
      ],
      [1, -1],
    );
    expect(x[0]).toBeCloseTo(1, 9);
    expect(x[1]).toBe(0);
  });

  it('recovers exact non-negative coefficients', () => {
    const a = [...Array(10).keys()].map((i) => [1, i, Math.log(i + 1), 1 / (i + 1)]);
    const truth = [3, 0.5, 0, 2];
    const b = a.map((row) => row.reduce((s, v, j) => s + v * truth[j]!, 0));
    const { x, residualSS } = nnls(a, b);
    x.forEach((v, j) => expect(v).toBeCloseTo(truth[j]!, 6));
    expect(residualSS).toBeLessThan(1e-12);
  });

  it('matches brute force on small random problems', () => {
    const problem = fc
      .record({ m: fc.integer({ min: 2, max: 7 }), n: fc.integer({ min: 1, max: 4 }) })
      .chain(({ m, n }) =>
        fc.record({
          a: fc.array(fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: n, maxLength: n }), {
            minLength: m,
            maxLength: m,
          }),
          b: fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: m, maxLength: m }),
        }),
      );
    fc.assert(
      fc.property(problem, ({ a, b }) => {
        const { x, residualSS } = nnls(a, b);
        expect(x.every((v) => v >= 0)).toBe(true);
        expect(residualSS).toBeCloseTo(rss(a, b, x), 8);
        const best = bruteForce(a, b);
        expect(residualSS).toBeLessThanOrEqual(best + 1e-6 * (1 + best));
      }),
      { numRuns: 300, seed: 42 },
    );
  });
});
