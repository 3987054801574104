import { afterAll, describe, expect, it } from 'vitest';
import { makeBackend, request, tempDir } from './helpers.js';

describe('local backend concurrency', () => {
  const t = tempDir();
  afterAll(() => t.cleanup());

  it('runs workers × vcpu beyond the cores in waves, and the makespan shows them', async () => {
    // Two cores' worth of room, four 1-vCPU workers: two waves.
    const backend = makeBackend(t.dir, { capacity: { vcpu: 2, memoryMB: 8192 } });
    expect(backend.concurrency({ workers: 4, memoryMB: 1024, vcpu: 1 })).toBe(2);
    const { sample } = await backend.runStage(
      request('spin', { config: { workers: 4, memoryMB: 1024, vcpu: 1 }, params: { cpuMs: 400 } }),
    );
    expect(sample.status).toBe('ok');
    // Recorded, so the model trains on the waves as waves (fit-stage.test.ts).
    expect(sample.concurrency).toBe(2);
    // And what a worker's CPU was: its share under a cgroup limit, the whole machine without one.
    expect(sample.effectiveVcpu).toBe(backend.mode === 'rlimit-watchdog' ? 2 : 1);
    const queued = sample.workers.map((w) => (w as { queuedMs: number }).queuedMs).sort((a, b) => a - b);
    expect(queued[1]!).toBeLessThan(100);
    // The second wave waits for a whole first-wave worker: cold start plus 400 ms of spinning.
    expect(queued[2]!).toBeGreaterThan(400);
    expect(sample.makespanMs!).toBeGreaterThan(2 * 400);
  });
});
