import { describe, expect, it } from 'vitest';
import { mulberry32, standardNormals } from '../../src/core/prng.js';
import { normalQuantile } from '../../src/core/normal.js';
import { defineScenario, simulateRun, truthAt } from '../../src/backends/sim/index.js';
import { finishTail, heavierThanNormal } from '../../src/models/finish-tail.js';
import { fitStage } from '../../src/models/fit-stage.js';
import { PlatformRegistry } from '../../src/platforms/index.js';

const normals = (n: number, seed: number): number[] => Array.from(standardNormals(seed, n));

/** A tight body with 1 % of the draws 5 sd of the body out: the shape of flexecutor's Lambda runs. */
function mixture(n: number, seed: number): number[] {
  const z = normals(n, seed);
  const rng = mulberry32(seed + 1);
  const raw = z.map((v) => (rng.next() < 0.01 ? 5 + v : v));
  const m = raw.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(raw.reduce((a, b) => a + (b - m) ** 2, 0) / (n - 1));
  return raw.map((v) => (v - m) / sd);
}

describe('finishTail', () => {
  it('keeps the lognormal for a normal pool and for too few deviations', () => {
    expect(finishTail(normals(5000, 1))).toBeNull();
    expect(finishTail(mixture(150, 2))).toBeNull();
  });

  it('tests the count above 3 sd against a normal’s', () => {
    const sorted = (xs: number[]) => Float64Array.from(xs).sort();
    expect(heavierThanNormal(sorted(normals(20_000, 3)))).toBe(false);
    expect(heavierThanNormal(sorted(mixture(5000, 4)))).toBe(true);
  });

  it('puts the slowest of many far out and the slowest of few closer in than a normal', () => {
    const tail = finishTail(mixture(20_000, 5))!;
    expect(tail).not.toBeNull();
    const blom = (n: number) => normalQuantile((n - 0.375) / (n + 0.25));
    expect(tail.quantileOfMax(1000)).toBeGreaterThan(1.5 * blom(1000));
    expect(tail.quantileOfMax(5)).toBeLessThan(blom(5));
    // Past the measured quantiles it goes on as a normal does.
    expect(tail.quantileOfMax(1e6) - tail.quantileOfMax(1e5)).toBeCloseTo(blom(1e6) - blom(1e5), 1);
  });

  it('tabulates ln E[exp(σz)] of the pool', () => {
    const z = mixture(20_000, 6);
    const tail = finishTail(z)!;
    for (const sigma of [0.02, 0.13, 0.4, 1.1]) {
      const direct = Math.log(z.reduce((a, v) => a + Math.exp(sigma * v), 0) / z.length);
      expect(tail.cumulant(sigma) / direct).toBeCloseTo(1, 2);
    }
  });
});

describe('fitStage with rare stragglers', () => {
  const aws = new PlatformRegistry().get('aws-lambda-x86');
  const design = [
    [8, 3008],
    [16, 1024],
    [24, 2048],
    [32, 1769],
    [48, 4096],
    [64, 1536],
    [64, 3008],
  ] as const;
  it.each([
    [0.01, 2.5],
    [0.02, 2],
  ])(
    'profiled at ≤ 64 workers, predicts 500 within 25 %: %s of the workers %s× slower',
    (share, slowdown) => {
      const s = defineScenario({
        name: 'rare',
        seed: 1,
        inputBytes: 20 * 1024 ** 3,
        coldStart: { medianMs: 300, logSd: 0.3 },
        read: { mbps: 80, halfMemMB: 500 },
        compute: { msPerMB: 20, threads: 1 },
        write: { mbps: 60, halfMemMB: 500, outputRatio: 0.5 },
        memory: { baseMB: 150, perPartitionMB: 0.2, gc: 0 },
        noise: { runLogSd: 0.05, stragglerLogSd: 0.1, rareStragglers: { share, slowdown } },
      });
      const samples = design.flatMap(([workers, memoryMB]) =>
        [0, 1, 2].map((rep) => simulateRun(s, aws, { workers, memoryMB }, { rep, seed: 7 })),
      );
      const p = fitStage(samples).predict({ workers: 500, memoryMB: 2048, vcpu: 2048 / 1769 }, s.inputBytes);
      const truth = truthAt(s, aws, { workers: 500, memoryMB: 2048 });
      // With lognormal stragglers fitted to these runs: 2.5× and 2.9× the truth.
      expect(Math.abs(Math.log(p.makespanMs / truth.makespanMs))).toBeLessThan(Math.log(1.25));
    },
  );
});
