import { describe, expect, it } from 'vitest';
import { defineScenario, expectedMaxFactor, simulateRun, truthAt } from '../../../src/backends/sim/index.js';
import { PlatformRegistry } from '../../../src/platforms/index.js';

const aws = new PlatformRegistry().get('aws-lambda-x86');
const GB = 1024 ** 3;

const base = {
  name: 'unit',
  seed: 1,
  inputBytes: 4 * GB,
  coldStart: { medianMs: 300, logSd: 0.3 },
  read: { mbps: 80, halfMemMB: 500 },
  compute: { msPerMB: 20, threads: 1 },
  write: { mbps: 60, halfMemMB: 500, outputRatio: 0.5 },
  memory: { baseMB: 150, perPartitionMB: 2, gc: 0 },
  noise: { runLogSd: 0.05, stragglerLogSd: 0.1 },
};

describe('sim truth', () => {
  it('single-threaded compute stops gaining above 1 vCPU (1769 MB on AWS Lambda)', () => {
    const s = defineScenario(base);
    const at = (memoryMB: number) => truthAt(s, aws, { workers: 64, memoryMB }).phasesMs.compute;
    expect(at(2048)).toBeCloseTo(at(8192), 9);
    expect(at(1769)).toBeCloseTo(at(10_240), 9);
    expect(at(884.5) / at(1769)).toBeCloseTo(2, 6);
    const multi = defineScenario({ ...base, compute: { msPerMB: 20, threads: 4 } });
    const atMulti = (memoryMB: number) => truthAt(multi, aws, { workers: 64, memoryMB }).phasesMs.compute;
    expect(atMulti(2 * 1769) / atMulti(4 * 1769)).toBeCloseTo(2, 6);
    expect(atMulti(4 * 1769)).toBeCloseTo(atMulti(10_240), 9);
  });

  it('is out of memory below the floor, and the floor grows with the partition size', () => {
    const s = defineScenario(base);
    const t = truthAt(s, aws, { workers: 8, memoryMB: 512 });
    expect(t.memoryNeededMB).toBeCloseTo(150 + 2 * 512, 6);
    expect(t.oom).toBe(true);
    expect(t.feasible).toBe(false);
    expect(truthAt(s, aws, { workers: 8, memoryMB: 1200 }).oom).toBe(false);
    expect(truthAt(s, aws, { workers: 4, memoryMB: 1200 }).oom).toBe(true);
    const sample = simulateRun(s, aws, { workers: 8, memoryMB: 512 }, { rep: 0 });
    expect(sample.status).toBe('oom');
  });

  it('slows down as memory approaches the floor (GC)', () => {
    const s = defineScenario({ ...base, memory: { baseMB: 150, perPartitionMB: 2, gc: 0.1 } });
    const need = truthAt(s, aws, { workers: 64, memoryMB: 1024 }).memoryNeededMB;
    const at = (memoryMB: number) => truthAt(s, aws, { workers: 64, memoryMB }).phasesMs.compute;
    // Above 1769 MB the vCPU share no longer changes single-threaded compute: what is left is GC.
    expect(need).toBeLessThan(1769);
    expect(at(1800)).toBeGreaterThan(at(4000));
    const cpuOnly = truthAt(defineScenario(base), aws, { workers: 64, memoryMB: 4000 }).phasesMs.compute;
    expect(at(4000) / cpuOnly).toBeCloseTo(1 + 0.1 / (4000 / need - 1), 9);
  });

  it('storage throttling makes reads slower beyond a fan-out', () => {
    const s = defineScenario({ ...base, read: { mbps: 80, halfMemMB: 500, chunkMB: 8, aggregateRps: 2000 } });
    const read = (workers: number) => truthAt(s, aws, { workers, memoryMB: 3008 }).phasesMs.read;
    expect(read(16)).toBeGreaterThan(read(64));
    expect(read(1000)).toBeGreaterThan(read(500));
    expect(read(500)).toBeGreaterThan(read(200));
    const free = defineScenario({ ...base, read: { mbps: 80, halfMemMB: 500, chunkMB: 8 } });
    expect(truthAt(free, aws, { workers: 1000, memoryMB: 3008 }).phasesMs.read).toBeLessThan(read(1000));
  });

  it('per-worker bandwidth grows with memory and saturates', () => {
    const s = defineScenario(base);
    const read = (memoryMB: number) => truthAt(s, aws, { workers: 64, memoryMB }).phasesMs.read;
    expect(read(256)).toBeGreaterThan(read(1024));
    expect(read(1024)).toBeGreaterThan(read(8192));
    expect(read(4096) / read(8192)).toBeLessThan(1.1);
  });

  it('expected maximum of one worker is its mean, and grows with the workers', () => {
    expect(expectedMaxFactor(1, 1, 0.3, 0.15)).toBeCloseTo(Math.exp(0.045) + 1, 3);
    expect(expectedMaxFactor(1, 0.01, 0, 0.2)).toBeCloseTo(1.01, 3);
    const a = expectedMaxFactor(10, 0.5, 0.3, 0.15);
    const b = expectedMaxFactor(100, 0.5, 0.3, 0.15);
    const c = expectedMaxFactor(1000, 0.5, 0.3, 0.15);
    expect(a).toBeLessThan(b);
    expect(b).toBeLessThan(c);
  });

  it('rare stragglers leave the mean worker as it was and slow the slowest of many', () => {
    const rare = { share: 0.01, slowdown: 3 };
    const plain = defineScenario(base);
    const slowed = defineScenario({ ...base, noise: { ...base.noise, rareStragglers: rare } });
    const at = (s: typeof plain, workers: number) => truthAt(s, aws, { workers, memoryMB: 10_240 });
    expect(at(slowed, 1).makespanMs / at(plain, 1).makespanMs).toBeCloseTo(1, 2);
    expect(at(slowed, 8).makespanMs / at(plain, 8).makespanMs).toBeLessThan(1.15);
    // 500 workers: some 5 of them 3× slower (the slowest of the others is 1.5× the mean already).
    expect(at(slowed, 500).makespanMs / at(plain, 500).makespanMs).toBeGreaterThan(1.3);
  });

  it('runs past the concurrency limit in waves', () => {
    const s = defineScenario({ ...base, concurrency: 10 });
    const t = truthAt(s, aws, { workers: 25, memoryMB: 2048 });
    expect(t.waves).toBe(3);
    expect(t.coldWorkers).toBe(10);
    const oneWave = truthAt(s, aws, { workers: 25, memoryMB: 2048 }, { concurrency: 1000 });
    expect(t.makespanMs).toBeGreaterThan(2 * oneWave.makespanMs);
  });

  it.each([
    ['lognormal stragglers', { runLogSd: 0.08, stragglerLogSd: 0.2 }],
    [
      'rare stragglers on top',
      { runLogSd: 0.08, stragglerLogSd: 0.1, rareStragglers: { share: 0.01, slowdown: 2.5 } },
    ],
  ])('the truth is the mean of many generated runs (makespan and cost): %s', (_name, noise) => {
    const s = defineScenario({ ...base, noise });
    for (const cfg of [
      { workers: 1, memoryMB: 10_240 },
      { workers: 40, memoryMB: 1024 },
      { workers: 300, memoryMB: 3008 },
    ]) {
      const truth = truthAt(s, aws, cfg);
      let makespan = 0;
      let cost = 0;
      const runs = 400;
      for (let rep = 0; rep < runs; rep++) {
        const x = simulateRun(s, aws, cfg, { rep, seed: 3 });
        makespan += x.makespanMs! / runs;
        cost += x.costUSD! / runs;
      }
      expect(Math.abs(makespan / truth.makespanMs - 1)).toBeLessThan(0.03);
      expect(Math.abs(cost / truth.costUSD - 1)).toBeLessThan(0.02);
    }
  });

  it('takes the input size as a parameter (partition = input / workers)', () => {
    const s = defineScenario(base);
    const full = truthAt(s, aws, { workers: 40, memoryMB: 2048 });
    const tenth = truthAt(s, aws, { workers: 4, memoryMB: 2048 }, { inputBytes: s.inputBytes / 10 });
    expect(tenth.partitionMB).toBeCloseTo(full.partitionMB, 9);
    expect(tenth.phasesMs.compute).toBeCloseTo(full.phasesMs.compute, 9);
  });
});
