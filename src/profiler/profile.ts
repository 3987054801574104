/**
 * The profiling loop: runs a design of configs for every stage of a workflow on a backend and
 * appends every run's sample to the samples file the moment it finishes (fsync'ed, store's
 * appendSample), so a kill -9 loses at most the run in flight. Run ids are deterministic
 * (run-id.ts), so a rerun skips every run already in the file and picks up where it stopped.
 *
 * Stages are profiled one at a time in topological order. A stage reading another's output reads
 * the output of one run of it (its materialising run: the first successful run of its design),
 * materialised once and reused by every config (stage-input.ts, outputs-manifest.ts).
 *
 * Designs: `grid` (the configs given), `sparse` (sparse.ts), `adaptive` (the sparse start, then
 * rounds of: fit every stage, plan the workflow, and for each stage not yet confident
 * (adaptive.ts) profile the config with the largest expected improvement — until every stage's
 * P(within ε) reaches the threshold or a budget is spent).
 */
import type { Backend, StageRunRequest } from '../backends/backend.js';
import { LocalBackend } from '../backends/local/index.js';
import { readsFrom } from '../core/dag.js';
import { RightsizerError } from '../core/errors.js';
import { headline } from '../core/text.js';
import type { Objective, Plan, Platform, ResolvedConfig, Sample, StageDef, Workflow } from '../core/types.js';
import { hasConstraint, planWorkflow } from '../optimizer/index.js';
import { planFromSamples, type PlanOutcome, type PlanRequest } from '../pipeline/plan.js';
import { COMMITTEE, committeeApplies, disputedConfig } from './committee.js';
import type { PlatformRegistry } from '../platforms/index.js';
import { appendSample, readSamples, type LoadedWorkflow, type LineProblem } from '../store/index.js';
import { adaptiveStep, measuredOk, runsOfConfig, type AdaptiveStep } from './adaptive.js';
import { summedWithin } from './confidence.js';
import { readManifest, writeManifest } from './outputs-manifest.js';
import { configKey, paramsText, runIdFor, stageParams } from './run-id.js';
import { runSetup, type SetupOutcome } from './setup.js';
import { movedIntoSpace, nearestInSpace, stageSpace, type StageSpace } from './space.js';
import { defaultSparseCount, fillingConfig, sparseDesign } from './sparse.js';
import { repairedConfig } from './memory-repair.js';
import { stageInput, type Materialised, type StageInput } from './stage-input.js';
import { offCriticalPath } from './stage-objective.js';

export type DesignName = 'grid' | 'sparse' | 'adaptive';
export const DESIGNS: readonly DesignName[] = ['grid', 'sparse', 'adaptive'];

export interface AdaptiveOptions {
  objective: Objective;
  /** ε of "within ε of the optimum" (default 0.03). */
  epsilon?: number;
  /** Stop a stage once P(within ε) reaches this (default 0.9). */
  threshold?: number;
  /**
   * Profile runs per stage at most, repetitions and the sparse start included (default 10). Runs
   * already in the samples file count, so a rerun resumes rather than spends a new budget.
   */
  budgetRuns?: number;
  /** Profiling spend in USD at most, all stages together (default: none). */
  budgetUSD?: number;
  /** Probability a deadline or budget must hold with (default 0.9), as `plan --confidence`. */
  confidence?: number;
  registry: PlatformRegistry;
}

export interface ProfileOptions {
  workflow: LoadedWorkflow;
  backend: Backend;
  platform: Platform;
  samplesPath: string;
  design: DesignName;
  /** `grid`: the configs, resolved. */
  configs?: readonly ResolvedConfig[];
  /** Repetitions per config (default 2 for grid and sparse; 1 for adaptive, which rather profiles a new config). */
  reps?: number;
  /** Configs of the sparse start (default 5, or 4 along one axis). */
  sparseCount?: number;
  seed?: number;
  /** Profile on this fraction of the input (default 1). */
  inputFraction?: number;
  adaptive?: AdaptiveOptions;
  signal?: AbortSignal;
  onEvent?: (e: ProfileEvent) => void;
}

