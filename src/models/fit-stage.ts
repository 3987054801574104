/**
 * The trainer of one stage: from its samples to a `FittedStageModel`.
 *
 * - Per phase (cold start, read, compute, write) a family chosen by leave-one-config-out CV
 *   (`auto`) or the one asked for. Compute is the worker's wall time minus read and write, so
 *   the phases add up to the worker time (per-worker overhead counts as compute).
 * - Makespan = θ1·waves·F·s(n) + θ0 + θn·n: F the mean finish time (cold start + worker time),
 *   s(n) the expected-maximum factor of n lognormal finishes (straggler.ts), or of the
 *   measured shape of the finishes when their tail is heavier (finish-tail.ts), waves past the
 *   concurrency; θ ≥ 0 calibrate it against the measured makespans (NNLS). The finishes' spread
 *   is the cold starts' and the work's, measured apart and weighed by their shares at the config
 *   (a wide fan-out of short partitions straggles as its cold starts do).
 * - Memory floor from `oom` samples (memory-floor.ts); timeouts bound the makespan from below.
 * - Uncertainty: ln-makespan sd² = run-to-run noise² (repetitions) + LOCO model error² +
 *   (γ·extrapolation)² + the GP's own excess variance off the data. The noise depends on the
 *   width: the slowest of n workers moves from run to run by the finish spread² × Var(max of n
 *   normals) (1 for one worker, 0.12 for a thousand), on top of what every run shares; the pooled
 *   noise of the repetitions is split so that its average over the training runs is unchanged.
 * - Conditioned on the measurements (residual-kriging.ts): the ln-residuals of the per-config
 *   mean makespan and billed time correct the prediction at and near the measured configs, and
 *   the model's variance there shrinks to the measured mean's, growing back away from them.
 */
import { inputError } from '../core/errors.js';
import type {
  FittedStageModel,
  Phase,
  PhaseModelSummary,
  PredictOptions,
  ResolvedConfig,
  Sample,
  StageModelSummary,
  StagePrediction,
} from '../core/types.js';
import { PHASES } from '../core/types.js';
import { groupByKey, median, selectionScore } from './cross-validation.js';
import { FAMILIES, forPhase } from './families.js';
import type { FittedTarget } from './family.js';
import { floorPressure, type Features, type TrainingPoint } from './features.js';
import { chooseGc, GC_GRID, G_PRIOR, withGc } from './gc-slowdown.js';
import { censoredMean } from './censored-mean.js';
import { fitMemoryFloor, floorAt, needAt, type MemoryFloor } from './memory-floor.js';
import { nnls } from './nnls.js';
import { MAX_ALTERNATIVES, meanSquare, pseudoBmaWeights } from './disagreement.js';
import { splitTimeouts } from './timeouts.js';
import { fitRequests } from './requests.js';
import { selectFamily, TIE_MARGIN, type FamilyChoice } from './select-family.js';
import {
  configKey,
  partitionMB,
  prepareStage,
  type FailedConfig,
  type LogSpread,
  type StageData,
  type StageRow,
} from './stage-data.js';
import { requestsAt, type RequestModel } from './requests.js';
import { fitKriging, krigeAt, type Kriging, type KrigingPoint } from './residual-kriging.js';
import { finishTail } from './finish-tail.js';
import { finishLogSdAt, maxNormalVariance, stragglerFactor, waves, type FinishSpread } from './straggler.js';

export interface FitStageOptions {
  family?: 'auto' | 'amdahl' | 'ernest' | 'memexp' | 'gp' | (string & {});
  /** Accepted for the API's sake: every step is deterministic, nothing is drawn. */
  seed?: number;
}

/**
 * Span of ln(partition) below which the profile measured one partition size: a law then cannot
 * tell a fixed part of a phase from work that grows with the data, and off that size the phases
 * are taken at it and scaled with the data (work ∝ data; a fixed part read as such had 10× the
 * input of a one-worker stage at under half its time).
 */
const PINNED_PARTITION_SPAN = Math.log(2);
/** Whether the profiled box spans one partition size (PINNED_PARTITION_SPAN). */
const onePartition = (box: Box): boolean => box.hi[3]! - box.lo[3]! < PINNED_PARTITION_SPAN;
/** Growth of the ln-makespan sd per log unit outside the profiled box (≈ 15 % per e-fold). */
const EXTRAPOLATION_LOG_SD = 0.15;
/**
 * Run-to-run ln-sd assumed when no config was repeated: the upper half of what real stages show
 * (within-config ln-sd of the makespan over 794 repeated configs of flexecutor's and Jolteon's
 * AWS Lambda profiles: median 0.05, 3rd quartile 0.13). An assumed noise that is too small is the
 * costlier error: it trusts one lucky run as the mean, and a deadline plan then misses (in the
 * optimize bench, 0.05 here missed 11 deadlines of 60, 0.08 missed 4).
 */
const DEFAULT_NOISE_LOG_SD = 0.08;
/** Degrees of freedom an assumed noise counts for in an interval: a prior worth a few runs. */
const ASSUMED_NOISE_DF = 4;
/** Fewest degrees of freedom (repetitions beyond the first) that measure the noise. */
const MIN_NOISE_DF = 3;
/**
 * Factors on the assumed noise variance the kriging's likelihood chooses from when it was not
 * measured: ln-sd 0.08 to 0.15, up to the noisier real stages. Never below the assumption: on a
 * handful of configs the likelihood readily explains scatter as model error and would call the
 * runs exact.
 */
const NOISE_SCALES = [1, 2, 3.5] as const;
/** Smallest model ln-sd kept: LOCO on 6–8 configs can come out optimistically small. */
const MIN_MODEL_LOG_SD = 0.02;
/** Least share of the pooled run-to-run noise variance a config's own noise may fall to. */
const MIN_NOISE_SHARE = 0.25;
/** Fewest parameters of any family's law (a level and a slope): the noise left in a fitted mean. */
const MIN_FIT_PARAMETERS = 2;

interface Choices {
  family: Record<Phase, string | null>;
  /** GC slowdown coefficient of the compute phase (gc-slowdown.ts). */
  gc: number;
}

/** What the fitted phase models, floor and calibration give at one config (no uncertainty). */
interface Core {
  targets: Record<Phase, FittedTarget | null>;
  spread: FinishSpread;
  theta: { scale: number; constant: number; perWorker: number };
  /** The host's part of theta's constant and per-worker terms, measured (hostOverhead); null if not. */
  host: { constant: number; perWorker: number } | null;
  billed: { perColdMs: number; constant: number };
}

function phasePoints(
  rows: readonly StageRow[],
  phase: Phase,
  modeled: Record<Phase, boolean>,
  eps: number,
): TrainingPoint[] {
  const out: TrainingPoint[] = [];
  for (const r of rows) {
    let y: number | null;
    if (phase === 'coldStart') y = r.coldMs;
    else if (phase === 'read') y = r.readMs;
    else if (phase === 'write') y = r.writeMs;
    else {
      if ((modeled.read && r.readMs == null) || (modeled.write && r.writeMs == null)) continue;
      y = r.totalMs - (modeled.read ? r.readMs! : 0) - (modeled.write ? r.writeMs! : 0);
    }
    if (y == null || !Number.isFinite(y)) continue;
    out.push({ key: r.key, x: r.x, y: Math.max(y, eps) });
  }
  return configMeans(out);
}

