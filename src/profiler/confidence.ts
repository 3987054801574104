/**
 * How sure the model is that a stage's chosen config is within ε of the stage's optimum, and how
 * much each candidate is expected to improve on it — both from one Monte Carlo over the model's
 * predictive distribution of the candidates' true (noise-free) latency and cost.
 *
 * Per candidate c, with point predictions L̂c, Ĉc (the model's mean or percentile) and the model's
 * epistemic log-sds (`meanLogSd`: its uncertainty about the mean, without run-to-run noise; and
 * the ln-sd of the mean cost), both widened by TAIL_FACTOR:
 *   ln Lc = ln L̂c + sLc·Zc,   ln Cc = ln Ĉc + sCc·Zc,
 * the same Zc for both (a config's time and cost err together), and Z ~ N(0, K) correlated across
 * configs by K(c, c') = ρ + (1 − ρ)·exp(−‖Δ ln(workers, memory, vCPU)‖² / 2ℓ²): a model's errors
 * are smooth, so neighbours err alike, and partly shared by all (ρ: SHARED_ERROR, not for a
 * deadline or budget). Where a config was measured, its prediction is first combined with the
 * measured mean (precision-weighted in log space; the normal–normal posterior), so measured
 * configs are known as well as their runs say.
 * Per draw, the objective value g (cost; latency; balanced; deadline: cost where L ≤ D, else ∞;
 * budget: latency where C ≤ B, else ∞), then
 *   P(within ε) = mean over draws of [ g(incumbent) ≤ (1 + ε)·min_c g(c) ]
 *   EI(c)       = mean over draws of max(0, g(incumbent) − g(c)) / g(incumbent)   (1 where only c is feasible)
 */
import { cholesky } from '../models/cholesky.js';
import type {
  FittedStageModel,
  Objective,
  Platform,
  ResolvedConfig,
  Sample,
  StageDef,
} from '../core/types.js';
import { evaluateConfig, hasConstraint } from '../optimizer/index.js';
import { standardNormals } from '../core/prng.js';
import { configKey } from './run-id.js';

/** Length scale of the error correlation, in ln units of the config (a factor e ≈ 2.7). */
const CORRELATION_LENGTH = 0.7;
/**
 * Share of the error's variance common to every config (ρ), for objectives without a constraint.
 * A model's errors are not only local: on the bench's held-out configs, the errors of configs
 * 1.5–3 ln units apart still correlate 0.2–0.3, where the local kernel alone says < 0.05. A common
 * part cannot change which config is cheapest or fastest; without it, P(within ε) read the
 * independent errors of many far candidates as chances one of them wins, and stated 59 % where
 * 82 % were within ε (optimize, 12 seeds; with ρ = 0.5: 71 % stated). A deadline or budget reads
 * feasibility from the field's level, and a common level learned from a few noisy runs moves every
 * config's at once: with it there, deadline misses rose from 13 to 15 of 120, so constraints keep
 * the local field.
 */
const SHARED_ERROR = 0.5;
const DRAWS = 1500;
/** Weight, in runs, of the model's per-run log-sd as the prior of the run-to-run noise. */
const PRIOR_RUNS = 2;
/**
 * Widening of the model's epistemic log-sds for this question. `meanLogSd` is calibrated on a
 * robust mean square of the leave-one-config-out residuals, which fits the typical fold; the
 * tails are heavier (in the bench the true mean falls within ±1.645σ of the prediction 78 % of the
 * time, as it would for a normal of 1.35σ). Whether the incumbent is within ε of the optimum is a
 * question about those tails, so it is asked with 1.35σ.
 */
const TAIL_FACTOR = 1.35;
/** Smallest epistemic sd: no model is exact. */
const MIN_LOG_SD = 0.01;

export interface ConfidenceInput {
  platform: Platform;
  def: StageDef;
  model: FittedStageModel;
  inputBytes: number;
  objective: Objective;
  incumbent: ResolvedConfig;
  candidates: readonly ResolvedConfig[];
  /** The stage's runs so far (for measured configs). */
  samples: readonly Sample[];
  epsilon: number;
  seed: number;
}

