/**
 * Test doubles for the model contract (FittedStageModel), so the optimizer is tested without
 * src/models. `parametricModel` is cheap (~1 µs per predict) and shaped like a data-parallel stage:
 *   worker time t = serialMs + workMs / (w · min(vcpu, maxVcpu)) + gcMs · exp(−(m − floorMB) / gcScaleMB)
 *   makespan      = t + stragglerMs · ln(1 + w) + waves,   billed = t
 * infeasible below `floorMB`; `logSd` (one run), `meanLogSd` (default logSd/2) and `billedLogSd` constant.
 */
import type {
  FittedStageModel,
  PredictOptions,
  ResolvedConfig,
  StagePrediction,
} from '../../src/core/types.js';

export interface ParametricParams {
  stage?: string;
  serialMs?: number;
  workMs?: number;
  maxVcpu?: number;
  stragglerMs?: number;
  gcMs?: number;
  gcScaleMB?: number;
  floorMB?: number;
  logSd?: number;
  meanLogSd?: number;
  billedLogSd?: number;
  extrapolation?: number;
}

export type PredictFn = (
  cfg: ResolvedConfig,
  inputBytes: number,
  options?: PredictOptions,
) => StagePrediction;

export function modelFrom(stage: string, predict: PredictFn): FittedStageModel {
  return {
    stage,
    profiledInputBytes: 1e9,
    outputRatio: 1,
    requestsPerWorker: { get: 0, put: 0 },
    predict,
    describe: () => ({
      stage,
      family: 'fake',
      cvError: 0.05,
      configs: 6,
      runs: 18,
      phases: [],
      memoryFloor: null,
      excluded: { error: 0, timeout: 0 },
      notes: [],
    }),
  };
}

/** A prediction from a makespan and billed time, with the given spreads. */
export function prediction(
  makespanMs: number,
  billedMs: number,
  extra: Partial<Omit<StagePrediction, 'makespanMs' | 'billedMs'>> = {},
): StagePrediction {
  return {
    phasesMs: { coldStart: 0, read: 0, compute: billedMs, write: 0 },
    workerMs: billedMs,
    billedMs,
    makespanMs,
    makespanLogSd: 0.1,
    meanLogSd: 0.05,
    billedLogSd: 0.05,
    feasible: true,
    extrapolation: 0,
    ...extra,
  };
}

export function parametricModel(p: ParametricParams = {}): FittedStageModel {
  const serialMs = p.serialMs ?? 300;
  const workMs = p.workMs ?? 600_000;
  const maxVcpu = p.maxVcpu ?? 2;
  const stragglerMs = p.stragglerMs ?? 50;
  const gcMs = p.gcMs ?? 2000;
  const gcScaleMB = p.gcScaleMB ?? 200;
  const floorMB = p.floorMB ?? 256;
  const logSd = p.logSd ?? 0.1;
  const meanLogSd = p.meanLogSd ?? logSd / 2;
  const billedLogSd = p.billedLogSd ?? 0.05;
  const extrapolation = p.extrapolation ?? 0;
  return modelFrom(p.stage ?? 'stage', (cfg, _bytes, options) => {
    const w = cfg.workers;
    const t =
      serialMs +
      workMs / (w * Math.min(cfg.vcpu, maxVcpu)) +
      gcMs * Math.exp(-(cfg.memoryMB - floorMB) / gcScaleMB);
    const waves = Math.ceil(w / (options?.concurrency ?? Infinity));
    const makespanMs = t * Math.max(1, waves) + stragglerMs * Math.log1p(w);
    return {
      phasesMs: { coldStart: 0, read: 0, compute: t, write: 0 },
      workerMs: t,
      billedMs: t,
      makespanMs,
      makespanLogSd: logSd,
      meanLogSd,
      billedLogSd,
      feasible: cfg.memoryMB >= floorMB,
      extrapolation,
    };
  });
}
