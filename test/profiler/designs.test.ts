import { describe, expect, it } from 'vitest';
import { PlatformRegistry } from '../../src/platforms/index.js';
import { gridDesign, parseConfigList } from '../../src/profiler/grid.js';
import { initialDesign } from '../../src/profiler/profile.js';
import { runIdFor } from '../../src/profiler/run-id.js';
import { inStageSpace, stageSpace } from '../../src/profiler/space.js';
import { defaultSparseCount, sparseDesign } from '../../src/profiler/sparse.js';
import { uniforms } from '../../src/core/prng.js';

const platform = new PlatformRegistry().get('aws-lambda-x86');

function minLogDistance(cs: { workers: number; memoryMB: number }[], wSpan: number, mSpan: number): number {
  let d = Infinity;
  for (let i = 0; i < cs.length; i++)
    for (let j = i + 1; j < cs.length; j++)
      d = Math.min(
        d,
        Math.hypot(
          Math.log(cs[i]!.workers / cs[j]!.workers) / wSpan,
          Math.log(cs[i]!.memoryMB / cs[j]!.memoryMB) / mSpan,
        ),
      );
  return d;
}

describe('sparse design', () => {
  const space = stageSpace(platform, { name: 's' });

  it('gives distinct configs inside the stage space, 5 in 2-D', () => {
    const d = sparseDesign(space, defaultSparseCount(space), 7);
    expect(d).toHaveLength(5);
    expect(new Set(d.map((c) => `${c.workers}|${c.memoryMB}`)).size).toBe(5);
    for (const c of d) expect(inStageSpace(space, c)).toBe(true);
  });

  it('is space-filling in log space: farther apart than random designs of the same size', () => {
    const wSpan = Math.log(1000);
    const mSpan = Math.log(10240 / 128);
    const ours = minLogDistance(sparseDesign(space, 5, 1), wSpan, mSpan);
    const rng = uniforms(3);
    const random = Array.from({ length: 50 }, () =>
      minLogDistance(
        Array.from({ length: 5 }, () => ({
          workers: Math.round(Math.exp(rng() * wSpan)),
          memoryMB: Math.round(128 * Math.exp(rng() * mSpan)),
        })),
        wSpan,
        mSpan,
      ),
    ).sort((a, b) => a - b);
    expect(ours).toBeGreaterThan(random[40]!); // better than 80 % of random designs
    expect(ours).toBeGreaterThan(0.25);
  });

  it('spreads a one-worker stage along memory, honouring the stage space', () => {
    const s = stageSpace(platform, {
      name: 'r',
      maxWorkers: 1,
      space: { memoryMB: { min: 512, max: 4096 } },
    });
    const d = sparseDesign(s, defaultSparseCount(s), 1);
    expect(d).toHaveLength(4);
    expect(d.every((c) => c.workers === 1 && c.memoryMB >= 512 && c.memoryMB <= 4096)).toBe(true);
    expect(Math.max(...d.map((c) => c.memoryMB)) / Math.min(...d.map((c) => c.memoryMB))).toBeGreaterThan(3);
  });

  it('is deterministic for a seed', () => {
    expect(sparseDesign(space, 5, 11)).toEqual(sparseDesign(space, 5, 11));
  });
});

describe('grid design', () => {
  it('runs exactly the configs listed, vCPU resolved by the platform', () => {
    const d = gridDesign(platform, parseConfigList('w=4,m=1024; workers=8,memoryMB=1769'));
    expect(d).toEqual([
      { workers: 4, memoryMB: 1024, vcpu: 1024 / 1769 },
      { workers: 8, memoryMB: 1769, vcpu: 1 },
    ]);
  });

  it("moves each config into a stage's space and drops the duplicates that makes", () => {
    const grid = gridDesign(platform, parseConfigList('w=4,m=1024;w=8,m=1024;w=8,m=8192;w=1,m=300'));
    const merge = { name: 'merge', maxWorkers: 1, space: { memoryMB: { min: 512, max: 4096 } } };
    const d = initialDesign(platform, merge, 'grid', grid, undefined, 1);
    expect(d.map((c) => [c.workers, c.memoryMB])).toEqual([
      [1, 1024],
      [1, 4096],
      [1, 512],
    ]);
    for (const c of d) expect(inStageSpace(stageSpace(platform, merge), c)).toBe(true);
    // A stage whose space holds every config runs the grid as listed.
    expect(initialDesign(platform, { name: 'map' }, 'grid', grid, undefined, 1)).toEqual(grid);
  });

  it('refuses a config it cannot read, naming it', () => {
    expect(() => parseConfigList('w=4,q=2')).toThrow(/q=2/);
    expect(() => parseConfigList('m=1024')).toThrow(/integer w/);
  });
});

describe('run ids', () => {
  it('are the same for the same run and differ for another rep or input', () => {
    const key = {
      workflow: 'w',
      stage: 's',
      config: { workers: 2, memoryMB: 512, vcpu: 0.29 },
      rep: 0,
      input: 1000,
    };
    expect(runIdFor(key)).toBe(runIdFor({ ...key }));
    expect(runIdFor(key)).not.toBe(runIdFor({ ...key, rep: 1 }));
    expect(runIdFor(key)).not.toBe(runIdFor({ ...key, input: 500 }));
  });
});