export interface ConfidenceResult {
  /** P(the incumbent is within ε of the optimum) under the model. */
  probability: number;
  /** Expected relative improvement over the incumbent, per candidate (same order as `configs`). */
  ei: number[];
  /** P(within ε of the optimum) of every config (the incumbent's first). */
  probabilities: number[];
  /**
   * Mean over the draws of every config's objective value without its constraint (cost for a
   * deadline, latency for a budget): what the config is expected to cost (or take).
   */
  expected: number[];
  /**
   * Mean over the draws of every config's other value — cost under a latency, latency under a
   * cost — for the ties between configs the runs cannot tell apart (NaN for other objectives).
   */
  otherExpected: number[];
  /** P(the config's objective value is below the first config's): how clearly it beats it. */
  beatsFirst: number[];
  /** P(the config meets the objective's constraint — deadline or budget; 1 without one). */
  feasible: number[];
  /** Predicted cost of one run of every config (what profiling it costs). */
  runCostUSD: number[];
  configs: ResolvedConfig[];
  /**
   * Per draw, the incumbent's objective value and the least over the configs: a workflow whose
   * objective sums its stages' (cost) is within ε when the sums are, which the product of the
   * stages' probabilities understates.
   */
  draws?: { incumbent: Float64Array; best: Float64Array };
}

interface Belief {
  config: ResolvedConfig;
  lnL: number;
  sL: number;
  lnC: number;
  sC: number;
  /** The model's log-sd of one run (noise, and what it cannot tell from noise). */
  sRun: number;
}

