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
import { RightsizerError } from '../core/errors.js';
import { hasConstraint, planWorkflow } from '../optimizer/index.js';
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
  /** k of the risk-adjusted cost and latency the plans rank on (default 1; 0: the point estimates). */
  riskK?: number;
  seed?: number;
  source?: string;
  /**
   * Workers that can run at once at a config, when the backend that will run the plan has its own
   * limit (the local backend: this machine's cores and RAM). Default: the platform's concurrency.
   */
  concurrency?: (config: ResolvedConfig) => number;
  /** The vCPU a worker can really use at a config on that backend (default: the config's). */
  effectiveVcpu?: (config: ResolvedConfig) => number;
}

export interface PlanOutcome {
  plans: Plan[];
  models: Map<string, FittedStageModel>;
  /** Things the user should act on (unused samples, assumptions about sizes). */
  warnings: string[];
  /** How the plan was found (search sizes, composition, Monte Carlo): shown with --verbose. */
  notes: string[];
  /** For an infeasible plan, a much cheaper (or faster) one about as likely to meet the bound. */
  advice: string[];
  /**
   * With several platforms, those with no plan at all (a stage none of whose configs is feasible
   * there), beside the plans of the others: one platform cannot hold the rest back.
   */
  unplanned: { platform: string; error: RightsizerError }[];
}

export function planFromSamples(req: PlanRequest): PlanOutcome {
  // A sample that names neither its vCPU nor its platform ran on the workflow's platform (the
  // one its configs follow), not on whichever platform is planned for first.
  const wfPlatform = req.workflow?.platform;
  const ranOn =
    wfPlatform && req.registry.ids().includes(wfPlatform) ? req.registry.get(wfPlatform) : req.platforms[0]!;
  const samples = withResolvedVcpu(req.samples, req.registry, ranOn, req.source);
  // Without a workflow a deadline or budget still bounds the whole run (plan/v1): the stages are
  // taken one after another — a deadline any DAG of them meets, and the run's cost whatever the DAG.
  const bound = hasConstraint(req.objective);
  const names = req.workflow ? [] : stagesInSamples(samples);
  const chained = !req.workflow && bound && names.length > 1;
  // Without a workflow, a stage whose samples all ran on one worker is taken as one that cannot be
  // split (a reduce): nothing says more workers would run it, let alone how fast.
  const single = new Set(
    names.filter((name) => samples.every((x) => x.stage !== name || x.config.workers === 1)),
  );
  const defs: StageDef[] = req.workflow
    ? req.workflow.stages
    : names.map((name, i) => ({
        name,
        ...(chained ? { dependsOn: i > 0 ? [names[i - 1]!] : [] } : {}),
        ...(single.has(name) ? { maxWorkers: 1 } : {}),
      }));
  const trained = trainWorkflow(samples, {
    family: req.family,
    seed: req.seed,
    stages: defs.map((d) => d.name),
    source: req.source,
    registry: req.registry,
  });
  const models =
    req.concurrency || req.effectiveVcpu
      ? onBackend(trained.models, req.concurrency ?? null, req.effectiveVcpu ?? null)
      : trained.models;
  const warnings = [...trained.warnings];
  // Failed runs are data, kept in the samples but not in any fit: say so, as train does.
  for (const [name, m] of trained.models) {
    const { error } = m.describe().excluded;
    if (error > 0) warnings.push(`stage ${name}: ${error} error sample(s) left out of the fit`);
  }
  if (single.size > 0)
    warnings.push(
      `no workflow file: ${[...single].join(', ')} ran only on 1 worker, so ${single.size > 1 ? 'they are' : 'it is'} planned at 1 worker (give its workflow file, with maxWorkers, to allow more)`,
    );
  if (chained)
    warnings.push(
      `no workflow file: the ${req.objective.kind} bounds the whole run, its stages taken one after another (${names.join(' → ')}); give --workflow FILE for its DAG`,
    );
  const sizes = plannedInputBytes(defs, models, req.inputBytes);
  if (!req.workflow && req.inputBytes !== undefined && defs.length > 1)
    warnings.push('--input-bytes without --workflow applies to every stage (no DAG to scale along)');
  // Without a workflow, the plan is of every workflow whose samples it used (imports may hold several).
  const workflowName =
    req.workflow?.name ?? ([...new Set(samples.map((x) => x.workflow))].sort().join('+') || 'workflow');
  const allNotes: string[] = [];
  const allAdvice: string[] = [];
  const unplanned: PlanOutcome['unplanned'] = [];
  const planOn = (platform: Platform) => {
    try {
      return planOnly(platform);
    } catch (e) {
      if (!(e instanceof RightsizerError) || e.code !== 'infeasible') throw e;
      unplanned.push({ platform: platform.id, error: e });
      return null;
    }
  };
  const planOnly = (platform: Platform) => {
    const { plan, notes, advice } = planWorkflow({
      workflow: workflowName,
      platform,
      stages: defs.map((def) => ({
        def,
        model: models.get(def.name)!,
        inputBytes: sizes.get(def.name) ?? null,
      })),
      dag: req.workflow !== undefined || chained,
      objective: req.objective,
      confidence: req.confidence,
      ...(req.riskK !== undefined ? { riskK: req.riskK } : {}),
      seed: req.seed,
    });
    // A model fitted on one platform's runs carries to another by vCPU and memory alone.
    const ranOnIds = [...new Set(samples.map((x) => x.platform ?? ranOn.id))].sort();
    if (samples.length > 0 && !ranOnIds.includes(platform.id))
      warnings.push(
        `the samples ran on ${ranOnIds.join(', ')}; ${platform.id} is planned as running at the same speed per vCPU and MB`,
      );
    const tag = (n: string): string => (req.platforms.length > 1 ? `${platform.id}: ${n}` : n);
    allAdvice.push(...advice.map(tag));
    allNotes.push(...notes.map(tag));
    return plan;
  };
  const plans = req.platforms.flatMap((platform) => planOn(platform) ?? []);
  if (plans.length === 0) {
    // None has a plan: every platform's reason, not only the first one's.
    if (unplanned.length > 1)
      throw new RightsizerError(
        'infeasible',
        unplanned.map((u) => u.error.message).join('; '),
        unplanned[0]!.error.hint,
      );
    throw unplanned[0]!.error;
  }
  return { plans, models, warnings, notes: allNotes, advice: allAdvice, unplanned };
}