/**
 * One point per config, its target the arithmetic mean of the repetitions. Every family fits on
 * relative (or log) residuals, which on single draws estimate a low location of a skewed
 * run-to-run distribution (weights 1/y favour the short draws; ln y gives the geometric mean),
 * while what is predicted — and what makespan, cost and the CV score use — is the mean.
 */
function configMeans(points: readonly TrainingPoint[]): TrainingPoint[] {
  const out: TrainingPoint[] = [];
  for (const group of groupByKey(points).values()) {
    const y = group.reduce((s, p) => s + p.y, 0) / group.length;
    out.push({ key: group[0]!.key, x: group[0]!.x, y });
  }
  return out;
}

/** A within-run spread pooled over the runs, weighted by degrees of freedom; null when no run has one. */
function pooledSpread(rows: readonly StageRow[], spreadOf: (r: StageRow) => LogSpread | null): number | null {
  let ss = 0;
  let df = 0;
  for (const r of rows) {
    const v = spreadOf(r);
    if (v) {
      ss += v.logSd * v.logSd * v.df;
      df += v.df;
    }
  }
  return df > 0 ? Math.sqrt(ss / df) : null;
}

function fitCore(
  rows: readonly StageRow[],
  choices: Choices,
  modeled: Record<Phase, boolean>,
  eps: number,
  perWorkerTerm: boolean,
): Core {
  const targets = {} as Record<Phase, FittedTarget | null>;
  for (const phase of PHASES) {
    const family = choices.family[phase];
    const pts = family ? phasePoints(rows, phase, modeled, eps) : [];
    const base = family ? forPhase(FAMILIES[family]!, phase, modeled.read || modeled.write) : null;
    const model = base ? (phase === 'compute' ? withGc(base, choices.gc) : base) : null;
    targets[phase] = model && pts.length > 0 ? model.fit(pts) : null;
  }
  const spread: FinishSpread = {
    pooled: pooledSpread(rows, (r) => r.finishSpread) ?? 0,
    cold: pooledSpread(rows, (r) => r.coldSpread),
    work: pooledSpread(rows, (r) => r.workSpread),
    tail: null,
  };
  // Each run's deviations in units of the spread expected at its config (finish-tail.ts).
  spread.tail = finishTail(
    rows.flatMap((r) => {
      const sd = finishLogSdAt(spread, r.coldMs ?? 0, r.totalMs);
      return sd > 1e-9 ? r.finishDeviations.map((d) => d / sd) : [];
    }),
  );
  const core: Core = {
    targets,
    spread,
    theta: { scale: 1, constant: 0, perWorker: 0 },
    // The host's part, measured run by run where the workers' finishes say where it starts.
    host: hostOverhead(rows),
    billed: { perColdMs: 0, constant: 0 },
  };
  const host = core.host;
  // Makespan calibration on relative residuals: makespan − host(n) ≈ θ1·F̂·s(n) + θ0 (+ θn·n).
  // A term per distinct config at most: one config identifies the scale alone (a constant would
  // absorb the whole makespan and freeze it at every worker count).
  const terms = Math.min(perWorkerTerm ? 3 : 2, groupByKey(rows).size);
  // On the mean makespan of each config (configMeans).
  const a: number[][] = [];
  const b: number[] = [];
  for (const group of groupByKey(rows).values()) {
    const x = group[0]!.x;
    // Waves past the concurrency the run had (a machine's cores), each awaiting its slowest worker.
    const w = waves(x.workers, group[0]!.concurrency ?? undefined);
    const base = w.count * finishBase(core, x, w.width);
    const inv = group.length / group.reduce((s, r) => s + r.makespanMs, 0);
    a.push([base * inv, inv, x.workers * inv].slice(0, terms));
    b.push(Math.max(1 - ((host?.constant ?? 0) + (host?.perWorker ?? 0) * x.workers) * inv, 0));
  }
  const { x: th } = nnls(a, b);
  core.theta = { scale: th[0] ?? 1, constant: th[1] ?? 0, perWorker: th[2] ?? 0 };
  if (core.theta.scale <= 0 && core.theta.constant <= 0) core.theta.scale = 1;
  core.theta.constant += host?.constant ?? 0;
  core.theta.perWorker += host?.perWorker ?? 0;

  // Billed time = worker time + β·cold start + δ.
  const { x: bt } = nnls(
    rows.map((r) => [(r.coldMs ?? 0) / r.billedMs, 1 / r.billedMs]),
    rows.map((r) => (r.billedMs - r.totalMs) / r.billedMs),
  );
  core.billed = { perColdMs: bt[0] ?? 0, constant: bt[1] ?? 0 };
  return core;
}

/**
 * The makespan past the slowest worker's finish — submitting the calls and collecting their
 * results, which a host does one call after another — as host(n) = h0 + h1·n (NNLS over the runs
 * that measured it, StageRow.overheadMs). Measured directly, it is free of the stragglers that
 * make a makespan's own per-worker term unreadable (a run's slowest worker varies by ±30 %, its
 * submitting by a few ms per call); a sim or an importer whose makespan is the slowest finish
 * measures 0, and the calibration below is as before. The per-worker part needs two worker counts.
 */
function hostOverhead(rows: readonly StageRow[]): { constant: number; perWorker: number } | null {
  const measured = rows.filter((r) => r.overheadMs != null);
  if (measured.length === 0) return null;
  const counts = new Set(measured.map((r) => r.x.workers));
  const terms = counts.size > 1 ? 2 : 1;
  const { x } = nnls(
    measured.map((r) => [1, r.x.workers].slice(0, terms)),
    measured.map((r) => r.overheadMs!),
  );
  return { constant: x[0] ?? 0, perWorker: x[1] ?? 0 };
}

function phaseValue(core: Core, phase: Phase, x: Features): number {
  const t = core.targets[phase];
  if (!t) return 0;
  const v = t.predict(x);
  return Number.isFinite(v) && v > 0 ? v : 0;
}

/** Expected slowest of `width` finishes at x: the mean finish × its straggler factor. */
function finishBase(core: Core, x: Features, width: number): number {
  const cold = phaseValue(core, 'coldStart', x);
  const work = phaseValue(core, 'read', x) + phaseValue(core, 'compute', x) + phaseValue(core, 'write', x);
  return (cold + work) * stragglerFactor(width, finishLogSdAt(core.spread, cold, work), core.spread.tail);
}

function coreMakespan(core: Core, x: Features, concurrency: number | undefined): number {
  const w = waves(x.workers, concurrency);
  const base = w.count * finishBase(core, x, w.width);
  return core.theta.scale * base + core.theta.constant + core.theta.perWorker * x.workers;
}

/** ln(mean makespan of a config's runs / the core's makespan there). */
function makespanResidual(core: Core, runs: readonly StageRow[]): number {
  const actual = runs.reduce((s, r) => s + r.makespanMs, 0) / runs.length;
  const pred = coreMakespan(core, runs[0]!.x, runs[0]!.concurrency ?? undefined);
  return Math.log(actual / Math.max(pred, 1e-9));
}

