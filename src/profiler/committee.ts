/**
 * Query by committee before a stage stops as sure, and at its last run under a cost or latency.
 * P(within ε) is judged under the model `auto` chose, and a model can be sure of a wrong answer
 * where no run has been: on the bench's sort-gc (in-memory sort, GC near its floor) a memexp fit
 * read the climb at 364 MB as an exponential in memory, predicted 288 × 531 MB twice as slow as it is, and stopped at P = 0.90 on 103 × 1,364 MB,
 * 26 % dearer than the optimum — which amdahl, fitted to the same runs, planned. So each family
 * also plans the stage from the runs; one whose choice is unmeasured and, by its own model, better
 * than the incumbent by more than ε disputes the stop, and its choice is run next. The run settles
 * it either way: measured, the config enters every model's fit and the residual field. Members
 * plan on their point estimates (riskK 0): a member's guess is worth a run where its own
 * uncertainty is widest. At the last run of a cost or latency, a dispute beats one more
 * refinement near the answer (shuffle-reduce, seed 10: 30 → 1.7 % over the optimum); a
 * deadline's or budget's last run measures its answer instead, which must hold in truth.
 * Applies where a stage's answer stands for itself: a cost (workflows sum their stages' costs),
 * and a one-stage workflow's latency, deadline or budget.
 */
import type { Objective, Platform, ResolvedConfig, Sample, StageDef } from '../core/types.js';
import { evaluateConfig, type StagePoint } from '../optimizer/index.js';
import type { PlanOutcome } from '../pipeline/plan.js';

/**
 * The families that plan beside `auto`: the laws of how the work splits (Amdahl, Ernest and its
 * extension). The flexible fits (gp, memexp) are the ones that extrapolate with confidence a shape
 * the runs did not show, and each member costs a fit of the stage when it is consulted.
 */
export const COMMITTEE = ['amdahl', 'ernest', 'ernest-ext'] as const;

/** A run this close (in ln workers and ln memory) measures a config as well as a run there. */
const NEAR_LOG = 0.1;

export function committeeApplies(objective: Objective, stages: number): boolean {
  return objective.kind === 'cost' || (stages === 1 && objective.kind !== 'balanced');
}

export interface DisputeInput {
  platform: Platform;
  def: StageDef;
  inputBytes: number;
  objective: Objective;
  incumbent: ResolvedConfig;
  /** The stage's runs. */
  samples: readonly Sample[];
  /** Each committee member's plan of the workflow from the same runs (null where it could not plan). */
  outcomes: readonly (PlanOutcome | null)[];
  /** The members' family names, in the order of `outcomes`. */
  families: readonly string[];
  epsilon: number;
}

export interface Dispute {
  family: string;
  config: ResolvedConfig;
  /** How much better than the incumbent the member's fit finds its choice (relative). */
  gain: number;
}

/** The member's choice that most improves on the incumbent by its own model, by more than ε; else null. */
export function disputedConfig(input: DisputeInput): Dispute | null {
  const risk = { percentile: input.objective.percentile, latencyZ: 0, costZ: 0 };
  let best: Dispute | null = null;
  for (const [i, outcome] of input.outcomes.entries()) {
    const plan = outcome?.plans[0];
    const model = outcome?.models.get(input.def.name);
    const choice = plan?.stages.find((s) => s.stage === input.def.name)?.config;
    if (!plan || !model || !choice || !plan.feasible) continue;
    if (measuredNear(input.samples, choice)) continue;
    const at = (c: ResolvedConfig): StagePoint | null =>
      evaluateConfig(
        { platform: input.platform, def: input.def, model, inputBytes: input.inputBytes },
        risk,
        c,
      );
    const mine = at(choice);
    const theirs = at(input.incumbent);
    if (!mine || !theirs) continue;
    const gain = 1 - value(input.objective, mine) / value(input.objective, theirs);
    if (gain > input.epsilon && (!best || gain > best.gain))
      best = { family: input.families[i] ?? 'another family', config: choice, gain };
  }
  return best;
}

/** What the objective minimises at a point: its cost, or its latency (a budget's too). */
function value(objective: Objective, p: StagePoint): number {
  return objective.kind === 'latency' || objective.kind === 'budget' ? p.statMs : p.meanCostUSD;
}

/** A run near the config, whatever its outcome: one that failed there settles the dispute too. */
function measuredNear(samples: readonly Sample[], config: ResolvedConfig): boolean {
  return samples.some(
    (s) =>
      Math.abs(Math.log(s.config.workers / config.workers)) <= NEAR_LOG &&
      Math.abs(Math.log(s.config.memoryMB / config.memoryMB)) <= NEAR_LOG &&
      (s.config.vcpu === undefined || Math.abs(Math.log(s.config.vcpu / config.vcpu)) <= NEAR_LOG),
  );
}
