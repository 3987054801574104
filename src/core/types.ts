/**
 * Types shared across layers that are not file formats: phases, resolved configs, and the
 * contract between the trainer (src/models) and the optimizer (src/optimizer).
 */
export * from './schemas.js';

export const PHASES = ['coldStart', 'read', 'compute', 'write'] as const;
export type Phase = (typeof PHASES)[number];

/** A config whose vCPU share the platform has resolved (AWS Lambda: memoryMB / 1769). */
export interface ResolvedConfig {
  workers: number;
  memoryMB: number;
  vcpu: number;
}

/** What a fitted stage model predicts for one config and input size. All times in ms. */
export interface StagePrediction {
  /** Mean per-worker time of each phase. */
  phasesMs: Record<Phase, number>;
  /** Mean wall time of one worker, cold start excluded. */
  workerMs: number;
  /** Mean billed time per worker before the platform's rounding (init included where billed). */
  billedMs: number;
  /** Mean makespan of one run (slowest worker, cold start, and waves past `concurrency`). */
  makespanMs: number;
  /** sd of ln(makespan) of one fresh run: run-to-run noise and model uncertainty combined. */
  makespanLogSd: number;
  /**
   * sd of ln(mean makespan): the model's own uncertainty about the mean, without run-to-run
   * noise. A bound on the mean (a deadline) is judged with this one; a single run's interval with
   * `makespanLogSd`.
   */
  meanLogSd: number;
  /** sd of ln(mean billed time): the uncertainty of the cost (noise averages out over workers). */
  billedLogSd: number;
  /**
   * sd of ln(one run's billed time): the model's uncertainty, what every worker of a run shares
   * (a slow host, a busy store) and the workers' own spread averaged over them. A one-run cost
   * interval takes this one; absent, `billedLogSd`.
   */
  runBilledLogSd?: number;
  /**
   * Storage requests per worker expected at this config (GET, PUT), when the model has them:
   * chunked reads make fewer requests per worker the more workers share the input.
   */
  requestsPerWorker?: { get: number; put: number };
  /** False where the config is below the memory floor learned from `oom` samples. */
  feasible: boolean;
  /** 0 inside the profiled range; grows with the distance (in log units) outside it. */
  extrapolation: number;
}

export interface FamilyTrial {
  family: string;
  /** Median relative error of leave-one-config-out predictions; null when it could not be fitted. */
  cvError: number | null;
  note?: string;
  /** Configs the family needs, when the stage had fewer and it was not tried. */
  needsConfigs?: number;
}

export interface PhaseModelSummary {
  phase: Phase | 'makespan';
  family: string;
  params: Record<string, number>;
  cvError: number | null;
  tried: FamilyTrial[];
}

export interface StageModelSummary {
  stage: string;
  /** Family of the compute phase (the one that dominates most stages), or the single family asked for. */
  family: string;
  /** Median relative error of the makespan under leave-one-config-out cross-validation. */
  cvError: number | null;
  configs: number;
  runs: number;
  phases: PhaseModelSummary[];
  /** Memory floor learned from `oom` samples: MB needed per MB of partition, plus a constant. */
  memoryFloor: { baseMB: number; mbPerPartitionMB: number } | null;
  excluded: { error: number; timeout: number };
  notes: string[];
}

export interface PredictOptions {
  /** Workers that can run at once; extra workers run in waves. Default: unlimited. */
  concurrency?: number;
}

export interface FittedStageModel {
  readonly stage: string;
  /** Median inputBytes the stage was profiled at; null when the samples did not say. */
  readonly profiledInputBytes: number | null;
  /** Median outputBytes / inputBytes measured (1 when unknown). */
  readonly outputRatio: number;
  /** Mean storage requests per worker measured (GET, PUT); 0 when not reported. */
  readonly requestsPerWorker: { get: number; put: number };
  /**
   * Degrees of freedom of `makespanLogSd` (run-to-run noise from repetitions, model error from
   * leave-one-config-out folds): a one-run interval takes Student's t quantile with them.
   * Absent: the normal quantile.
   */
  readonly intervalDf?: number;
  predict(cfg: ResolvedConfig, inputBytes: number, options?: PredictOptions): StagePrediction;
  describe(): StageModelSummary;
}
