import { describe, expect, it } from 'vitest';
import type { ResolvedConfig, Sample } from '../../src/core/types.js';
import { estimatedNeedMB, repairedConfig, shownNeedMB } from '../../src/profiler/memory-repair.js';
import type { StageSpace } from '../../src/profiler/space.js';

const cfg = (workers: number, memoryMB: number): ResolvedConfig => ({
  workers,
  memoryMB,
  vcpu: memoryMB / 1769,
});
const run = (workers: number, memoryMB: number, status: 'ok' | 'oom', peakMB?: number): Sample => ({
  schema: 'rightsizer.sample/v1',
  workflow: 'w',
  stage: 's',
  config: { workers, memoryMB, vcpu: memoryMB / 1769 },
  rep: 0,
  status,
  makespanMs: status === 'ok' ? 1000 : null,
  workers:
    status === 'ok'
      ? [
          {
            coldStartMs: 1,
            readMs: 1,
            computeMs: 1,
            writeMs: 1,
            totalMs: 3,
            peakMemoryMB: peakMB ?? null,
            billedMs: 4,
            cold: true,
          },
        ]
      : [],
});
const space: StageSpace = {
  workers: [1, 2, 4, 8, 16, 32, 64],
  sizes: [128, 256, 512, 1024, 1536, 2048, 4096].map((m) => ({ memoryMB: m, vcpu: m / 1769 })),
};

describe('the sparse start skips runs certain to run out of memory', () => {
  it('a run with no larger partition that peaked above the memory shows the need', () => {
    const runs = [run(16, 2048, 'ok', 900)];
    expect(shownNeedMB(cfg(4, 512), runs)).toBe(900); // 4 workers: 4× the partition of 16
    expect(shownNeedMB(cfg(32, 512), runs)).toBeNull(); // a smaller partition: nothing shown
    expect(shownNeedMB(cfg(4, 1024), runs)).toBeNull(); // has more than the peak
    expect(shownNeedMB(cfg(4, 900), runs)).toBeNull(); // exactly the peak may fit
    // Raised at its worker count to the smallest allowed size ≥ 1.25 × 900 MB.
    expect(repairedConfig(cfg(4, 512), runs, space)).toEqual(cfg(4, 1536));
  });

  it('an out-of-memory run at as much memory and no larger partition shows it too', () => {
    const runs = [run(8, 1024, 'oom')];
    expect(shownNeedMB(cfg(2, 512), runs)).toBe(1024);
    expect(shownNeedMB(cfg(2, 1024), runs)).toBe(1024); // exactly the memory that ran out cannot
    expect(shownNeedMB(cfg(2, 1100), runs)).toBeNull();
    expect(repairedConfig(cfg(2, 512), runs, space)).toEqual(cfg(2, 1536)); // ≥ 1.25 × 1024 MB
    expect(repairedConfig(cfg(16, 512), runs, space)).toEqual(cfg(16, 512));
  });

  it('reads the need of a larger partition off the line through the peaks', () => {
    // Peaks of 100 + 800/workers MB (a fixed runtime and 800 MB of input split among the workers).
    const runs = [run(64, 512, 'ok', 112.5), run(16, 512, 'ok', 150)];
    expect(estimatedNeedMB(cfg(2, 512), runs)).toBeCloseTo(500, 6);
    expect(estimatedNeedMB(cfg(2, 512), [runs[0]!])).toBeNull(); // one worker count: no line
    // 2 workers need ≈ 500 MB: 256 MB is raised to the smallest size ≥ 1.25 × 500.
    expect(repairedConfig(cfg(2, 256), runs, space)).toEqual(cfg(2, 1024));
    expect(repairedConfig(cfg(2, 512), runs, space)).toEqual(cfg(2, 512)); // enough: kept as is
  });

  it('leaves a point out when its partition needs more than the largest size', () => {
    const peaks = [run(64, 4096, 'ok', 200), run(16, 4096, 'ok', 500)]; // 100 + 6400/workers MB
    expect(repairedConfig(cfg(1, 4096), peaks, space)).toBeNull(); // ≈ 6,500 MB > 4,096
    expect(repairedConfig(cfg(8, 512), peaks, space)).toEqual(cfg(8, 1536)); // ≈ 900 MB: raised
    // Out of memory at the largest size with a partition no larger: cannot fit anywhere.
    expect(repairedConfig(cfg(2, 1024), [run(8, 4096, 'oom')], space)).toBeNull();
  });

  it('keeps the config when nothing is shown, and never lowers it; past the largest size, the largest', () => {
    expect(repairedConfig(cfg(4, 512), [], space)).toEqual(cfg(4, 512));
    expect(repairedConfig(cfg(1, 2048), [run(4, 4096, 'ok', 3900)], space)).toEqual(cfg(1, 4096));
  });
});
