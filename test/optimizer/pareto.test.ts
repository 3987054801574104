import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { capFront, dominates, paretoFront, thinEvenly, type Tradeoff } from '../../src/optimizer/index.js';
import { bruteFront } from './helpers.js';

const point = fc.record({
  latencyMs: fc.double({ min: 1, max: 1e4, noNaN: true }),
  costUSD: fc.double({ min: 1e-6, max: 1, noNaN: true }),
});
const points = fc.array(point, { minLength: 1, maxLength: 200 });
const epsilon = fc.constantFrom(0, 0.001, 0.005, 0.05);

describe('paretoFront', () => {
  it('keeps no dominated point and ε-covers every input point', () => {
    fc.assert(
      fc.property(points, epsilon, (ps, eps) => {
        const front = paretoFront(ps, eps);
        for (const f of front) expect(front.some((g) => dominates(g, f))).toBe(false);
        for (const f of front) expect(ps.some((q) => dominates(q, f))).toBe(false);
        for (const p of ps)
          expect(
            front.some((f) => f.latencyMs <= p.latencyMs && f.costUSD <= p.costUSD * (1 + eps) * (1 + 1e-12)),
          ).toBe(true);
        for (let i = 1; i < front.length; i++) {
          expect(front[i]!.latencyMs).toBeGreaterThanOrEqual(front[i - 1]!.latencyMs);
          expect(front[i]!.costUSD).toBeLessThan(front[i - 1]!.costUSD);
        }
      }),
    );
  });

  it('with ε = 0 is the exact front (pairwise brute force)', () => {
    fc.assert(
      fc.property(points, (ps) => {
        const key = (p: Tradeoff): string => `${p.latencyMs}/${p.costUSD}`;
        const exact = new Set(bruteFront(ps).map(key));
        expect(new Set(paretoFront(ps).map(key))).toEqual(exact);
      }),
    );
  });

  it('always keeps the fastest and the cheapest point', () => {
    fc.assert(
      fc.property(points, epsilon, (ps, eps) => {
        const front = paretoFront(ps, eps);
        expect(front[0]!.latencyMs).toBe(Math.min(...ps.map((p) => p.latencyMs)));
        expect(front[front.length - 1]!.costUSD).toBe(Math.min(...ps.map((p) => p.costUSD)));
      }),
    );
  });

  it('breaks exact ties with the tie order (fewer workers first)', () => {
    const ps = [
      { latencyMs: 10, costUSD: 1, workers: 4 },
      { latencyMs: 10, costUSD: 1, workers: 2 },
      { latencyMs: 10, costUSD: 1, workers: 3 },
    ];
    expect(paretoFront(ps, 0, (a, b) => a.workers - b.workers).map((p) => p.workers)).toEqual([2]);
  });

  it('with ε > 0 equals the sorted sweep (box bucketing, ties included)', () => {
    // The sweep of the module's doc comment, sorting every point: the reference.
    const sweep = (ps: readonly (Tradeoff & { id: number })[], eps: number): number[] => {
      const sorted = [...ps].sort(
        (a, b) => a.latencyMs - b.latencyMs || a.costUSD - b.costUSD || a.id - b.id,
      );
      const box = (c: number): number => Math.floor(Math.log(c) / Math.log1p(eps));
      const out: (Tradeoff & { id: number })[] = [];
      let last = Infinity;
      let cheapest: (Tradeoff & { id: number }) | undefined;
      for (const p of sorted) {
        if (!cheapest || p.costUSD < cheapest.costUSD) cheapest = p;
        if (out.length === 0 || box(p.costUSD) < last) {
          out.push(p);
          last = box(p.costUSD);
        }
      }
      if (cheapest && out[out.length - 1] !== cheapest) out.push(cheapest);
      return out.map((p) => p.id);
    };
    // Coarse values make exact ties and shared boxes common.
    const coarse = fc.record({
      latencyMs: fc.integer({ min: 1, max: 20 }),
      costUSD: fc.integer({ min: 1, max: 20 }).map((c) => c / 10),
      id: fc.integer({ min: 0, max: 5 }),
    });
    fc.assert(
      fc.property(
        fc.array(coarse, { minLength: 1, maxLength: 120 }),
        fc.constantFrom(0.001, 0.05, 0.3),
        (ps, eps) => {
          const got = paretoFront(ps, eps, (a, b) => a.id - b.id).map((p) => p.id);
          expect(got).toEqual(sweep(ps, eps));
        },
      ),
    );
  });

  it('drops non-finite points', () => {
    expect(
      paretoFront([
        { latencyMs: NaN, costUSD: 1 },
        { latencyMs: 1, costUSD: Infinity },
        { latencyMs: 2, costUSD: 2 },
      ]),
    ).toEqual([{ latencyMs: 2, costUSD: 2 }]);
  });
});

describe('capFront and thinEvenly', () => {
  it('capFront fits the cap and still covers the front within its final ε', () => {
    fc.assert(
      fc.property(points, fc.integer({ min: 2, max: 20 }), (ps, cap) => {
        const front = paretoFront(ps);
        const capped = capFront(front, cap, 0);
        expect(capped.front.length).toBeLessThanOrEqual(cap);
        for (const p of front)
          expect(
            capped.front.some(
              (f) =>
                f.latencyMs <= p.latencyMs && f.costUSD <= p.costUSD * (1 + capped.epsilon) * (1 + 1e-12),
            ),
          ).toBe(true);
      }),
    );
  });

  it('thinEvenly keeps the ends and at most n items', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer(), { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 2, max: 60 }),
        (xs, n) => {
          const thin = thinEvenly(xs, n);
          expect(thin.length).toBeLessThanOrEqual(Math.min(n, xs.length));
          expect(thin[0]).toBe(xs[0]);
          expect(thin[thin.length - 1]).toBe(xs[xs.length - 1]);
        },
      ),
    );
  });
});
