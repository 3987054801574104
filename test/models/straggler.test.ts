import { describe, expect, it } from 'vitest';
import { finishLogSdAt, maxNormalVariance, stragglerFactor } from '../../src/models/straggler.js';
import { mulberry32, normal } from './synthetic.js';

/** Draws of a lognormal with mean `mean` and ln-sd `sd`. */
function lognormals(rng: () => number, count: number, mean: number, sd: number): number[] {
  return Array.from({ length: count }, () => mean * Math.exp(sd * normal(rng) - (sd * sd) / 2));
}

describe('stragglerFactor', () => {
  it('is 1 for one worker and matches the Monte Carlo expected maximum of n lognormals', () => {
    expect(stragglerFactor(1, 0.3)).toBe(1);
    const rng = mulberry32(3);
    for (const [n, sd] of [
      [20, 0.1],
      [200, 0.25],
    ] as const) {
      let sum = 0;
      const trials = 400;
      for (let t = 0; t < trials; t++) sum += Math.max(...lognormals(rng, n, 1, sd));
      expect(stragglerFactor(n, sd) / (sum / trials)).toBeCloseTo(1, 1);
    }
    expect(stragglerFactor(1000, 0.2)).toBeGreaterThan(stragglerFactor(100, 0.2));
  });
});

describe('maxNormalVariance', () => {
  it('is the variance of the largest of n standard normals', () => {
    expect(maxNormalVariance(1)).toBe(1);
    expect(maxNormalVariance(2)).toBeCloseTo(1 - 1 / Math.PI, 4); // exact for two
    const rng = mulberry32(11);
    for (const n of [10, 300]) {
      const maxes = Array.from({ length: 4000 }, () =>
        Math.max(...Array.from({ length: n }, () => normal(rng))),
      );
      const m = maxes.reduce((a, b) => a + b, 0) / maxes.length;
      const v = maxes.reduce((a, b) => a + (b - m) ** 2, 0) / (maxes.length - 1);
      expect(maxNormalVariance(n) / v).toBeCloseTo(1, 1);
    }
    expect(maxNormalVariance(1000)).toBeLessThan(maxNormalVariance(100));
  });
});

describe('finishLogSdAt', () => {
  const spread = { pooled: 0.2, cold: 0.5, work: 0.05 };

  it('takes the pooled spread when the parts are unknown', () => {
    expect(finishLogSdAt({ pooled: 0.2, cold: null, work: 0.1 }, 100, 1000)).toBe(0.2);
  });

  it('is the spread of whichever part the finish is made of', () => {
    expect(finishLogSdAt(spread, 0, 1000)).toBeCloseTo(0.05, 6);
    expect(finishLogSdAt(spread, 1000, 0)).toBeCloseTo(0.5, 6);
    expect(finishLogSdAt(spread, 1000, 1000)).toBeGreaterThan(finishLogSdAt(spread, 100, 1000));
  });

  it('gives the lognormal with the mean and variance of the sum of the parts', () => {
    const rng = mulberry32(11);
    const cold = lognormals(rng, 200_000, 300, 0.5);
    const work = lognormals(rng, 200_000, 900, 0.05);
    const sums = cold.map((c, i) => c + work[i]!);
    const mean = sums.reduce((a, b) => a + b, 0) / sums.length;
    const variance = sums.reduce((a, b) => a + (b - mean) ** 2, 0) / (sums.length - 1);
    expect(finishLogSdAt(spread, 300, 900)).toBeCloseTo(Math.sqrt(Math.log(1 + variance / mean ** 2)), 2);
  });
});
