/**
 * The configs the plan is compared with, one per stage:
 * - flexecutor's default: every stage 1 worker of 2048 MB (flexecutor's `FunctionConfig` defaults);
 * - Lithops' AWS Lambda default: 256 MB (`aws_lambda.runtime_memory`), one worker per partition.
 *   Lithops' `map` over a bucket prefix makes one call per object, so here a partition is one
 *   input object: a root stage gets one worker per object its input holds (for TASKA-C, one
 *   stored Measurement Set chunk), a downstream stage one per upstream worker (each writes its
 *   output objects, which the next map takes one call each), both capped by the stage's
 *   `maxWorkers` and its space's largest worker count;
 * - the best config the profiler ran: per stage, the profiled config with the best measured
 *   objective (mean over its repetitions), which shows what the model adds to the profiling.
 * Pure functions: the runner lists the store and reads the samples.
 */
import type { Objective, Platform, ResolvedConfig, Sample } from '../core/types.js';
import { allowedWorkers, resolveConfig } from '../platforms/index.js';
import type { LoadedWorkflow } from '../store/index.js';

export type StageConfigs = Record<string, ResolvedConfig>;

export const FLEXECUTOR_DEFAULT = { workers: 1, memoryMB: 2048 } as const;
export const LITHOPS_AWS_DEFAULT_MB = 256;

export function flexecutorDefault(workflow: LoadedWorkflow, platform: Platform): StageConfigs {
  return Object.fromEntries(
    workflow.dag.order.map((name) => [name, resolveConfig(platform, FLEXECUTOR_DEFAULT)]),
  );
}

/** `rootObjects`: how many objects each root stage's input holds. */
export function lithopsDefault(
  workflow: LoadedWorkflow,
  platform: Platform,
  rootObjects: ReadonlyMap<string, number>,
): StageConfigs {
  const out: StageConfigs = {};
  for (const name of workflow.dag.order) {
    const def = workflow.stages.find((s) => s.name === name)!;
    const parents = workflow.dag.parents.get(name) ?? [];
    const wanted =
      parents.length === 0
        ? (rootObjects.get(name) ?? 1)
        : Math.max(...parents.map((p) => out[p]?.workers ?? 1));
    const cap = Math.max(...allowedWorkers(platform, def.space, def.maxWorkers));
    out[name] = resolveConfig(platform, {
      workers: Math.max(1, Math.min(wanted, cap)),
      memoryMB: LITHOPS_AWS_DEFAULT_MB,
    });
  }
  return out;
}

/**
 * Per stage, the profiled config (profile runs only, `p-` run ids) with the best mean measured
 * objective among its successful runs; a config that ever ran out of memory is left out, as the
 * planner leaves it out. Deadline and budget are split between the stages as the plan split
 * them (`share`: each stage's planned latency and cost plus the workflow's slack, pro rata).
 * A stage with no successful profile run gets null.
 */
export function bestProfiled(
  samples: readonly Sample[],
  workflow: LoadedWorkflow,
  objective: Objective,
  share: (stage: string) => { latencyMs: number; costUSD: number },
): Record<string, ResolvedConfig | null> {
  const out: Record<string, ResolvedConfig | null> = {};
  for (const name of workflow.dag.order) {
    const mine = samples.filter((s) => s.stage === name && s.runId?.startsWith('p-'));
    const groups = new Map<string, { config: ResolvedConfig; lat: number[]; cost: number[]; oom: boolean }>();
    for (const s of mine) {
      const config = { workers: s.config.workers, memoryMB: s.config.memoryMB, vcpu: s.config.vcpu ?? 0 };
      const key = `${config.workers}/${config.memoryMB}/${config.vcpu}`;
      const g = groups.get(key) ?? { config, lat: [], cost: [], oom: false };
      groups.set(key, g);
      if (s.status === 'oom') g.oom = true;
      if (s.status === 'ok' && s.makespanMs != null && s.costUSD != null) {
        g.lat.push(s.makespanMs);
        g.cost.push(s.costUSD);
      }
    }
    const cands = [...groups.values()]
      .filter((g) => !g.oom && g.lat.length > 0)
      .map((g) => ({ config: g.config, lat: mean(g.lat), cost: mean(g.cost) }));
    out[name] = pick(cands, objective, share(name))?.config ?? null;
  }
  return out;
}

interface Candidate {
  config: ResolvedConfig;
  lat: number;
  cost: number;
}

function pick(
  cands: readonly Candidate[],
  objective: Objective,
  share: { latencyMs: number; costUSD: number },
): Candidate | null {
  if (cands.length === 0) return null;
  const minBy = (xs: readonly Candidate[], f: (c: Candidate) => number): Candidate =>
    xs.reduce((a, c) => (f(c) < f(a) ? c : a));
  switch (objective.kind) {
    case 'cost':
      return minBy(cands, (c) => c.cost);
    case 'latency':
      return minBy(cands, (c) => c.lat);
    case 'balanced': {
      const minCost = Math.min(...cands.map((c) => c.cost));
      const minLat = Math.min(...cands.map((c) => c.lat));
      const w = objective.weight;
      return minBy(cands, (c) => (w * c.cost) / minCost + ((1 - w) * c.lat) / minLat);
    }
    case 'deadline': {
      const ok = cands.filter((c) => c.lat <= share.latencyMs);
      return ok.length ? minBy(ok, (c) => c.cost) : minBy(cands, (c) => c.lat);
    }
    case 'budget': {
      const ok = cands.filter((c) => c.cost <= share.costUSD);
      return ok.length ? minBy(ok, (c) => c.lat) : minBy(cands, (c) => c.cost);
    }
  }
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
