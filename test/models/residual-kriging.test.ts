import { describe, expect, it } from 'vitest';
import { fitKriging, krigeAt, type KrigingPoint } from '../../src/models/residual-kriging.js';

describe('residual kriging', () => {
  const v = 0.2 ** 2;
  const noise = 0.05 ** 2 / 3;
  const at = (c: number[], e: number): KrigingPoint => ({
    c,
    v,
    noise,
    e,
    eBilled: e / 2,
    noiseBilled: noise,
  });
  const points = [
    at([0, 0, 0, 0], 0.15),
    at([1, 0, 0, 1], -0.1),
    at([0, 1, 1, 0], 0.05),
    at([1, 1, 1, 1], 0),
    at([0.5, 0.2, 0.2, 0.5], 0.1),
  ];

  it('pulls the model toward a measured mean, with the measured mean’s uncertainty there', () => {
    const g = fitKriging(points)!;
    expect(g).not.toBeNull();
    const out = new Float64Array(3);
    krigeAt(g, [0, 0, 0, 0], v, new Float64Array(g.m), out);
    expect(out[0]).toBeGreaterThan(0.1);
    expect(out[0]).toBeLessThan(0.16);
    expect(Math.sqrt(out[2]!)).toBeLessThan(0.05);
    expect(Math.sqrt(out[2]!)).toBeGreaterThan(0.01);
  });

  it('fades back to the model and its error far from the measured configs', () => {
    const g = fitKriging(points)!;
    const out = new Float64Array(3);
    krigeAt(g, [6, 6, 6, 6], v, new Float64Array(g.m), out);
    expect(Math.abs(out[0]!)).toBeLessThan(1e-6);
    expect(out[2]).toBeCloseTo(v, 6);
  });

  it('chooses the noise scale by likelihood when asked: scattered near-twins are noise', () => {
    // Pairs of nearly the same config measured 0.2 apart in ln: the assumed 0.05 cannot be it.
    const scattered = [0, 0.3, 0.6, 0.9].flatMap((x) => [
      at([x, 0, 0, 0], 0.1),
      at([x + 0.01, 0, 0, 0], -0.1),
    ]);
    const scales = [1, 2.25, 4, 9];
    const g = fitKriging(scattered, { noiseScales: scales })!;
    expect(g.noiseScale).toBeGreaterThan(4);
    // Consistent twins keep the assumption; without the option the noise is taken as given.
    const tidy = [0, 0.3, 0.6, 0.9].flatMap((x) => [at([x, 0, 0, 0], 0.1), at([x + 0.01, 0, 0, 0], 0.1)]);
    expect(fitKriging(tidy, { noiseScales: scales })!.noiseScale).toBe(1);
    expect(fitKriging(scattered)!.noiseScale).toBe(1);
  });

  it('does not condition on fewer configs than can identify the correlation length', () => {
    expect(fitKriging(points.slice(0, 3))).toBeNull();
  });
});
