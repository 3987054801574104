import { describe, expect, it } from 'vitest';
import { backSolve, cholesky, forwardSolve } from '../../src/models/cholesky.js';
import { fitGaussianProcess } from '../../src/models/gaussian-process.js';

/** Deterministic pseudo-random numbers in [0, 1). */
function lcg(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

describe('fitGaussianProcess', () => {
  // Repeated inputs (three repetitions per config), as the stage models fit them.
  const rnd = lcg(7);
  const configs = Array.from({ length: 7 }, () => [rnd() * 3, rnd() * 2, rnd() * 4 - 2]);
  const xs = configs.flatMap((c) => [c, c, c]);
  const ys = xs.map((x) => Math.sin(x[0]!) + 0.3 * x[1]! - 0.1 * x[2]! + 0.05 * (rnd() - 0.5));

  for (const trend of [true, false]) {
    it(`predicts like the textbook formulas from its cached factors (trend ${trend})`, () => {
      const gp = fitGaussianProcess(xs, ys, { trend });
      // GPML alg. 2.1 on every point, repetitions included, with the chosen hyper-parameters.
      const n = xs.length;
      const mu = [0, 1, 2].map((d) => xs.reduce((s, x) => s + x[d]!, 0) / n);
      const sd = [0, 1, 2].map((d) => Math.sqrt(xs.reduce((s, x) => s + (x[d]! - mu[d]!) ** 2, 0) / n));
      const z = (x: readonly number[]) => x.map((v, d) => (v - mu[d]!) / sd[d]!);
      const { lengthScale, signalVar, noiseVar } = gp.hyper;
      const k = (a: number[], b: number[]) =>
        (trend ? 1 + a.reduce((s, v, d) => s + v * b[d]!, 0) : 0) +
        signalVar * Math.exp(-a.reduce((s, v, d) => s + (v - b[d]!) ** 2, 0) / (2 * lengthScale ** 2));
      const zs = xs.map(z);
      const yMean = trend ? ys.reduce((s, v) => s + v, 0) / n : 0;
      const l = cholesky(zs.map((a, i) => zs.map((b, j) => k(a, b) + (i === j ? noiseVar : 0))))!;
      const alpha = backSolve(
        l,
        forwardSolve(
          l,
          ys.map((y) => y - yMean),
        ),
      );
      const probes = [...configs, [5, 5, 5], [-3, 0.5, 1], [1.5, 1, 0]];
      // Interleave the calls so a stale cached kernel column would show.
      const means = probes.map((p) => gp.mean(p));
      const variances = probes.map((p, i) => gp.variance(probes[(i + 3) % probes.length]!));
      probes.forEach((p, i) => {
        const ks = zs.map((b) => k(z(p), b));
        const mean = ks.reduce((s, v, j) => s + v * alpha[j]!, 0) + yMean;
        expect(means[i]).toBeCloseTo(mean, 9);
        const q = probes[(i + 3) % probes.length]!;
        const kq = zs.map((b) => k(z(q), b));
        const v = forwardSolve(l, kq);
        const variance = Math.max(k(z(q), z(q)) - v.reduce((s, w) => s + w * w, 0), 0);
        expect(variances[i]).toBeCloseTo(variance, 9);
        expect(gp.predict(p)).toEqual({ mean: gp.mean(p), variance: gp.variance(p) });
      });
      if (!trend) for (const p of probes) expect(gp.variance(p)).toBeLessThanOrEqual(gp.maxVariance);
    });
  }
});
