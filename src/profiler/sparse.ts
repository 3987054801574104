/**
 * The `sparse` design, the default start: a small space-filling design in log space over the
 * stage's allowed worker counts × sizes. A maximin Latin hypercube (the best of `CANDIDATES`
 * seeded hypercubes by their smallest pairwise distance; Morris & Mitchell 1995), in the unit cube
 * of (ln workers, ln memory[, ln vCPU]) over the space's range, each point snapped to the nearest
 * allowed value. Log space because run time and cost scale multiplicatively in both knobs.
 * Axes with one value drop out (a `maxWorkers: 1` stage is a design along memory alone).
 */
import type { ResolvedConfig } from '../core/types.js';
import { permutation, uniforms } from '../core/prng.js';
import { configKey } from './run-id.js';
import { argmin, type StageSpace } from './space.js';

const CANDIDATES = 40;

/** Default size of the sparse start: 5 configs in 2-D, 4 along one axis. */
export function defaultSparseCount(space: StageSpace): number {
  return space.workers.length > 1 && space.sizes.length > 1 ? 5 : 4;
}

export function sparseDesign(space: StageSpace, count: number, seed: number): ResolvedConfig[] {
  const vcpus = [...new Set(space.sizes.map((s) => s.vcpu))];
  const mems = space.sizes.map((s) => s.memoryMB);
  const axes: { lo: number; hi: number }[] = [];
  const wLo = Math.log(space.workers[0]!);
  const wHi = Math.log(space.workers[space.workers.length - 1]!);
  const mLo = Math.log(Math.min(...mems));
  const mHi = Math.log(Math.max(...mems));
  const vLo = Math.log(Math.min(...vcpus));
  const vHi = Math.log(Math.max(...vcpus));
  // vCPU is its own axis only where it is not a function of memory.
  const vcpuFree = new Set(mems).size < space.sizes.length;
  if (wHi > wLo) axes.push({ lo: wLo, hi: wHi });
  if (mHi > mLo) axes.push({ lo: mLo, hi: mHi });
  if (vcpuFree && vHi > vLo) axes.push({ lo: vLo, hi: vHi });
  const distinct = Math.min(count, space.workers.length * space.sizes.length);
  const rng = uniforms(seed);
  let best: ResolvedConfig[] = [];
  let bestScore = -Infinity;
  for (let c = 0; c < CANDIDATES; c++) {
    const perms = axes.map(() => permutation(distinct, rng));
    const units = Array.from({ length: distinct }, (_, i) =>
      axes.map((_a, d) => (perms[d]![i]! + rng()) / distinct),
    );
    const configs = dedupe(
      units.map((u) => snap(space, axes, u, wHi > wLo, mHi > mLo, vcpuFree && vHi > vLo)),
    );
    const pts = configs.map((cfg) =>
      coords(cfg, axes.length, wHi > wLo, mHi > mLo, vcpuFree && vHi > vLo, axes),
    );
    let score = Infinity;
    for (let i = 0; i < pts.length; i++)
      for (let j = i + 1; j < pts.length; j++) score = Math.min(score, dist(pts[i]!, pts[j]!));
    // More distinct configs first, then the larger smallest distance.
    const total = configs.length * 1000 + (Number.isFinite(score) ? score : 0);
    if (total > bestScore) {
      bestScore = total;
      best = configs;
    }
  }
  return best.sort((a, b) => a.workers - b.workers || a.memoryMB - b.memoryMB || a.vcpu - b.vcpu);
}

function snap(
  space: StageSpace,
  axes: { lo: number; hi: number }[],
  u: number[],
  hasW: boolean,
  hasM: boolean,
  hasV: boolean,
): ResolvedConfig {
  let d = 0;
  const at = (): number => {
    const a = axes[d]!;
    return a.lo + u[d++]! * (a.hi - a.lo);
  };
  const lw = hasW ? at() : Math.log(space.workers[0]!);
  const lm = hasM ? at() : null;
  const lv = hasV ? at() : null;
  const workers = argmin(space.workers, (w) => Math.abs(Math.log(w) - lw));
  const size = argmin(
    space.sizes,
    (s) =>
      (lm === null ? 0 : (Math.log(s.memoryMB) - lm) ** 2) + (lv === null ? 0 : (Math.log(s.vcpu) - lv) ** 2),
  );
  return { workers, memoryMB: size.memoryMB, vcpu: size.vcpu };
}

function coords(
  c: ResolvedConfig,
  _n: number,
  hasW: boolean,
  hasM: boolean,
  hasV: boolean,
  axes: { lo: number; hi: number }[],
): number[] {
  const raw = [
    ...(hasW ? [Math.log(c.workers)] : []),
    ...(hasM ? [Math.log(c.memoryMB)] : []),
    ...(hasV ? [Math.log(c.vcpu)] : []),
  ];
  return raw.map((x, i) => (x - axes[i]!.lo) / (axes[i]!.hi - axes[i]!.lo));
}

function dist(a: readonly number[], b: readonly number[]): number {
  return Math.sqrt(a.reduce((s, x, i) => s + (x - b[i]!) ** 2, 0));
}

function dedupe(configs: ResolvedConfig[]): ResolvedConfig[] {
  const seen = new Set<string>();
  return configs.filter((c) => {
    const k = configKey(c);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * One more space-filling point, for when the runs so far leave the model unable to plan (it
 * predicts every config past the timeout, say): of a larger seeded design, the point farthest in
 * log space from every config already run, each candidate first raised past the memory the runs
 * show its partition needs, or left out when none is enough (`repair`). Null when every candidate
 * has run.
 */
export function fillingConfig(
  space: StageSpace,
  ran: readonly ResolvedConfig[],
  seed: number,
  repair: (c: ResolvedConfig) => ResolvedConfig | null,
): ResolvedConfig | null {
  const lw = Math.log(space.workers[space.workers.length - 1]! / space.workers[0]!) || 1;
  const mems = space.sizes.map((s) => s.memoryMB);
  const lm = Math.log(Math.max(...mems) / Math.min(...mems)) || 1;
  const at = (c: ResolvedConfig): number[] => [Math.log(c.workers) / lw, Math.log(c.memoryMB) / lm];
  const done = new Set(ran.map(configKey));
  let best: ResolvedConfig | null = null;
  let bestD = -Infinity;
  for (const candidate of sparseDesign(space, 24, seed).map(repair)) {
    if (!candidate || done.has(configKey(candidate))) continue;
    const p = at(candidate);
    const d = Math.min(...ran.map((r) => dist(p, at(r))), Infinity);
    if (d > bestD) {
      bestD = d;
      best = candidate;
    }
  }
  return best;
}
