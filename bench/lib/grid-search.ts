/**
 * Exhaustive search for the bench's ground truth (and for the flexecutor peer): every worker
 * count × every 64 MB of memory (plus the vCPU steps at multiples of 1,769 MB and the top), then
 * every MB within ±63 MB of the best memory, near the best worker count. The sim truth costs
 * microseconds, so this is exact up to that refinement.
 */
import type { BenchObjective, Outcome } from './objective.js';
import { objectiveValue } from './objective.js';

export type Evaluate = (workers: number, memoryMB: number) => Outcome;

export interface GridSpace {
  memoryMin: number;
  memoryMax: number;
  maxWorkers: number;
}

export interface GridTable {
  space: GridSpace;
  memories: number[];
  makespanMs: Float64Array;
  costUSD: Float64Array;
  feasible: Uint8Array;
  evaluate: Evaluate;
}

export interface Best {
  workers: number;
  memoryMB: number;
  value: number;
  outcome: Outcome;
}

const MB_PER_VCPU = 1769;

export function coarseMemories(space: GridSpace): number[] {
  const set = new Set<number>();
  for (let m = space.memoryMin; m <= space.memoryMax; m += 64) set.add(m);
  for (let k = 1; k * MB_PER_VCPU <= space.memoryMax; k++)
    if (k * MB_PER_VCPU >= space.memoryMin) set.add(k * MB_PER_VCPU);
  set.add(space.memoryMax);
  return [...set].sort((a, b) => a - b);
}

export function buildTable(space: GridSpace, evaluate: Evaluate): GridTable {
  const memories = coarseMemories(space);
  const size = memories.length * space.maxWorkers;
  const makespanMs = new Float64Array(size);
  const costUSD = new Float64Array(size);
  const feasible = new Uint8Array(size);
  memories.forEach((m, i) => {
    for (let w = 1; w <= space.maxWorkers; w++) {
      const o = evaluate(w, m);
      const k = i * space.maxWorkers + (w - 1);
      makespanMs[k] = o.makespanMs;
      costUSD[k] = o.costUSD;
      feasible[k] = o.feasible ? 1 : 0;
    }
  });
  return { space, memories, makespanMs, costUSD, feasible, evaluate };
}

export function searchTable(t: GridTable, objective: BenchObjective): Best | null {
  let best: Best | null = null;
  const consider = (w: number, m: number, o: Outcome): void => {
    const v = objectiveValue(objective, o);
    if (!Number.isFinite(v)) return;
    // Ties: fewer workers, then less memory (ARCHITECTURE.md's tie rule without the 0.5 % band).
    if (
      !best ||
      v < best.value ||
      (v === best.value && (w < best.workers || (w === best.workers && m < best.memoryMB)))
    )
      best = { workers: w, memoryMB: m, value: v, outcome: o };
  };
  const W = t.space.maxWorkers;
  t.memories.forEach((m, i) => {
    for (let w = 1; w <= W; w++) {
      const k = i * W + (w - 1);
      consider(w, m, { makespanMs: t.makespanMs[k]!, costUSD: t.costUSD[k]!, feasible: t.feasible[k] === 1 });
    }
  });
  const coarse = best as Best | null;
  if (!coarse) return null;
  const wLo = Math.max(1, Math.floor(coarse.workers * 0.7) - 1);
  const wHi = Math.min(W, Math.ceil(coarse.workers * 1.4) + 1);
  const mLo = Math.max(t.space.memoryMin, coarse.memoryMB - 63);
  const mHi = Math.min(t.space.memoryMax, coarse.memoryMB + 63);
  for (let m = mLo; m <= mHi; m++) for (let w = wLo; w <= wHi; w++) consider(w, m, t.evaluate(w, m));
  return best;
}

/** Fastest feasible mean latency over the table (the deadline objective's reference). */
export function fastest(t: GridTable): Best | null {
  return searchTable(t, { kind: 'latency' });
}
