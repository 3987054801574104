/**
 * The configs a stage may be profiled at: the platform's allowed sizes and worker counts,
 * narrowed by the stage's `space` and `maxWorkers` (the same space the optimizer searches).
 */
import type { Platform, ResolvedConfig, StageDef } from '../core/types.js';
import { allowedSizes, allowedWorkers, type Size } from '../platforms/index.js';
import { inputError } from '../core/errors.js';

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