export type ProfileEvent =
  | { kind: 'setup'; outcome: SetupOutcome }
  | { kind: 'problem'; problem: LineProblem }
  | { kind: 'set-aside'; path: string }
  | { kind: 'stage'; stage: string; planned: number }
  /** A point of the sparse start left out: the runs before it show or estimate that no size holds its partition. */
  | { kind: 'skip'; stage: string; config: ResolvedConfig }
  /** A grid's configs outside the stage's space, run at the nearest config of it instead. */
  | { kind: 'moved'; stage: string; configs: { from: ResolvedConfig; to: ResolvedConfig }[] }
  | {
      kind: 'run';
      stage: string;
      config: ResolvedConfig;
      rep: number;
      sample: Sample;
      resumed: boolean;
      /** What the backend said about the run (the local backend's isolation mode, an engine's warnings). */
      notes?: string[];
    }
  | { kind: 'confidence'; stage: string; probability: number; runs: number }
  /** A committee member's fit finds an unmeasured config better than the answer (committee.ts): it runs next. */
  | { kind: 'dispute'; stage: string; family: string; config: ResolvedConfig; gain: number };

export interface StageProfile {
  stage: string;
  /** The stage's whole input (for planning at full size), when known. */
  fullInputBytes: number | null;
  runs: number;
  /** P(the plan's config is within ε of the stage's optimum) — adaptive only. */
  probability: number | null;
}

export interface ProfileResult {
  /** Every sample of the workflow in the samples file (earlier ones included). */
  samples: Sample[];
  ran: number;
  resumed: number;
  costUSD: number;
  stages: StageProfile[];
  /** The workflow with every stage's whole input filled in where known, and its DAG in dependsOn. */
  planningWorkflow: Workflow;
  /** The last plan of the adaptive rounds. */
  plan: Plan | null;
  /** For an infeasible plan, a much cheaper (or faster) one about as likely to meet the bound. */
  advice: string[];
  /** Product of the stages' probabilities (they are judged apart): adaptive only. */
  probability: number | null;
}

interface StageState {
  def: StageDef;
  input: StageInput;
  materialised: Materialised | null;
  probability: number | null;
  /** The adaptive design's answer for the stage (its most likely config within ε). */
  incumbent: ResolvedConfig | null;
  /** P(within ε) of the last plan's config for the stage, and that config. */
  planned: { config: ResolvedConfig; probability: number } | null;
  /** Runs of the stage's start (its sparse design × repetitions). */
  startSize: number;
  /** Runs the start made or resumed (fewer than startSize when points were left out). */
  startRuns: number;
  /** The last confidence's per-draw values of the incumbent and the best config. */
  draws?: AdaptiveStep['draws'];
}

/** Runs past the start the adaptive design makes before its confidence may end a stage's profile. */
const MIN_MODEL_RUNS = 2;

