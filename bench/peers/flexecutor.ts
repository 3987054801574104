/**
 * Peer: flexecutor's `AnaPerfModel` (CLOUDLAB-URV/flexecutor, flexecutor/modelling/anaperfmodel.py,
 * adapted there from Jolteon's perf_model_analytic.py), re-implemented from its description:
 * - x = vCPU · memoryMB · workers (its `_config_to_xparam`), vCPU = memoryMB / 1769 on AWS Lambda;
 * - per phase (cold start, read, compute, write) the mean over every worker and repetition of a
 *   config, pooled over configs with the same x, fitted by least squares to a/x + b (scipy
 *   `leastsq` on a model linear in a, b: the same minimum as the closed form used here);
 * - predicted time = the sum of the four phases (a mean worker, not the slowest);
 * - predictions clamped at 0, as its later `np.maximum(0, a/x + b)` does.
 * Its search here is ours: every config of the same space (grid-search.ts), cost taken as the
 * predicted read + compute + write billed per worker plus the request fee. It has no notion of a
 * memory floor, so it only avoids configs it saw run out of memory.
 */
import type { Platform, Sample } from '../../src/core/types.js';
import { expectedRunCostUSD } from '../../src/platforms/cost.js';
import { resolveVcpu } from '../../src/platforms/resources.js';
import type { Outcome } from '../lib/objective.js';

type FlexPhase = 'coldStartMs' | 'readMs' | 'computeMs' | 'writeMs';
const PHASES: readonly FlexPhase[] = ['coldStartMs', 'readMs', 'computeMs', 'writeMs'];

export interface FlexecutorModel {
  params: Record<FlexPhase, { a: number; b: number }>;
  predict(workers: number, memoryMB: number): Outcome;
}

function xOf(platform: Platform, workers: number, memoryMB: number): number {
  return resolveVcpu(platform, memoryMB) * memoryMB * workers;
}

/** Least squares of y = a/x + b. */
function fitInverse(points: { x: number; y: number }[]): { a: number; b: number } {
  const n = points.length;
  if (n === 0) return { a: 0, b: 0 };
  const u = points.map((p) => 1 / p.x);
  const mu = u.reduce((s, v) => s + v, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  points.forEach((p, i) => {
    sxx += (u[i]! - mu) ** 2;
    sxy += (u[i]! - mu) * (p.y - my);
  });
  if (sxx === 0) return { a: 0, b: my };
  const a = sxy / sxx;
  return { a, b: my - a * mu };
}

export function fitFlexecutor(samples: readonly Sample[], platform: Platform): FlexecutorModel | null {
  const byX = new Map<number, Record<FlexPhase, number[]>>();
  const failed = new Set<string>();
  for (const s of samples) {
    if (s.status === 'oom') failed.add(`${s.config.workers}|${s.config.memoryMB}`);
    if (s.status !== 'ok') continue;
    const x = Math.round(xOf(platform, s.config.workers, s.config.memoryMB) * 10) / 10;
    const e = byX.get(x) ?? { coldStartMs: [], readMs: [], computeMs: [], writeMs: [] };
    for (const w of s.workers) for (const p of PHASES) if (typeof w[p] === 'number') e[p].push(w[p]);
    byX.set(x, e);
  }
  if (byX.size < 2) return null;
  const params = {} as Record<FlexPhase, { a: number; b: number }>;
  for (const p of PHASES) {
    const pts = [...byX]
      .filter(([, e]) => e[p].length > 0)
      .map(([x, e]) => ({ x, y: e[p].reduce((a, b) => a + b, 0) / e[p].length }));
    params[p] = fitInverse(pts);
  }
  const phase = (p: FlexPhase, x: number): number => Math.max(0, params[p].a / x + params[p].b);
  return {
    params,
    predict(workers, memoryMB) {
      const vcpu = resolveVcpu(platform, memoryMB);
      const x = xOf(platform, workers, memoryMB);
      const busy = phase('readMs', x) + phase('computeMs', x) + phase('writeMs', x);
      return {
        makespanMs: busy + phase('coldStartMs', x),
        costUSD: expectedRunCostUSD(platform, { workers, memoryMB, vcpu }, busy),
        feasible: !failed.has(`${workers}|${memoryMB}`),
      };
    },
  };
}
