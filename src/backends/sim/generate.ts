/**
 * One simulated run of a stage, reported as a `rightsizer.sample/v1` record exactly as a real
 * backend would: per-worker phases, totals, billed time and peak memory, the makespan on the
 * submitter's clock, and status `ok`, `oom` or `timeout`. Noise (noise.ts) around the truth
 * (truth.ts): a run-wide factor R on every worker's phases, a straggler factor per worker (and
 * a rare straggler's slowdown), a cold start per first-wave worker; a wave lasts as long as its
 * slowest worker.
 */
import { SAMPLE_SCHEMA, type Platform, type Sample, type WorkerRecord } from '../../core/types.js';
import { runCostUSD } from '../../platforms/cost.js';
import { meanOneLognormal, medianLognormal, rareFactor } from './noise.js';
import { hashKey, rngFor } from '../../core/prng.js';
import type { Scenario } from './scenario.js';
import { truthAt, type SimConfig } from './truth.js';

export interface SimRunOptions {
  rep: number;
  /** The caller's seed; with the scenario's seed, config, input and rep it fixes every draw. */
  seed?: number;
  inputBytes?: number;
  workflow?: string;
  concurrency?: number;
}

/** sd of ln of the measured peak memory around what the partition needs. */
const PEAK_MEMORY_LOG_SD = 0.02;
const EPOCH_MS = Date.UTC(2026, 0, 1);

export function simulateRun(s: Scenario, platform: Platform, cfg: SimConfig, options: SimRunOptions): Sample {
  const seed = options.seed ?? 0;
  const inputBytes = options.inputBytes ?? s.inputBytes;
  const truth = truthAt(s, platform, cfg, { inputBytes, concurrency: options.concurrency });
  const key = `${s.name}|${s.seed}|${cfg.memoryMB}|${truth.vcpu}|${cfg.workers}|${inputBytes}|${options.rep}`;
  const rng = rngFor(key, seed);
  const base = {
    schema: SAMPLE_SCHEMA,
    runId: `sim-${hashKey(key, seed).toString(36)}`,
    workflow: options.workflow ?? 'sim',
    stage: s.name,
    config: { workers: cfg.workers, memoryMB: cfg.memoryMB, vcpu: truth.vcpu },
    inputBytes,
    outputBytes: inputBytes * s.write.outputRatio,
    requests: {
      get: truth.requestsPerWorker.get * cfg.workers,
      put: truth.requestsPerWorker.put * cfg.workers,
    },
    platform: platform.id,
    backend: 'sim',
    rep: options.rep,
    startedAt: new Date(EPOCH_MS + (hashKey(key) % 1e9)).toISOString(),
    timeoutMs: platform.timeoutMs,
    // A run past the concurrency ran in waves: say so, as the local backend does (the model's
    // makespan counts the waves, and the host's overhead is read only from one-wave runs).
    ...(cfg.workers > truth.coldWorkers ? { concurrency: truth.coldWorkers } : {}),
  } as const;

  if (truth.oom)
    return {
      ...base,
      status: 'oom',
      error: `Runtime.OutOfMemory: a worker exceeded ${cfg.memoryMB} MB`,
      makespanMs: null,
      workers: [],
      costUSD: null,
    };

  const r = meanOneLognormal(rng, s.noise.runLogSd);
  const workers: WorkerRecord[] = [];
  const billed: number[] = [];
  let makespanMs = 0;
  let waveMax = 0;
  let timedOut = false;
  for (let i = 0; i < cfg.workers; i++) {
    const cold = i < truth.coldWorkers;
    if (i >= truth.coldWorkers && (i - truth.coldWorkers) % truth.coldWorkers === 0) {
      makespanMs += waveMax;
      waveMax = 0;
    }
    const f = r * meanOneLognormal(rng, s.noise.stragglerLogSd) * rareFactor(rng, s.noise.rareStragglers);
    const coldStartMs = cold ? medianLognormal(rng, truth.coldMedianMs, s.coldStart.logSd) : 0;
    const readMs = truth.phasesMs.read * f;
    const computeMs = truth.phasesMs.compute * f;
    const writeMs = truth.phasesMs.write * f;
    const totalMs = readMs + computeMs + writeMs + truth.overheadMs * f;
    const billedMs =
      totalMs + (cold && platform.billing.billsInit ? s.coldStart.billedShare * coldStartMs : 0);
    const peakMemoryMB = Math.min(
      cfg.memoryMB,
      truth.memoryNeededMB * Math.exp(PEAK_MEMORY_LOG_SD * rng.normal()),
    );
    if (totalMs > platform.timeoutMs) timedOut = true;
    waveMax = Math.max(waveMax, coldStartMs + totalMs);
    billed.push(billedMs);
    workers.push({ coldStartMs, readMs, computeMs, writeMs, totalMs, peakMemoryMB, billedMs, cold });
  }
  makespanMs += waveMax;

  if (timedOut)
    return {
      ...base,
      status: 'timeout',
      error: `Task timed out after ${platform.timeoutMs} ms`,
      makespanMs: null,
      workers: [],
      costUSD: null,
    };
  return {
    ...base,
    status: 'ok',
    error: null,
    makespanMs,
    workers,
    costUSD: runCostUSD(
      platform,
      { workers: cfg.workers, memoryMB: cfg.memoryMB, vcpu: truth.vcpu },
      billed,
      base.requests,
    ),
  };
}
