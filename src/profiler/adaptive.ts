/**
 * One step of the `adaptive` design for one stage: given its model and the workflow's current
 * plan, how sure we are that the plan's config for the stage is within ε of the stage's optimum
 * (confidence.ts), and — when not sure enough — the config to profile next: the candidate with
 * the largest expected improvement over the plan's config (candidates.ts, confidence.ts). A
 * config already profiled may come back: its next repetition then narrows its measured mean.
 */
import type {
  FittedStageModel,
  Objective,
  Plan,
  Platform,
  ResolvedConfig,
  Sample,
  StageDef,
} from '../core/types.js';
import { hasConstraint, TIE_TOLERANCE } from '../optimizer/index.js';
import { candidateConfigs } from './candidates.js';
import { stageConfidence, type ConfidenceResult } from './confidence.js';
import { configKey } from './run-id.js';
import { stageObjective } from './stage-objective.js';

/** Probability a deadline or budget must hold with: the optimizer's default confidence. */
const CONSTRAINT_CONFIDENCE = 0.9;
/**
 * Expected relative improvement for which an unmeasured incumbent of a deadline or budget waits
 * its run. On the bench's optimize scenarios (6 seeds), 0.15 kept the deadline misses (5 → 4)
 * and cut the deadline regrets over 50 % from 6 to 1; always exploring (0) also cut them, but
 * missed 6 deadlines by a hair at configs no run had confirmed.
 */
const EXPLORE_EI = 0.15;

/** Share of the draws in which a config must beat the plan's to be taken over it at a price. */
const CLEAR_WIN = 0.8;

export interface AdaptiveStepInput {
  platform: Platform;
  def: StageDef;
  model: FittedStageModel;
  /** The input size the plan is for (the stage's whole input). */
  inputBytes: number;
  objective: Objective;
  plan: Plan;
  samples: readonly Sample[];
  epsilon: number;
  seed: number;
  /**
   * Runs the stage may still make, and the probability it stops at: an unmeasured incumbent of a
   * deadline or budget is measured when that run could end the profile (sure, or the last run).
   */
  runsLeft?: number;
  threshold?: number;
  /** Probability a deadline or budget must hold with (default: the optimizer's, 0.9). */
  confidence?: number;
}

export interface AdaptiveStep {
  /** P(the incumbent is within ε of the stage's optimum). */
  probability: number;
  /** P(the plan's config for the stage is within ε): the plan's own when it is not the incumbent. */
  planProbability: number;
  incumbent: ResolvedConfig;
  /** The config to profile next, and its expected relative improvement. */
  next: { config: ResolvedConfig; ei: number } | null;
  /**
   * The incumbent of a deadline or budget has no successful run: however sure the model is, the
   * profile is not done until a run shows the constraint holds there.
   */
  unmeasured: boolean;
  /** The incumbent's and the best objective value per draw (for a workflow's joint probability). */
  draws?: ConfidenceResult['draws'];
}

export function adaptiveStep(input: AdaptiveStepInput): AdaptiveStep {
  const planned = input.plan.stages.find((s) => s.stage === input.def.name)!;
  const objective = stageObjective(input.objective, input.plan, input.def.name);
  const candidates = candidateConfigs(input.platform, input.def, input.model, input.inputBytes, objective);
  const confidence = (incumbent: ResolvedConfig) =>
    stageConfidence({
      platform: input.platform,
      def: input.def,
      model: input.model,
      inputBytes: input.inputBytes,
      objective,
      incumbent,
      candidates,
      samples: input.samples,
      epsilon: input.epsilon,
      seed: input.seed,
    });
  // The incumbent is the Bayes decision under the model and the runs together: the config of
  // least expected objective value, among those that meet a deadline or budget with the plan's
  // confidence. The plan ranks on the model alone; where runs say the model errs, they win.
  let conf = confidence({ ...planned.config });
  const planProbability = conf.probability;
  const bestI = tieToPlan(
    conf,
    bayesChoice(conf, input.confidence ?? CONSTRAINT_CONFIDENCE),
    objective.kind === 'latency',
    input.epsilon,
  );
  if (bestI > 0) conf = confidence(conf.configs[bestI]!);
  const incumbent = conf.configs[0] ?? { ...planned.config };
  // Expected improvement per dollar of the run that would find it (Snoek et al. 2012, EI per
  // unit cost): a run of 1 worker on a large input or of 1,000 workers at 10 GB costs many
  // cheaper runs that are about as informative.
  let nextI = -1;
  let nextScore = 0;
  for (let i = 1; i < conf.configs.length; i++) {
    const ei = conf.ei[i]!;
    if (!(ei > 0)) continue;
    const score = ei / Math.max(conf.runCostUSD[i]!, 1e-12);
    if (score > nextScore) {
      nextScore = score;
      nextI = i;
    }
  }
  // A deadline or a budget must hold in truth, not only under the model: an incumbent no run has
  // measured is measured before the profile can end (when it is sure, or at its last run), and
  // before then too unless some config is expected to improve on it by EXPLORE_EI: measuring each
  // new incumbent at once walked the budget down the edge the model was sure of, a few percent a
  // run, while the config that would save a third sat where it was unsure. An incumbent whose
  // memory no run has shown to be enough for its partition is measured first: out of memory is
  // learned only by running, and the cheapest-looking configs sit at that edge. No candidate
  // expected to improve: measure the incumbent again.
  const unmeasured = hasConstraint(objective) && !measuredOk(input.samples, incumbent);
  const unproven =
    runsOfConfig(input.samples, incumbent) === 0 &&
    !memoryShownEnough(input.samples, incumbent, input.inputBytes);
  const couldEnd = conf.probability >= (input.threshold ?? 0) || (input.runsLeft ?? 1) <= 1;
  const explore = nextI >= 0 && conf.ei[nextI]! >= EXPLORE_EI;
  const next =
    (unmeasured && (couldEnd || !explore)) || unproven || nextI < 0
      ? { config: incumbent, ei: 0 }
      : { config: conf.configs[nextI]!, ei: conf.ei[nextI]! };
  return { probability: conf.probability, planProbability, incumbent, next, unmeasured, draws: conf.draws };
}

