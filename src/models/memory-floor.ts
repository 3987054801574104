/**
 * The memory floor learned from `oom` samples (and from the peak memory ok workers report, which a
 * worker cannot run below): floor(p) = baseMB + mbPerPartitionMB·p, the
 * least memory a worker needs for a partition of p MB. Below it a config is infeasible.
 *
 * Shape (base vs slope): from the peak memory the ok workers reported, fitted by NNLS over
 * partition sizes when ≥ 2 differ; else from the oom points when they span ≥ 2 partitions;
 * else half base, half proportional (stated in the notes).
 * Level, conservatively: high enough that every oom config sits below the floor with a margin
 * (the floor at an oom partition is at least min(next ok memory there, 1.25 × the oom memory))
 * and, with peaks, above every peak by the peaks' scatter; but never above an ok config (those
 * ran).
 */
import { nnls } from './nnls.js';
import type { FailedConfig, StageRow } from './stage-data.js';

export interface MemoryFloor {
  baseMB: number;
  mbPerPartitionMB: number;
  /** What a worker is estimated to need, as a share of the floor (≤ 1: the floor keeps headroom). */
  needShare: number;
}

/** Margin above the largest oom memory when no ok run bounds the floor from above. */
const OOM_MARGIN = 1.25;

/** The memory a worker is estimated to need at a partition: the floor less its headroom. */
export function needAt(floor: MemoryFloor | null, partitionMB: number): number {
  return floor ? floorAt(floor, partitionMB) * floor.needShare : 0;
}

/** z of the headroom above the highest peak, in units of the peaks' log-sd about their line. */
const PEAK_Z = 1.645;

/** Sample sd of ln x (0 below three values: no scatter to read). */
function logSd(xs: readonly number[]): number {
  if (xs.length < 3) return 0;
  const ls = xs.map(Math.log);
  const m = ls.reduce((a, b) => a + b, 0) / ls.length;
  return Math.sqrt(ls.reduce((a, l) => a + (l - m) ** 2, 0) / (ls.length - 1));
}

export function floorAt(floor: MemoryFloor | null, partitionMB: number): number {
  return floor ? floor.baseMB + floor.mbPerPartitionMB * partitionMB : 0;
}

/**
 * The line peak = base + slope·size through peaks reported at two or more sizes (a partition, or
 * any measure proportional to it), by NNLS on relative errors; null with fewer sizes.
 */
export function peakLine(
  points: readonly { size: number; peakMB: number }[],
): Omit<MemoryFloor, 'needShare'> | null {
  if (new Set(points.map((p) => p.size.toPrecision(6))).size < 2) return null;
  const { x } = nnls(
    points.map((p) => [1 / p.peakMB, p.size / p.peakMB]),
    points.map(() => 1),
  );
  return { baseMB: x[0]!, mbPerPartitionMB: x[1]! };
}

export function fitMemoryFloor(
  rows: readonly StageRow[],
  ooms: readonly FailedConfig[],
  notes: string[],
): MemoryFloor | null {
  const peaks = rows.filter((r) => r.peakMB != null && r.peakMB > 0);
  if (ooms.length === 0 && peaks.length === 0) return null;
  // The safe level at each oom point: above it by a margin, but no higher than an ok run at the
  // same partition that proves a lower memory suffices.
  const targets = ooms.map((o) => {
    const p = o.x.partitionMB;
    const okAbove = rows
      .filter((r) => Math.abs(r.x.partitionMB - p) <= 1e-9 * p && r.x.memoryMB > o.memoryMB)
      .map((r) => r.x.memoryMB);
    const margin = o.memoryMB * OOM_MARGIN;
    return { p, level: okAbove.length ? Math.min(Math.min(...okAbove), margin) : margin, oomMB: o.memoryMB };
  });

  let base = 0.5;
  let slope = 0.5;
  const distinct = (ps: number[]): number => new Set(ps.map((p) => p.toPrecision(6))).size;
  const fromPeaks = peakLine(peaks.map((r) => ({ size: r.x.partitionMB, peakMB: r.peakMB! })));
  if (fromPeaks) {
    [base, slope] = [fromPeaks.baseMB, fromPeaks.mbPerPartitionMB];
    notes.push('memory floor: shape from the peak memory reported by ok workers');
  } else if (distinct(targets.map((t) => t.p)) >= 2) {
    const { x } = nnls(
      targets.map((t) => [1 / t.level, t.p / t.level]),
      targets.map(() => 1),
    );
    [base, slope] = [x[0]!, x[1]!];
    notes.push('memory floor: shape from oom configs at several partition sizes');
  } else if (targets.length === 0) {
    const top = peaks.reduce((a, r) => (r.peakMB! > a.peakMB! ? r : a));
    base = 0.5 * top.peakMB!;
    slope = (0.5 * top.peakMB!) / top.x.partitionMB;
    notes.push(
      'memory floor: from the peak memory at one partition size, assumed half fixed and half proportional',
    );
  } else {
    const t = targets[0]!;
    base = 0.5 * t.level;
    slope = (0.5 * t.level) / t.p;
    notes.push(
      'memory floor: one partition size failed, assumed half fixed and half proportional to the partition',
    );
  }
  if (base + slope <= 0) [base, slope] = [1, 0];
  const line = (p: number): number => base + slope * p;
  // Peaks measure what the ok runs needed: no ok run's peak lies above the floor, whichever shape
  // (the peaks' line is a central fit: half the peaks sat above it, and a plan 4 MB below the
  // peaks its own partition had reported was called feasible), and the next run's peak may be
  // higher still: the floor sits PEAK_Z of the peaks' own scatter above the highest. Out of
  // memory fails the run; a few percent more memory costs a few percent. (A one-worker stage
  // whose six runs peaked at 1,930–2,038 MB was planned at 2,038 MB, and needed 2,048.)
  const ratios = peaks.map((r) => r.peakMB! / line(r.x.partitionMB));
  const oomScale = Math.max(0, ...targets.map((t) => t.level / line(t.p)));
  let scale = Math.max(ratios.length ? Math.max(...ratios) * Math.exp(PEAK_Z * logSd(ratios)) : 0, oomScale);
  // The need itself, for the GC slowdown's distance to it: the peaks' central line (or, shaped by
  // the ooms, the highest peak), not the headroom kept against the next run's.
  let need = Math.max(fromPeaks || targets.length === 0 ? 1 : Math.max(0, ...ratios), oomScale);
  if (targets.length === 0)
    notes.push('memory floor: no oom run, floor above the peak memory the ok runs reported');
  const cap = Math.min(...rows.map((r) => r.x.memoryMB / line(r.x.partitionMB)));
  if (scale > cap) {
    notes.push('memory floor: oom and ok runs overlap; floor kept at the lowest ok memory');
    scale = cap;
  }
  need = Math.min(need, scale);
  return { baseMB: base * scale, mbPerPartitionMB: slope * scale, needShare: scale > 0 ? need / scale : 1 };
}
