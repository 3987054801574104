/**
 * rightsizer's public API: load samples and workflows, fit stage models, plan.
 *
 * ```ts
 * const { samples } = await readSamples('samples.jsonl');
 * const registry = new PlatformRegistry();
 * const { plans } = planFromSamples({ samples, platforms: [registry.get('aws-lambda-x86')], registry,
 *                                    objective: parseObjective('deadline:60s', null) });
 * ```
 */
export * from './core/types.js';
export { RightsizerError, inputError } from './core/errors.js';
export { parseDurationMs, parseBytes, parseUSD, MB_PER_GB } from './core/units.js';
export { topologicalOrder, buildDag } from './core/dag.js';
export {
  CATALOG,
  PlatformRegistry,
  loadPlatformFile,
  allowedSizes,
  allowedWorkers,
  resolveVcpu,
  resolveConfig,
  runCostUSD,
  expectedRunCostUSD,
} from './platforms/index.js';
export { readSamples, parseSamples, appendSample, loadWorkflow, validateWorkflow } from './store/index.js';
export { fitStage, FAMILIES } from './models/index.js';
export { planWorkflow, parseObjective } from './optimizer/index.js';
export {
  trainWorkflow,
  withResolvedVcpu,
  stagesInSamples,
  type TrainOptions,
  type TrainedWorkflow,
} from './pipeline/train.js';
export { planFromSamples, type PlanRequest, type PlanOutcome } from './pipeline/plan.js';
export { plannedInputBytes } from './pipeline/input-sizes.js';
export type { Backend, StageRunRequest, StageRunResult } from './backends/backend.js';
export type { StageContext } from './backends/local/stage-context.js';
export { LocalBackend } from './backends/local/index.js';
export { ExecBackend } from './backends/exec/index.js';
export { defineWorkflow, type WorkflowDefinition } from './core/define-workflow.js';
export { loadAnyWorkflow } from './store/workflow-module.js';
export { SimBackend } from './backends/sim/index.js';
export {
  createBackend,
  BACKEND_NAMES,
  type BackendName,
  type CreateBackendOptions,
} from './backends/registry.js';
export {
  profileWorkflow,
  type ProfileOptions,
  type ProfileResult,
  type DesignName,
} from './profiler/profile.js';
export { runPlan, type RunPlanOptions, type RunPlanResult } from './profiler/run-plan.js';
export type { SetupContext } from './profiler/setup.js';