/**
 * Index of the config of least expected objective value among those that meet the constraint with
 * probability ≥ `level` (if none does, the most likely to meet it); the incumbent (index 0) unless
 * another is strictly better.
 */
function bayesChoice(conf: ConfidenceResult, level: number): number {
  const n = conf.configs.length;
  if (n === 0) return 0;
  const ok = conf.configs.map((_, i) => conf.feasible[i]! >= level);
  if (!ok.some(Boolean)) {
    let best = 0;
    for (let i = 1; i < n; i++) if (conf.feasible[i]! > conf.feasible[best]!) best = i;
    return best;
  }
  let best = -1;
  for (let i = 0; i < n; i++) if (ok[i] && (best < 0 || conf.expected[i]! < conf.expected[best]!)) best = i;
  return best;
}

/**
 * The plan's config (index 0) in place of the Bayes choice `best` when it is better on the other
 * objective (cheaper under a latency, faster under a cost) and the two tie: expected values within
 * the optimizer's tie tolerance, or — under a latency — within ε, with the choice ahead in fewer
 * than CLEAR_WIN of the draws. One lucky run at 463 × 10,240 MB of a single-threaded stage made
 * 484 × 10,240 MB the Bayes choice over the plan's 485 × 1,769 MB, and the saved latency plan
 * cost 5.7× as much for a speed no run could tell apart. (Under a cost, the same bar kept the
 * dearer of two configs the runs could not yet separate: cost regret p90 4.9 → 7.7 % on the
 * bench's optimize scenarios.)
 */
export function tieToPlan(
  conf: ConfidenceResult,
  best: number,
  latencyObjective: boolean,
  epsilon: number,
): number {
  if (best <= 0) return best;
  const e = conf.expected;
  const o = conf.otherExpected;
  if (!(o[0]! < o[best]!)) return best;
  if (e[0]! <= (1 + TIE_TOLERANCE) * e[best]!) return 0;
  return latencyObjective && e[0]! <= (1 + epsilon) * e[best]! && conf.beatsFirst[best]! < CLEAR_WIN
    ? 0
    : best;
}

/** Runs of a config among samples (any status), for its next repetition number. */
export function runsOfConfig(samples: readonly Sample[], config: ResolvedConfig): number {
  const key = configKey(config);
  return samples.filter((s) => s.config.vcpu !== undefined && configKey(s.config) === key).length;
}

/** Whether a config has a successful run among the samples. */
export function measuredOk(samples: readonly Sample[], config: ResolvedConfig): boolean {
  const key = configKey(config);
  return samples.some((s) => s.status === 'ok' && s.config.vcpu !== undefined && configKey(s.config) === key);
}

/**
 * Whether an ok run had no more memory than `config` for a partition at least as large (input per
 * worker): then `config`'s memory is known to be enough.
 */
function memoryShownEnough(samples: readonly Sample[], config: ResolvedConfig, inputBytes: number): boolean {
  const partition = inputBytes / config.workers;
  return samples.some(
    (s) =>
      s.status === 'ok' &&
      s.config.memoryMB <= config.memoryMB &&
      (s.inputBytes ?? inputBytes) / s.config.workers >= partition,
  );
}
