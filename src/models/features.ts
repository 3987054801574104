/**
 * What every family sees of a config: the knobs, the partition size (inputBytes / workers,
 * so work per worker is identified across worker counts and input sizes) and the memory floor
 * at that partition (so a family can model the climb of runtimes as memory nears it).
 */
export interface Features {
  workers: number;
  memoryMB: number;
  vcpu: number;
  /** Input per worker, MB; 1/workers "units" when the input size is unknown. */
  partitionMB: number;
  /** Memory floor at this partition, MB (0 when no floor was learned). */
  floorMB: number;
}

/** The training row of one sample for one target (a phase, the overhead…). */
export interface TrainingPoint {
  /** Identifies the config (workers, memory, vCPU, input size); LOCO folds leave one key out. */
  key: string;
  x: Features;
  /** The target, ms (> 0 for families that fit on the log scale). */
  y: number;
}

/** Distance of the floor in log units, bounded so the GC feature stays finite at and below it. */
export function floorPressure(x: Features): number {
  if (x.floorMB <= 0) return 0;
  // 1/(m/floor − 1) grows like the GC overhead of a nearly full heap (≈ live/free memory).
  const headroom = Math.max(x.memoryMB / x.floorMB - 1, 0.05);
  return 1 / headroom;
}
