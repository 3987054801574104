import { afterAll, describe, expect, it } from 'vitest';
import { SampleSchema } from '../../../src/core/schemas.js';
import { cgroupSkipReason, makeBackend, request, tempDir } from './helpers.js';

const skipCgroups = cgroupSkipReason !== null;
const why = skipCgroups ? ` [skipped: ${cgroupSkipReason}]` : '';

describe('local backend limits', () => {
  const t = tempDir();
  afterAll(() => t.cleanup());

  it.skipIf(skipCgroups)(
    `cgroup: a stage allocating off-heap past its memory is an oom sample${why}`,
    async () => {
      const backend = makeBackend(t.dir, { isolation: 'cgroup' });
      const { sample } = await backend.runStage(
        request('alloc-off-heap', {
          config: { workers: 1, memoryMB: 256, vcpu: 1 },
          params: { allocMB: 512 },
        }),
      );
      expect(sample.status).toBe('oom');
      expect(sample.error).toMatch(/cgroup OOM kill/);
      expect(SampleSchema.safeParse(sample).success).toBe(true);
      expect(sample.workers[0]!.peakMemoryMB).toBeLessThanOrEqual(256);
    },
  );

  it(`rlimit-watchdog: the RSS watchdog catches an off-heap allocation past memory`, async () => {
    const backend = makeBackend(t.dir, { isolation: 'rlimit-watchdog' });
    expect(backend.mode).toBe('rlimit-watchdog');
    const { sample } = await backend.runStage(
      request('alloc-off-heap', { config: { workers: 1, memoryMB: 256, vcpu: 1 }, params: { allocMB: 512 } }),
    );
    expect(sample.status).toBe('oom');
    expect(sample.error).toMatch(/RSS watchdog|peak RSS/);
    expect(sample).toMatchObject({ isolation: 'rlimit-watchdog' });
  });

  it.skipIf(skipCgroups)(
    `cgroup: a worker gets its vCPU share (0.2), per the cgroup's own CPU accounting${why}`,
    async () => {
      const backend = makeBackend(t.dir, { isolation: 'cgroup' });
      const { sample } = await backend.runStage(
        request('spin', { config: { workers: 1, memoryMB: 1024, vcpu: 0.2 }, params: { cpuMs: 1000 } }),
      );
      expect(sample.status).toBe('ok');
      const w = sample.workers[0] as {
        cpuMs: number;
        throttledMs: number;
        throttledPeriods: number;
        billedMs: number;
      };
      // The kernel throttled the group, and its CPU time stayed within 0.2 of its wall time
      // (CFS enforces per 100 ms period; 15 % slack for the partial last period and accounting).
      // A share of 0.2 is one busy thread's demand cut by 5×: it is throttled even when other test
      // files keep both cores busy (at 0.5, a loaded machine could leave the thread below its quota).
      expect(w.throttledPeriods).toBeGreaterThan(0);
      expect(w.throttledMs).toBeGreaterThan(0);
      expect(w.cpuMs).toBeLessThanOrEqual(0.2 * w.billedMs * 1.15);
      console.info(
        `vcpu 0.2: cpu ${w.cpuMs.toFixed(0)} ms over ${w.billedMs.toFixed(0)} ms wall, throttled ${w.throttledMs.toFixed(0)} ms in ${w.throttledPeriods} periods`,
      );
    },
  );
});
