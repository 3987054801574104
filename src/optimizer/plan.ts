/**
 * planWorkflow: per-stage fronts (stage-front.ts) → the workflow's front along the DAG
 * (compose-dag.ts) → every composed point evaluated by Monte Carlo (monte-carlo.ts) → the
 * objective's pick (select.ts) → a `rightsizer.plan/v1` document.
 *
 * Uncertainty, end to end: one run of a stage is lognormal(mean, makespanLogSd) (noise and model);
 * the model's own uncertainty about the mean is meanLogSd, about the cost billedLogSd. Fronts are
 * built on risk-adjusted values (statistic·exp(k·meanLogSd), cost·exp(k·billedLogSd), with
 * z = Φ⁻¹(confidence) in place of k for the constrained quantity), so a config whose advantage is
 * within its own uncertainty never displaces a well-known one. The workflow's statistic (mean or
 * percentile) and its 90 % interval come from the Monte Carlo of runs over the true DAG (the mean
 * from run-to-run noise alone, √(makespanLogSd² − meanLogSd²): the model's part enters once, below;
 * a percentile and the interval of one run from both). Its
 * model uncertainty composes along the critical path (independent stage models, delta method):
 *   σW² = Σ over stages v on the path of (S(v) / Σ S)² · meanLogSd(v)²,
 * and the cost's by Fenton–Wilkinson over the stages' billedLogSd (lognormal.ts). Without a DAG
 * each stage is planned alone: a deadline or a budget then bounds each stage by itself, and no
 * workflow latency is reported.
 *
 * Concurrency: the search composes parallel branches with the fluid bound (compose-dag.ts); the
 * candidates are then re-predicted with each stage's share of the platform's limit,
 *   share(v) = max(1, ⌊C · w(v) / (w(v) + Σ w(u))⌋)  over the stages u that can overlap v (neither
 * upstream nor downstream), whenever w(v) + Σ w(u) > C — pessimistic: it assumes they all overlap.
 */
import { buildDag, type Dag } from '../core/dag.js';
import { inputError, RightsizerError } from '../core/errors.js';
import {
  PLAN_SCHEMA,
  type FittedStageModel,
  type Objective,
  type Plan,
  type Platform,
  type ResolvedConfig,
  type StageDef,
} from '../core/types.js';
import { emptySpaceError, expectedRunCostUSD } from '../platforms/index.js';
import { composeDag, picksOf } from './compose-dag.js';
import { longestPath } from './longest-path.js';
import { hasConstraint } from './objective.js';
import { latencyStatistic, lognormalInterval, sumLogSd } from './lognormal.js';
import {
  drawStatistic,
  indexDag,
  monteCarlo,
  simulateDraws,
  simulateLatency,
  StageDrawCache,
  summarizeLatency,
  type LatencySummary,
} from './monte-carlo.js';
import { normalQuantile, studentQuantile } from '../core/normal.js';
import { paretoFront, thinEvenly } from './pareto.js';
import { selectCandidate, type Candidate, type Selection } from './select.js';
import { stageFront, type SearchMode, type StagePoint } from './stage-front.js';

export interface PlanStageInput {
  def: StageDef;
  model: FittedStageModel;
  /** The stage's whole input; null: the size it was profiled at. */
  inputBytes: number | null;
}

export interface PlanInput {
  workflow: string;
  platform: Platform;
  stages: PlanStageInput[];
  /** false: plan each stage alone, report no workflow latency. */
  dag: boolean;
  objective: Objective;
  /** Probability a deadline or budget must hold with (default 0.9). */
  confidence?: number;
  /** Seed of the Monte Carlo (default 0). */
  seed?: number;
  /**
   * k of the risk-adjusted ranking, value·exp(k·logSd), for cost, latency and balanced objectives
   * and the unconstrained side of deadline and budget (default 1; 0 ranks on point estimates).
   */
  riskK?: number;
  /** Monte Carlo draws (default 2000). */
  draws?: number;
  /** ε of each stage's front (default 0.005). */
  epsilon?: number;
  /** Stage search (default `auto`: exact up to 20,000 configs, else coarse to fine). */
  search?: SearchMode;
  /** Points of the plan's `pareto` (default 50). */
  paretoPoints?: number;
}

