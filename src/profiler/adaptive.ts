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
import { candidateConfigs } from './candidates.js';
import { stageConfidence } from './confidence.js';
import { configKey } from './run-id.js';
import { stageObjective } from './stage-objective.js';

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
}

export interface AdaptiveStep {
  probability: number;
  incumbent: ResolvedConfig;
  /** The config to profile next, and its expected relative improvement. */
  next: { config: ResolvedConfig; ei: number } | null;
}

export function adaptiveStep(input: AdaptiveStepInput): AdaptiveStep {
  const planned = input.plan.stages.find((s) => s.stage === input.def.name)!;
  const incumbent: ResolvedConfig = { ...planned.config };
  const objective = stageObjective(input.objective, input.plan, input.def.name);
  const candidates = candidateConfigs(input.platform, input.def, input.model, input.inputBytes, objective);
  const conf = stageConfidence({
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
  let bestI = -1;
  for (let i = 1; i < conf.configs.length; i++) if (bestI < 0 || conf.ei[i]! > conf.ei[bestI]!) bestI = i;
  // No candidate is expected to improve: measure the plan's own config (again) instead.
  const next =
    bestI >= 0 && conf.ei[bestI]! > 0
      ? { config: conf.configs[bestI]!, ei: conf.ei[bestI]! }
      : { config: incumbent, ei: 0 };
  return { probability: conf.probability, incumbent, next };
}

/** Runs of a config among samples (any status), for its next repetition number. */
export function runsOfConfig(samples: readonly Sample[], config: ResolvedConfig): number {
  const key = configKey(config);
  return samples.filter((s) => s.config.vcpu !== undefined && configKey(s.config) === key).length;
}
