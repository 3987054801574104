/**
 * `--compare defaults`: after planning, runs the plan and the configurations it is compared with
 * (baselines.ts) through the same machinery as `rightsizer run` (runPlan: DAG order, outputs
 * flowing downstream, every run appended to the samples file so the next optimize learns from
 * it), `reps` executions each, and reduces them to time and cost with their spread (spread.ts).
 * Five by default: with three, two rows of the very same config land "beyond the spread" of each
 * other (every run of one above every run of the other) in 1 case of 10 by chance alone; with
 * five, in 1 of 126.
 * Costs are the emulated platform's prices applied to the measured runs.
 */
import type { Backend } from '../backends/backend.js';
import { LocalBackend } from '../backends/local/index.js';
import type { Objective, Plan, Platform, Sample } from '../core/types.js';
import { headline } from '../core/text.js';
import { runPlan } from '../profiler/run-plan.js';
import { stageObjective } from '../profiler/stage-objective.js';
import type { LoadedWorkflow } from '../store/index.js';
import { bestProfiled, flexecutorDefault, lithopsDefault, type StageConfigs } from './baselines.js';
import { scoreRows, verdict, type Score } from './score.js';
import { executionsOf, spreadOf, type Execution, type Spread } from './spread.js';

export const COMPARISON_SCHEMA = 'rightsizer.comparison/v1';

export type RowKind = 'plan' | 'best-profiled' | 'flexecutor-default' | 'lithops-default';

export interface ComparisonRow {
  kind: RowKind;
  label: string;
  configs: StageConfigs;
  executions: Execution[];
  failed: number;
  /** Why an execution stopped, when one did (e.g. a stage out of memory). */
  error: string | null;
  latencyMs: Spread | null;
  costUSD: Spread | null;
  /** The row judged on the plan's objective (score.ts). */
  score: Score;
}

export interface Gain {
  vs: RowKind;
  /** (other − plan) / other of the means: 0.25 = the plan is 25 % cheaper (or faster). */
  cost: number | null;
  latency: number | null;
  /** On the plan's objective: better or worse than the other beyond the measured spread, or within it. */
  objective: ReturnType<typeof verdict>;
}

export interface Comparison {
  schema: typeof COMPARISON_SCHEMA;
  workflow: string;
  objective: Objective;
  platform: string;
  backend: string;
  /** cgroup-v1 | cgroup-v2 | rlimit-watchdog on the local backend. */
  isolation: string | null;
  repsPerRow: number;
  partition: string;
  rows: ComparisonRow[];
  gains: Gain[];
}

export interface CompareOptions {
  workflow: LoadedWorkflow;
  plan: Plan;
  objective: Objective;
  /** The workflow's samples, profile runs among them. */
  samples: readonly Sample[];
  backend: Backend;
  platform: Platform;
  samplesPath: string;
  reps?: number;
  seed?: number;
  signal?: AbortSignal;
  onProgress?: (text: string) => void;
}

export const PARTITION_NOTE =
  'Lithops default: 256 MB, one worker per input object (a root stage: one per stored object; downstream: one per upstream worker), capped by maxWorkers';