export interface PlanResult {
  plan: Plan;
  notes: string[];
  /**
   * What the user may act on: for an infeasible deadline or budget, a much cheaper (or faster)
   * plan about as likely to meet it as the closest one (select.ts, `alternative`).
   */
  advice: string[];
}

/** One stage of a candidate plan, as re-predicted with its share of the concurrency limit. */
interface StageEval {
  config: ResolvedConfig;
  meanMs: number;
  statMs: number;
  logSd: number;
  meanLogSd: number;
  costUSD: number;
  costLogSd: number;
  extrapolation: number;
}

interface PlanCandidate extends Candidate {
  stages: StageEval[];
  /** The workflow's latency draws (Monte Carlo, draw order); null without a DAG. */
  draws: Float64Array | null;
}

/**
 * What a plan's stages add up to: cost (its log-sd by Fenton–Wilkinson, sumLogSd), workers and
 * memory (the tie-breakers), and the stages themselves.
 */
function stageTotals(
  stageEvals: StageEval[],
): Pick<PlanCandidate, 'costUSD' | 'costLogSd' | 'workers' | 'memoryMB' | 'stages'> {
  return {
    costUSD: stageEvals.reduce((a, e) => a + e.costUSD, 0),
    costLogSd: sumLogSd(
      stageEvals.map((e) => e.costUSD),
      stageEvals.map((e) => e.costLogSd),
    ),
    workers: stageEvals.reduce((a, e) => a + e.config.workers, 0),
    memoryMB: stageEvals.reduce((a, e) => a + e.config.memoryMB, 0),
    stages: stageEvals,
  };
}

const fmtMs = (ms: number): string => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);
const fmtUSD = (usd: number): string => `$${usd.toPrecision(3)}`;

