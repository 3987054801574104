/**
 * The sparse start without runs that are certain to run out of memory. Its points run from the
 * most memory down, and before each one the runs so far are asked whether it can fit: for the same
 * input, a run with at least as many workers (a partition no larger) that peaked above this
 * config's memory, or that ran out of memory with at least as much, shows that this config's
 * partition needs more than it has (the memory a partition needs does not shrink as the partition
 * grows). Such a point is raised, at its worker count, to the smallest allowed size with a margin
 * above that bound: a run is the budget's, and one certain to fail teaches only what is known.
 */
import type { ResolvedConfig, Sample } from '../core/types.js';
import type { StageSpace } from './space.js';

/** Room above the shown need: peaks and failures bound it from below only. */
const MARGIN = 1.25;

/** Memory this config's partition is shown to need beyond its own (MB), or null when nothing shows it. */
export function shownNeedMB(config: ResolvedConfig, runs: readonly Sample[]): number | null {
  let need = 0;
  for (const s of runs) {
    if (s.config.workers < config.workers) continue;
    // Out of memory at M: the need is above M, so M or less cannot fit. A peak P: the need is at
    // least P, so less than P cannot fit (exactly P may).
    if (s.status === 'oom' && s.config.memoryMB >= config.memoryMB) need = Math.max(need, s.config.memoryMB);
    else if (s.status === 'ok')
      for (const w of s.workers)
        if (w.peakMemoryMB != null && w.peakMemoryMB > config.memoryMB) need = Math.max(need, w.peakMemoryMB);
  }
  return need > 0 ? need : null;
}

/** The config to run in place of `config`: itself, or raised past the memory the runs show it needs. */
export function repairedConfig(
  config: ResolvedConfig,
  runs: readonly Sample[],
  space: StageSpace,
): ResolvedConfig {
  const need = shownNeedMB(config, runs);
  if (need === null) return config;
  const target = need * MARGIN;
  // The smallest allowed size of at least the target memory (and the config's vCPU where that is a free axis).
  const vcpuFree = new Set(space.sizes.map((s) => s.memoryMB)).size < space.sizes.length;
  const fits = space.sizes
    .filter((s) => s.memoryMB >= target && (!vcpuFree || s.vcpu >= config.vcpu))
    .sort((a, b) => a.memoryMB - b.memoryMB || a.vcpu - b.vcpu);
  const size = fits[0] ?? space.sizes.reduce((a, b) => (b.memoryMB > a.memoryMB ? b : a));
  if (size.memoryMB <= config.memoryMB) return config;
  return { workers: config.workers, memoryMB: size.memoryMB, vcpu: size.vcpu };
}