export async function profileWorkflow(o: ProfileOptions): Promise<ProfileResult> {
  const { workflow, backend, platform } = o;
  const seed = o.seed ?? 0;
  const fraction = o.inputFraction ?? 1;
  const emit = o.onEvent ?? (() => {});
  const { samples: existing, problems } = await readSamples(o.samplesPath, { allowEmpty: true });
  for (const problem of problems) emit({ kind: 'problem', problem });
  // A run that failed with an error (an engine's bug, a missing module, a lost connection) is not
  // done: a rerun runs it again, and its new sample supersedes the error (samples-file.ts).
  const byId = new Map(existing.filter((s) => s.runId && s.status !== 'error').map((s) => [s.runId!, s]));
  const paramsOf = (stage: string): Record<string, unknown> | null =>
    stageParams(
      workflow,
      workflow.stages.find((d) => d.name === stage),
    );
  // Runs made with other params are another workload: they neither resume nor train this one
  // (a sample that records none is taken as made with these).
  let all: Sample[] = existing.filter(
    (s) =>
      s.workflow === workflow.name &&
      (s.params === undefined || paramsText(s.params) === paramsText(paramsOf(s.stage))),
  );
  let ran = 0;
  let resumed = 0;
  let costUSD = 0;

  const setup = await runSetup(workflow, backend);
  emit({ kind: 'setup', outcome: setup });

  const states = new Map<string, StageState>();
  /** The id of a stage's run at a config and repetition, on its current input and params. */
  const runIdOf = (st: StageState, config: ResolvedConfig, rep: number): string =>
    runIdFor({
      workflow: workflow.name,
      stage: st.def.name,
      config,
      rep,
      input: st.input.label,
      params: paramsOf(st.def.name),
    });
  const runOne = async (st: StageState, config: ResolvedConfig, rep: number): Promise<Sample> => {
    const params = paramsOf(st.def.name);
    const runId = runIdOf(st, config, rep);
    const done = byId.get(runId);
    if (done) {
      resumed++;
      costUSD += done.costUSD ?? 0;
      emit({ kind: 'run', stage: st.def.name, config, rep, sample: done, resumed: true });
      return done;
    }
    o.signal?.throwIfAborted();
    const req: StageRunRequest = {
      runId,
      workflow: workflow.name,
      stage: st.def,
      config,
      inputBytes: st.input.runInputBytes,
      ...(st.input.inputKeys ? { inputKeys: st.input.inputKeys } : {}),
      rep,
      timeoutMs: st.def.timeoutMs ?? platform.timeoutMs,
      seed,
      ...(params ? { params } : {}),
    };
    const result = await backend.runStage(req, o.signal);
    const sample = { ...result.sample, runId, workflow: workflow.name, ...(params ? { params } : {}) };
    if (sample.status === 'ok' && result.outputKeys)
      await writeManifest(o.samplesPath, runId, {
        outputKeys: result.outputKeys,
        outputBytes: sample.outputBytes ?? null,
      });
    const { setAside } = await appendSample(o.samplesPath, sample);
    if (setAside) emit({ kind: 'set-aside', path: setAside });
    byId.set(runId, sample);
    all = all.filter((x) => x.runId !== runId);
    all.push(sample);
    ran++;
    costUSD += sample.costUSD ?? 0;
    emit({
      kind: 'run',
      stage: st.def.name,
      config,
      rep,
      sample,
      resumed: false,
      ...(result.notes?.length ? { notes: result.notes } : {}),
    });
    return sample;
  };
  /**
   * What an ok run of a stage left for its downstream stages: its manifest (the keys the backend
   * reported), else — an engine that keeps its own data (exec, sim, Lithops), whose reply need not
   * list keys, or a samples file moved without its outputs/ folder — the run's output size alone.
   * The local backend hands the downstream stage the keys, so there only a manifest will do.
   */
  const materialisedBy = async (sample: Sample): Promise<Materialised | null> =>
    (await readManifest(o.samplesPath, sample.runId!)) ??
    (backend instanceof LocalBackend ? null : { outputKeys: [], outputBytes: sample.outputBytes ?? null });
  /** A stage's runs of its current input: their partitions compare by worker count alone. */
  const thisInput = (st: StageState): Sample[] =>
    stageSamples(all, st.def.name).filter(
      (x) => x.config.vcpu !== undefined && x.runId === runIdOf(st, x.config as ResolvedConfig, x.rep),
    );
  /** The next repetition of a config that is not in the file yet. */
  const nextRep = (st: StageState, config: ResolvedConfig): number => {
    let rep = runsOfConfig(stageSamples(all, st.def.name), config);
    while (byId.has(runIdOf(st, config, rep))) rep++;
    return rep;
  };

  const reps = o.reps ?? (o.design === 'adaptive' ? 1 : 2);
  /** Stages with no downstream none of whose runs succeeded (grid and sparse: said at the end). */
  const failed: { name: string; runs: Sample[] }[] = [];
  for (const name of workflow.dag.order) {
    const def = workflow.stages.find((s) => s.name === name)!;
    const upstream = readsFrom(def, workflow.dag.parents.get(name) ?? []).map(
      (p) => states.get(p)?.materialised ?? null,
    );
    if (upstream.some((u) => u === null))
      throw new RightsizerError(
        'backend',
        `stage ${name}: an upstream stage has no successful run to read from`,
        "look at the upstream stage's errors in the samples file",
      );
    const input = await stageInput(backend, def, upstream as Materialised[], fraction);
    const space = stageSpace(platform, def);
    const design = initialDesign(
      platform,
      def,
      o.design,
      o.configs,
      o.sparseCount,
      seed,
      o.adaptive?.budgetRuns,
      reps,
    );
    const st: StageState = {
      def,
      input,
      materialised: null,
      probability: null,
      incumbent: null,
      planned: null,
      startSize: design.length * reps,
      startRuns: 0,
    };
    states.set(name, st);
    emit({ kind: 'stage', stage: name, planned: design.length * reps });
    if (o.design === 'grid') {
      const moved = movedIntoSpace(space, o.configs ?? []);
      if (moved.length > 0) emit({ kind: 'moved', stage: name, configs: moved });
    }
    // The sparse start from the most workers down, each point raised past what the start's runs
    // before it show or estimate it needs, or skipped when no allowed size holds that
    // (memory-repair.ts); a grid runs as the user listed it. Only the
    // start's own runs count, not every run in the file: a rerun then replays the same start
    // and resumes it, where the runs a finished profile added later would raise its points to
    // configs never run, and rerun them past the budget.
    const ordered =
      o.design === 'grid'
        ? design
        : [...design].sort((a, b) => b.workers - a.workers || b.memoryMB - a.memoryMB);
    const startRuns: Sample[] = [];
    // Whether a run of this input (made now or resumed) succeeded.
    let anyOk = false;
    for (const planned of ordered) {
      const config = o.design === 'grid' ? planned : repairedConfig(planned, startRuns, space);
      if (!config) {
        emit({ kind: 'skip', stage: name, config: planned });
        continue;
      }
      for (let rep = 0; rep < reps; rep++) {
        const sample = await runOne(st, config, rep);
        startRuns.push(sample);
        st.startRuns++;
        if (sample.status === 'ok') anyOk = true;
        if (!st.materialised && sample.status === 'ok' && sample.runId)
          st.materialised = await materialisedBy(sample);
      }
    }
    // No run of the start succeeded, nor any other of the stage in the file (a `run`'s, say):
    // there is nothing to fit. The adaptive design stops here; grid and sparse profile the other
    // stages first, their runs are worth keeping. (A stage with downstream stages says so below.)
    if (
      !anyOk &&
      (workflow.dag.children.get(name) ?? []).length === 0 &&
      !all.some((s) => s.stage === name && s.status === 'ok')
    ) {
      if (o.design === 'adaptive')
        throw new RightsizerError(
          'backend',
          `stage ${name}: no run succeeded, so there is no model to plan it with`,
          failureHint(startRuns),
        );
      failed.push({ name, runs: startRuns });
    }
    if (!st.materialised && (workflow.dag.children.get(name) ?? []).length > 0) {
      throw new RightsizerError(
        'backend',
        anyOk
          ? `stage ${name}: its runs' output lists (outputs/<runId>.json beside ${o.samplesPath}) are missing, so its downstream stages have no input`
          : `stage ${name}: no run succeeded, so its downstream stages have no input`,
        anyOk
          ? 'restore the outputs/ folder that was written with the samples file, or profile into a new samples file'
          : failureHint(startRuns),
      );
    }
  }

  if (failed.length > 0)
    throw new RightsizerError(
      'backend',
      `${failed.map((f) => `stage ${f.name}`).join(', ')}: no run succeeded, so there is nothing to train on (the runs are kept in ${o.samplesPath})`,
      failed.map((f) => `${failed.length > 1 ? `${f.name}: ` : ''}${failureHint(f.runs)}`).join(' · '),
    );

  const stagesOut = (): StageProfile[] =>
    workflow.dag.order.map((n) => {
      const st = states.get(n)!;
      return {
        stage: n,
        fullInputBytes: st.input.fullInputBytes,
        runs: profileRuns(all, n),
        probability: st.probability,
      };
    });
  const planningWorkflow: Workflow = {
    ...workflow,
    stages: workflow.stages.map((s) => {
      const full = states.get(s.name)?.input.fullInputBytes;
      return {
        ...s,
        dependsOn: [...(workflow.dag.parents.get(s.name) ?? [])],
        ...(full != null &&
        (s.inputBytes !== undefined ||
          readsFrom(s, workflow.dag.parents.get(s.name) ?? []).length === 0 ||
          backend.name === 'sim')
          ? { inputBytes: full }
          : {}),
      };
    }),
  };

  let plan: Plan | null = null;
  let advice: string[] = [];
  /** One more space-filling run of the stage a failed plan names; false when it cannot have one. */
  const fillStage = async (e: unknown, round: number): Promise<boolean> => {
    const name = e instanceof RightsizerError && e.code === 'infeasible' ? e.stage : undefined;
    const st = name === undefined ? undefined : states.get(name);
    const a = o.adaptive;
    if (!st || !a || profileRuns(all, st.def.name) >= (a.budgetRuns ?? 10)) return false;
    if (a.budgetUSD !== undefined && costUSD >= a.budgetUSD) return false;
    const runs = thisInput(st);
    const space = stageSpace(platform, st.def);
    const config = fillingConfig(
      space,
      runs.map((x) => x.config as ResolvedConfig),
      seed + 7919 * (round + 1),
      (c) => repairedConfig(c, runs, space),
    );
    if (!config) return false;
    await runOne(st, config, nextRep(st, config));
    return true;
  };
  if (o.design === 'adaptive') {
    const a = o.adaptive;
    if (!a) throw new RightsizerError('internal', 'adaptive design without an objective');
    const epsilon = a.epsilon ?? 0.03;
    const threshold = a.threshold ?? 0.9;
    const budgetRuns = a.budgetRuns ?? 10;
    let models: PlanOutcome['models'] | null = null;
    const answersPlan = (current: Plan, fitted: PlanOutcome['models']) =>
      pinnedPlan(current, fitted, planningWorkflow, platform, a.objective, seed, states, a.confidence);
    const budgetSpent = (): boolean => a.budgetUSD !== undefined && profileCost(all, states) >= a.budgetUSD;
    // The plan at the answers, when the last round computed it (a deadline's or budget's).
    let answered: ReturnType<typeof answersPlan> | undefined;
    for (let round = 0; ; round++) {
      answered = undefined;
      const planRequest: PlanRequest = {
        samples: all,
        workflow: planningWorkflow,
        platforms: [platform],
        registry: a.registry,
        objective: a.objective,
        ...(a.confidence !== undefined ? { confidence: a.confidence } : {}),
        seed,
        concurrency: (c) => backend.concurrency(c),
        ...(backend.effectiveVcpu ? { effectiveVcpu: (c: ResolvedConfig) => backend.effectiveVcpu!(c) } : {}),
      };
      let outcome: PlanOutcome;
      try {
        outcome = planFromSamples(planRequest);
      } catch (e) {
        // A model that finds no config of a stage feasible (one fitted on a few runs can predict
        // every config past the timeout) is cured by more runs, not by giving up: while the stage
        // has budget, profile one more space-filling point of it and plan again.
        const filled = await fillStage(e, round);
        if (!filled) throw e;
        continue;
      }
      plan = outcome.plans[0]!;
      advice = outcome.advice;
      models = outcome.models;
      const toRun: { st: StageState; config: ResolvedConfig }[] = [];
      // The committee's plans (committee.ts), made once a round and only when a stage would stop.
      let committee: (PlanOutcome | null)[] | undefined;
      const committeePlans = (): (PlanOutcome | null)[] =>
        (committee ??= COMMITTEE.map((family) => {
          try {
            return planFromSamples({ ...planRequest, family, riskK: 0 });
          } catch {
            return null;
          }
        }));
      for (const name of workflow.dag.order) {
        const st = states.get(name)!;
        const model = outcome.models.get(name)!;
        const inputBytes =
          plan.stages.find((s) => s.stage === name)?.inputBytes ?? model.profiledInputBytes ?? 0;
        const runs = profileRuns(all, name);
        const def = planningWorkflow.stages.find((s) => s.name === name)!;
        const step = adaptiveStep({
          platform,
          def,
          model,
          inputBytes,
          objective: a.objective,
          plan,
          samples: stageSamples(all, name),
          epsilon,
          // Seeded by the runs past the start (the round, for a fresh profile of one stage), so
          // a rerun on a finished profile draws as its last round did and returns its plan.
          seed: seed + Math.max(0, runs - st.startRuns) * 7919,
          runsLeft: budgetRuns - runs,
          threshold,
          ...(a.confidence !== undefined ? { confidence: a.confidence } : {}),
        });
        st.probability = step.probability;
        st.draws = step.draws;
        st.incumbent = step.incumbent;
        const plannedConfig = plan.stages.find((s) => s.stage === name)?.config;
        st.planned = plannedConfig ? { config: plannedConfig, probability: step.planProbability } : null;
        emit({ kind: 'confidence', stage: name, probability: step.probability, runs });
        const spent = budgetSpent();
        // Sure, but not before the model has chosen MIN_MODEL_RUNS runs of its own: P(within ε)
        // from a fit to the start alone is the least trustworthy (on the bench's optimize
        // scenarios, stops right after the start claimed ≥ 90 % and missed by up to 25 %).
        const sure =
          step.probability >= threshold &&
          !step.unmeasured &&
          runs >= Math.min(budgetRuns, st.startSize + MIN_MODEL_RUNS);
        // Sure under `auto`'s model with runs left, or at its last run: another family's answer
        // may dispute it, and a run where the models disagree is worth more than a refinement.
        // (A deadline's or budget's last run measures its answer, which must hold in truth.)
        const lastRun = runs === budgetRuns - 1 && !hasConstraint(a.objective);
        const disputed =
          (sure || lastRun) &&
          runs < budgetRuns &&
          !spent &&
          committeeApplies(a.objective, workflow.stages.length)
            ? disputedConfig({
                platform,
                def,
                inputBytes,
                // Where the committee applies, the stage's objective is the workflow's.
                objective: a.objective,
                incumbent: step.incumbent,
                samples: stageSamples(all, name),
                outcomes: committeePlans(),
                families: COMMITTEE,
                epsilon,
              })
            : null;
        if (disputed) {
          emit({ kind: 'dispute', stage: name, ...disputed });
          toRun.push({ st, config: disputed.config });
          continue;
        }
        if (sure || runs >= budgetRuns || spent || !step.next) continue;
        toRun.push({ st, config: step.next.config });
      }
      // About to stop: a deadline or budget must hold in truth at the configs returned. Each stage
      // stopped with its answer measured, but the plan returned is the answers' only where the
      // optimizer, on the model alone, also finds them within the bound (pinnedPlan); elsewhere it
      // keeps its own config, which may have no run. Such a config runs first, while budget lasts.
      if (toRun.length === 0 && hasConstraint(a.objective)) {
        answered = answersPlan(plan, outcome.models);
        for (const s of (answered?.plan ?? plan).stages) {
          const st = states.get(s.stage);
          if (!st || budgetSpent() || profileRuns(all, s.stage) >= budgetRuns) continue;
          if (!measuredOk(stageSamples(all, s.stage), s.config)) toRun.push({ st, config: s.config });
        }
      }
      if (toRun.length === 0) break;
      for (const { st, config } of toRun) await runOne(st, config, nextRep(st, config));
    }
    if (plan && models) {
      const pinned = answered !== undefined ? answered : answersPlan(plan, models);
      if (pinned) [plan, advice] = [pinned.plan, pinned.advice];
      // A stage left at the plan's config rather than its answer is stated at that config.
      for (const s of plan.stages) {
        const st = states.get(s.stage);
        if (st?.planned && st.incumbent && configKey(s.config) !== configKey(st.incumbent))
          if (configKey(s.config) === configKey(st.planned.config)) st.probability = st.planned.probability;
      }
    }
    // Every profile run of the workload counts, those of earlier invocations too (as the run
    // budget does): a rerun reports what the whole profile cost, not only the runs it revisited.
    const runs = [...states.keys()].reduce((n, name) => n + profileRuns(all, name), 0);
    resumed = Math.max(runs - ran, 0);
    costUSD = profileCost(all, states);
  }
  // A latency is the critical path's: a stage off it cannot move it (the plan keeps it off).
  const objective = o.adaptive?.objective;
  const counted = stagesOut().filter(
    (s) => !(plan && objective && offCriticalPath(objective, plan, s.stage)),
  );
  const ps = counted.map((s) => s.probability);
  return {
    samples: all,
    ran,
    resumed,
    costUSD,
    stages: stagesOut(),
    planningWorkflow,
    plan,
    advice,
    probability: workflowProbability(o, states, ps),
  };
}