export function planWorkflow(input: PlanInput): PlanResult {
  const { platform, objective } = input;
  const confidence = input.confidence ?? 0.9;
  if (!(confidence > 0 && confidence < 1))
    throw inputError(`--confidence: cannot use ${confidence}`, 'use a probability between 0 and 1, e.g. 0.9');
  if (input.stages.length === 0) throw inputError(`${input.workflow}: no stages to plan`);
  const riskK = input.riskK ?? 1;
  const z = normalQuantile(confidence);
  const percentile = objective.percentile;
  const notes: string[] = [];
  const risk = {
    percentile,
    latencyZ: objective.kind === 'deadline' ? z : riskK,
    costZ: objective.kind === 'budget' ? z : riskK,
  };

  const stageInputs = input.stages.map((s) => {
    const inputBytes = s.inputBytes ?? s.model.profiledInputBytes;
    if (inputBytes === null) notes.push(`stage ${s.def.name}: input size unknown; planned for 0 bytes`);
    return { ...s, inputBytes };
  });
  const fronts = new Map<string, StagePoint[]>();
  for (const s of stageInputs) {
    const r = stageFront(
      { platform, def: s.def, model: s.model, inputBytes: s.inputBytes ?? 0 },
      { ...risk, epsilon: input.epsilon, search: input.search },
    );
    if (r.spaceSize === 0) throw emptySpaceError('', s.def.name, platform);
    if (r.front.length === 0)
      throw new RightsizerError(
        'infeasible',
        `stage ${s.def.name}: no config in its space on ${platform.id} is feasible (memory floor or timeout)`,
        "widen the stage's space or raise its timeoutMs",
        s.def.name,
      );
    notes.push(
      `stage ${s.def.name}: ${r.search} search, ${r.evaluated.toLocaleString('en-US')} of ${r.spaceSize.toLocaleString('en-US')} configs predicted, front of ${r.front.length}`,
    );
    fronts.set(s.def.name, r.front);
  }
  notes.push(
    `ranked on risk-adjusted values (value·exp(k·model log-sd), k = ${riskK}${hasConstraint(objective) ? `; the constraint on its ${Math.round(confidence * 100)} % upper bound` : ''})`,
  );

  const result = input.dag
    ? planDag(input, stageInputs, fronts, confidence, riskK, notes)
    : planAlone(stageInputs, fronts, objective, confidence, riskK, notes);
  const { selection } = result;
  const chosen = selection.chosen;

  chosen.stages.forEach((s, i) => {
    if (s.extrapolation > 0.5)
      notes.push(
        `stage ${stageInputs[i]!.def.name}: ${s.config.workers} × ${s.config.memoryMB} MB lies outside the profiled range (extrapolation ${s.extrapolation.toFixed(2)}); profiling near it would confirm the plan`,
      );
  });
  if (!selection.feasible && selection.miss)
    notes.push(
      'latencyMs' in selection.miss
        ? `infeasible: no plan meets the deadline with ${Math.round(confidence * 100)} % confidence; the closest misses it by ${fmtMs(selection.miss.latencyMs)} at its ${Math.round(confidence * 100)} % upper bound`
        : `infeasible: no plan meets the budget with ${Math.round(confidence * 100)} % confidence; the closest misses it by ${fmtUSD(selection.miss.costUSD)} at its ${Math.round(confidence * 100)} % upper bound`,
    );

  const plan: Plan = {
    schema: PLAN_SCHEMA,
    workflow: input.workflow,
    platform: platform.id,
    feasible: selection.feasible,
    objective,
    confidence: selection.confidence,
    stages: stageInputs.map((s, i) => {
      const e = chosen.stages[i]!;
      const summary = s.model.describe();
      return {
        stage: s.def.name,
        inputBytes: s.inputBytes,
        config: { workers: e.config.workers, memoryMB: e.config.memoryMB, vcpu: e.config.vcpu },
        predicted: {
          latencyMs: e.statMs,
          latencyIntervalMs: lognormalInterval(e.meanMs, e.logSd, 0.9, s.model.intervalDf),
          costUSD: e.costUSD,
        },
        model: {
          family: summary.family,
          cvError: summary.cvError,
          configs: summary.configs,
          runs: summary.runs,
        },
      };
    }),
    predicted: {
      latencyMs: result.latency ? result.latency.statMs : null,
      latencyIntervalMs: result.latency ? result.latency.intervalMs : null,
      costUSD: chosen.costUSD,
      criticalPath: result.criticalPath,
    },
    pareto: result.pareto,
    ...(selection.miss ? { miss: selection.miss } : {}),
  };
  const names = stageInputs.map((s) => s.def.name);
  return { plan, notes, advice: result.alternatives.map((a) => describeAlternative(a, objective, names)) };
}

const fmtConfigs = (c: StageEval | PlanCandidate, names: readonly string[]): string =>
  'stages' in c
    ? `the plan with ${c.stages.map((e, i) => `${names[i]} ${e.config.workers} × ${e.config.memoryMB} MB`).join(', ')}`
    : `${c.config.workers} × ${c.config.memoryMB} MB`;

/** One line: the alternative, its chance against the closest plan's, and what it saves. */
function describeAlternative(a: Alternative, objective: Objective, names: readonly string[]): string {
  const pct = (p: number): string => `${Math.round(p * 100)} %`;
  const where = a.stage === null ? 'the closest plan' : `stage ${a.stage}: the closest config`;
  const latency = (c: StageEval | PlanCandidate): number => ('stages' in c ? c.latencyMs : c.statMs);
  return objective.kind === 'budget'
    ? `${where} has a ${pct(a.closest)} chance to stay within the budget; ${fmtConfigs(a.alternative, names)} has ${pct(a.confidence)} and is predicted to take ${fmtMs(latency(a.alternative))} instead of ${fmtMs(latency(a.chosen))}`
    : `${where} has a ${pct(a.closest)} chance to meet the deadline; ${fmtConfigs(a.alternative, names)} has ${pct(a.confidence)} and costs ${fmtUSD(a.alternative.costUSD)} instead of ${fmtUSD(a.chosen.costUSD)}`;
}

