/**
 * The Backend contract: run one stage at one config and report what happened as a sample.
 * Every backend (local, exec, sim, lithops) sits behind it; the profiler and `run` know only this.
 */
import type { Platform, ResolvedConfig, Sample, StageDef } from '../core/types.js';

export interface StageRunRequest {
  /** Unique per run: the resume and dedupe key of the sample it yields. */
  runId: string;
  workflow: string;
  stage: StageDef;
  config: ResolvedConfig;
  /** The stage's whole input in bytes, when known before the run. */
  inputBytes: number | null;
  /** The object-store keys (or other backend-specific references) of the stage's input. */
  inputKeys?: readonly string[];
  /** Where the stage writes its outputs (a key prefix), so downstream stages can read them. */
  outputPrefix?: string;
  rep: number;
  timeoutMs: number;
  seed: number;
  /** Parameters from the workflow (`params`), passed to the stage function. */
  params?: Record<string, unknown>;
}

/** One profiled execution; `sample` is a complete rightsizer.sample/v1 record. */
export interface StageRunResult {
  sample: Sample;
  /** The keys the stage wrote (its output), for downstream stages. */
  outputKeys?: string[];
  /** Human-readable notes (e.g. which isolation mode ran). */
  notes?: string[];
}

export interface Backend {
  readonly name: string;
  readonly platform: Platform;
  /** How many workers can run at once on this backend (the local machine's cores and RAM, or the platform's limit). */
  concurrency(config: ResolvedConfig): number;
  /** vCPU a worker of this config can really use here, when the backend caps it (the local machine's cores). */
  effectiveVcpu?(config: ResolvedConfig): number;
  runStage(req: StageRunRequest, signal?: AbortSignal): Promise<StageRunResult>;
  close(): Promise<void>;
}