/** LOCO ln-residuals of the makespan with the families fixed and everything else refitted. */
function makespanLoco(
  rows: readonly StageRow[],
  choices: Choices,
  modeled: Record<Phase, boolean>,
  eps: number,
  perWorkerTerm: boolean,
): number[] {
  const groups = groupByKey(rows);
  const out: number[] = [];
  for (const [key, held] of groups) {
    const train = rows.filter((r) => r.key !== key);
    if (groupByKey(train).size < 2) return [];
    try {
      out.push(makespanResidual(fitCore(train, choices, modeled, eps, perWorkerTerm), held));
    } catch {
      return [];
    }
  }
  return out;
}

/** Pooled within-config variance of ln(value) across repetitions, or null with fewer than `minDf` degrees of freedom. */
function pooledLogVariance(
  rows: readonly StageRow[],
  value: (r: StageRow) => number,
  minDf = 1,
): number | null {
  let ss = 0;
  let df = 0;
  for (const group of groupByKey(rows).values()) {
    if (group.length < 2) continue;
    const logs = group.map((r) => Math.log(Math.max(value(r), 1e-9)));
    const m = logs.reduce((s, v) => s + v, 0) / logs.length;
    ss += logs.reduce((s, v) => s + (v - m) ** 2, 0);
    df += logs.length - 1;
  }
  return df >= minDf ? ss / df : null;
}

/** Robust mean square of residuals: (1.4826·median|r|)², the normal-consistent MAD about 0. */
function robustMeanSquare(res: readonly number[]): number {
  if (res.length === 0) return NaN;
  return (1.4826 * median(res.map(Math.abs))) ** 2;
}

interface Box {
  lo: number[];
  hi: number[];
}

/** Log coordinates of the profiled box; the last is ln(1 + floor pressure): nearer the floor than any ok run is outside too. */
function logCoords(x: Features): [number, number, number, number, number] {
  return [
    Math.log(x.workers),
    Math.log(x.memoryMB),
    Math.log(x.vcpu),
    Math.log(x.partitionMB),
    Math.log1p(floorPressure(x)),
  ];
}

/**
 * Heteroscedastic model error: the ln-variance of the model at x is c·g(d(x)), with d(x) the
 * distance from x to the nearest profiled config in the log coordinates of the knobs (workers,
 * memory, vCPU, partition), each over its profiled range, and g(d) = d² + d0²: the model error
 * grows off the data, from a level d0² at a profiled config. The LOCO folds measure it at their
 * own distances d_k (the held-out config to the rest), so d0 is chosen by the normal likelihood
 * of the LOCO ln-residuals r_k ~ N(0, noise/reps + c·g(d_k)) over a grid (∞: homoscedastic),
 * and c from the robust spread of r_k / √(g(d_k)/ḡ), as the homoscedastic estimate is.
 */
const D0_GRID = [0.1, 0.2, 0.35, 0.5, 0.75, 1, Infinity] as const;

interface ErrorShape {
  d0: number;
  /** Geometric mean of g over the LOCO folds: g/ḡ is 1 on average there. */
  gBar: number;
  /** Per dimension 1/range (0 for a dimension not varied). */
  inv: Float64Array;
  /** Profiled configs' coordinates, 4 per config. */
  coords: Float64Array;
}

function knobCoords(x: Features, out: Float64Array | number[], at = 0): void {
  out[at] = Math.log(x.workers);
  out[at + 1] = Math.log(x.memoryMB);
  out[at + 2] = Math.log(x.vcpu);
  out[at + 3] = Math.log(x.partitionMB);
}

/**
 * The run-to-run noise a fitted law keeps in its own prediction at the configs it was fitted to:
 * a law fitted through m config means, each with noise variance σ²/n, carries h·σ²/n of each
 * (its leverage h there; Σ h is the parameters it spends — near m for a flexible family on a few
 * configs, which then passes through every noisy mean). The error shape, fitted to held-out
 * configs, reads an error of zero at distance zero and misses it: on 3 runs of σ 0.21 a law through
 * 6 configs claimed ±2 % at a measured config it missed by 12 %, and a deadline plan there missed.
 * A held-out residual is the in-sample one over (1 − h), so the mean leverage is
 * h̄ = 1 − √(Σ e²_in / Σ e²_held-out).
 */
function fitNoiseVar(
  rows: readonly StageRow[],
  core: Core,
  loco: readonly number[],
  meanNoise: number,
): number {
  const groups = [...groupByKey(rows).values()];
  if (loco.length !== groups.length || loco.length === 0) return 0;
  const inSample = groups.map((g) => makespanResidual(core, g));
  const held = loco.reduce((s, r) => s + r * r, 0);
  if (!(held > 0)) return 0;
  const leverage = 1 - Math.sqrt(inSample.reduce((s, e) => s + e * e, 0) / held);
  return Math.min(Math.max(leverage, 0), 1) * meanNoise;
}

/** Squared distance from c (4 coordinates) to the nearest config of `coords`, skipping `skip`. */
function nearestSq(c: ArrayLike<number>, coords: Float64Array, inv: Float64Array, skip = -1): number {
  let best = Infinity;
  for (let k = 0; k * 4 < coords.length; k++) {
    if (k === skip) continue;
    let s = 0;
    for (let d = 0; d < 4; d++) {
      const v = (c[d]! - coords[k * 4 + d]!) * inv[d]!;
      s += v * v;
    }
    if (s < best) best = s;
  }
  return best;
}

function fitErrorShape(
  held: readonly Features[],
  loco: readonly number[],
  noiseShare: number,
): ErrorShape | null {
  const m = held.length;
  if (m < 4 || loco.length !== m) return null;
  const coords = new Float64Array(4 * m);
  held.forEach((x, k) => knobCoords(x, coords, 4 * k));
  const inv = new Float64Array(4);
  for (let d = 0; d < 4; d++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let k = 0; k < m; k++) {
      lo = Math.min(lo, coords[4 * k + d]!);
      hi = Math.max(hi, coords[4 * k + d]!);
    }
    inv[d] = hi - lo > 1e-9 ? 1 / (hi - lo) : 0;
  }
  const dk = held.map((_, k) => nearestSq(coords.subarray(4 * k, 4 * k + 4), coords, inv, k));
  const r2 = loco.map((r) => r * r);
  let best: { d0: number; ll: number } = { d0: Infinity, ll: -Infinity };
  for (const d0 of D0_GRID) {
    const g = dk.map((d) => (Number.isFinite(d0) ? d + d0 * d0 : 1));
    // Profile c over a log grid: ll = −½ Σ (ln v_k + r_k²/v_k), v_k = noise share + c·g_k.
    let ll = -Infinity;
    for (let e = -12; e <= 4; e += 0.25) {
      const c = Math.exp(e);
      let s = 0;
      for (let k = 0; k < m; k++) {
        const v = noiseShare + c * g[k]! + 1e-6;
        s -= 0.5 * (Math.log(v) + r2[k]! / v);
      }
      if (s > ll) ll = s;
    }
    // A finite d0 has to earn its extra parameter (AIC: one log-likelihood unit).
    if (ll > best.ll + (Number.isFinite(d0) ? 1 : 0)) best = { d0, ll };
  }
  if (!Number.isFinite(best.d0)) return null;
  const d0 = best.d0;
  const gBar = Math.exp(dk.reduce((s, d) => s + Math.log(d + d0 * d0), 0) / m);
  return { d0, gBar, inv, coords };
}

