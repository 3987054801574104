import { describe, expect, it } from 'vitest';
import type { Features, TrainingPoint } from '../../src/models/features.js';
import { amdahlColdFamily, amdahlFamily } from '../../src/models/family-amdahl.js';
import { ernestExtCpuFamily, ernestExtFamily } from '../../src/models/family-ernest-ext.js';
import { forPhase } from '../../src/models/families.js';
import { ernestFamily } from '../../src/models/family-ernest.js';
import { gpCpuFamily, gpFamily } from '../../src/models/family-gp.js';
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

describe('amdahl on an all-to-all shuffle', () => {
  // Each of n workers reads its partition and one request per peer through a shared rate limit.
  const shuffle = (x: Features) => (15 * x.partitionMB) / x.vcpu + 0.2 * x.workers * x.workers;
  const wide: [number, number][] = [
    [117, 3280],
    [885, 1487],
  ];
  it('recovers a and b from two configs on either side of the knee', () => {
    const fitted = amdahlFamily.fit(points(shuffle, 0, wide));
    const d = fitted.describe();
    expect(d.axis).toBe(4);
    expect(d.a).toBeCloseTo(15, 4);
    expect(d.b).toBeCloseTo(0.2, 6);
    expect(fitted.predict(features(400, 2048)) / shuffle(features(400, 2048))).toBeCloseTo(1, 6);
  });
  it('is not tried where a phase that shrinks with the workers fits', () => {
    const d = amdahlFamily.fit(points((x) => (15 * x.partitionMB) / x.vcpu + 200, 0.1)).describe();
    expect(d.axis).not.toBe(4);
  });
});

describe('amdahl with the whole phase on the CPU', () => {
  // A model loaded per worker (3 s at 1 vCPU) and single-threaded work: both slow down below
  // 1 vCPU, neither speeds up past it.
  const law = (x: Features) => (3000 + 10 * x.partitionMB) / Math.min(x.vcpu, 1);
  it('recovers a, b and κ = 1 on the fourth axis', () => {
    const fitted = amdahlFamily.fit(points(law, 0.02));
    const d = fitted.describe();
    expect(d.axis).toBe(3);
    expect(d.kappa).toBe(1);
    expect(Math.abs(d.a! / 10 - 1)).toBeLessThan(0.1);
    expect(Math.abs(d.b! / 3000 - 1)).toBeLessThan(0.05);
  });
  it('predicts a quarter of a vCPU four times as slow as one, off the profiled memory', () => {
    const fitted = amdahlFamily.fit(points(law, 0.02));
    const slow = features(64, 442);
    expect(Math.abs(fitted.predict(slow) / law(slow) - 1)).toBeLessThan(0.05);
  });
});

describe('amdahl on the cold start', () => {
  // A runtime's init on one thread: 250 ms + 400 ms of CPU at 1 vCPU, no faster past one core.
  const law = (x: Features) => 250 + 400 / Math.min(x.vcpu, 1);
  it('recovers the whole-core cap κ = 1 and stays flat past it', () => {
    const fitted = amdahlColdFamily.fit(points(law, 0.02));
    const d = fitted.describe();
    expect(d.kappa).toBe(1);
    expect(Math.abs(d.a! / 400 - 1)).toBeLessThan(0.1);
    const at = (m: number) => fitted.predict(features(8, m));
    expect(at(8192) / at(1769)).toBeCloseTo(1, 6);
    expect(Math.abs(at(8192) / law(features(8, 8192)) - 1)).toBeLessThan(0.05);
  });
  it('keeps the uncapped law when the whole share helps', () => {
    const d = amdahlColdFamily.fit(points((x) => 250 + 400 / x.vcpu)).describe();
    expect(d.kappa).toBeUndefined();
    expect(d.a).toBeCloseTo(400, 4);
  });
  it('is what forPhase gives amdahl for the cold start, and only there', () => {
    expect(forPhase(amdahlFamily, 'coldStart', true)).toBe(amdahlColdFamily);
    expect(forPhase(amdahlFamily, 'compute', true)).toBe(amdahlFamily);
    expect(forPhase(amdahlFamily, 'read', false)).toBe(amdahlFamily);
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

describe('ernest-ext on a phase that moves no data', () => {
  // Compute on a machine of 2 cores: past 3538 MB the vCPU stops growing, and so does the speed.
  const capped = (n: number, m: number): Features => ({ ...features(n, m), vcpu: Math.min(m / 1769, 2) });
  const law = (x: Features) => 150 / x.vcpu + (40 * x.partitionMB) / x.vcpu;
  const grid: [number, number][] = [
    [1, 1024],
    [2, 2048],
    [4, 512],
    [1, 4696],
    [1, 7135],
    [8, 1769],
    [2, 3538],
  ];
  const noisy = (): TrainingPoint[] => {
    const rng = mulberry32(11);
    return grid.map(([n, m]) => {
      const x = capped(n, m);
      return { key: `${n}|${m}`, x, y: law(x) * Math.exp(0.12 * normal(rng)) };
    });
  };
  it('credits memory past the vCPU cap with no speed, however the noise falls', () => {
    const fitted = ernestExtCpuFamily.fit(noisy());
    expect(fitted.predict(capped(1, 10240))).toBeCloseTo(fitted.predict(capped(1, 4696)), 6);
    // With the term, the same noise makes memory look faster (what the plan would pay for).
    const withTerm = ernestExtFamily.fit(noisy());
    expect(withTerm.predict(capped(1, 10240))).toBeLessThan(0.99 * withTerm.predict(capped(1, 4696)));
  });
  it('is ernest-ext itself where the vCPU is memory/1769 (AWS Lambda)', () => {
    const lambdaLaw = (x: Features) => 200 / x.vcpu + (30 * x.partitionMB * 1024) / x.memoryMB;
    const a = ernestExtFamily.fit(points(lambdaLaw, 0.1));
    const b = ernestExtCpuFamily.fit(points(lambdaLaw, 0.1));
    for (const [n, m] of [
      [3, 700],
      [20, 4000],
      [1, 10240],
    ] as const)
      expect(b.predict(features(n, m)) / a.predict(features(n, m))).toBeCloseTo(1, 9);
  });
  it('is what cold start and a split compute phase get; the data phases keep the bandwidth term', () => {
    expect(forPhase(ernestExtFamily, 'compute', true)).toBe(ernestExtCpuFamily);
    expect(forPhase(gpFamily, 'coldStart', false)).toBe(gpCpuFamily);
    expect(forPhase(ernestExtFamily, 'read', true)).toBe(ernestExtFamily);
    // Compute that is the whole worker time (no read/write reported) still moves the data.
    expect(forPhase(gpFamily, 'compute', false)).toBe(gpFamily);
    expect(forPhase(memexpFamily, 'compute', true)).toBe(memexpFamily);
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
