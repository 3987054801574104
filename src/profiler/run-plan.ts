/**
 * The closed loop's execution: runs a workflow at a plan's configs, stage by stage in DAG order
 * with each stage reading its upstream stages' outputs of this same execution, and appends every
 * run to the samples file (so `train`/`plan`/`optimize` learn from it). Returns predicted against
 * measured per stage and for the workflow. Stages run one after another here; the workflow's
 * measured latency is the longest path of the measured stage makespans — what an engine running
 * parallel branches side by side would see.
 */
import { randomBytes } from 'node:crypto';
import type { Backend, StageRunRequest } from '../backends/backend.js';
import { LocalBackend } from '../backends/local/index.js';
import { readsFrom } from '../core/dag.js';
import { RightsizerError } from '../core/errors.js';
import type { Plan, Platform, Sample } from '../core/types.js';
import { longestPath } from '../optimizer/index.js';
import { configProblem, resolveConfig } from '../platforms/index.js';
import { appendSample, readSamples, type LoadedWorkflow } from '../store/index.js';
import { stageParams } from './run-id.js';

export interface RunPlanOptions {
  workflow: LoadedWorkflow;
  plan: Plan;
  backend: Backend;
  platform: Platform;
  samplesPath: string;
  reps?: number;
  seed?: number;
  signal?: AbortSignal;
  onSample?: (s: Sample) => void;
}

export interface StageComparison {
  stage: string;
  predicted: { latencyMs: number; costUSD: number };
  /** Means over the repetitions' ok runs; null when none succeeded. */
  measured: { latencyMs: number | null; costUSD: number | null; runs: number; failed: number };
}

export interface RunPlanResult {
  stages: StageComparison[];
  workflow: {
    predicted: { latencyMs: number | null; costUSD: number };
    measured: { latencyMs: number | null; costUSD: number | null };
  };
  samples: Sample[];
  /** What the backend said about the runs (how they were isolated, what it ignored), each once. */
  notes: string[];
  /** The last execution's outputs of each stage nothing reads: the workflow's results. */
  results: { stage: string; keys: string[] }[];
}

export async function runPlan(o: RunPlanOptions): Promise<RunPlanResult> {
  const { workflow, plan, backend } = o;
  const byStage = new Map(plan.stages.map((s) => [s.stage, s]));
  if (plan.workflow !== workflow.name)
    throw new RightsizerError(
      'input',
      `the plan is for workflow "${plan.workflow}", not "${workflow.name}"`,
      'make the plan from this workflow (rightsizer optimize), or correct its "workflow" field',
    );
  for (const name of workflow.dag.order)
    if (!byStage.has(name))
      throw new RightsizerError(
        'input',
        `plan has no config for stage "${name}" of ${workflow.name}`,
        'make the plan from this workflow (rightsizer optimize)',
      );
  // A config the platform does not offer would run and be recorded as if it could be bought.
  for (const name of workflow.dag.order) {
    const def = workflow.stages.find((s) => s.name === name)!;
    const problem = configProblem(o.platform, byStage.get(name)!.config, def.maxWorkers);
    if (problem)
      throw new RightsizerError(
        'input',
        `plan stage ${name}: ${problem}`,
        'make the plan with rightsizer plan or optimize, which keep to the platform',
      );
  }
  const execution = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  // Every execution draws afresh (an engine that seeds its noise would otherwise repeat the last
  // one), yet reproducibly from --seed: the seed moves on with the executions already recorded.
  const earlier = await executionsIn(o.samplesPath);
  const samples: Sample[] = [];
  const notes = new Set<string>();
  let lastOutputs = new Map<string, string[]>();
  const reps = o.reps ?? 1;
  for (let rep = 0; rep < reps; rep++) {
    const outputs = new Map<string, string[]>();
    lastOutputs = outputs;
    for (const name of workflow.dag.order) {
      o.signal?.throwIfAborted();
      const def = workflow.stages.find((s) => s.name === name)!;
      const ps = byStage.get(name)!;
      const params = stageParams(workflow, def);
      const parents = readsFrom(def, workflow.dag.parents.get(name) ?? []);
      const local = backend instanceof LocalBackend;
      const req: StageRunRequest = {
        runId: `r-${execution}-${rep}-${name}`,
        workflow: workflow.name,
        stage: def,
        // The platform's own share (a hand-written plan may round it).
        config: resolveConfig(o.platform, ps.config),
        inputBytes: local ? null : ps.inputBytes,
        ...(local && parents.length > 0 ? { inputKeys: parents.flatMap((p) => outputs.get(p) ?? []) } : {}),
        rep,
        timeoutMs: def.timeoutMs ?? o.platform.timeoutMs,
        seed: (o.seed ?? 0) + 1_000_003 * (rep + 1) + 7_919 * earlier,
        ...(params ? { params } : {}),
      };
      const result = await backend.runStage(req, o.signal);
      // Its params say which workload it was: runs with other params are not trained on together.
      const sample = {
        ...result.sample,
        runId: req.runId,
        workflow: workflow.name,
        ...(params ? { params } : {}),
      };
      await appendSample(o.samplesPath, sample);
      samples.push(sample);
      for (const n of result.notes ?? []) notes.add(n);
      o.onSample?.(sample);
      outputs.set(name, result.outputKeys ?? []);
      if (sample.status !== 'ok' && (workflow.dag.children.get(name) ?? []).length > 0)
        throw new RightsizerError(
          'backend',
          `stage ${name} failed (${sample.status}: ${sample.error ?? ''}); its downstream stages cannot run`,
          'the run was appended to the samples file',
        );
    }
  }
  const mean = (xs: number[]): number | null =>
    xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
  const stages: StageComparison[] = workflow.dag.order.map((name) => {
    const runs = samples.filter((s) => s.stage === name);
    const ok = runs.filter((s) => s.status === 'ok');
    const ps = byStage.get(name)!;
    return {
      stage: name,
      predicted: { latencyMs: ps.predicted.latencyMs, costUSD: ps.predicted.costUSD },
      measured: {
        latencyMs: mean(ok.map((s) => s.makespanMs!)),
        costUSD: mean(ok.flatMap((s) => (s.costUSD == null ? [] : [s.costUSD]))),
        runs: runs.length,
        failed: runs.length - ok.length,
      },
    };
  });
  const measuredOk = stages.every((s) => s.measured.latencyMs !== null);
  const latencyMs = measuredOk
    ? longestPath(workflow.dag, (name) => stages.find((s) => s.stage === name)!.measured.latencyMs!).latencyMs
    : null;
  const costs = stages.map((s) => s.measured.costUSD);
  return {
    stages,
    workflow: {
      predicted: { latencyMs: plan.predicted.latencyMs, costUSD: plan.predicted.costUSD },
      measured: {
        latencyMs,
        costUSD: costs.every((c) => c !== null) ? costs.reduce((a, c) => a! + c!, 0) : null,
      },
    },
    samples,
    notes: [...notes],
    results: workflow.dag.order
      .filter((name) => (workflow.dag.children.get(name) ?? []).length === 0)
      .map((stage) => ({ stage, keys: lastOutputs.get(stage) ?? [] })),
  };
}

/** How many `run` executions (run ids `r-<execution>-<rep>-<stage>`) a samples file holds. */
async function executionsIn(samplesPath: string): Promise<number> {
  const { samples } = await readSamples(samplesPath, { allowEmpty: true });
  const ids = new Set<string>();
  for (const s of samples) if (s.runId?.startsWith('r-')) ids.add(s.runId.split('-')[1]!);
  return ids.size;
}