export function stageConfidence(input: ConfidenceInput): ConfidenceResult {
  const { model, objective } = input;
  const params = model.describe().phases.find((p) => p.phase === 'makespan')?.params ?? {};
  const floor = Math.max(params.noiseLogSd ?? 0.05, MIN_LOG_SD);
  const risk = { percentile: objective.percentile, latencyZ: 0, costZ: 0 };
  // Measured means stand for the mean objective only; a percentile is judged on the model alone.
  const measured =
    objective.percentile === null
      ? measuredMeans(input.samples, input.inputBytes)
      : new Map<string, Measured>();
  const beliefs: Belief[] = [];
  const seen = new Set<string>();
  // The incumbent first, then the candidates, then every measured config (always an option).
  const measuredConfigs = input.samples
    .filter((s) => s.config.vcpu !== undefined && measured.has(configKey(s.config)))
    .map((s) => s.config as ResolvedConfig);
  for (const cfg of [input.incumbent, ...input.candidates, ...measuredConfigs]) {
    const key = configKey(cfg);
    if (seen.has(key)) continue;
    seen.add(key);
    const p = evaluateConfig(
      { platform: input.platform, def: input.def, model, inputBytes: input.inputBytes },
      risk,
      cfg,
    );
    if (!p) continue;
    const meanLogSd = model.predict(p.config, input.inputBytes).meanLogSd;
    beliefs.push({
      config: p.config,
      lnL: Math.log(p.statMs),
      sL: TAIL_FACTOR * Math.max(MIN_LOG_SD, Number.isFinite(meanLogSd) ? meanLogSd : p.makespanLogSd),
      lnC: Math.log(p.meanCostUSD),
      sC: TAIL_FACTOR * Math.max(MIN_LOG_SD, p.billedLogSd),
      sRun: Math.max(floor, Number.isFinite(p.makespanLogSd) ? p.makespanLogSd : floor),
    });
  }
  const configs = beliefs.map((b) => b.config);
  if (beliefs.length === 0 || configKey(beliefs[0]!.config) !== configKey(input.incumbent))
    return {
      probability: 0,
      ei: configs.map(() => 0),
      probabilities: configs.map(() => 0),
      expected: configs.map(() => Infinity),
      otherExpected: configs.map(() => NaN),
      beatsFirst: configs.map(() => 0),
      feasible: configs.map(() => 0),
      runCostUSD: beliefs.map((b) => Math.exp(b.lnC)),
      configs,
    };

  const k = beliefs.length;
  const corr = correlation(configs, hasConstraint(objective) ? 0 : SHARED_ERROR);
  // The model's errors, conditioned on the runs: a Gaussian process over the normalised
  // residuals Z = (ln truth − ln prediction)/s with correlation K, observed at the measured
  // configs with noise σ²/(n·s²). Latency and cost have their own residuals; one set of normals
  // drives both (they err together).
  const obs = beliefs.flatMap((b, i) => {
    const m = measured.get(configKey(b.config));
    return m ? [{ i, m }] : [];
  });
  // Run-to-run noise: the model's per-run log-sd as a prior worth PRIOR_RUNS runs, pooled with
  // the spread of repeated configs (a model fitted to one run per config cannot tell noise from
  // its own error, and an underestimated noise makes a lucky run look like the truth).
  const spread = withinConfigSpread(input.samples, input.inputBytes);
  const noiseVar = (b: Belief): number => (PRIOR_RUNS * b.sRun ** 2 + spread.ss) / (PRIOR_RUNS + spread.df);
  const lat = conditionField(
    corr,
    obs.map(({ i, m }) => ({
      i,
      r: (m.lnL - beliefs[i]!.lnL) / beliefs[i]!.sL,
      v: noiseVar(beliefs[i]!) / (m.n * beliefs[i]!.sL ** 2),
    })),
  );
  const cst = conditionField(
    corr,
    obs.map(({ i, m }) => ({
      i,
      r: (m.lnC - beliefs[i]!.lnC) / beliefs[i]!.sC,
      v: noiseVar(beliefs[i]!) / (m.n * beliefs[i]!.sC ** 2),
    })),
  );
  const normals = standardNormals(input.seed >>> 0, DRAWS * k);
  const zL = new Float64Array(k);
  const zC = new Float64Array(k);
  const L = new Float64Array(k);
  const C = new Float64Array(k);
  const g = new Float64Array(k);
  const eiSum = new Float64Array(k);
  const withinCount = new Float64Array(k);
  const gSum = new Float64Array(k);
  const otherSum = new Float64Array(k);
  const beatsCount = new Float64Array(k);
  const feasibleCount = new Float64Array(k);
  const incumbentDraws = new Float64Array(DRAWS);
  const bestDraws = new Float64Array(DRAWS);
  for (let d = 0; d < DRAWS; d++) {
    for (let i = 0; i < k; i++) {
      let sl = 0;
      let sc = 0;
      const rowL = lat.chol[i]!;
      const rowC = cst.chol[i]!;
      for (let j = 0; j <= i; j++) {
        const n = normals[d * k + j]!;
        sl += rowL[j]! * n;
        sc += rowC[j]! * n;
      }
      zL[i] = lat.mean[i]! + sl;
      zC[i] = cst.mean[i]! + sc;
    }
    let minL = Infinity;
    let minC = Infinity;
    for (let i = 0; i < k; i++) {
      const b = beliefs[i]!;
      L[i] = Math.exp(b.lnL + b.sL * zL[i]!);
      C[i] = Math.exp(b.lnC + b.sC * zC[i]!);
      minL = Math.min(minL, L[i]!);
      minC = Math.min(minC, C[i]!);
    }
    let best = Infinity;
    for (let i = 0; i < k; i++) {
      g[i] = value(objective, L[i]!, C[i]!, minL, minC);
      best = Math.min(best, g[i]!);
    }
    const g0 = g[0]!;
    incumbentDraws[d] = g0;
    bestDraws[d] = best;
    for (let i = 0; i < k; i++) {
      gSum[i] = gSum[i]! + unconstrained(objective, L[i]!, C[i]!, minL, minC);
      otherSum[i] = otherSum[i]! + (objective.kind === 'cost' ? L[i]! : C[i]!);
      if (g[i]! < g0) beatsCount[i] = beatsCount[i]! + 1;
      const gi = g[i]!;
      if (!Number.isFinite(gi)) continue;
      feasibleCount[i] = feasibleCount[i]! + 1;
      if (gi <= (1 + input.epsilon) * best) withinCount[i] = withinCount[i]! + 1;
      if (i > 0) eiSum[i] = eiSum[i]! + (Number.isFinite(g0) ? Math.max(0, g0 - gi) / g0 : 1);
    }
  }
  const probabilities = Array.from(withinCount, (w) => w / DRAWS);
  return {
    probability: probabilities[0]!,
    ei: Array.from(eiSum, (s) => s / DRAWS),
    probabilities,
    expected: Array.from(gSum, (s) => s / DRAWS),
    beatsFirst: Array.from(beatsCount, (b) => b / DRAWS),
    otherExpected: Array.from(otherSum, (s) =>
      objective.kind === 'cost' || objective.kind === 'latency' ? s / DRAWS : NaN,
    ),
    feasible: Array.from(feasibleCount, (f) => f / DRAWS),
    runCostUSD: beliefs.map((b) => Math.exp(b.lnC)),
    configs,
    draws: { incumbent: incumbentDraws, best: bestDraws },
  };
}

