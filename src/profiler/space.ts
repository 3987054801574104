/**
 * The configs a stage may be profiled at: the platform's allowed sizes and worker counts,
 * narrowed by the stage's `space` and `maxWorkers` (the same space the optimizer searches).
 */
import type { Platform, ResolvedConfig, StageDef } from '../core/types.js';
import { allowedSizes, allowedWorkers, type Size } from '../platforms/index.js';
import { inputError } from '../core/errors.js';
import { configKey } from './run-id.js';

export interface StageSpace {
  /** Allowed (memory, vCPU) pairs, sorted by memory then vCPU. */
  sizes: Size[];
  /** Allowed worker counts, ascending. */
  workers: number[];
}

export function stageSpace(platform: Platform, def: StageDef): StageSpace {
  const sizes = allowedSizes(platform, def.space);
  const workers = allowedWorkers(platform, def.space, def.maxWorkers);
  if (sizes.length === 0 || workers.length === 0)
    throw inputError(
      `stage ${def.name}: its space leaves no config on ${platform.id}`,
      "widen the stage's space (workers, memoryMB, vcpu) or change the platform",
    );
  return { sizes, workers };
}

/** Whether a config lies in the space (exactly one of its sizes and worker counts). */
export function inStageSpace(space: StageSpace, c: ResolvedConfig): boolean {
  return (
    space.workers.includes(c.workers) &&
    space.sizes.some((s) => s.memoryMB === c.memoryMB && Math.abs(s.vcpu - c.vcpu) < 1e-9)
  );
}

/**
 * The config of the space nearest to one given for the whole workflow (a grid's): workers and
 * memory nearest on a log scale, then the vCPU nearest among that memory's sizes. A single-worker
 * stage runs a grid's `w=8` at 1 worker, a stage capped at 4096 MB its 8192 MB at 4096.
 */
export function nearestInSpace(space: StageSpace, c: ResolvedConfig): ResolvedConfig {
  const workers = argmin(space.workers, (w) => Math.abs(Math.log(w / c.workers)));
  const memoryMB = argmin(space.sizes, (s) => Math.abs(Math.log(s.memoryMB / c.memoryMB))).memoryMB;
  const size = argmin(
    space.sizes.filter((s) => s.memoryMB === memoryMB),
    (s) => Math.abs(Math.log(s.vcpu / c.vcpu)),
  );
  return { workers, memoryMB, vcpu: size.vcpu };
}

/** The configs of a grid that lie outside the space, each with the nearest config of it. */
export function movedIntoSpace(
  space: StageSpace,
  configs: readonly ResolvedConfig[],
): { from: ResolvedConfig; to: ResolvedConfig }[] {
  return configs.flatMap((from) => {
    const to = nearestInSpace(space, from);
    return configKey(to) === configKey(from) ? [] : [{ from, to }];
  });
}

/** The item at the least distance (the first of ties). */
export function argmin<T>(items: readonly T[], distance: (x: T) => number): T {
  let best = items[0] as T;
  let bestD = Infinity;
  for (const x of items) {
    const d = distance(x);
    if (d < bestD) [best, bestD] = [x, d];
  }
  return best;
}
