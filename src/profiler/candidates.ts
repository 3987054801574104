/**
 * The configs the adaptive design weighs for a stage: the model's Pareto front of (latency, cost)
 * on its point estimates, and an optimistic front (each config at exp(−1.5σ) of its prediction)
 * that surfaces configs the model knows little about. The optimum of every objective lies on the
 * true front, so these two cover where it can be under the model's uncertainty.
 */
import type { FittedStageModel, Objective, Platform, ResolvedConfig, StageDef } from '../core/types.js';
import { stageFront, thinEvenly } from '../optimizer/index.js';
import { configKey } from './run-id.js';

const MAX_PER_FRONT = 40;
const OPTIMISTIC_Z = -1.5;

export function candidateConfigs(
  platform: Platform,
  def: StageDef,
  model: FittedStageModel,
  inputBytes: number,
  objective: Objective,
): ResolvedConfig[] {
  const input = { platform, def, model, inputBytes };
  const seen = new Map<string, ResolvedConfig>();
  for (const z of [0, OPTIMISTIC_Z]) {
    const { front } = stageFront(input, {
      percentile: objective.percentile,
      latencyZ: z,
      costZ: z,
      maxPoints: 200,
      epsilon: 0.002,
    });
    for (const p of thinEvenly(front, MAX_PER_FRONT)) seen.set(configKey(p.config), p.config);
  }
  return [...seen.values()];
}