interface PredictorParts {
  inputRef: number | null;
  floor: MemoryFloor | null;
  box: Box;
  ooms: readonly FailedConfig[];
  /** Configs whose every run failed with an error: infeasible as they are, like an exact oom. */
  errored: readonly { workers: number; memoryMB: number }[];
  timeouts: readonly FailedConfig[];
  /** GP phases: index in PHASES, the fitted target, its median log-variance at the training configs. */
  gp: { index: number; target: FittedTarget; base: number }[];
  noise: number;
  modelVar: number;
  /**
   * Least variance of the mean anywhere: the noise the fit absorbed into its own means
   * (fitNoiseVar). Not in the residual field's prior: the residuals cannot show it.
   */
  fitVar: number;
  /** Shape of the model error off the data (fitErrorShape); null: the same everywhere. */
  errorShape: ErrorShape | null;
  billedNoise: number;
  /**
   * Variance of ln(billed time) across a run's workers, and its share of `billedNoise` at the
   * training runs (the mean of it / workers): the rest of `billedNoise` every worker of a run shares.
   */
  billedWorkerVar: number;
  billedWidthMean: number;
  /** Per phase (index in PHASES), the other candidate families fitted, their weights, and the phase's ε. */
  alternatives: { index: number; targets: FittedTarget[]; weights: number[]; eps: number }[];
  /** The makespan calibration not taken, and its weight. */
  makespanAlternative: { weight: number; scale: number; constant: number; perWorker: number } | null;
  /** Features of the training configs: the disagreement there is already in the LOCO error. */
  training: readonly Features[];
  /** Storage requests per worker along the config (requests.ts); null when none reported. */
  requests: RequestModel | null;
  /** The residual field conditioned on the measured configs (residual-kriging.ts), or null. */
  kriging: Kriging | null;
  /** Per knob coordinate 1/profiled range (0 when not varied): the kriging's scaling. */
  krigingInv: Float64Array;
}

/**
 * GP excess variance below this share of the rest of the ln-variance is not computed: it would
 * move the sd by less than 0.005 %.
 */
const NEGLIGIBLE_VAR = 1e-4;

/**
 * The stage's `predict`: everything that does not depend on the config is computed here, once;
 * a call allocates only its result (the optimizer calls it tens of thousands of times a stage).
 */
