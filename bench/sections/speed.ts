/** Planning speed: a 10-stage DAG over the full AWS Lambda space, median of a few repetitions. */
import type { Objective, StageDef } from '../../src/core/types.js';
import { planWorkflow } from '../../src/optimizer/index.js';
import type { BenchContext } from '../lib/context.js';
import { table, type SectionResult } from '../lib/section.js';
import { median } from '../lib/stats.js';
import { STAGES } from '../stages.js';

/** A 10-stage DAG over every bench stage: fan-out, joins and a chain to the single-worker reduce. */
const EDGES: Record<string, string[]> = {
  'tiny-map': [],
  'parse-csv': ['tiny-map'],
  'io-copy': ['tiny-map'],
  montecarlo: ['tiny-map'],
  'shuffle-reduce': ['parse-csv'],
  'sort-gc': ['io-copy'],
  'geo-join': ['shuffle-reduce', 'sort-gc'],
  'ml-inference': ['montecarlo'],
  transcode: ['geo-join', 'ml-inference'],
  'image-reduce': ['transcode'],
};

export function speedSection(ctx: BenchContext, reps: number): SectionResult {
  const stages = STAGES.map((stage) => {
    const def: StageDef = { ...ctx.def(stage.scenario), dependsOn: EDGES[stage.scenario.name] ?? [] };
    // The first trial that could be fitted (a design can run out of memory everywhere).
    const t = [0, 1, 2, 3, 4].map((i) => ctx.trial(stage, i)).find((x) => x !== null);
    if (!t) throw new Error(`bench speed: no fit for ${stage.scenario.name}`);
    return { def, model: t.model, inputBytes: stage.scenario.inputBytes };
  });
  const run = (objective: Objective) =>
    planWorkflow({
      workflow: 'bench-10',
      platform: ctx.platform,
      stages,
      dag: true,
      objective,
      confidence: 0.9,
      seed: 1,
    });
  const latencyPlan = run({ kind: 'latency', percentile: null }).plan;
  const deadlineMs = 1.5 * (latencyPlan.predicted.latencyMs ?? 60_000);
  const objectives: [string, Objective][] = [
    ['cost', { kind: 'cost', percentile: null }],
    ['latency', { kind: 'latency', percentile: null }],
    [`deadline:${(deadlineMs / 1000).toFixed(0)}s`, { kind: 'deadline', deadlineMs, percentile: null }],
  ];
  const rows = objectives.map(([label, o]) => {
    const times: number[] = [];
    for (let i = 0; i < reps; i++) {
      const t0 = performance.now();
      run(o);
      times.push(performance.now() - t0);
    }
    return [label, reps, `${median(times).toFixed(0)} ms`, `${Math.max(...times).toFixed(0)} ms`];
  });
  const worst = Math.max(...rows.map((r) => Number.parseFloat(String(r[2]))));
  return {
    title: 'Planning speed (10-stage DAG, full AWS Lambda space: 10,113 memory sizes × 1–1,000 workers)',
    markdown: [
      ...table(['objective', 'repetitions', 'median', 'max'], rows),
      '',
      `Target ≤ 1 s: ${worst <= 1000 ? 'met' : 'missed'} (slowest objective's median ${worst.toFixed(0)} ms).`,
    ],
    summary: [
      `speed: 10-stage DAG planned in ${worst.toFixed(0)} ms (slowest objective, median; target ≤ 1 s)`,
    ],
  };
}
