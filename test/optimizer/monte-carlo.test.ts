import { describe, expect, it } from 'vitest';
import { buildDag } from '../../src/core/dag.js';
import {
  indexDag,
  lognormalInterval,
  lognormalQuantile,
  monteCarlo,
  normalCdf,
  normalQuantile,
  simulateLatency,
  standardNormals,
  studentQuantile,
  sumLogSd,
  summarizeLatency,
} from '../../src/optimizer/index.js';

describe('normal and lognormal', () => {
  it('Φ⁻¹ and Φ invert each other and match known values', () => {
    expect(normalQuantile(0.95)).toBeCloseTo(1.6448536, 6);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 9);
    expect(normalQuantile(0.01)).toBeCloseTo(-2.3263479, 6);
    for (const p of [0.001, 0.02, 0.3, 0.5, 0.9, 0.99, 0.9999])
      expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 6);
  });

  it('a lognormal keeps its mean; its quantiles bracket it', () => {
    const draws = standardNormals(3, 200_000);
    let sum = 0;
    const sigma = 0.4;
    for (const z of draws) sum += Math.exp(Math.log(100) - (sigma * sigma) / 2 + sigma * z);
    expect(sum / draws.length).toBeCloseTo(100, 0);
    const [lo, hi] = lognormalInterval(100, sigma, 0.9);
    expect(lo).toBeLessThan(100);
    expect(hi).toBeGreaterThan(100);
    expect(lognormalQuantile(100, 0, 0.99)).toBe(100);
  });

  it("Student's t quantile matches tables and tends to the normal's; a t interval is wider", () => {
    // Tabulated: t₀.₉₅(6) = 1.9432, t₀.₉₇₅(10) = 2.2281, t₀.₉₅(30) = 1.6973.
    expect(studentQuantile(0.95, 6)).toBeCloseTo(1.9432, 3);
    expect(studentQuantile(0.975, 10)).toBeCloseTo(2.2281, 3);
    expect(studentQuantile(0.95, 30)).toBeCloseTo(1.6973, 3);
    expect(studentQuantile(0.95, Infinity)).toBe(normalQuantile(0.95));
    expect(studentQuantile(0.05, 6)).toBeCloseTo(-1.9432, 3);
    const [lo, hi] = lognormalInterval(100, 0.3, 0.9);
    const [tLo, tHi] = lognormalInterval(100, 0.3, 0.9, 6);
    expect(tLo).toBeLessThan(lo);
    expect(tHi).toBeGreaterThan(hi);
    // Same log-location, so the widening is symmetric in log units.
    expect(Math.log(tLo) + Math.log(tHi)).toBeCloseTo(Math.log(lo) + Math.log(hi), 9);
  });

  it('Fenton–Wilkinson: one term keeps its σ, independent terms average out', () => {
    expect(sumLogSd([5], [0.3])).toBeCloseTo(0.3, 9);
    expect(sumLogSd([1, 1, 1, 1], [0.3, 0.3, 0.3, 0.3])).toBeLessThan(0.3);
  });
});

describe('Monte Carlo over the DAG', () => {
  const dag = buildDag([
    { name: 'a' },
    { name: 'b', dependsOn: ['a'] },
    { name: 'c', dependsOn: ['a'] },
    { name: 'd', dependsOn: ['b', 'c'] },
  ]);
  const indexed = indexDag(dag);

  it('without spread it is the longest path', () => {
    const mc = monteCarlo(4, 100, 1);
    const sorted = simulateLatency(
      indexed,
      [10, 20, 30, 5].map((meanMs) => ({ meanMs, logSd: 0 })),
      mc,
    );
    expect(sorted[0]).toBe(45);
    expect(sorted[99]).toBe(45);
  });

  it('composes distributions: the mean of a max exceeds the max of means, a series adds means', () => {
    const mc = monteCarlo(4, 20_000, 7);
    const stages = [10, 100, 100, 10].map((meanMs) => ({ meanMs, logSd: 0.3 }));
    const s = summarizeLatency(simulateLatency(indexed, stages, mc), null);
    expect(s.meanMs).toBeGreaterThan(120 * 1.02);
    expect(s.intervalMs[0]).toBeLessThan(s.meanMs);
    expect(s.intervalMs[1]).toBeGreaterThan(s.meanMs);
    const chain = indexDag(buildDag([{ name: 'x' }, { name: 'y', dependsOn: ['x'] }]));
    const mc2 = monteCarlo(2, 20_000, 7);
    const t = summarizeLatency(
      simulateLatency(
        chain,
        [
          { meanMs: 50, logSd: 0.3 },
          { meanMs: 70, logSd: 0.2 },
        ],
        mc2,
      ),
      95,
    );
    expect(t.meanMs).toBeCloseTo(120, -0.5);
    // the 95th percentile of a sum is below the sum of the 95th percentiles
    expect(t.statMs).toBeLessThan(lognormalQuantile(50, 0.3, 0.95) + lognormalQuantile(70, 0.2, 0.95));
    expect(t.statMs).toBeGreaterThan(t.meanMs);
  });

  it('the same seed gives the same draws', () => {
    const stages = [10, 100, 100, 10].map((meanMs) => ({ meanMs, logSd: 0.3 }));
    const a = simulateLatency(indexed, stages, monteCarlo(4, 500, 42));
    const b = simulateLatency(indexed, stages, monteCarlo(4, 500, 42));
    const c = simulateLatency(indexed, stages, monteCarlo(4, 500, 43));
    expect([...a]).toEqual([...b]);
    expect([...a]).not.toEqual([...c]);
  });
});