function makePredictor(
  core: Core,
  parts: PredictorParts,
): (cfg: ResolvedConfig, inputBytes: number, opts?: PredictOptions) => StagePrediction {
  const {
    inputRef,
    floor,
    ooms,
    timeouts,
    noise,
    billedNoise,
    billedWorkerVar,
    billedWidthMean,
    requests,
    kriging,
  } = parts;
  const kInv = parts.kriging ? parts.krigingInv : new Float64Array(4);
  const kx = new Float64Array(4);
  const kScratch = new Float64Array(kriging ? kriging.m : 0);
  const kOut = new Float64Array(3);
  const shape = parts.errorShape;
  const kc = new Float64Array(4);
  const modelVarAt = (xx: Features): number => {
    if (!shape) return parts.modelVar;
    knobCoords(xx, kc);
    const g = nearestSq(kc, shape.coords, shape.inv) + shape.d0 * shape.d0;
    return Math.max((parts.modelVar * g) / shape.gBar, MIN_MODEL_LOG_SD ** 2);
  };
  const none = (): number => 0;
  const fn = (p: Phase): ((x: Features) => number) => {
    const t = core.targets[p];
    return t ? (x) => t.predict(x) : none;
  };
  const coldFn = fn('coldStart');
  const readFn = fn('read');
  const computeFn = fn('compute');
  const writeFn = fn('write');
  const { scale, constant, perWorker } = core.theta;
  const { perColdMs, constant: billedConstant } = core.billed;
  const spread = core.spread;
  const stragglerAt = (n: number, cold: number, work: number): number =>
    stragglerFactor(n, finishLogSdAt(spread, cold, work), spread.tail);
  /**
   * Run-to-run variance of ln(makespan) from the slowest worker alone: its finish spread² × the
   * variance of the largest of `width` normals, averaged over `count` waves. One worker's run
   * moves as much as a worker does; a thousand workers' slowest hardly moves.
   */
  const widthVar = (width: number, count: number, cold: number, work: number): number => {
    const sd = finishLogSdAt(spread, cold, work);
    return (sd * sd * maxNormalVariance(width)) / Math.max(count, 1);
  };
  const lo = Float64Array.from(parts.box.lo);
  const hi = Float64Array.from(parts.box.hi);
  const pinPartition = onePartition(parts.box);
  const oomWorkers = Float64Array.from(ooms, (o) => o.workers);
  const oomMemory = Float64Array.from(ooms, (o) => o.memoryMB);
  const nOom = ooms.length;
  const errored = new Set(parts.errored.map((e) => `${e.workers}x${e.memoryMB}`));
  const gp = parts.gp;
  const gpCount = gp.length;
  const phase = new Float64Array(4);
  const x: Features = { workers: 1, memoryMB: 1, vcpu: 1, partitionMB: 1, floorMB: 0 };
  const valid = (v: number): number => (Number.isFinite(v) && v > 0 ? v : 0);
  const alts = parts.alternatives;
  const altCount = alts.length;
  const mAlt = parts.makespanAlternative;
  /**
   * Weighted mean square of ln(alternative / chosen) (disagreement.ts): per phase scaled by its
   * share² of the finish time, plus the makespan calibration not taken. `phase` holds the chosen
   * phase values at x.
   */
  const disagreementAt = (
    xx: Features,
    finish: number,
    base: number,
    makespan: number,
    dataScale = 1,
  ): number => {
    // Alternatives see the partition the chosen phases were taken at (pinPartition) and scale alike.
    const actual = xx.partitionMB;
    if (dataScale !== 1) xx.partitionMB = actual / dataScale;
    let d = 0;
    for (let a = 0; a < altCount; a++) {
      const alt = alts[a]!;
      const v = phase[alt.index]!;
      if (!(v > 0)) continue;
      const share = v / Math.max(finish, 1e-9);
      const lc = Math.log(Math.max(v, alt.eps));
      let dp = 0;
      for (let k = 0; k < alt.targets.length; k++) {
        const r = Math.log(Math.max(valid(alt.targets[k]!.predict(xx)) * dataScale, alt.eps)) - lc;
        dp += alt.weights[k]! * r * r;
      }
      d += share * share * dp;
    }
    if (mAlt) {
      const other = mAlt.scale * base + mAlt.constant + mAlt.perWorker * xx.workers;
      const r = Math.log(Math.max(other, 1e-9) / Math.max(makespan, 1e-9));
      d += mAlt.weight * r * r;
    }
    xx.partitionMB = actual;
    return d;
  };
  // The pooled noise is the training runs' average: the width part moves it config by config.
  let widthVarMean = 0;
  if (parts.training.length > 0) {
    for (const t of parts.training) {
      const cold = valid(coldFn(t));
      const work = valid(readFn(t)) + valid(computeFn(t)) + valid(writeFn(t));
      widthVarMean += widthVar(t.workers, 1, cold, work);
    }
    widthVarMean /= parts.training.length;
  }
  // Its level at the training configs is already in the LOCO model error: only the excess counts.
  let disagreementBase = 0;
  if (altCount > 0 || mAlt) {
    const atTraining = parts.training.map((t) => {
      phase[0] = valid(coldFn(t));
      phase[1] = valid(readFn(t));
      phase[2] = valid(computeFn(t));
      phase[3] = valid(writeFn(t));
      const finish = phase[0] + phase[1] + phase[2] + phase[3];
      const base = finish * stragglerAt(t.workers, phase[0], finish - phase[0]);
      return disagreementAt(t, finish, base, scale * base + constant + perWorker * t.workers);
    });
    disagreementBase = median(atTraining);
  }

  return (cfg, inputBytes, opts) => {
    const n = cfg.workers;
    const memoryMB = cfg.memoryMB;
    const vcpu = cfg.vcpu;
    x.workers = n;
    x.memoryMB = memoryMB;
    x.vcpu = vcpu;
    const partition = partitionMB(inputRef == null ? null : inputBytes > 0 ? inputBytes : inputRef, n);
    const floorMB = floorAt(floor, partition);
    x.floorMB = floor ? floorMB * floor.needShare : 0;
    // One partition size profiled (PINNED_PARTITION_SPAN): the phases at it, scaled with the data.
    const lnP = Math.log(partition);
    const pinnedLn = pinPartition ? Math.min(Math.max(lnP, lo[3]!), hi[3]!) : lnP;
    const dataScale = Math.exp(lnP - pinnedLn);
    x.partitionMB = Math.exp(pinnedLn);
    const coldStart = valid(coldFn(x));
    const read = valid(readFn(x)) * dataScale;
    const compute = valid(computeFn(x)) * dataScale;
    const write = valid(writeFn(x)) * dataScale;
    const finish = coldStart + read + compute + write;
    let workerMs = read + compute + write;
    x.partitionMB = partition;
    // Waves past the concurrency, each waiting for its slowest worker (straggler.ts, `waves`).
    const c = opts?.concurrency;
    const wide = c != null && c > 0 && n > c;
    const base = wide
      ? Math.ceil(n / c) * (coldStart + workerMs) * stragglerAt(c, coldStart, workerMs)
      : (coldStart + workerMs) * stragglerAt(n, coldStart, workerMs);
    let makespanMs = scale * base + constant + perWorker * n;
    let billedMs = workerMs + perColdMs * coldStart + billedConstant;
    let censoredMs = 0;
    for (let i = 0; i < timeouts.length; i++) {
      const t = timeouts[i]!;
      // Censored: a run with no more workers, memory or CPU for at least as much work per
      // worker took at least the timeout.
      if (n <= t.workers && memoryMB <= t.memoryMB && vcpu <= t.x.vcpu && partition >= t.x.partitionMB) {
        censoredMs = Math.max(censoredMs, t.timeoutMs!);
        workerMs = Math.max(workerMs, t.timeoutMs!);
      }
    }
    // Distance outside the profiled box in log units (logCoords); the floor only counts above.
    const c0 = Math.log(n);
    const c1 = Math.log(memoryMB);
    const c2 = Math.log(vcpu);
    const c3 = Math.log(partition);
    let extrapolation = 0;
    extrapolation += Math.max(0, lo[0]! - c0, c0 - hi[0]!);
    extrapolation += Math.max(0, lo[1]! - c1, c1 - hi[1]!);
    extrapolation += Math.max(0, lo[2]! - c2, c2 - hi[2]!);
    extrapolation += Math.max(0, lo[3]! - c3, c3 - hi[3]!);
    extrapolation = extrapolation + Math.max(0, Math.log1p(floorPressure(x)) - hi[4]!);
    const modelVar = modelVarAt(x);
    let extraVar = (EXTRAPOLATION_LOG_SD * extrapolation) ** 2;
    phase[0] = coldStart;
    phase[1] = read;
    phase[2] = compute;
    phase[3] = write;
    if (altCount > 0 || mAlt)
      extraVar += Math.max(
        disagreementAt(x, finish, base, scale * base + constant + perWorker * n, dataScale) -
          disagreementBase,
        0,
      );
    if (gpCount > 0) {
      const rest = noise + modelVar + extraVar;
      let gpExcess = 0;
      for (let i = 0; i < gpCount; i++) {
        const g = gp[i]!;
        const share = phase[g.index]! / Math.max(finish, 1e-9);
        const bound = share * share * ((g.target.maxLogVariance ?? Infinity) - g.base);
        if (!(bound > NEGLIGIBLE_VAR * rest)) continue;
        gpExcess += share * share * Math.max(g.target.logVariance!(x) - g.base, 0);
      }
      extraVar += gpExcess;
    }
    // Conditioned on the measured configs (residual-kriging.ts): the correction and the model's
    // posterior variance there.
    let meanVar = modelVar + extraVar;
    if (kriging) {
      knobCoords(x, kx);
      for (let d = 0; d < 4; d++) kx[d] = kx[d]! * kInv[d]!;
      krigeAt(kriging, kx, meanVar, kScratch, kOut);
      makespanMs *= Math.exp(kOut[0]!);
      billedMs *= Math.exp(kOut[1]!);
      meanVar = kOut[2]!;
    }
    // The noise the fit absorbed is in no residual, so no conditioning removes it.
    meanVar = Math.max(meanVar, parts.fitVar);
    makespanMs = Math.max(makespanMs, censoredMs);
    // One run's noise: the pooled noise moved by this config's width part against the training
    // runs' average, never below a quarter of it (the run-level part is in every config).
    const runNoise = Math.max(
      noise - widthVarMean + widthVar(wide ? c : n, wide ? Math.ceil(n / c) : 1, coldStart, workerMs),
      MIN_NOISE_SHARE * noise,
    );
    billedMs = Math.max(billedMs, censoredMs);
    let feasible = memoryMB >= floorMB;
    for (let i = 0; feasible && i < nOom; i++)
      if (oomWorkers[i] === n && oomMemory[i] === memoryMB) feasible = false;
    if (feasible && errored.size > 0 && errored.has(`${n}x${memoryMB}`)) feasible = false;
    return {
      phasesMs: { coldStart, read, compute, write },
      workerMs,
      billedMs,
      makespanMs,
      makespanLogSd: Math.sqrt(runNoise + meanVar),
      meanLogSd: Math.sqrt(meanVar),
      billedLogSd: Math.sqrt(billedNoise / Math.max(n, 1) + meanVar),
      // The shared part of the training runs' billed noise, and the workers' own over n of them.
      runBilledLogSd: Math.sqrt(
        Math.max(
          billedNoise - billedWidthMean + billedWorkerVar / Math.max(n, 1),
          MIN_NOISE_SHARE * billedNoise,
        ) + meanVar,
      ),
      ...(requests ? { requestsPerWorker: requestsAt(requests, n, partition) } : {}),
      feasible,
      extrapolation,
    };
  };
}