/**
 * P(the workflow is within ε of its optimum). A cost sums its stages': judged on the joint draws
 * (Σ incumbents ≤ (1 + ε)·Σ optima), which holds far more often than every stage within ε — the
 * product of their probabilities, kept for the other objectives as the bound it is.
 */
function workflowProbability(
  o: ProfileOptions,
  states: ReadonlyMap<string, StageState>,
  ps: readonly (number | null)[],
): number | null {
  if (!ps.every((p) => p !== null)) return null;
  if (o.adaptive?.objective.kind === 'cost' && states.size > 1) {
    const joint = summedWithin(
      [...states.values()].map((s) => s.draws),
      o.adaptive.epsilon ?? 0.03,
    );
    if (joint !== null) return joint;
  }
  return ps.reduce<number>((a, p) => a * p!, 1);
}

/**
 * The plan at the adaptive design's answers: where a stage's most likely config (under the model
 * and its runs) differs from the plan's, the workflow is planned again with that stage pinned to
 * it, so the plan's numbers (critical path, workflow latency and cost) are those of the configs
 * returned. Each stage's answer was judged with the workflow's whole slack (stage-objective.ts),
 * so two answers together may spend it twice: when pinning them all breaks a deadline or budget
 * the plan met, they are pinned one at a time, each kept only while the plan still meets it.
 * Null when every stage's answer is the plan's already (or none can be kept).
 */
