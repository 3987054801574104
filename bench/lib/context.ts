/**
 * Shared state of a bench run: the platform, the stages in scope, the true optimum tables
 * (one per stage, built once) and the profiled trials (samples + fitted model, built once and
 * reused by every section that needs them).
 */
import { truthAt, type Scenario } from '../../src/backends/sim/index.js';
import type { FittedStageModel, Platform, Sample, StageDef } from '../../src/core/types.js';
import { fitStage } from '../../src/models/index.js';
import { mulberry32, hashKey } from '../../src/core/prng.js';
import type { BenchStage } from '../stages.js';
import { dedupe, logLatinHypercube, type Box, type DesignPoint } from './design.js';
import { buildTable, type GridSpace, type GridTable } from './grid-search.js';
import type { Outcome } from './objective.js';
import { profileSim } from './profile.js';

export const DESIGN_CONFIGS = 7;
export const REPS = 3;

/**
 * `lhs`: the hypercube as drawn, points below the stage's memory floor included (their runs are
 * `oom` samples). `rerun`: each such point rerun at twice its memory until it runs (at most the
 * platform's largest size): what a user who met the out-of-memory errors, or `optimize`'s memory
 * repair, would hand the planner. Only the oom signal is used, as a user has no more.
 */
const MAX_MEMORY_MB = 10_240;

export type DesignVariant = 'lhs' | 'rerun';

export interface Trial {
  stage: BenchStage;
  trial: number;
  seed: number;
  design: DesignPoint[];
  samples: Sample[];
  model: FittedStageModel;
  fitMs: number;
  /** Box of the configs that ran (ok): the "sampled range". */
  box: Box;
}

export interface WorkerExtrapolation {
  trial: Trial;
  points: DesignPoint[];
}

export class BenchContext {
  readonly tables = new Map<string, GridTable>();
  readonly trials = new Map<string, Trial | null>();
  readonly workerExtrapolations = new Map<string, WorkerExtrapolation | null>();
  /** Fits that could not be made (no run of the design succeeded), by what was being fitted. */
  readonly failedFits: string[] = [];

  constructor(
    readonly platform: Platform,
    readonly stages: readonly BenchStage[],
    readonly trialsPerStage: number,
  ) {}

  space(s: Scenario): GridSpace {
    return {
      memoryMin: 128,
      memoryMax: MAX_MEMORY_MB,
      maxWorkers: Math.min(s.maxWorkers ?? Infinity, this.platform.maxConcurrency),
    };
  }

  fullBox(s: Scenario): Box {
    return { workers: [1, this.space(s).maxWorkers], memoryMB: [128, MAX_MEMORY_MB] };
  }

  truth(s: Scenario, workers: number, memoryMB: number, inputBytes = s.inputBytes): Outcome {
    const t = truthAt(s, this.platform, { workers, memoryMB }, { inputBytes });
    return { makespanMs: t.makespanMs, costUSD: t.costUSD, feasible: t.feasible };
  }

  table(s: Scenario): GridTable {
    let t = this.tables.get(s.name);
    if (!t) {
      t = buildTable(this.space(s), (w, m) => this.truth(s, w, m));
      this.tables.set(s.name, t);
    }
    return t;
  }

  def(s: Scenario): StageDef {
    return { name: s.name, inputBytes: s.inputBytes, ...(s.maxWorkers ? { maxWorkers: s.maxWorkers } : {}) };
  }

  seedOf(s: Scenario, trial: number, what: string): number {
    return hashKey(`${s.name}|${trial}|${what}`, s.seed) % 2 ** 31;
  }

  /** A uniform draw in [0, 1) fixed by (stage, trial, what). */
  uniform(s: Scenario, trial: number, what: string): number {
    return mulberry32(this.seedOf(s, trial, what)).next();
  }