/**
 * A knob the measured configs never varied (every run at 1 worker, say) says nothing of the error
 * along it: a factor 2 away already counts as a whole profiled range, so the measured configs'
 * correction and certainty fade there rather than reach along it unchanged to 1,000 workers.
 */
const UNVARIED_RANGE = Math.LN2;

/** Per knob coordinate, 1 / its range over the configs (1 / UNVARIED_RANGE for one not varied). */
function inverseRanges(xs: readonly Features[]): Float64Array {
  const inv = new Float64Array(4);
  const c = new Float64Array(4);
  const lo = new Float64Array(4).fill(Infinity);
  const hi = new Float64Array(4).fill(-Infinity);
  for (const x of xs) {
    knobCoords(x, c);
    for (let d = 0; d < 4; d++) {
      lo[d] = Math.min(lo[d]!, c[d]!);
      hi[d] = Math.max(hi[d]!, c[d]!);
    }
  }
  for (let d = 0; d < 4; d++) inv[d] = 1 / (hi[d]! - lo[d]! > 1e-9 ? hi[d]! - lo[d]! : UNVARIED_RANGE);
  return inv;
}

/**
 * The residual field of the per-config means against the unconditioned model (residual-kriging.ts).
 * A run that timed out joins it as a mean of exactly the timeout where the model predicts less: a
 * lower bound taken as a value, so the configs around it are pulled up rather than each one a
 * megabyte further from it looking fine. Where a config has runs that finished too, its mean is
 * the censored one (censored-mean.ts): the runs that finished are the lucky ones, and one survivor
 * of three (787 s under a 900 s timeout) made the configs beside it look safe at 690 s, where 39 %
 * of runs timed out.
 */
function conditionOnMeasured(
  rows: readonly StageRow[],
  timeouts: readonly FailedConfig[],
  predict: ReturnType<typeof makePredictor>,
  /** The model without the timeouts' censoring: what it makes of a timed-out config itself. */
  uncensored: ReturnType<typeof makePredictor>,
  noise: number,
  billedNoise: number,
  noiseScales: readonly number[],
): { kriging: Kriging; krigingInv: Float64Array } | null {
  const groups = [...groupByKey(rows).values()];
  const inv = inverseRanges(groups.map((g) => g[0]!.x));
  const scaled = (x: Features): number[] => {
    const c = new Float64Array(4);
    knobCoords(x, c);
    return Array.from(c, (v, d) => v * inv[d]!);
  };
  const points: KrigingPoint[] = [];
  const folded = new Set<FailedConfig>();
  for (const g of groups) {
    const x = g[0]!.x;
    const p = predict({ workers: x.workers, memoryMB: x.memoryMB, vcpu: x.vcpu }, g[0]!.inputBytes ?? 0, {
      concurrency: g[0]!.concurrency ?? undefined,
    });
    const late = timeouts.filter(
      (t) => t.timeoutMs != null && configKey(t.workers, t.memoryMB, t.x.vcpu, t.inputBytes) === g[0]!.key,
    );
    for (const t of late) folded.add(t);
    const makespan = late.length
      ? censoredMean(
          g.map((r) => r.makespanMs),
          late.length,
          Math.min(...late.map((t) => t.timeoutMs!)),
          Math.sqrt(noise),
        )
      : g.reduce((s, r) => s + r.makespanMs, 0) / g.length;
    const billed = g.reduce((s, r) => s + r.billedMs, 0) / g.length;
    if (!(p.makespanMs > 0) || !(p.billedMs > 0) || !(makespan > 0) || !(billed > 0)) continue;
    points.push({
      c: scaled(x),
      v: Math.max(p.meanLogSd ** 2, 1e-8),
      noise: noise / g.length,
      e: Math.log(makespan / p.makespanMs),
      eBilled: Math.log(billed / p.billedMs),
      noiseBilled: billedNoise / g.length,
    });
  }
  for (const t of timeouts) {
    if (t.timeoutMs == null || folded.has(t)) continue;
    const x = t.x;
    const p = uncensored({ workers: x.workers, memoryMB: x.memoryMB, vcpu: x.vcpu }, t.inputBytes ?? 0);
    if (!(p.makespanMs > 0) || p.makespanMs >= t.timeoutMs) continue;
    points.push({
      c: scaled(x),
      v: Math.max(p.meanLogSd ** 2, 1e-8),
      noise,
      e: Math.log(t.timeoutMs / p.makespanMs),
      // Says nothing of the billed time of a finished run.
      eBilled: 0,
      noiseBilled: 1e6,
    });
  }
  const kriging = fitKriging(points, { noiseScales });
  return kriging ? { kriging, krigingInv: inv } : null;
}

/**
 * The compute family chosen together with the GC slowdown, not under the prior alone: a profile
 * whose config nearest the floor is also its least vCPU (64 workers × 256 MB) can be read as GC
 * or as CPU starvation, and the prior's slowdown there (×2 at 5 % headroom) bends every family
 * that fits the CPU share, so the one that best absorbs it wins and mispredicts the configs
 * between. Each g of the grid picks its family; another g than the prior's must beat it by the
 * families' own tie margin.
 */
function selectWithGc(
  pts: readonly TrainingPoint[],
  asked: string,
  phase: Phase,
  split: boolean,
): FamilyChoice {
  const at = (g: number): FamilyChoice =>
    selectFamily(pts, asked, phase, (f) => withGc(forPhase(f, phase, split), g));
  const scoreOf = (c: FamilyChoice): number =>
    c.cv ? selectionScore(c.cv.logResiduals, c.cv.heldOut) : Infinity;
  let pick = at(G_PRIOR);
  let best = scoreOf(pick);
  for (const g of GC_GRID) {
    if (g === G_PRIOR) continue;
    const other = at(g);
    const score = scoreOf(other);
    if (score < best * (1 - TIE_MARGIN)) {
      best = score;
      pick = other;
    }
  }
  return pick;
}

