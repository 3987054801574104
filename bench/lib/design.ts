/**
 * The profiling design of the bench: a maximin Latin hypercube in log space over workers and
 * memory (the best of several seeded hypercubes by their smallest pairwise distance), as a
 * profiler without prior knowledge would space its configs.
 */
import { mulberry32, permutation } from '../../src/core/prng.js';

export interface Box {
  workers: [number, number];
  memoryMB: [number, number];
}

export interface DesignPoint {
  workers: number;
  memoryMB: number;
}

const CANDIDATES = 25;

export function logLatinHypercube(box: Box, count: number, seed: number): DesignPoint[] {
  const rng = mulberry32(seed);
  const lw = box.workers.map(Math.log) as [number, number];
  const lm = box.memoryMB.map(Math.log) as [number, number];
  let best: DesignPoint[] = [];
  let bestScore = -Infinity;
  for (let c = 0; c < CANDIDATES; c++) {
    const permW = permutation(count, rng.next);
    const permM = permutation(count, rng.next);
    const unit = permW.map((pw, i) => [(pw + rng.next()) / count, (permM[i]! + rng.next()) / count] as const);
    let score = Infinity;
    for (let i = 0; i < count; i++)
      for (let j = i + 1; j < count; j++)
        score = Math.min(score, Math.hypot(unit[i]![0] - unit[j]![0], unit[i]![1] - unit[j]![1]));
    if (score > bestScore) {
      bestScore = score;
      best = unit.map(([u, v]) => ({
        workers: Math.round(Math.exp(lw[0] + u * (lw[1] - lw[0]))),
        memoryMB: Math.round(Math.exp(lm[0] + v * (lm[1] - lm[0]))),
      }));
    }
  }
  return dedupe(best);
}

/** The points without repeats, first occurrence kept. */
export function dedupe(points: DesignPoint[]): DesignPoint[] {
  const seen = new Set<string>();
  return points.filter((p) => {
    const k = `${p.workers}|${p.memoryMB}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Random configs log-uniform in a box (held-out checks). */
export function logUniformPoints(box: Box, count: number, seed: number): DesignPoint[] {
  const rng = mulberry32(seed);
  return Array.from({ length: count }, () => ({
    workers: Math.round(box.workers[0] * Math.pow(box.workers[1] / box.workers[0], rng.next())),
    memoryMB: Math.round(box.memoryMB[0] * Math.pow(box.memoryMB[1] / box.memoryMB[0], rng.next())),
  }));
}
