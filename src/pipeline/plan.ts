/**
 * Predictor: samples (+ an optional workflow) → one plan per platform. Without a workflow each
 * stage is planned alone over the platform's whole space and no workflow latency is reported.
 */
import type {
  FittedStageModel,
  Objective,
  Plan,
  Platform,
  PredictOptions,
  ResolvedConfig,
  Sample,
  StageDef,
  Workflow,
} from '../core/types.js';
import { planWorkflow } from '../optimizer/index.js';
import type { PlatformRegistry } from '../platforms/index.js';
import { plannedInputBytes } from './input-sizes.js';
import { stagesInSamples, trainWorkflow, withResolvedVcpu } from './train.js';

export interface PlanRequest {
  samples: readonly Sample[];
  workflow?: Workflow;
  platforms: readonly Platform[];
  registry: PlatformRegistry;
  objective: Objective;
  /** The whole input of the root stages; downstream stages follow their measured ratios. */
  inputBytes?: number;
  family?: string;
  confidence?: number;
  seed?: number;
  source?: string;
  /**
   * Workers that can run at once at a config, when the backend that will run the plan has its own
   * limit (the local backend: this machine's cores and RAM). Default: the platform's concurrency.
   */
  concurrency?: (config: ResolvedConfig) => number;
}

export interface PlanOutcome {
  plans: Plan[];
  models: Map<string, FittedStageModel>;
  /** Things the user should act on (unused samples, assumptions about sizes). */
  warnings: string[];
  /** How the plan was found (search sizes, composition, Monte Carlo): shown with --verbose. */
  notes: string[];
}

export function planFromSamples(req: PlanRequest): PlanOutcome {
  const first = req.platforms[0]!;
  const samples = withResolvedVcpu(req.samples, req.registry, first);
  const defs: StageDef[] = req.workflow
    ? req.workflow.stages
    : stagesInSamples(samples).map((name) => ({ name }));
  const trained = trainWorkflow(samples, {
    family: req.family,
    seed: req.seed,
    stages: defs.map((d) => d.name),
    source: req.source,
  });
  const models = req.concurrency ? withConcurrency(trained.models, req.concurrency) : trained.models;
  const warnings = [...trained.warnings];
  const sizes = plannedInputBytes(defs, models, req.inputBytes);
  if (!req.workflow && req.inputBytes !== undefined && defs.length > 1)
    warnings.push('--input-bytes without --workflow applies to every stage (no DAG to scale along)');
  const workflowName = req.workflow?.name ?? samples[0]?.workflow ?? 'workflow';
  const allNotes: string[] = [];
  const plans = req.platforms.map((platform) => {
    const { plan, notes } = planWorkflow({
      workflow: workflowName,
      platform,
      stages: defs.map((def) => ({
        def,
        model: models.get(def.name)!,
        inputBytes: sizes.get(def.name) ?? null,
      })),
      dag: req.workflow !== undefined,
      objective: req.objective,
      confidence: req.confidence,
      seed: req.seed,
    });
    allNotes.push(...notes.map((n) => (req.platforms.length > 1 ? `${platform.id}: ${n}` : n)));
    return plan;
  });
  return { plans, models, warnings, notes: allNotes };
}

/**
 * The models predicting with the backend's concurrency at each config unless a caller gives its
 * own (a stage's share of a DAG's limit): every planner, profiler and dry run then sees the waves
 * the plan will really run in.
 */
function withConcurrency(
  models: ReadonlyMap<string, FittedStageModel>,
  at: (config: ResolvedConfig) => number,
): Map<string, FittedStageModel> {
  const out = new Map<string, FittedStageModel>();
  for (const [name, m] of models)
    out.set(name, {
      stage: m.stage,
      profiledInputBytes: m.profiledInputBytes,
      outputRatio: m.outputRatio,
      requestsPerWorker: m.requestsPerWorker,
      describe: () => m.describe(),
      predict: (cfg, inputBytes, options?: PredictOptions) =>
        m.predict(cfg, inputBytes, { concurrency: options?.concurrency ?? at(cfg) }),
    });
  return out;
}