export function fitStage(samples: readonly Sample[], options: FitStageOptions = {}): FittedStageModel {
  const requested = options.family ?? 'auto';
  if (requested !== 'auto' && !FAMILIES[requested])
    throw inputError(
      `unknown model family "${requested}"`,
      `use auto or one of ${Object.keys(FAMILIES).join(', ')}`,
    );
  const data: StageData = prepareStage(samples);
  const { rows } = data;
  const notes: string[] = [];
  if (rows.length === 0)
    throw inputError(`stage "${data.stage}": no successful sample to fit`, 'profile it first');

  const floor: MemoryFloor | null = fitMemoryFloor(rows, data.ooms, notes);
  for (const r of rows) r.x.floorMB = needAt(floor, r.x.partitionMB);

  const medianTotal = median(rows.map((r) => r.totalMs));
  const eps = Math.max(0.01, 1e-3 * medianTotal);
  const share = (v: (r: StageRow) => number | null): boolean =>
    rows.filter((r) => v(r) != null).length >= rows.length / 2;
  const modeled: Record<Phase, boolean> = {
    coldStart: share((r) => r.coldMs),
    read: share((r) => r.readMs),
    compute: true,
    write: share((r) => r.writeMs),
  };
  const split = modeled.read || modeled.write;
  if (!split) notes.push('phases not reported: compute is the whole worker time');
  else notes.push('compute = worker time − read − write (per-worker overhead counts as compute)');

  // Choose a family per phase. A phase under 0.5 % of the worker time is kept constant: its
  // relative error cannot move the makespan, and its CV would only be noise.
  const choices: Choices = { family: { coldStart: null, read: null, compute: null, write: null }, gc: 0 };
  const choiceInfo = {} as Record<Phase, FamilyChoice | null>;
  for (const phase of PHASES) {
    if (!modeled[phase]) {
      choiceInfo[phase] = null;
      continue;
    }
    const pts = phasePoints(rows, phase, modeled, eps);
    const tiny = median(pts.map((p) => p.y)) < 0.005 * medianTotal;
    const gcPrior = phase === 'compute' && floor ? G_PRIOR : 0;
    const asked = tiny && requested === 'auto' ? 'constant' : requested;
    const pick =
      gcPrior > 0 && asked !== 'constant'
        ? selectWithGc(pts, asked, phase, split)
        : selectFamily(pts, asked, phase, (f) => forPhase(f, phase, split));
    if (pick.note) notes.push(pick.note);
    choices.family[phase] = pick.family;
    choiceInfo[phase] = pick;
    if (phase === 'compute' && floor && pick.family !== 'constant') {
      const { g, cv } = chooseGc(forPhase(FAMILIES[pick.family]!, phase, split), pts);
      choices.gc = g;
      if (cv) pick.cv = cv;
    }
  }

  // The makespan calibration with and without a per-worker term (submission, throttling): keep
  // the per-worker term only when it clearly helps held-out configs. Where the runs measured a
  // per-worker part of the host's (hostOverhead), that is the term, and a second would fit noise.
  let perWorkerTerm = false;
  let loco = makespanLoco(rows, choices, modeled, eps, false);
  const hostPerWorker = (hostOverhead(rows)?.perWorker ?? 0) > 0;
  const withN = hostPerWorker ? [] : makespanLoco(rows, choices, modeled, eps, true);
  const heldX = [...groupByKey(rows).values()].map((g) => g[0]!.x);
  const score = (r: number[]): number => (r.length > 0 ? selectionScore(r, heldX) : 0);
  if (withN.length > 0 && score(withN) < 0.9 * score(loco)) {
    perWorkerTerm = true;
    loco = withN;
  }
  const core = fitCore(rows, choices, modeled, eps, perWorkerTerm);

  // The candidates that cross-validated about as well as the chosen family, fitted on all the
  // data: where they disagree, the mean is uncertain (disagreement.ts).
  const alternatives: PredictorParts['alternatives'] = [];
  for (const phase of PHASES) {
    const info = choiceInfo[phase];
    const chosen = choices.family[phase];
    if (!info || !chosen || info.candidates.length < 2 || !core.targets[phase]) continue;
    const folds = info.candidates[0]!.cv.logResiduals.length;
    const weights = pseudoBmaWeights(
      info.candidates.map((c) => meanSquare(c.cv.logResiduals)),
      folds,
    );
    const pts = phasePoints(rows, phase, modeled, eps);
    const targets: FittedTarget[] = [];
    const ws: number[] = [];
    const keep = info.candidates
      .map((c, i) => ({ c, w: weights[i]! }))
      .filter((a) => a.c.family !== chosen && a.w > 0)
      .sort((a, b) => b.w - a.w)
      .slice(0, MAX_ALTERNATIVES);
    keep.forEach(({ c, w }) => {
      const base = forPhase(FAMILIES[c.family]!, phase, split);
      const family = phase === 'compute' ? withGc(base, choices.gc) : base;
      try {
        targets.push(family.fit(pts));
        ws.push(w);
      } catch {
        // A family that fits every fold but not the whole set: left out.
      }
    });
    if (targets.length > 0) alternatives.push({ index: PHASES.indexOf(phase), targets, weights: ws, eps });
  }
  // The makespan calibration not taken (with or without the per-worker term), weighed alike.
  let makespanAlternative: PredictorParts['makespanAlternative'] = null;
  const otherLoco = perWorkerTerm ? makespanLoco(rows, choices, modeled, eps, false) : withN;
  if (otherLoco.length > 0 && otherLoco.length === loco.length) {
    const [, wOther] = pseudoBmaWeights([meanSquare(loco), meanSquare(otherLoco)], loco.length);
    if (wOther! > 0)
      makespanAlternative = {
        weight: wOther!,
        ...fitCore(rows, choices, modeled, eps, !perWorkerTerm).theta,
      };
  }

  // Uncertainty.
  const configs = groupByKey(rows).size;
  const noiseVar = pooledLogVariance(rows, (r) => r.makespanMs, MIN_NOISE_DF);
  const billedNoiseVar = pooledLogVariance(rows, (r) => r.billedMs, MIN_NOISE_DF);
  const billedWorkerVar = (pooledSpread(rows, (r) => r.billedSpread) ?? 0) ** 2;
  const noise = noiseVar ?? DEFAULT_NOISE_LOG_SD ** 2;
  const repsPerConfig = rows.length / configs;
  const errorShape = fitErrorShape(heldX, loco, noise / repsPerConfig);
  // The LOCO residuals standardised by the shape: the spread at a typical fold distance.
  const standardised = errorShape
    ? loco.map((r, k) => {
        const c = new Float64Array(4);
        knobCoords(heldX[k]!, c);
        const g = nearestSq(c, errorShape.coords, errorShape.inv, k) + errorShape.d0 ** 2;
        return r / Math.sqrt(g / errorShape.gBar);
      })
    : loco;
  const cvVar = loco.length > 0 ? robustMeanSquare(standardised) : 0.1 ** 2;
  // Less the held-out config's own noise, but never below the error the run-to-run noise leaves
  // in a mean fitted from every run: noise/(runs) × the fewest parameters of a law (a level and
  // a slope); the difference of two noisy estimates is often ≤ 0 on 6–8 folds.
  const modelVar = Math.max(
    cvVar - noise / repsPerConfig,
    (MIN_FIT_PARAMETERS * noise) / rows.length,
    MIN_MODEL_LOG_SD ** 2,
  );
  const cvError = loco.length > 0 ? median(loco.map((r) => Math.abs(Math.exp(r) - 1) / Math.exp(r))) : null;

  const box: Box = { lo: new Array<number>(5).fill(Infinity), hi: new Array<number>(5).fill(-Infinity) };
  for (const r of rows) {
    const c = logCoords(r.x);
    for (let d = 0; d < 5; d++) {
      box.lo[d] = Math.min(box.lo[d]!, c[d]!);
      box.hi[d] = Math.max(box.hi[d]!, c[d]!);
    }
  }
  if (onePartition(box))
    notes.push(
      `one partition size profiled${data.inputRef != null ? ` (${Math.exp(box.lo[3]!).toPrecision(3)} MB per worker)` : ''}: at other input sizes or worker counts, read, compute and write are taken to grow with the data per worker (profile two to measure it)`,
    );
  // The GP's own variance, relative to its level at the training configs, adds off the data.
  const gpPhases = PHASES.filter((p) => choices.family[p] === 'gp' && core.targets[p]?.logVariance);
  const gpBase: Record<string, number> = {};
  for (const p of gpPhases) gpBase[p] = median(rows.map((r) => core.targets[p]!.logVariance!(r.x)));

  const { slow: timeouts, contradicted } = splitTimeouts(
    data.timeouts.filter((t) => t.timeoutMs != null),
    rows,
  );
  if (timeouts.length > 0)
    notes.push(
      `${timeouts.length} timeout(s): configs with no more resources per unit of work predict ≥ the timeout`,
    );
  // A contradicted timeout is a failure of its own config (timeouts.ts): not recommended there,
  // unless runs there finished too.
  const hung = contradicted.filter(
    (t) => !rows.some((r) => r.x.workers === t.workers && r.x.memoryMB === t.memoryMB),
  );
  // The predictor keys them into a set: a config listed twice is the same config.
  const failedConfigs = [
    ...data.erroredConfigs,
    ...hung.map((t) => ({ workers: t.workers, memoryMB: t.memoryMB })),
  ];
  if (contradicted.length > 0)
    notes.push(
      `${contradicted.length} timeout(s) where a run with no more workers, memory or vCPU finished within a third of the timeout: taken as hangs of their own config, not as slowness (left out like errors; a config that only ever failed is not recommended)`,
    );
  if (data.errors > 0)
    notes.push(
      `${data.errors} error sample(s) left out${
        data.erroredConfigs.length > 0
          ? `; ${data.erroredConfigs.length} config(s) that only ever failed (${data.erroredConfigs
              .slice(0, 3)
              .map((e) => `${e.workers} × ${e.memoryMB} MB`)
              .join(', ')}) are not recommended`
          : ''
      }`,
    );
  const parts: PredictorParts = {
    inputRef: data.inputRef,
    floor,
    box,
    ooms: data.ooms,
    errored: failedConfigs,
    timeouts,
    gp: gpPhases.map((p) => ({
      index: PHASES.indexOf(p),
      target: core.targets[p]!,
      base: gpBase[p]!,
    })),
    noise,
    modelVar,
    fitVar: fitNoiseVar(rows, core, loco, noise / repsPerConfig),
    errorShape,
    billedNoise: billedNoiseVar ?? noise,
    billedWorkerVar: billedWorkerVar,
    billedWidthMean: rows.reduce((a, r) => a + billedWorkerVar / r.workers, 0) / rows.length,
    alternatives,
    makespanAlternative,
    training: rows.map((r) => r.x),
    requests: data.requestPoints.length > 0 ? fitRequests(data.requestPoints) : null,
    kriging: null,
    krigingInv: new Float64Array(4),
  };
  // The residual field's prior: the model's error a residual can show (fitVar is not).
  const unconditioned = makePredictor(core, { ...parts, fitVar: 0 });
  const kriging = conditionOnMeasured(
    rows,
    timeouts,
    unconditioned,
    timeouts.length > 0 ? makePredictor(core, { ...parts, fitVar: 0, timeouts: [] }) : unconditioned,
    noise,
    billedNoiseVar ?? noise,
    noiseVar == null ? NOISE_SCALES : [1],
  );
  // Without repetitions the noise is the scale the measured configs' scatter supports.
  const noiseScale = kriging?.kriging.noiseScale ?? 1;
  if (noiseVar == null)
    notes.push(
      kriging
        ? `too few repeated configs to measure run-to-run noise: ln-sd ${Math.sqrt(noise * noiseScale).toFixed(3)} from the scatter of the measured configs`
        : `too few repeated configs to measure run-to-run noise: ln-sd ${DEFAULT_NOISE_LOG_SD} assumed`,
    );
  const predict = kriging
    ? makePredictor(core, {
        ...parts,
        ...kriging,
        noise: parts.noise * noiseScale,
        billedNoise: parts.billedNoise * noiseScale,
      })
    : makePredictor(core, parts);

  const phaseSummaries: PhaseModelSummary[] = PHASES.map((phase) => {
    const info = choiceInfo[phase];
    const fitted = core.targets[phase];
    return {
      phase,
      family: choices.family[phase] ?? 'none',
      params: fitted ? fitted.describe() : {},
      cvError: info?.cv ? info.cv.medianError : null,
      tried: info?.tried ?? [],
    };
  });
  phaseSummaries.push({
    phase: 'makespan',
    family: 'straggler',
    params: {
      sigma: core.spread.pooled,
      ...(core.spread.cold != null && core.spread.work != null
        ? { sigmaCold: core.spread.cold, sigmaWork: core.spread.work }
        : {}),
      // The slowest worker from the measured shape of the finishes, not a lognormal (finish-tail.ts).
      ...(core.spread.tail ? { tailDeviations: core.spread.tail.z.length } : {}),
      scale: core.theta.scale,
      constantMs: core.theta.constant,
      perWorkerMs: core.theta.perWorker,
      // Of which the host's, measured past the slowest worker (hostOverhead).
      ...(core.host && core.host.constant + core.host.perWorker > 0
        ? { hostMs: core.host.constant, hostPerWorkerMs: core.host.perWorker }
        : {}),
      noiseLogSd: Math.sqrt(noise * noiseScale),
      modelLogSd: Math.sqrt(modelVar),
    },
    cvError,
    tried: [],
  });
  const summary: StageModelSummary = {
    stage: data.stage,
    family: requested === 'auto' ? (choices.family.compute ?? 'constant') : requested,
    cvError,
    configs,
    runs: rows.length,
    phases: phaseSummaries,
    memoryFloor: floor ? { baseMB: floor.baseMB, mbPerPartitionMB: floor.mbPerPartitionMB } : null,
    excluded: { error: data.errors, timeout: data.timeouts.length },
    notes,
  };

  // Welch–Satterthwaite: the one-run variance noise + model error, each estimated with its own
  // degrees of freedom — repetitions beyond the first (an assumed noise counts as
  // ASSUMED_NOISE_DF), and the LOCO folds less one.
  const repsDf = rows.length - configs;
  const noiseDf = noiseVar == null ? ASSUMED_NOISE_DF : Math.max(repsDf, 1);
  const modelDf = Math.max(loco.length - 1, 1);
  const intervalDf = (noise + modelVar) ** 2 / ((noise * noise) / noiseDf + (modelVar * modelVar) / modelDf);
  return {
    stage: data.stage,
    profiledInputBytes: data.inputRef,
    outputRatio: data.outputRatio,
    requestsPerWorker: data.requestsPerWorker,
    intervalDf,
    predict,
    describe: () => summary,
  };
}

/** Fits every stage of a samples set; stages in first-seen order. */
export function fitWorkflowModels(
  samples: readonly Sample[],
  options: FitStageOptions = {},
): Map<string, FittedStageModel> {
  const byStage = new Map<string, Sample[]>();
  for (const s of samples) {
    const list = byStage.get(s.stage);
    if (list) list.push(s);
    else byStage.set(s.stage, [s]);
  }
  const out = new Map<string, FittedStageModel>();
  for (const [stage, list] of byStage) {
    if (list.some((s) => s.status === 'ok')) out.set(stage, fitStage(list, options));
  }
  return out;
}