export async function runComparison(o: CompareOptions): Promise<Comparison> {
  const { workflow, plan, platform } = o;
  const reps = o.reps ?? 5;
  const planConfigs: StageConfigs = Object.fromEntries(plan.stages.map((s) => [s.stage, s.config]));
  const best = bestProfiled(o.samples, workflow, o.objective, (stage) => {
    const so = stageObjective(o.objective, plan, stage);
    const ps = plan.stages.find((s) => s.stage === stage)!;
    return {
      latencyMs: so.kind === 'deadline' ? so.deadlineMs : ps.predicted.latencyMs,
      costUSD: so.kind === 'budget' ? so.budgetUSD : ps.predicted.costUSD,
    };
  });
  // A stage the profiler never ran successfully keeps the plan's config (said in the label).
  const bestConfigs: StageConfigs = Object.fromEntries(
    workflow.dag.order.map((n) => [n, best[n] ?? planConfigs[n]!]),
  );
  const rows: { kind: RowKind; label: string; configs: StageConfigs }[] = [
    { kind: 'plan', label: 'plan', configs: planConfigs },
    { kind: 'best-profiled', label: 'best profiled', configs: bestConfigs },
    {
      kind: 'flexecutor-default',
      label: 'flexecutor default',
      configs: flexecutorDefault(workflow, platform),
    },
    {
      kind: 'lithops-default',
      label: 'Lithops AWS default',
      configs: lithopsDefault(workflow, platform, await rootObjectCounts(o.backend, workflow)),
    },
  ];
  // Interleaved, each round in a rotated order: drift of the machine (a background job, the page
  // cache, heat) falls on every row alike instead of on whichever ran its executions first.
  const executions = rows.map((): RowExecutions => ({ samples: [], error: null }));
  for (let rep = 0; rep < reps; rep++)
    for (let k = 0; k < rows.length; k++) {
      const i = (rep + k) % rows.length;
      await execute(o, rows[i]!, rep, reps, executions[i]!);
    }
  const measured = rows.map((row, i) => summarise(o, row, reps, executions[i]!));
  const scores = scoreRows(o.objective, measured);
  const out: ComparisonRow[] = measured.map((r, i) => ({ ...r, score: scores[i]! }));
  const planRow = out[0]!;
  const gain = (p: Spread | null, x: Spread | null): number | null =>
    p && x && x.mean > 0 ? (x.mean - p.mean) / x.mean : null;
  return {
    schema: COMPARISON_SCHEMA,
    workflow: workflow.name,
    objective: o.objective,
    platform: platform.id,
    backend: o.backend.name,
    isolation: o.backend instanceof LocalBackend ? o.backend.mode : null,
    repsPerRow: reps,
    partition: PARTITION_NOTE,
    rows: out,
    gains: out.slice(1).map((r) => ({
      vs: r.kind,
      cost: gain(planRow.costUSD, r.costUSD),
      latency: gain(planRow.latencyMs, r.latencyMs),
      objective: verdict(planRow.score, r.score),
    })),
  };
}

interface RowExecutions {
  samples: Sample[];
  error: string | null;
}

/** One execution of a row's configs; a failed one (e.g. out of memory upstream) keeps the others. */
async function execute(
  o: CompareOptions,
  row: { label: string; configs: StageConfigs },
  rep: number,
  reps: number,
  into: RowExecutions,
): Promise<void> {
  try {
    await runPlan({
      workflow: o.workflow,
      plan: withConfigs(o.plan, row.configs),
      backend: o.backend,
      platform: o.platform,
      samplesPath: o.samplesPath,
      reps: 1,
      seed: (o.seed ?? 0) + rep,
      ...(o.signal ? { signal: o.signal } : {}),
      onSample: (s) => {
        into.samples.push(s);
        o.onProgress?.(`compare: ${row.label}, run ${rep + 1}/${reps}: ${s.stage} ${s.status}`);
      },
    });
  } catch (e) {
    if (o.signal?.aborted) throw e;
    into.error = headline((e as Error).message) || 'failed';
  }
}

function summarise(
  o: CompareOptions,
  row: { kind: RowKind; label: string; configs: StageConfigs },
  reps: number,
  { samples, error: thrown }: RowExecutions,
): Omit<ComparisonRow, 'score'> {
  let error = thrown;
  const failedSample = samples.find((s) => s.status !== 'ok');
  if (!error && failedSample) error = `${failedSample.stage}: ${failedSample.status}`;
  // runPlan's run ids are r-<execution>-<rep>-<stage>: one execution per prefix.
  const { ok, failed } = executionsOf(samples, o.workflow.dag, (s) =>
    (s.runId ?? '').slice(0, -(s.stage.length + 1)),
  );
  return {
    ...row,
    executions: ok,
    failed: failed + (reps - ok.length - failed),
    error,
    latencyMs: spreadOf(ok.map((e) => e.latencyMs)),
    costUSD: spreadOf(ok.map((e) => e.costUSD)),
  };
}

/** The plan document runPlan executes, with other configs (the prediction fields are the plan's and unused). */
function withConfigs(plan: Plan, configs: StageConfigs): Plan {
  return {
    ...plan,
    stages: plan.stages.map((s) => ({ ...s, config: { ...s.config, ...configs[s.stage] } })),
  };
}

/** Objects under each root stage's input on the local backend (1 elsewhere: no store to list). */
async function rootObjectCounts(backend: Backend, workflow: LoadedWorkflow): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const name of workflow.dag.roots) {
    const input = workflow.stages.find((s) => s.name === name)?.input as
      { prefix?: string; keys?: string[] } | undefined;
    let n = 1;
    if (backend instanceof LocalBackend && typeof input?.prefix === 'string')
      n = (await backend.store.list(input.prefix)).filter((x) => x.bytes > 0).length;
    else if (Array.isArray(input?.keys)) n = input.keys.length;
    out.set(name, Math.max(1, n));
  }
  return out;
}
