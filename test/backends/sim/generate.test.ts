import { describe, expect, it } from 'vitest';
import { defineScenario, simulateRun } from '../../../src/backends/sim/index.js';
import { SampleSchema } from '../../../src/core/types.js';
import { PlatformRegistry } from '../../../src/platforms/index.js';

const aws = new PlatformRegistry().get('aws-lambda-x86');
const s = defineScenario({
  name: 'gen',
  seed: 42,
  inputBytes: 2 * 1024 ** 3,
  coldStart: { medianMs: 300 },
  read: { mbps: 80, halfMemMB: 500 },
  compute: { msPerMB: 20 },
  write: { mbps: 60 },
  memory: { baseMB: 150, perPartitionMB: 2 },
  noise: { runLogSd: 0.05, stragglerLogSd: 0.1 },
});

describe('sim sample generator', () => {
  it('is deterministic: same scenario, config, rep and seed give the same sample', () => {
    const a = simulateRun(s, aws, { workers: 16, memoryMB: 1024 }, { rep: 2, seed: 9 });
    const b = simulateRun(s, aws, { workers: 16, memoryMB: 1024 }, { rep: 2, seed: 9 });
    expect(a).toEqual(b);
    const c = simulateRun(s, aws, { workers: 16, memoryMB: 1024 }, { rep: 3, seed: 9 });
    const d = simulateRun(s, aws, { workers: 16, memoryMB: 1024 }, { rep: 2, seed: 10 });
    expect(c.makespanMs).not.toBe(a.makespanMs);
    expect(d.makespanMs).not.toBe(a.makespanMs);
    expect(c.runId).not.toBe(a.runId);
  });

  it('writes sample/v1 records that validate, ok and oom alike', () => {
    const ok = simulateRun(s, aws, { workers: 16, memoryMB: 1024 }, { rep: 0, workflow: 'w' });
    const oom = simulateRun(s, aws, { workers: 1, memoryMB: 1024 }, { rep: 0, workflow: 'w' });
    expect(ok.status).toBe('ok');
    expect(oom.status).toBe('oom');
    for (const x of [ok, oom])
      expect(SampleSchema.safeParse(JSON.parse(JSON.stringify(x))).success).toBe(true);
    expect(ok.workers).toHaveLength(16);
    for (const w of ok.workers) {
      expect(w.totalMs!).toBeGreaterThanOrEqual(w.readMs! + w.computeMs! + w.writeMs!);
      expect(w.billedMs!).toBeGreaterThanOrEqual(w.totalMs!);
      expect(w.peakMemoryMB!).toBeLessThanOrEqual(1024);
    }
    const slowest = Math.max(...ok.workers.map((w) => w.coldStartMs! + w.totalMs!));
    expect(ok.makespanMs).toBeCloseTo(slowest, 6);
    expect(ok.costUSD!).toBeGreaterThan(0);
  });

  it('records the concurrency of a run that ran in waves, and its makespan is the waves', () => {
    const capped = defineScenario({ ...s, name: 'capped', concurrency: 4 });
    const waved = simulateRun(capped, aws, { workers: 10, memoryMB: 1024 }, { rep: 0 });
    expect(waved.concurrency).toBe(4);
    const slowest = Math.max(...waved.workers.map((w) => (w.coldStartMs ?? 0) + w.totalMs!));
    expect(waved.makespanMs!).toBeGreaterThan(2 * slowest * 0.8);
    // One wave: nothing to say (the platform's limit was not reached).
    expect(simulateRun(capped, aws, { workers: 4, memoryMB: 1024 }, { rep: 0 }).concurrency).toBeUndefined();
  });

  it('times out past the platform timeout', () => {
    const slow = defineScenario({
      ...s,
      name: 'slow',
      compute: { msPerMB: 2000, exponent: 1, threads: 1, setupMs: 0 },
    });
    expect(simulateRun(slow, aws, { workers: 1, memoryMB: 10_240 }, { rep: 0 }).status).toBe('timeout');
  });
});