/**
 * P(a workflow is within ε of its optimum) for an objective that sums its stages' values (cost):
 * over the draws, Σ incumbent ≤ (1 + ε)·Σ best. The stages' model errors are independent, so the
 * d-th draws of different stages make one joint draw. Null without every stage's draws.
 */
export function summedWithin(
  stages: readonly (ConfidenceResult['draws'] | undefined)[],
  epsilon: number,
): number | null {
  if (stages.length === 0 || stages.some((d) => !d)) return null;
  const n = Math.min(...stages.map((d) => d!.incumbent.length));
  let within = 0;
  for (let i = 0; i < n; i++) {
    let inc = 0;
    let best = 0;
    // Stages drawn from one seed share their normals: each is read at its own offset.
    stages.forEach((d, s) => {
      const j = (i + s * 613) % n;
      inc += d!.incumbent[j]!;
      best += d!.best[j]!;
    });
    if (inc <= (1 + epsilon) * best) within++;
  }
  return n > 0 ? within / n : null;
}

/**
 * Posterior of a zero-mean Gaussian field with correlation K given noisy observations r at some
 * of its points (noise variances v): mean K·o (K_oo + V)⁻¹ r and covariance
 * K − K·o (K_oo + V)⁻¹ K_o·, returned with a lower Cholesky factor of the covariance.
 */
function conditionField(
  K: readonly (readonly number[])[],
  obs: readonly { i: number; r: number; v: number }[],
): { mean: number[]; chol: number[][] } {
  const k = K.length;
  if (obs.length === 0) return { mean: new Array<number>(k).fill(0), chol: factor(K) };
  const m = obs.length;
  const A = obs.map((a, p) => obs.map((b, q) => K[a.i]![b.i]! + (p === q ? Math.max(a.v, 1e-9) : 0)));
  const la = factor(A);
  const solve = (b: readonly number[]): number[] => {
    const y = new Array<number>(m).fill(0);
    for (let i = 0; i < m; i++) {
      let s = b[i]!;
      for (let j = 0; j < i; j++) s -= la[i]![j]! * y[j]!;
      y[i] = s / la[i]![i]!;
    }
    const x = new Array<number>(m).fill(0);
    for (let i = m - 1; i >= 0; i--) {
      let s = y[i]!;
      for (let j = i + 1; j < m; j++) s -= la[j]![i]! * x[j]!;
      x[i] = s / la[i]![i]!;
    }
    return x;
  };
  const alpha = solve(obs.map((o) => o.r));
  // W = A⁻¹ K_o· (m × k), column by column.
  const W: number[][] = Array.from({ length: m }, () => new Array<number>(k).fill(0));
  for (let c = 0; c < k; c++) {
    const x = solve(obs.map((o) => K[o.i]![c]!));
    for (let p = 0; p < m; p++) W[p]![c] = x[p]!;
  }
  const mean = Array.from({ length: k }, (_, c) => obs.reduce((s, o, p) => s + K[c]![o.i]! * alpha[p]!, 0));
  const cov = K.map((row, a) =>
    row.map((kab, b) => kab - obs.reduce((s, o, p) => s + K[a]![o.i]! * W[p]![b]!, 0)),
  );
  // Symmetrise against rounding.
  for (let a = 0; a < k; a++)
    for (let b = 0; b < a; b++) {
      const x = (cov[a]![b]! + cov[b]![a]!) / 2;
      cov[a]![b] = x;
      cov[b]![a] = x;
    }
  return { mean, chol: factor(cov) };
}

