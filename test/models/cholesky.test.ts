import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backSolve, cholesky, forwardSolve } from '../../src/models/cholesky.js';

describe('cholesky', () => {
  it('factors random SPD matrices: L·Lᵀ = A and solves A·x = b', () => {
    const mat = fc.integer({ min: 1, max: 6 }).chain((n) =>
      fc.array(fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: n, maxLength: n }), {
        minLength: n,
        maxLength: n,
      }),
    );
    fc.assert(
      fc.property(mat, (m) => {
        const n = m.length;
        // A = M·Mᵀ + I is symmetric positive definite.
        const a = m.map((ri, i) =>
          m.map((rj, j) => ri.reduce((s, v, k) => s + v * rj[k]!, 0) + (i === j ? 1 : 0)),
        );
        const l = cholesky(a)!;
        expect(l).not.toBeNull();
        for (let i = 0; i < n; i++)
          for (let j = 0; j < n; j++) {
            const v = l[i]!.reduce((s, x, k) => s + x * l[j]![k]!, 0);
            expect(v).toBeCloseTo(a[i]![j]!, 8);
            if (j > i) expect(l[i]![j]).toBe(0);
          }
        const b = a.map((_, i) => i + 1);
        const x = backSolve(l, forwardSolve(l, b));
        a.forEach((row, i) => expect(row.reduce((s, v, k) => s + v * x[k]!, 0)).toBeCloseTo(b[i]!, 6));
      }),
      { numRuns: 200, seed: 7 },
    );
  });

  it('returns null for a matrix that is not positive definite', () => {
    expect(
      cholesky([
        [1, 2],
        [2, 1],
      ]),
    ).toBeNull();
  });
});