function pinnedPlan(
  plan: Plan,
  models: PlanOutcome['models'],
  workflow: Workflow,
  platform: Platform,
  objective: Objective,
  seed: number,
  states: ReadonlyMap<string, StageState>,
  confidence?: number,
): { plan: Plan; advice: string[] } | null {
  // A stage's answer is judged on its own share of the objective (stage-objective.ts). A cost sums
  // the stages', so their answers compose. A deadline's or budget's slack (or a balance) is shared
  // along the DAG, and answers judged apart spend it on stages off the critical path; a latency's
  // ties are the workflow's (0.5 % of it, not of each stage), and a stage's own fastest config buys
  // nothing off the critical path: there the plan of the models and runs together stands.
  if (objective.kind !== 'cost' && workflow.stages.length > 1) return null;
  const answers = new Map<string, ResolvedConfig>();
  for (const def of workflow.stages) {
    const inc = states.get(def.name)?.incumbent;
    const cur = plan.stages.find((s) => s.stage === def.name)?.config;
    if (inc && cur && configKey(inc) !== configKey(cur)) answers.set(def.name, inc);
  }
  if (answers.size === 0) return null;
  const planWith = (pins: ReadonlyMap<string, ResolvedConfig>): { plan: Plan; advice: string[] } => {
    const { plan: pinned, advice } = planWorkflow({
      workflow: plan.workflow,
      platform,
      stages: workflow.stages.map((def) => {
        const c = pins.get(def.name);
        const planned = plan.stages.find((s) => s.stage === def.name);
        return {
          def: c
            ? {
                ...def,
                space: {
                  workers: [c.workers],
                  memoryMB: [c.memoryMB],
                  ...(platform.cpu.kind === 'proportional' ? {} : { vcpu: [c.vcpu] }),
                },
              }
            : def,
          model: models.get(def.name)!,
          inputBytes: planned?.inputBytes ?? null,
        };
      }),
      dag: true,
      objective,
      ...(confidence !== undefined ? { confidence } : {}),
      seed,
    });
    // Pinning leaves a pinned stage one config, so the pinned plan's own front is a point or two;
    // the workflow's front under the same models is the one a user weighs the plan against.
    return { plan: { ...pinned, pareto: plan.pareto }, advice };
  };
  const all = planWith(answers);
  if (all.plan.feasible || !plan.feasible) return all;
  let kept: { plan: Plan; advice: string[] } | null = null;
  const pins = new Map<string, ResolvedConfig>();
  for (const [name, config] of answers) {
    pins.set(name, config);
    const trial = planWith(pins);
    if (trial.plan.feasible) kept = trial;
    else pins.delete(name);
  }
  return kept;
}

