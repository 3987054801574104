/**
 * The workflow's Pareto front composed from the stages' fronts along the DAG:
 *   series   A;B : latency = La + Lb,          cost = Ca + Cb
 *   parallel A‖B : latency = max(La, Lb),      cost = Ca + Cb
 * over every pair (a ∈ front(A), b ∈ front(B)), pruned to the ε-Pareto front (pareto.ts) after
 * each step and capped, so n stages cost O(n · cap²) and never the product of their fronts.
 *
 * Concurrency (parallel branches share the platform's limit C): each composed point carries its
 * peak concurrent workers P and its worker-time area A = Σ workers · latency. When Pa + Pb > C
 * the branches cannot all run at once, and the parallel latency takes the fluid bound
 *   max(La, Lb, (Aa + Ab) / C)   (C workers kept busy until the summed work is done),
 * with peak min(C, Pa + Pb); a series keeps max(Pa, Pb) and Aa + Ab. An approximation: it ignores
 * that a stage cannot split a worker across waves.
 *
 * A DAG that is not series-parallel (it holds an "N": a→c, b→c, b→d without a→d) falls back to
 * levels: stages grouped by depth (longest chain of parents), levels in series, the stages of a
 * level in parallel. That adds barriers, so its latencies bound the truth from above; every
 * composed point is then re-evaluated on the true DAG (longest path, longest-path.ts) and the
 * front re-pruned.
 */
import type { Dag, SpTree } from '../core/dag.js';
import { longestPath } from './longest-path.js';
import { capFront, epsilonFrontIndices, paretoFront, type Tradeoff } from './pareto.js';

export interface LeafPoint extends Tradeoff {
  config: { workers: number; memoryMB: number };
}

/** Which point of each stage's front a composed point uses: a leaf, or two composed halves. */
export type Pick = { stage: string; index: number } | { left: Pick; right: Pick };

export interface ComposedPoint extends Tradeoff {
  /** Peak concurrent workers. */
  peakWorkers: number;
  /** Σ workers · latency (worker-ms) of the composed stages. */
  workerMs: number;
  /** Σ workers and Σ memoryMB over the stages, for ties. */
  workers: number;
  memoryMB: number;
  pick: Pick;
}

export interface ComposeOptions {
  /** ε of the pruning after each step (default 0.002). */
  epsilon?: number;
  /** Cap on each intermediate front (default 200). */
  maxPoints?: number;
  /** The platform's concurrency limit shared by parallel branches (default unlimited). */
  concurrency?: number;
}

export interface ComposedFront {
  front: ComposedPoint[];
  method: 'series-parallel' | 'levels';
}

/** Fewer total workers, then less total memory. */
function tieOrder(a: ComposedPoint, b: ComposedPoint): number {
  return a.workers - b.workers || a.memoryMB - b.memoryMB;
}

/** The index chosen for every stage of a composed point. */
export function picksOf(pick: Pick): Map<string, number> {
  const out = new Map<string, number>();
  const walk = (p: Pick): void => {
    if ('stage' in p) out.set(p.stage, p.index);
    else {
      walk(p.left);
      walk(p.right);
    }
  };
  walk(pick);
  return out;
}

