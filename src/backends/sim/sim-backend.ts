/**
 * The `sim` backend: runs a stage on the seeded FaaS simulator (generate.ts) instead of a cloud.
 * Every run is a pure function of (scenario, config, input size, rep, seed), so a resumed profile
 * that repeats a run gets the same sample. `truth` exposes the noise-free expectation (truth.ts)
 * for benchmarks; the profiler never calls it.
 */
import { inputError } from '../../core/errors.js';
import type { Platform, ResolvedConfig, StageDef } from '../../core/types.js';
import type { Backend, StageRunRequest, StageRunResult } from '../backend.js';
import { simulateRun } from './generate.js';
import type { ScenarioMap } from './scenario-file.js';
import type { Scenario } from './scenario.js';
import { truthAt, type SimConfig, type StageTruth } from './truth.js';

export interface SimBackendOptions {
  platform: Platform;
  /** Stage name → scenario. */
  scenarios: ScenarioMap;
  /** Mixed into every run's draws with the request's own seed. Default 0. */
  seed?: number;
}

export class SimBackend implements Backend {
  readonly name = 'sim';
  readonly platform: Platform;
  private readonly scenarios: ScenarioMap;
  private readonly seed: number;

  constructor(options: SimBackendOptions) {
    this.platform = options.platform;
    this.scenarios = options.scenarios;
    this.seed = options.seed ?? 0;
  }

  /** The scenario of a stage: by name, else the only scenario of a one-scenario file (the registry lets that stand only for a one-stage workflow). */
  scenarioOf(stage: string): Scenario {
    const s =
      this.scenarios.get(stage) ?? (this.scenarios.size === 1 ? [...this.scenarios.values()][0] : undefined);
    if (!s)
      throw inputError(
        `sim backend: no scenario for stage "${stage}"`,
        `the scenario file has: ${[...this.scenarios.keys()].join(', ') || 'none'}`,
      );
    return s;
  }

  /** The stage's whole input when the workflow does not give it: the scenario's. */
  inputBytesOf(stage: StageDef): number {
    return stage.inputBytes ?? this.scenarioOf(stage.name).inputBytes;
  }

  /** The platform's limit; a scenario's own `concurrency` applies inside its runs. */
  concurrency(_config: ResolvedConfig): number {
    return this.platform.maxConcurrency;
  }

  async runStage(req: StageRunRequest, signal?: AbortSignal): Promise<StageRunResult> {
    signal?.throwIfAborted();
    const s = this.scenarioOf(req.stage.name);
    const inputBytes = req.inputBytes ?? s.inputBytes;
    const sample = simulateRun(s, this.platform, req.config, {
      rep: req.rep,
      seed: (req.seed ^ this.seed) >>> 0,
      inputBytes,
      workflow: req.workflow,
    });
    const prefix = req.outputPrefix ?? `runs/${req.stage.name}/${req.runId}/`;
    const outputKeys =
      sample.status === 'ok'
        ? Array.from({ length: req.config.workers }, (_, i) => `${prefix}part-${i}`)
        : [];
    return {
      sample: { ...sample, runId: req.runId, stage: req.stage.name, timeoutMs: req.timeoutMs },
      outputKeys,
    };
  }

  /** The noise-free expectation of a config (phases, makespan, cost, feasibility). */
  truth(stage: string, cfg: SimConfig, inputBytes?: number): StageTruth {
    const s = this.scenarioOf(stage);
    return truthAt(s, this.platform, cfg, { inputBytes: inputBytes ?? s.inputBytes });
  }

  async close(): Promise<void> {}
}