/** What the profile runs of the workflow's stages among `samples` cost, earlier invocations' included. */
function profileCost(samples: readonly Sample[], states: ReadonlyMap<string, unknown>): number {
  return samples
    .filter((s) => states.has(s.stage) && s.runId?.startsWith('p-'))
    .reduce((sum, s) => sum + (s.costUSD ?? 0), 0);
}

/** What to do about a stage none of whose runs succeeded, from how they failed. */
function failureHint(runs: readonly Sample[]): string {
  const count = (status: Sample['status']): number => runs.filter((r) => r.status === status).length;
  const error = runs.find((r) => r.status === 'error')?.error;
  const hints: string[] = [];
  if (error) hints.push(`${count('error')} failed with an error (first: ${headline(error).slice(0, 240)})`);
  if (count('oom') > 0) hints.push(`${count('oom')} ran out of memory: widen its memory`);
  if (count('timeout') > 0) hints.push(`${count('timeout')} timed out: raise its timeoutMs or its workers`);
  return hints.length > 0 ? `of its ${runs.length} runs, ${hints.join('; ')}` : "look at its samples' errors";
}

/**
 * The configs a stage starts with: the grid's, each moved to the nearest config of the stage's
 * space (a grid is given for the whole workflow; a merge stage runs its `w=8` at 1 worker) and
 * deduplicated, else the sparse start.
 */