/**
 * The models as the backend will run the plan: each config predicted with the backend's
 * concurrency (unless a caller gives its own: a stage's share of a DAG's limit) and the vCPU its
 * workers can really use — what the samples were trained on — so every planner, profiler and dry
 * run sees the waves and the CPU the plan will really get.
 */
function onBackend(
  models: ReadonlyMap<string, FittedStageModel>,
  concurrency: ((config: ResolvedConfig) => number) | null,
  effectiveVcpu: ((config: ResolvedConfig) => number) | null,
): Map<string, FittedStageModel> {
  const out = new Map<string, FittedStageModel>();
  for (const [name, m] of models)
    out.set(name, {
      stage: m.stage,
      profiledInputBytes: m.profiledInputBytes,
      outputRatio: m.outputRatio,
      requestsPerWorker: m.requestsPerWorker,
      ...(m.intervalDf !== undefined ? { intervalDf: m.intervalDf } : {}),
      describe: () => m.describe(),
      predict: (cfg, inputBytes, options?: PredictOptions) =>
        m.predict(effectiveVcpu ? { ...cfg, vcpu: effectiveVcpu(cfg) } : cfg, inputBytes, {
          ...options,
          ...(options?.concurrency === undefined && concurrency ? { concurrency: concurrency(cfg) } : {}),
        }),
    });
  return out;
}
