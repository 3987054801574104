import { describe, expect, it } from 'vitest';
import { meanSquare, pseudoBmaWeights } from '../../src/models/disagreement.js';
import { fitStage } from '../../src/models/fit-stage.js';
import { DESIGN, generate, typicalLaw, type Law } from './synthetic.js';

const MB = 2 ** 20;
const cfg = (workers: number, memoryMB: number) => ({ workers, memoryMB, vcpu: memoryMB / 1769 });

describe('pseudoBmaWeights', () => {
  it('weighs by (mean square)^(−m/2), drops the far-off, sums to 1', () => {
    const w = pseudoBmaWeights([0.01, 0.0125, 0.05, NaN], 7);
    expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(w[1]! / w[0]!).toBeCloseTo(1.25 ** -3.5, 10);
    expect(w[2]).toBe(0);
    expect(w[3]).toBe(0);
    expect(pseudoBmaWeights([NaN], 7)).toEqual([0]);
    expect(meanSquare([0.1, -0.2])).toBeCloseTo(0.025, 12);
  });
});

describe('model disagreement in meanLogSd', () => {
  it('adds nothing at the profiled configs and grows far outside them', () => {
    // Coordination that grows like √n: between log n and n, so the families part ways far out.
    const law: Law = {
      ...typicalLaw,
      phases: (c) => ({
        ...typicalLaw.phases(c),
        compute: 300 + 60 * Math.sqrt(c.workers) + (20 * c.partitionMB) / Math.min(c.vcpu, 2),
      }),
    };
    const samples = generate(law, DESIGN);
    const auto = fitStage(samples);
    const inside = auto.predict(cfg(12, 1300), 1024 * MB);
    const far = auto.predict(cfg(1000, 10_240), 1024 * MB);
    // Far outside, the sd exceeds the extrapolation term alone (0.15 per log unit).
    const extrapolationOnly = Math.sqrt(
      auto.describe().phases.find((p) => p.phase === 'makespan')!.params.modelLogSd! ** 2 +
        (0.15 * far.extrapolation) ** 2,
    );
    expect(far.meanLogSd).toBeGreaterThanOrEqual(extrapolationOnly - 1e-12);
    expect(inside.meanLogSd).toBeLessThan(0.1);
  });
});
