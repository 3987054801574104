/**
 * Recommendation quality on the two small workflows of stages.ts: each stage profiled alone
 * (its own design, as the profiler does), the workflow planned along its DAG, scored against the
 * exact true optimum from the composed Pareto fronts of the stages' truths.
 */
import { planWorkflow } from '../../src/optimizer/index.js';
import type { StageDef } from '../../src/core/types.js';
import type { BenchContext } from '../lib/context.js';
import { composeFront, composeLatency, tableFront, type FrontPoint } from '../lib/front.js';
import { OBJECTIVE_KINDS, toObjective, type BenchObjective } from '../lib/objective.js';
import { table, type SectionResult } from '../lib/section.js';
import { median, pct, quantile, rate } from '../lib/stats.js';
import { DAGS, stageByName } from '../stages.js';

export function dagSection(ctx: BenchContext, trials: number): SectionResult {
  const rows: (string | number)[][] = [];
  const all: number[] = [];
  let late = 0;
  let deadlines = 0;
  const inScope = new Set(ctx.stages.map((s) => s.scenario.name));
  const skipped: string[] = [];
  for (const dag of DAGS) {
    if (!dag.stages.every((s) => inScope.has(s.name))) {
      skipped.push(dag.name);
      continue;
    }
    const fronts = new Map<string, FrontPoint[]>();
    for (const st of dag.stages) fronts.set(st.name, tableFront(ctx.table(stageByName(st.name).scenario)));
    const front = composeFront(dag.sp, fronts);
    const fastestMs = front[0]!.latencyMs;
    const regrets: Record<string, number[]> = { cost: [], latency: [], deadline: [] };
    for (let trial = 0; trial < trials; trial++) {
      const stages = dag.stages.map((st) => {
        const stage = stageByName(st.name);
        const t = ctx.trial(stage, trial);
        return t
          ? {
              def: { ...ctx.def(stage.scenario), dependsOn: st.dependsOn } as StageDef,
              model: t.model,
              inputBytes: stage.scenario.inputBytes,
            }
          : null;
      });
      if (stages.some((s) => s === null)) continue;
      const deadlineMs =
        fastestMs *
        (1.2 + 0.8 * ctx.uniform(stageByName(dag.stages[0]!.name).scenario, trial, `dag-${dag.name}`));
      for (const kind of OBJECTIVE_KINDS) {
        const objective: BenchObjective = kind === 'deadline' ? { kind, deadlineMs } : { kind };
        const { plan } = planWorkflow({
          workflow: dag.name,
          platform: ctx.platform,
          stages: stages.map((s) => s!),
          dag: true,
          objective: toObjective(objective),
          confidence: 0.9,
          seed: trial,
        });
        const latency = new Map<string, number>();
        let cost = 0;
        let feasible = true;
        for (const ps of plan.stages) {
          const o = ctx.truth(stageByName(ps.stage).scenario, ps.config.workers, ps.config.memoryMB);
          feasible &&= o.feasible;
          latency.set(ps.stage, o.makespanMs);
          cost += o.costUSD;
        }
        const wfLatency = composeLatency(dag.sp, latency);
        let r: number;
        if (!feasible) r = Infinity;
        else if (kind === 'latency') r = wfLatency / fastestMs - 1;
        else if (kind === 'cost') r = cost / Math.min(...front.map((p) => p.costUSD)) - 1;
        else {
          deadlines++;
          const opt = Math.min(...front.filter((p) => p.latencyMs <= deadlineMs).map((p) => p.costUSD));
          if (wfLatency > deadlineMs) late++;
          r = wfLatency > deadlineMs ? Infinity : cost / opt - 1;
        }
        regrets[kind]!.push(Math.max(0, r));
        all.push(Math.max(0, r));
      }
    }
    rows.push([
      dag.name,
      dag.stages.length,
      ...OBJECTIVE_KINDS.map((k) => `${pct(median(regrets[k]!))} / ${pct(quantile(regrets[k]!, 0.9))}`),
    ]);
  }
  return {
    title: 'Workflows (the two DAGs of stages.ts, planned along the DAG)',
    markdown: [
      'Regret of the workflow plan against the exact optimum of the composed true fronts (median / p90 over trials); ' +
        'workflow latency composes expected stage makespans (series: sum, parallel: max).',
      '',
      ...table(['workflow', 'stages', ...OBJECTIVE_KINDS.map((k) => `${k} median / p90`)], rows),
      '',
      `Deadline misses: ${rate(late, deadlines)}.` +
        (skipped.length ? ` Skipped (stages outside --quick): ${skipped.join(', ')}.` : ''),
    ],
    summary: [
      `workflows: median ${pct(median(all))}, p90 ${pct(quantile(all, 0.9))}; deadline misses ${rate(late, deadlines)}`,
    ],
  };
}