/** The objective's value without its constraint: cost for a deadline, latency for a budget. */
function unconstrained(o: Objective, L: number, C: number, minL: number, minC: number): number {
  if (o.kind === 'deadline') return C;
  if (o.kind === 'budget') return L;
  return value(o, L, C, minL, minC);
}

function value(o: Objective, L: number, C: number, minL: number, minC: number): number {
  switch (o.kind) {
    case 'cost':
      return C;
    case 'latency':
      return L;
    case 'balanced':
      return o.weight * (C / minC) + (1 - o.weight) * (L / minL);
    case 'deadline':
      return L <= o.deadlineMs ? C : Infinity;
    case 'budget':
      return C <= o.budgetUSD ? L : Infinity;
  }
}

/** Sum of squared deviations of ln makespan around each repeated config's mean, and its degrees of freedom. */
function withinConfigSpread(samples: readonly Sample[], inputBytes: number): { ss: number; df: number } {
  const by = new Map<string, number[]>();
  for (const s of samples) {
    if (s.status !== 'ok' || s.makespanMs == null || !(s.makespanMs > 0) || s.config.vcpu === undefined)
      continue;
    if (s.inputBytes != null && Math.abs(s.inputBytes / inputBytes - 1) > 0.01) continue;
    const key = configKey(s.config);
    by.set(key, [...(by.get(key) ?? []), Math.log(s.makespanMs)]);
  }
  let ss = 0;
  let df = 0;
  for (const xs of by.values()) {
    if (xs.length < 2) continue;
    const m = xs.reduce((a, x) => a + x, 0) / xs.length;
    ss += xs.reduce((a, x) => a + (x - m) ** 2, 0);
    df += xs.length - 1;
  }
  return { ss, df };
}

interface Measured {
  lnL: number;
  lnC: number;
  n: number;
}

/**
 * ln of the mean makespan and mean cost of each config's ok runs at this input size (within 1 %):
 * the objective is on the mean, and the mean of the logs would sit σ²/2 below it.
 */
function measuredMeans(samples: readonly Sample[], inputBytes: number): Map<string, Measured> {
  const acc = new Map<string, { l: number; c: number; n: number }>();
  for (const s of samples) {
    if (
      s.status !== 'ok' ||
      s.makespanMs == null ||
      !(s.makespanMs > 0) ||
      s.costUSD == null ||
      !(s.costUSD > 0)
    )
      continue;
    if (s.inputBytes != null && Math.abs(s.inputBytes / inputBytes - 1) > 0.01) continue;
    if (s.config.vcpu === undefined) continue;
    const key = configKey(s.config);
    const a = acc.get(key) ?? { l: 0, c: 0, n: 0 };
    a.l += s.makespanMs;
    a.c += s.costUSD;
    a.n++;
    acc.set(key, a);
  }
  return new Map(
    [...acc].map(([k, a]) => [k, { lnL: Math.log(a.l / a.n), lnC: Math.log(a.c / a.n), n: a.n }]),
  );
}

/** The configs' error correlation, ρ + (1 − ρ)·exp(−‖Δ ln(workers, memory, vCPU)‖² / 2ℓ²). */
function correlation(configs: readonly ResolvedConfig[], shared: number): number[][] {
  const x = configs.map((c) => [Math.log(c.workers), Math.log(c.memoryMB), Math.log(c.vcpu)]);
  const local = (a: number[], b: number[]): number =>
    Math.exp(-a.reduce((s, v, t) => s + (v - b[t]!) ** 2, 0) / (2 * CORRELATION_LENGTH ** 2));
  return x.map((a) => x.map((b) => shared + (1 - shared) * local(a, b)));
}

/** Lower Cholesky factor of a covariance (jitter added until it factors). */
function factor(K: readonly (readonly number[])[]): number[][] {
  const k = K.length;
  for (let jitter = 1e-6; jitter < 1; jitter *= 10) {
    const l = cholesky(K.map((row, i) => row.map((x, j) => (i === j ? Math.max(x, 0) + jitter : x))));
    if (l) return l;
  }
  return Array.from({ length: k }, (_, i) =>
    Array.from({ length: k }, (_, j) => (i === j ? Math.sqrt(Math.max(K[i]![i]!, 0)) : 0)),
  );
}