export function initialDesign(
  platform: Platform,
  def: StageDef,
  design: DesignName,
  configs: readonly ResolvedConfig[] | undefined,
  sparseCount: number | undefined,
  seed: number,
  budgetRuns?: number,
  reps = 1,
): ResolvedConfig[] {
  const space = stageSpace(platform, def);
  if (design === 'grid') {
    const moved = (configs ?? []).map((c) => nearestInSpace(space, c));
    return moved.filter((c, i) => moved.findIndex((d) => configKey(d) === configKey(c)) === i);
  }
  return sparseDesign(
    space,
    startCount(space, sparseCount, design === 'adaptive' ? budgetRuns : undefined, reps),
    seed,
  );
}

/** Configs in the sparse start: the default (or asked) count, no more than an adaptive run budget holds. */
function startCount(
  space: StageSpace,
  sparseCount: number | undefined,
  budgetRuns: number | undefined,
  reps: number,
): number {
  const count = sparseCount ?? defaultSparseCount(space);
  return budgetRuns === undefined ? count : Math.max(1, Math.min(count, Math.floor(budgetRuns / reps)));
}

/**
 * The stage's profile runs in the samples file, earlier invocations included: the run budget
 * counts them, so a rerun continues an interrupted profile instead of starting a new budget.
 */
function profileRuns(samples: readonly Sample[], stage: string): number {
  return samples.filter((s) => s.stage === stage && s.runId?.startsWith('p-')).length;
}

function stageSamples(samples: readonly Sample[], stage: string): Sample[] {
  return samples.filter((s) => s.stage === stage);
}