type StageInputs = (PlanStageInput & { inputBytes: number | null })[];

/** A cheaper (or faster) near-best alternative to an infeasible pick, by stage or for the whole plan. */
interface Alternative {
  /** The stage it is for; null: the whole workflow. */
  stage: string | null;
  chosen: StageEval | PlanCandidate;
  closest: number;
  alternative: StageEval | PlanCandidate;
  confidence: number;
}

interface Planned {
  selection: Selection<PlanCandidate>;
  alternatives: Alternative[];
  /** The workflow latency of the chosen plan; null without a DAG. */
  latency: LatencySummary | null;
  criticalPath: string[];
  pareto: Plan['pareto'];
}

/**
 * The run-to-run part of a stage's log-sd: makespanLogSd² = noise + the model's own variance
 * (meanLogSd²). The workflow's mean latency is simulated with the noise alone: the model's
 * uncertainty about the stage means enters once, through latencyLogSd (a deadline's upper
 * bound); drawing it in the Monte Carlo too would count it twice and inflate the max over
 * parallel branches. A percentile stays the percentile of one run (noise and model, as a stage's).
 */
function noiseLogSd(e: StageEval): number {
  return Math.sqrt(Math.max(0, e.logSd * e.logSd - e.meanLogSd * e.meanLogSd));
}

function drawMean(draws: Float64Array): number {
  let sum = 0;
  for (let d = 0; d < draws.length; d++) sum += draws[d]!;
  return sum / draws.length;
}

function fromPoint(p: StagePoint): StageEval {
  return {
    config: p.config,
    meanMs: p.meanMs,
    statMs: p.statMs,
    logSd: p.makespanLogSd,
    meanLogSd: p.meanLogSd,
    costUSD: p.meanCostUSD,
    costLogSd: p.billedLogSd,
    extrapolation: p.extrapolation,
  };
}

/** Each stage on its own front; the plan's numbers are per stage and its cost their sum. */
function planAlone(
  stages: StageInputs,
  fronts: ReadonlyMap<string, StagePoint[]>,
  objective: Objective,
  confidence: number,
  riskK: number,
  notes: string[],
): Planned {
  const picks = stages.map((s) => {
    const evals = fronts.get(s.def.name)!.map(fromPoint);
    const cands = evals.map((e) => ({
      latencyMs: e.statMs,
      latencyLogSd: e.meanLogSd,
      costUSD: e.costUSD,
      costLogSd: e.costLogSd,
      workers: e.config.workers,
      memoryMB: e.config.memoryMB,
      stage: e,
    }));
    return selectCandidate(cands, objective, { confidence, riskK });
  });
  const stageEvals = picks.map((p) => p.chosen.stage);
  const misses = picks.flatMap((p) => (p.miss ? [p.miss] : []));
  const latencyMisses = misses.flatMap((m) => ('latencyMs' in m ? [m.latencyMs] : []));
  const costMisses = misses.flatMap((m) => ('costUSD' in m ? [m.costUSD] : []));
  const probabilities = picks.flatMap((p) => (p.confidence === null ? [] : [p.confidence]));
  const alternatives = picks.flatMap((p, i) =>
    p.alternative
      ? [
          {
            stage: stages[i]!.def.name,
            chosen: p.chosen.stage,
            closest: p.confidence ?? 0,
            alternative: p.alternative.chosen.stage,
            confidence: p.alternative.confidence,
          },
        ]
      : [],
  );
  const chosen: PlanCandidate = {
    latencyMs: 0,
    latencyLogSd: 0,
    ...stageTotals(stageEvals),
    draws: null,
  };
  if (hasConstraint(objective))
    notes.push(`no DAG: each stage planned alone, the ${objective.kind} applying to each stage by itself`);
  else notes.push('no DAG: each stage planned alone; no workflow latency');
  return {
    selection: {
      chosen,
      index: 0,
      feasible: picks.every((p) => p.feasible),
      miss:
        latencyMisses.length > 0
          ? { latencyMs: Math.max(...latencyMisses) }
          : costMisses.length > 0
            ? { costUSD: Math.max(...costMisses) }
            : null,
      confidence: probabilities.length > 0 ? Math.min(...probabilities) : null,
    },
    latency: null,
    criticalPath: [],
    pareto: [],
    alternatives,
  };
}