function combine(
  a: readonly ComposedPoint[],
  b: readonly ComposedPoint[],
  kind: 'series' | 'parallel',
  concurrency: number,
  epsilon: number,
  maxPoints: number,
): ComposedPoint[] {
  // Every pair's (latency, cost) in flat arrays; only the pairs on the ε-front become objects.
  const nb = b.length;
  const n = a.length * nb;
  const latency = new Float64Array(n);
  const cost = new Float64Array(n);
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    for (let j = 0; j < nb; j++) {
      const y = b[j]!;
      const k = i * nb + j;
      if (kind === 'series') latency[k] = x.latencyMs + y.latencyMs;
      else {
        let l = Math.max(x.latencyMs, y.latencyMs);
        if (x.peakWorkers + y.peakWorkers > concurrency)
          l = Math.max(l, (x.workerMs + y.workerMs) / concurrency);
        latency[k] = l;
      }
      cost[k] = x.costUSD + y.costUSD;
    }
  }
  const pair = (k: number): ComposedPoint => {
    const x = a[Math.floor(k / nb)]!;
    const y = b[k % nb]!;
    const peakWorkers =
      kind === 'series'
        ? Math.max(x.peakWorkers, y.peakWorkers)
        : Math.min(concurrency, x.peakWorkers + y.peakWorkers);
    return {
      latencyMs: latency[k]!,
      costUSD: cost[k]!,
      peakWorkers,
      workerMs: x.workerMs + y.workerMs,
      workers: x.workers + y.workers,
      memoryMB: x.memoryMB + y.memoryMB,
      pick: { left: x.pick, right: y.pick },
    };
  };
  const sums = (k: number): [number, number] => {
    const x = a[Math.floor(k / nb)]!;
    const y = b[k % nb]!;
    return [x.workers + y.workers, x.memoryMB + y.memoryMB];
  };
  const order = (k: number, m: number): number => {
    const d = latency[k]! - latency[m]! || cost[k]! - cost[m]!;
    if (d !== 0) return d;
    const [wk, mk] = sums(k);
    const [wm, mm] = sums(m);
    return wk - wm || mk - mm;
  };
  const out =
    epsilon > 0
      ? epsilonFrontIndices(n, latency, cost, epsilon, order).map(pair)
      : paretoFront(
          Array.from({ length: n }, (_, k) => pair(k)),
          0,
          tieOrder,
        );
  return capFront(out, maxPoints, epsilon, tieOrder).front;
}

/** Composes the fronts along an SP tree (n-ary parts folded left to right). */
export function composeTree(
  tree: SpTree,
  fronts: ReadonlyMap<string, readonly LeafPoint[]>,
  options: ComposeOptions = {},
): ComposedPoint[] {
  const epsilon = options.epsilon ?? 0.002;
  const maxPoints = options.maxPoints ?? 200;
  const concurrency = options.concurrency ?? Infinity;
  const walk = (t: SpTree): ComposedPoint[] => {
    if (t.kind === 'stage') {
      const leaves = fronts.get(t.stage);
      if (!leaves) throw new Error(`composeTree: no front for stage "${t.stage}"`);
      const points = leaves.map((p, index) => ({
        latencyMs: p.latencyMs,
        costUSD: p.costUSD,
        peakWorkers: p.config.workers,
        workerMs: p.config.workers * p.latencyMs,
        workers: p.config.workers,
        memoryMB: p.config.memoryMB,
        pick: { stage: t.stage, index },
      }));
      return capFront(paretoFront(points, epsilon, tieOrder), maxPoints, epsilon, tieOrder).front;
    }
    const [first, ...rest] = t.parts.map(walk);
    let acc = first ?? [];
    for (const part of rest) acc = combine(acc, part, t.kind, concurrency, epsilon, maxPoints);
    return acc;
  };
  return walk(tree);
}

/** The stated fallback for a DAG that is not series-parallel: levels by depth, in series. */
export function levelsTree(dag: Dag): SpTree {
  const depth = new Map<string, number>();
  for (const stage of dag.order)
    depth.set(stage, Math.max(-1, ...(dag.parents.get(stage) ?? []).map((p) => depth.get(p)!)) + 1);
  const levels: string[][] = [];
  for (const stage of dag.order) (levels[depth.get(stage)!] ??= []).push(stage);
  const parts: SpTree[] = levels.map((level) =>
    level.length === 1
      ? { kind: 'stage', stage: level[0]! }
      : { kind: 'parallel', parts: level.map((stage): SpTree => ({ kind: 'stage', stage })) },
  );
  return parts.length === 1 ? parts[0]! : { kind: 'series', parts };
}

/** The workflow's front: exact SP composition, or the levels fallback re-evaluated on the true DAG. */
export function composeDag(
  dag: Dag,
  fronts: ReadonlyMap<string, readonly LeafPoint[]>,
  options: ComposeOptions = {},
): ComposedFront {
  if (dag.spTree) return { front: composeTree(dag.spTree, fronts, options), method: 'series-parallel' };
  const upper = composeTree(levelsTree(dag), fronts, options);
  const exact = upper.map((point) => {
    const picks = picksOf(point.pick);
    const { latencyMs } = longestPath(dag, (stage) => fronts.get(stage)![picks.get(stage)!]!.latencyMs);
    return { ...point, latencyMs };
  });
  return { front: paretoFront(exact, options.epsilon ?? 0.002, tieOrder), method: 'levels' };
}