  trial(stage: BenchStage, trial: number, variant: DesignVariant = 'lhs'): Trial | null {
    const key = `${stage.scenario.name}|${trial}|${variant}`;
    if (!this.trials.has(key))
      this.trials.set(
        key,
        this.profileAndFit(
          stage,
          trial,
          this.fullBox(stage.scenario),
          stage.scenario.inputBytes,
          'main',
          variant,
        ),
      );
    return this.trials.get(key)!;
  }

  /**
   * The workers-extrapolation design, built once and shared by the sections that score it:
   * profiled up to 64 workers, to be predicted at 4× the largest count that ran, at each memory
   * that ran. Null for a single-worker stage or when the fit fails.
   */
  workerExtrapolation(stage: BenchStage, trial: number): WorkerExtrapolation | null {
    const key = `${stage.scenario.name}|${trial}`;
    if (!this.workerExtrapolations.has(key)) {
      const s = stage.scenario;
      const maxW = this.space(s).maxWorkers;
      const small =
        maxW > 1
          ? this.profileAndFit(
              stage,
              trial,
              { workers: [1, Math.min(64, maxW)], memoryMB: [128, MAX_MEMORY_MB] },
              s.inputBytes,
              'extrap-workers',
            )
          : null;
      let value: WorkerExtrapolation | null = null;
      if (small) {
        const far = Math.min(maxW, 4 * small.box.workers[1]);
        const mems = [
          ...new Set(small.samples.filter((x) => x.status === 'ok').map((x) => x.config.memoryMB)),
        ];
        value = { trial: small, points: mems.map((memoryMB) => ({ workers: far, memoryMB })) };
      }
      this.workerExtrapolations.set(key, value);
    }
    return this.workerExtrapolations.get(key)!;
  }

  /** Profiles a design in `box` at `inputBytes` and fits `auto` on it; null (and noted) when the fit fails. */
  profileAndFit(
    stage: BenchStage,
    trial: number,
    box: Box,
    inputBytes: number,
    what: string,
    variant: DesignVariant = 'lhs',
  ): Trial | null {
    const s = stage.scenario;
    const seed = this.seedOf(s, trial, what);
    const drawn = logLatinHypercube(box, DESIGN_CONFIGS, seed);
    // Rerun: every run made is a sample, the out-of-memory ones included (they teach the floor).
    const chains = drawn.map((p) => (variant === 'rerun' ? this.rerunUntilItRuns(s, p, inputBytes) : [p]));
    const design = dedupe(chains.map((c) => c[c.length - 1]!));
    const samples = profileSim(s, this.platform, dedupe(chains.flat()), REPS, seed, inputBytes);
    const t0 = performance.now();
    let model: FittedStageModel;
    try {
      model = fitStage(samples, { family: 'auto', seed });
    } catch (e) {
      this.failedFits.push(`${s.name} trial ${trial} (${what}): ${(e as Error).message}`);
      return null;
    }
    const fitMs = performance.now() - t0;
    const ok = samples.filter((x) => x.status === 'ok');
    const ws = ok.map((x) => x.config.workers);
    const ms = ok.map((x) => x.config.memoryMB);
    const sampledBox: Box = ok.length
      ? { workers: [Math.min(...ws), Math.max(...ws)], memoryMB: [Math.min(...ms), Math.max(...ms)] }
      : box;
    return { stage, trial, seed, design, samples, model, fitMs, box: sampledBox };
  }

  /** A design point and, while it runs out of memory, its reruns at twice the memory (up to the largest size). */
  private rerunUntilItRuns(s: Scenario, p: DesignPoint, inputBytes: number): DesignPoint[] {
    const chain = [p];
    let q = p;
    while (q.memoryMB < MAX_MEMORY_MB && truthAt(s, this.platform, q, { inputBytes }).oom) {
      q = { workers: q.workers, memoryMB: Math.min(2 * q.memoryMB, MAX_MEMORY_MB) };
      chain.push(q);
    }
    return chain;
  }
}