/** Stages that can run at the same time as each stage: neither upstream nor downstream of it. */
function overlapping(dag: Dag): Map<string, string[]> {
  const below = new Map<string, Set<string>>();
  for (const stage of [...dag.order].reverse()) {
    const set = new Set<string>();
    for (const child of dag.children.get(stage) ?? []) {
      set.add(child);
      for (const x of below.get(child)!) set.add(x);
    }
    below.set(stage, set);
  }
  return new Map(
    dag.order.map((v) => [
      v,
      dag.order.filter((u) => u !== v && !below.get(v)!.has(u) && !below.get(u)!.has(v)),
    ]),
  );
}

function planDag(
  input: PlanInput,
  stages: StageInputs,
  fronts: ReadonlyMap<string, StagePoint[]>,
  confidence: number,
  riskK: number,
  notes: string[],
): Planned {
  const { platform, objective } = input;
  const dag = buildDag(
    stages.map((s) => ({ name: s.def.name, dependsOn: s.def.dependsOn })),
    input.workflow,
  );
  const composed = composeDag(dag, fronts, { concurrency: platform.maxConcurrency });
  notes.push(
    composed.method === 'series-parallel'
      ? `DAG is series-parallel: fronts composed exactly (series add, parallel max), ${composed.front.length} workflow points`
      : `DAG is not series-parallel: composed by depth levels (an upper bound), then re-evaluated on the true DAG's longest path; ${composed.front.length} workflow points`,
  );
  const byName = new Map(stages.map((s) => [s.def.name, s]));
  const indexed = indexDag(dag);
  const order = indexed.stages;
  const orderIndex = new Map(order.map((name, v) => [name, v]));
  const positions = new Map(stages.map((s, i) => [s.def.name, i]));
  const overlap = overlapping(dag);
  const draws = input.draws ?? 2000;
  const mc = monteCarlo(order.length, draws, input.seed ?? 0);
  const drawCache = new StageDrawCache(mc);
  const percentile = objective.percentile;
  let shared = false;

  const candidates: PlanCandidate[] = composed.front.map((point) => {
    const picks = picksOf(point.pick);
    const chosen = new Map(order.map((name) => [name, fronts.get(name)![picks.get(name)!]!]));
    const evals = new Map<string, StageEval>();
    for (const name of order) {
      const p = chosen.get(name)!;
      const w = p.config.workers;
      const others = overlap.get(name)!.reduce((a, u) => a + chosen.get(u)!.config.workers, 0);
      if (w + others <= platform.maxConcurrency) {
        evals.set(name, fromPoint(p));
        continue;
      }
      shared = true;
      const share = Math.max(1, Math.floor((platform.maxConcurrency * w) / (w + others)));
      const s = byName.get(name)!;
      const pred = s.model.predict(p.config, s.inputBytes ?? 0, { concurrency: share });
      const logSd = Math.max(0, pred.makespanLogSd);
      evals.set(name, {
        config: p.config,
        meanMs: pred.makespanMs,
        statMs: latencyStatistic(pred.makespanMs, logSd, percentile),
        logSd,
        meanLogSd: Number.isFinite(pred.meanLogSd) ? Math.max(0, pred.meanLogSd) : logSd,
        costUSD: expectedRunCostUSD(
          platform,
          p.config,
          pred.billedMs,
          pred.requestsPerWorker ?? s.model.requestsPerWorker,
        ),
        costLogSd: Math.max(0, pred.billedLogSd),
        extrapolation: pred.extrapolation,
      });
    }
    const inOrder = order.map((name) => evals.get(name)!);
    const latencyDraws = simulateDraws(
      indexed,
      inOrder.map((e) => ({ meanMs: e.meanMs, logSd: percentile === null ? noiseLogSd(e) : e.logSd })),
      mc,
      drawCache,
    );
    const stageEvals = stages.map((s) => evals.get(s.def.name)!);
    const path = longestPath(dag, (name) => evals.get(name)!.statMs).path;
    const pathMs = path.reduce((a, name) => a + evals.get(name)!.statMs, 0);
    // The mean with the longest path's sum as a control variate: what the draws add is the
    // parallel branches' max over that path (0 for a chain), so a chain's mean is the sum of its
    // stages' exactly, not that sum plus the draws' sampling error.
    let latencyMs: number;
    if (percentile === null) {
      latencyMs = drawMean(latencyDraws);
      for (const name of path) {
        const v = orderIndex.get(name)!;
        const e = inOrder[v]!;
        latencyMs += e.meanMs - drawCache.rowMean(v, { meanMs: e.meanMs, logSd: noiseLogSd(e) });
      }
    } else latencyMs = drawStatistic(latencyDraws, percentile);
    const latencyLogSd = Math.sqrt(
      path.reduce((a, name) => {
        const e = evals.get(name)!;
        return a + ((e.statMs / pathMs) * e.meanLogSd) ** 2;
      }, 0),
    );
    return {
      latencyMs,
      latencyLogSd,
      ...stageTotals(stageEvals),
      draws: latencyDraws,
    };
  });
  if (shared)
    notes.push(
      `parallel stages exceed the concurrency limit of ${platform.maxConcurrency} in some plans: each such stage was predicted with its share of the limit`,
    );
  notes.push(`workflow latency: Monte Carlo over the DAG, ${draws} draws, seed ${input.seed ?? 0}`);

  const selection = selectCandidate(candidates, objective, { confidence, riskK });
  const chosen = selection.chosen;
  // The statistic and its confidence are the candidate's (noise in the draws, the model's own
  // uncertainty in latencyLogSd); the interval is of one fresh run, both together.
  const fresh = summarizeLatency(
    simulateLatency(
      indexed,
      order.map((name) => {
        const i = positions.get(name)!;
        const e = chosen.stages[i]!;
        // Each stage as wide as its own printed interval (Student's t for its few runs and configs).
        const df = stages[i]!.model.intervalDf ?? Infinity;
        return { meanMs: e.meanMs, logSd: e.logSd, widen: studentQuantile(0.95, df) / normalQuantile(0.95) };
      }),
      mc,
    ),
    percentile,
  );
  const latency = {
    ...fresh,
    meanMs: percentile === null ? chosen.latencyMs : drawMean(chosen.draws!),
    statMs: chosen.latencyMs,
  };
  const criticalPath = longestPath(dag, (name) => chosen.stages[positions.get(name)!]!.statMs).path;
  const pointEstimates = candidates.map((c) => ({
    latencyMs: c.latencyMs,
    costUSD: c.costUSD,
    configs: Object.fromEntries(
      stages.map((s, i) => {
        const cfg = c.stages[i]!.config;
        return [s.def.name, { workers: cfg.workers, memoryMB: cfg.memoryMB, vcpu: cfg.vcpu }];
      }),
    ),
  }));
  const pareto = thinEvenly(paretoFront(pointEstimates), input.paretoPoints ?? 50);
  const alternatives: Alternative[] = selection.alternative
    ? [
        {
          stage: null,
          chosen,
          closest: selection.confidence ?? 0,
          alternative: selection.alternative.chosen,
          confidence: selection.alternative.confidence,
        },
      ]
    : [];
  return { selection, latency, criticalPath, pareto, alternatives };
}
