/**
 * How sure the model is that a stage's chosen config is within ε of the stage's optimum, and how
 * much each candidate is expected to improve on it — both from one Monte Carlo over the model's
 * predictive distribution of the candidates' true (noise-free) latency and cost.
 *
 * Per candidate c, with point predictions L̂c, Ĉc (the model's mean or percentile) and the model's
 * epistemic log-sds (`meanLogSd`: its uncertainty about the mean, without run-to-run noise; and
 * the ln-sd of the mean cost):
 *   ln Lc = ln L̂c + sLc·Zc,   ln Cc = ln Ĉc + sCc·Zc,
 * the same Zc for both (a config's time and cost err together), and Z ~ N(0, K) correlated across
 * configs by K(c, c') = exp(−‖Δ ln(workers, memory, vCPU)‖² / 2ℓ²): a model's errors are smooth,
 * so neighbours err alike. Where a config was measured, its prediction is first combined with the
 * measured mean (precision-weighted in log space; the normal–normal posterior), so measured configs
 * are known as well as their runs say.
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
import { evaluateConfig } from '../optimizer/index.js';
import { standardNormals } from '../optimizer/rng.js';
import { configKey } from './run-id.js';

/** Length scale of the error correlation, in ln units of the config (a factor e ≈ 2.7). */
const CORRELATION_LENGTH = 0.7;
const DRAWS = 1500;
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
  configs: ResolvedConfig[];
}

interface Belief {
  config: ResolvedConfig;
  lnL: number;
  sL: number;
  lnC: number;
  sC: number;
}

export function stageConfidence(input: ConfidenceInput): ConfidenceResult {
  const { model, objective } = input;
  const params = model.describe().phases.find((p) => p.phase === 'makespan')?.params ?? {};
  const noise = params.noiseLogSd ?? 0.05;
  const risk = { percentile: objective.percentile, latencyZ: 0, costZ: 0 };
  const measured = measuredMeans(input.samples, input.inputBytes);
  const beliefs: Belief[] = [];
  const seen = new Set<string>();
  for (const cfg of [input.incumbent, ...input.candidates]) {
    const key = configKey(cfg);
    if (seen.has(key)) continue;
    seen.add(key);
    const p = evaluateConfig(
      { platform: input.platform, def: input.def, model, inputBytes: input.inputBytes },
      risk,
      cfg,
    );
    if (!p) continue;
    let lnL = Math.log(p.statMs);
    const meanLogSd = model.predict(p.config, input.inputBytes).meanLogSd;
    let sL = Math.max(MIN_LOG_SD, Number.isFinite(meanLogSd) ? meanLogSd : p.makespanLogSd);
    let lnC = Math.log(p.meanCostUSD);
    let sC = Math.max(MIN_LOG_SD, p.billedLogSd);
    const m = measured.get(key);
    if (m && objective.percentile === null) {
      [lnL, sL] = posterior(lnL, sL, m.lnL, noise, m.n);
      [lnC, sC] = posterior(lnC, sC, m.lnC, noise, m.n);
    }
    beliefs.push({ config: p.config, lnL, sL, lnC, sC });
  }
  const configs = beliefs.map((b) => b.config);
  if (beliefs.length === 0 || configKey(beliefs[0]!.config) !== configKey(input.incumbent))
    return { probability: 0, ei: configs.map(() => 0), configs };

  const k = beliefs.length;
  const chol = correlationFactor(beliefs.map((b) => b.config));
  const normals = standardNormals(input.seed >>> 0, DRAWS * k);
  const z = new Float64Array(k);
  const L = new Float64Array(k);
  const C = new Float64Array(k);
  const g = new Float64Array(k);
  const eiSum = new Float64Array(k);
  let within = 0;
  for (let d = 0; d < DRAWS; d++) {
    for (let i = 0; i < k; i++) {
      let s = 0;
      const row = chol[i]!;
      for (let j = 0; j <= i; j++) s += row[j]! * normals[d * k + j]!;
      z[i] = s;
    }
    let minL = Infinity;
    let minC = Infinity;
    for (let i = 0; i < k; i++) {
      const b = beliefs[i]!;
      L[i] = Math.exp(b.lnL + b.sL * z[i]!);
      C[i] = Math.exp(b.lnC + b.sC * z[i]!);
      minL = Math.min(minL, L[i]!);
      minC = Math.min(minC, C[i]!);
    }
    let best = Infinity;
    for (let i = 0; i < k; i++) {
      g[i] = value(objective, L[i]!, C[i]!, minL, minC);
      best = Math.min(best, g[i]!);
    }
    const g0 = g[0]!;
    if (Number.isFinite(g0) && g0 <= (1 + input.epsilon) * best) within++;
    for (let i = 1; i < k; i++) {
      const gi = g[i]!;
      if (!Number.isFinite(gi)) continue;
      eiSum[i] = eiSum[i]! + (Number.isFinite(g0) ? Math.max(0, g0 - gi) / g0 : 1);
    }
  }
  return { probability: within / DRAWS, ei: Array.from(eiSum, (s) => s / DRAWS), configs };
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

/** Normal–normal update of a log-scale belief with n runs of log-mean y and per-run sd σ. */
function posterior(mu: number, s: number, y: number, sigma: number, n: number): [number, number] {
  const prior = 1 / (s * s);
  const data = n / Math.max(sigma * sigma, 1e-6);
  return [(mu * prior + y * data) / (prior + data), Math.sqrt(1 / (prior + data))];
}

/** Mean ln makespan and ln cost of each config's ok runs at this input size (within 1 %). */
function measuredMeans(
  samples: readonly Sample[],
  inputBytes: number,
): Map<string, { lnL: number; lnC: number; n: number }> {
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
    a.l += Math.log(s.makespanMs);
    a.c += Math.log(s.costUSD);
    a.n++;
    acc.set(key, a);
  }
  return new Map([...acc].map(([k, a]) => [k, { lnL: a.l / a.n, lnC: a.c / a.n, n: a.n }]));
}

/** Lower Cholesky factor of the configs' error correlation (jitter added until it factors). */
function correlationFactor(configs: readonly ResolvedConfig[]): number[][] {
  const x = configs.map((c) => [Math.log(c.workers), Math.log(c.memoryMB), Math.log(c.vcpu)]);
  const k = configs.length;
  for (let jitter = 1e-6; jitter < 1; jitter *= 10) {
    const K = x.map((a, i) =>
      x.map((b, j) => {
        const d2 = a.reduce((s, v, t) => s + (v - b[t]!) ** 2, 0);
        return Math.exp(-d2 / (2 * CORRELATION_LENGTH ** 2)) + (i === j ? jitter : 0);
      }),
    );
    const l = cholesky(K);
    if (l) return l;
  }
  return Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => (i === j ? 1 : 0)));
}
