import { describe, expect, it } from 'vitest';
import type { Features, TrainingPoint } from '../../src/models/features.js';
import { amdahlFamily } from '../../src/models/family-amdahl.js';
import { ernestExtFamily } from '../../src/models/family-ernest-ext.js';
import { ernestFamily } from '../../src/models/family-ernest.js';
import { gpFamily } from '../../src/models/family-gp.js';
import { memexpFamily } from '../../src/models/family-memexp.js';
import { mulberry32, normal } from './synthetic.js';

const INPUT_MB = 1024;
const GRID: [number, number][] = [
  [2, 512],
  [4, 1024],
  [8, 2048],
  [16, 1024],
  [32, 3008],
  [8, 768],
  [4, 3008],
  [16, 1769],
];

function features(workers: number, memoryMB: number): Features {
  return { workers, memoryMB, vcpu: memoryMB / 1769, partitionMB: INPUT_MB / workers, floorMB: 0 };
}

function points(law: (x: Features) => number, noise = 0, grid = GRID, reps = 3): TrainingPoint[] {
  const rng = mulberry32(3);
  const out: TrainingPoint[] = [];
  for (const [n, m] of grid)
    for (let r = 0; r < reps; r++) {
      const x = features(n, m);
      out.push({ key: `${n}|${m}`, x, y: law(x) * Math.exp(noise * normal(rng)) });
    }
  return out;
}

describe('amdahl', () => {
  const law = (x: Features) => 40 * (x.partitionMB / x.vcpu) + 300; // a/(workers·vcpu) + b
  it('recovers a and b and the parallelism axis without noise', () => {
    const d = amdahlFamily.fit(points(law)).describe();
    expect(d.axis).toBe(1);
    expect(d.a).toBeCloseTo(40, 6);
    expect(d.b).toBeCloseTo(300, 4);
  });
  it('stays within 5 % with 3 % noise', () => {
    const d = amdahlFamily.fit(points(law, 0.03)).describe();
    expect(Math.abs(d.a! / 40 - 1)).toBeLessThan(0.05);
    expect(Math.abs(d.b! / 300 - 1)).toBeLessThan(0.2);
  });
});

describe('ernest', () => {
  // Single-threaded: vCPU above 1 stops helping (κ = 1).
  const law = (x: Features) =>
    200 + (50 * x.partitionMB) / Math.min(x.vcpu, 1) + 30 * Math.log(x.workers) + 5 * x.workers;
  it('recovers θ and κ without noise', () => {
    const d = ernestFamily.fit(points(law)).describe();
    expect(d.kappa).toBe(1);
    expect(d.theta0).toBeCloseTo(200, 3);
    expect(d.thetaPartition).toBeCloseTo(50, 5);
    expect(d.thetaLogWorkers).toBeCloseTo(30, 3);
    expect(d.thetaWorkers).toBeCloseTo(5, 4);
  });
  it('keeps the dominant term within 5 % with 3 % noise', () => {
    const d = ernestFamily.fit(points(law, 0.03)).describe();
    expect(d.kappa).toBe(1);
    expect(Math.abs(d.thetaPartition! / 50 - 1)).toBeLessThan(0.05);
  });
});

describe('ernest-ext', () => {
  const law = (x: Features) =>
    800 / Math.min(x.vcpu, 1) +
    (30 * x.partitionMB) / Math.min(x.vcpu, 1) +
    (10 * x.partitionMB * 1024) / x.memoryMB +
    3 * x.partitionMB;
  it('predicts held-out configs of its own law exactly', () => {
    const fitted = ernestExtFamily.fit(points(law));
    for (const [n, m] of [
      [6, 900],
      [24, 2500],
      [64, 1769],
    ] as const) {
      const x = features(n, m);
      expect(fitted.predict(x) / law(x)).toBeCloseTo(1, 3);
    }
  });
});

describe('memexp', () => {
  const grid: [number, number][] = [128, 256, 512, 768, 1024, 1536, 2048, 3008].map((m) => [1, m]);
  const law = (x: Features) => 1500 + 9000 * Math.exp(-x.memoryMB / 600);
  it('recovers a0, a1, a2 without noise', () => {
    const d = memexpFamily.fit(points(law, 0, grid)).describe();
    expect(d.a0).toBeCloseTo(1500, 0);
    expect(d.a1).toBeCloseTo(9000, -1);
    expect(d.a2MB).toBeCloseTo(600, 0);
  });
  it('stays within 10 % with 3 % noise', () => {
    const d = memexpFamily.fit(points(law, 0.03, grid)).describe();
    expect(Math.abs(d.a0! / 1500 - 1)).toBeLessThan(0.1);
    expect(Math.abs(d.a2MB! / 600 - 1)).toBeLessThan(0.1);
  });
  it('scales with the partition size across worker counts', () => {
    const scaled = (x: Features) => (x.partitionMB / 128) * law(x);
    const fitted = memexpFamily.fit(points(scaled));
    const x = features(12, 1300);
    expect(fitted.predict(x) / scaled(x)).toBeCloseTo(1, 2);
  });
});

describe('gp', () => {
  // A law no parametric family holds exactly: smooth, with a bump in memory.
  const law = (x: Features) =>
    (200 + 40 * x.partitionMB ** 1.1) * (1 + 0.3 * Math.exp(-((Math.log(x.memoryMB / 1400) / 1) ** 2)));
  it('interpolates within 5 % and is more uncertain far from the data', () => {
    const fitted = gpFamily.fit(points(law, 0.01));
    const inside = features(8, 1300);
    expect(Math.abs(fitted.predict(inside) / law(inside) - 1)).toBeLessThan(0.05);
    const far = features(512, 10240);
    // Far away the residual GP reverts to its prior variance σf².
    expect(fitted.logVariance!(far)).toBeGreaterThan(2 * fitted.logVariance!(inside));
    expect(fitted.logVariance!(far)).toBeCloseTo(fitted.describe().signalVar!, 3);
  });
  it('recovers the noise level of repeated configs by marginal likelihood', () => {
    const d = gpFamily.fit(points(law, 0.1)).describe();
    expect(d.noiseVar).toBeGreaterThanOrEqual(0.004);
    expect(d.noiseVar).toBeLessThanOrEqual(0.016);
  });
});
