/**
 * The sparse start without runs that are certain (or all but) to run out of memory. Its points run
 * from the most workers down (the smallest partitions first: they are the likeliest to fit, and
 * their peaks say what the larger ones need), and before each one the runs so far are asked what
 * its partition needs:
 *  - shown: a run with at least as many workers (a partition no larger) that peaked above this
 *    config's memory, or that ran out of memory with at least as much (the memory a partition
 *    needs does not shrink as the partition grows);
 *  - estimated: with peaks at two or more worker counts, the line need = a + b·partition through
 *    them (memory-floor.ts `peakLine`, as the model's floor), read at this partition. A
 *    partition's working set is a fixed runtime plus a share per MB it holds, which is what a
 *    profile is for; a superlinear need is under-read, which costs no more than running as is.
 * The point is raised, at its worker count, to the smallest allowed size with a margin above that
 * need; when the need is above the largest size, the point is skipped: a run is the budget's, and
 * one that cannot fit teaches only what is known.
 */
import type { ResolvedConfig, Sample } from '../core/types.js';
import { peakLine } from '../models/memory-floor.js';
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

/**
 * The memory the peak line of the runs (same input: the partition is 1/workers of it) reads at
 * this config's worker count; null with peaks at fewer than two worker counts.
 */
export function estimatedNeedMB(config: ResolvedConfig, runs: readonly Sample[]): number | null {
  const peaks: { size: number; peakMB: number }[] = [];
  for (const s of runs) {
    if (s.status !== 'ok') continue;
    const top = Math.max(0, ...s.workers.map((w) => w.peakMemoryMB ?? 0));
    if (top > 0) peaks.push({ size: 1 / s.config.workers, peakMB: top });
  }
  const line = peakLine(peaks);
  if (!line) return null;
  const need = line.baseMB + line.mbPerPartitionMB / config.workers;
  return need > 0 ? need : null;
}

/**
 * The config to run in place of `config`: itself, or raised past the memory the runs show or
 * estimate it needs; null when that need is above the largest allowed size.
 */
export function repairedConfig(
  config: ResolvedConfig,
  runs: readonly Sample[],
  space: StageSpace,
): ResolvedConfig | null {
  const shown = shownNeedMB(config, runs);
  const estimated = estimatedNeedMB(config, runs);
  const need = Math.max(shown ?? 0, estimated !== null && estimated > config.memoryMB ? estimated : 0);
  if (need === 0) return config;
  const largest = space.sizes.reduce((a, b) => (b.memoryMB > a.memoryMB ? b : a));
  // Shown: at least this much cannot fit; estimated: this much is about what it takes.
  if (need > largest.memoryMB || (shown !== null && shown >= largest.memoryMB)) return null;
  const target = need * MARGIN;
  // The smallest allowed size of at least the target memory (and the config's vCPU where that is a free axis).
  const vcpuFree = new Set(space.sizes.map((s) => s.memoryMB)).size < space.sizes.length;
  const fits = space.sizes
    .filter((s) => s.memoryMB >= target && (!vcpuFree || s.vcpu >= config.vcpu))
    .sort((a, b) => a.memoryMB - b.memoryMB || a.vcpu - b.vcpu);
  const size = fits[0] ?? largest;
  if (size.memoryMB <= config.memoryMB) return config;
  return { workers: config.workers, memoryMB: size.memoryMB, vcpu: size.vcpu };
}
