import { describe, expect, it } from 'vitest';
import type { Features, TrainingPoint } from '../../src/models/features.js';
import { fitNonNegativeLinear, fitPruned, type Basis } from '../../src/models/linear-fit.js';
import { DESIGN, mulberry32, normal } from './synthetic.js';

/** Ernest's basis at κ = 1: 1, p / min(vcpu, 1), log n, n. */
const BASIS: Basis[] = [
  () => 1,
  (x) => x.partitionMB / Math.min(x.vcpu, 1),
  (x) => Math.log(x.workers),
  (x) => x.workers,
];
const FAN_OUT = [2, 3];

/** One point per config (the config means the families fit), 1 GB over the DESIGN's workers. */
function points(law: (x: Features) => number, noise: number, seed: number): TrainingPoint[] {
  const rng = mulberry32(seed);
  return DESIGN.map(([n, m]) => {
    const x = { workers: n, memoryMB: m, vcpu: m / 1769, partitionMB: 1024 / n, floorMB: 0 };
    return { key: `${n}|${m}`, x, y: law(x) * Math.exp(noise * normal(rng)) };
  });
}

describe('fitPruned', () => {
  it('drops fan-out terms the data do not support: NNLS alone fits them to noise', () => {
    const law = (x: Features): number => 300 + (20 * x.partitionMB) / Math.min(x.vcpu, 1);
    let fullKept = 0;
    let prunedKept = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const data = points(law, 0.06, seed);
      const full = fitNonNegativeLinear(data, BASIS);
      const pruned = fitPruned(data, BASIS, FAN_OUT, full);
      if (full.theta[3]! > 0 || full.theta[2]! > 0) fullKept++;
      if (pruned.theta[3]! > 0 || pruned.theta[2]! > 0) prunedKept++;
      expect(pruned.relativeSS).toBeGreaterThanOrEqual(full.relativeSS - 1e-12);
    }
    expect(fullKept).toBeGreaterThan(10);
    expect(prunedKept).toBeLessThanOrEqual(fullKept / 4);
  });

  it('keeps a fan-out term the data show, and recovers it', () => {
    const law = (x: Features): number => 100 + (20 * x.partitionMB) / Math.min(x.vcpu, 1) + 25 * x.workers;
    for (let seed = 1; seed <= 10; seed++) {
      const { theta } = fitPruned(points(law, 0.02, seed), BASIS, FAN_OUT);
      expect(theta[3]!).toBeGreaterThan(20);
      expect(theta[3]!).toBeLessThan(30);
    }
  });

  it('is the NNLS fit when there is nothing to drop', () => {
    const data = points((x) => 50 + 10 * x.partitionMB, 0.02, 3);
    const full = fitNonNegativeLinear(data, BASIS);
    expect(fitPruned(data, BASIS, [], full)).toBe(full);
  });
});
