/** The bench's one call into rightsizer's optimizer: plan one stage alone for one objective. */
import type { FittedStageModel, Platform, ResolvedConfig, StageDef } from '../../src/core/types.js';
import { planWorkflow } from '../../src/optimizer/index.js';
import { toObjective, type BenchObjective } from './objective.js';

export interface StagePlan {
  config: ResolvedConfig;
  feasible: boolean;
  predictedLatencyMs: number;
  predictedCostUSD: number;
}

export function planStage(
  def: StageDef,
  model: FittedStageModel,
  platform: Platform,
  objective: BenchObjective,
  inputBytes: number | null,
  seed: number,
): StagePlan {
  const { plan } = planWorkflow({
    workflow: 'bench',
    platform,
    stages: [{ def, model, inputBytes }],
    dag: false,
    objective: toObjective(objective),
    confidence: 0.9,
    seed,
  });
  const s = plan.stages[0]!;
  return {
    config: { workers: s.config.workers, memoryMB: s.config.memoryMB, vcpu: s.config.vcpu },
    feasible: plan.feasible,
    predictedLatencyMs: s.predicted.latencyMs,
    predictedCostUSD: s.predicted.costUSD,
  };
}
