/**
 * `--dry-run`: the design of every stage and what profiling it is expected to take and cost,
 * without running anything. Per config, the best prediction at hand: a model fitted on samples
 * already in the file; else the sim scenario's truth; else a rough prior — a 300 ms cold start
 * and 50 MB/s of work per worker at 1 vCPU (object-storage bandwidth per function is 30–90 MB/s,
 * research/ANCHORS.md) — said as such; none longer than the stage's timeout, which stops a run.
 * Runs the samples file already holds are resumed for free, so they are not counted again.
 * The adaptive design adds at most its run budget.
 */
import type { Backend } from '../backends/backend.js';
import { SimBackend } from '../backends/sim/index.js';
import type { FittedStageModel, Platform, ResolvedConfig, Sample, StageDef } from '../core/types.js';
import { BYTES_PER_MB } from '../core/units.js';
import { fitStage } from '../models/index.js';
import { expectedRunCostUSD } from '../platforms/index.js';
import { repairedConfig } from './memory-repair.js';
import { configKey } from './run-id.js';
import { stageSpace } from './space.js';

export type PredictionSource = 'model' | 'sim truth' | 'prior' | 'unknown';

export interface DryRunConfig {
  config: ResolvedConfig;
  /** Runs still to make: the design's repetitions less those the samples file already holds. */
  reps: number;
  /** Runs of this config already in the samples file (resumed for free). */
  done: number;
  makespanMs: number | null;
  costUSD: number | null;
}

export interface DryRunStage {
  stage: string;
  inputBytes: number | null;
  source: PredictionSource;
  configs: DryRunConfig[];
  makespanMs: number | null;
  costUSD: number | null;
  /** Why the input size is unknown (said by the CLI, which knows the workflow's setup and DAG). */
  inputUnknown?: string;
  /** Sparse starts: points left out, as the profile would, because earlier runs show no size holds them. */
  leftOut?: ResolvedConfig[];
  /** A grid's configs outside the stage's space, run at the nearest config in it. */
  moved?: { from: ResolvedConfig; to: ResolvedConfig }[];
}

const PRIOR_COLD_MS = 300;
const PRIOR_MB_PER_S = 50;

export function dryRunStage(
  platform: Platform,
  backend: Backend,
  def: StageDef,
  design: readonly ResolvedConfig[],
  reps: number,
  inputBytes: number | null,
  samples: readonly Sample[],
  /** Replay the sparse start's memory repair (memory-repair.ts) on the runs the file holds. */
  repair = false,
): DryRunStage {
  const own = samples.filter((s) => s.stage === def.name);
  let model: FittedStageModel | null = null;
  if (own.some((s) => s.status === 'ok'))
    try {
      model = fitStage(own);
    } catch {
      model = null;
    }
  const source: PredictionSource = model
    ? 'model'
    : backend instanceof SimBackend
      ? 'sim truth'
      : inputBytes !== null
        ? 'prior'
        : 'unknown';
  // A run is stopped at the stage's timeout, so none takes (or is billed) longer.
  const timeoutMs = def.timeoutMs ?? platform.timeoutMs;
  const capped = (c: DryRunConfig): DryRunConfig =>
    c.makespanMs !== null && c.makespanMs > timeoutMs
      ? {
          ...c,
          makespanMs: timeoutMs,
          costUSD: c.costUSD === null ? null : (c.costUSD * timeoutMs) / c.makespanMs,
        }
      : c;
  // What a rerun resumes: profile runs (`p-` ids) of this very config (vCPU included) and input
  // size, one per repetition the design asks for; `run` and imported samples are not resumed.
  const atConfig = (s: Sample, config: ResolvedConfig): boolean =>
    !!s.runId?.startsWith('p-') &&
    s.config.vcpu !== undefined &&
    s.rep < reps &&
    configKey(s.config as ResolvedConfig) === configKey(config) &&
    !(s.inputBytes != null && inputBytes !== null && Math.abs(s.inputBytes / inputBytes - 1) > 0.01);
  const doneAt = (config: ResolvedConfig): number =>
    new Set(own.filter((s) => atConfig(s, config)).map((s) => s.rep)).size;
  // The sparse start as profile runs it: from the most workers down, each point raised past what
  // the start's runs before it show it needs, or left out (memory-repair.ts). Only the runs the
  // file already holds can be replayed; those still to make are taken as they were drawn.
  const space = repair ? stageSpace(platform, def) : null;
  const ordered = space
    ? [...design].sort((a, b) => b.workers - a.workers || b.memoryMB - a.memoryMB)
    : design;
  const replayed: Sample[] = [];
  const leftOut: ResolvedConfig[] = [];
  const configs: DryRunConfig[] = [];
  for (const planned of ordered) {
    const config = space ? repairedConfig(planned, replayed, space) : planned;
    if (!config) {
      leftOut.push(planned);
      continue;
    }
    const done = doneAt(config);
    replayed.push(...own.filter((s) => atConfig(s, config)));
    configs.push(capped({ ...predicted(config), reps: Math.max(0, reps - done), done }));
  }
  function predicted(config: ResolvedConfig): Omit<DryRunConfig, 'reps' | 'done'> {
    if (model) {
      const p = model.predict(config, inputBytes ?? model.profiledInputBytes ?? 0);
      return {
        config,
        makespanMs: p.makespanMs,
        costUSD: expectedRunCostUSD(
          platform,
          config,
          p.billedMs,
          p.requestsPerWorker ?? model.requestsPerWorker,
        ),
      };
    }
    if (backend instanceof SimBackend) {
      const t = backend.truth(def.name, config, inputBytes ?? undefined);
      return {
        config,
        makespanMs: Number.isFinite(t.makespanMs) ? t.makespanMs : null,
        costUSD: Number.isFinite(t.costUSD) ? t.costUSD : null,
      };
    }
    if (inputBytes === null) return { config, makespanMs: null, costUSD: null };
    const partitionMB = inputBytes / BYTES_PER_MB / config.workers;
    const workerMs = (partitionMB / (PRIOR_MB_PER_S * Math.min(config.vcpu, 1))) * 1000;
    return {
      config,
      makespanMs: PRIOR_COLD_MS + workerMs,
      costUSD: expectedRunCostUSD(platform, config, PRIOR_COLD_MS + workerMs, { get: 1, put: 1 }),
    };
  }
  const sum = (f: (c: DryRunConfig) => number | null): number | null =>
    configs.every((c) => c.reps === 0 || f(c) !== null)
      ? configs.reduce((a, c) => a + (c.reps === 0 ? 0 : f(c)! * c.reps), 0)
      : null;
  return {
    stage: def.name,
    inputBytes,
    source,
    configs,
    makespanMs: sum((c) => c.makespanMs),
    costUSD: sum((c) => c.costUSD),
    ...(leftOut.length > 0 ? { leftOut } : {}),
  };
}
