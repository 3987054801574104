/**
 * The noise-free truth of a simulated stage at any config and input size: the mean time of each
 * phase, the expected makespan (slowest worker, cold starts, waves) and the expected cost.
 * Cheap enough (microseconds) to brute-force the whole AWS Lambda space.
 * The mechanisms and their sources are listed in scenario.ts.
 */
import { BYTES_PER_MB } from '../../core/units.js';
import type { Phase, Platform } from '../../core/types.js';
import { expectedRunCostUSD } from '../../platforms/cost.js';
import { resolveVcpu } from '../../platforms/resources.js';
import { expectedMaxFactor } from './expected-max.js';
import type { Scenario } from './scenario.js';

export interface SimConfig {
  workers: number;
  memoryMB: number;
  vcpu?: number;
}

export interface StageTruth {
  workers: number;
  memoryMB: number;
  vcpu: number;
  partitionMB: number;
  /** Memory a worker needs for its partition; below (or at) it the run is out of memory. */
  memoryNeededMB: number;
  oom: boolean;
  /** The mean worker time exceeds the platform's (or scenario's) timeout. */
  timeout: boolean;
  feasible: boolean;
  /** Mean per-worker phase times (coldStart: mean over all workers, warm later waves count 0). */
  phasesMs: Record<Phase, number>;
  overheadMs: number;
  /** Mean wall time of one worker, cold start excluded. */
  workerMs: number;
  /** Median cold start of a worker in the first wave. */
  coldMedianMs: number;
  /** Mean billed time per worker (init included where billed). */
  billedMs: number;
  /** Expected makespan of one run; Infinity when infeasible. */
  makespanMs: number;
  /** Expected cost of one run; Infinity when infeasible. */
  costUSD: number;
  requestsPerWorker: { get: number; put: number };
  waves: number;
  /** Workers in the first wave (the cold ones). */
  coldWorkers: number;
}

/** Smooth maximum (p-norm, p = 4): a queue near its rate limit slows gradually, not at a corner. */
function softMax(a: number, b: number): number {
  if (b <= 0) return a;
  const m = Math.max(a, b);
  return m * Math.pow(Math.pow(a / m, 4) + Math.pow(b / m, 4), 0.25);
}

/** Per-worker bandwidth, MB/s: grows with memory and saturates at `mbps`. */
function bandwidth(mbps: number, halfMemMB: number, memoryMB: number): number {
  return (mbps * memoryMB) / (memoryMB + halfMemMB);
}

/** Trapezoid nodes of a standard normal for E over the run-wide factor (spectrally accurate for smooth integrands). */
const RUN_Z = Array.from({ length: 17 }, (_, i) => -6 + i * 0.75);
const RUN_W = (() => {
  const w = RUN_Z.map((z) => Math.exp(-0.5 * z * z));
  const s = w.reduce((a, b) => a + b, 0);
  return w.map((x) => x / s);
})();

/** Expected duration of one wave of k workers: E_R[ R·W · E[max(ρ_R·C + S)] ], ρ_R = cold median / (R·W). */
function expectedWaveMs(
  s: Scenario,
  k: number,
  workerMs: number,
  coldMedianMs: number,
  cold: boolean,
): number {
  const sdR = s.noise.runLogSd;
  const sdC = cold ? s.coldStart.logSd : 0;
  const coldMs = cold ? coldMedianMs : 0;
  const sdS = s.noise.stragglerLogSd;
  const rare = s.noise.rareStragglers;
  if (sdR === 0) return workerMs * expectedMaxFactor(k, coldMs / workerMs, sdC, sdS, rare);
  let e = 0;
  for (let i = 0; i < RUN_Z.length; i++) {
    const r = Math.exp(sdR * RUN_Z[i]! - (sdR * sdR) / 2);
    const v = r * workerMs;
    e += RUN_W[i]! * v * expectedMaxFactor(k, coldMs / v, sdC, sdS, rare);
  }
  return e;
}

export interface TruthOptions {
  /** The stage's whole input (default: the scenario's). */
  inputBytes?: number;
  /** Workers that run at once (default: the scenario's, else the platform's). */
  concurrency?: number;
}

export function truthAt(
  s: Scenario,
  platform: Platform,
  cfg: SimConfig,
  options: TruthOptions = {},
): StageTruth {
  const n = cfg.workers;
  const m = cfg.memoryMB;
  const vcpu = resolveVcpu(platform, m, cfg.vcpu);
  const inputBytes = options.inputBytes ?? s.inputBytes;
  const partitionMB = inputBytes / BYTES_PER_MB / n;

  const getPerWorker =
    s.read.requestsPerWorker + Math.ceil(partitionMB / s.read.chunkMB) + s.read.requestsPerPeer * (n - 1);
  const readAlone =
    getPerWorker * s.read.latencyMs + (partitionMB / bandwidth(s.read.mbps, s.read.halfMemMB, m)) * 1000;
  // All workers' requests share the storage's aggregate rate: the read cannot end before they are served.
  const throttled = s.read.aggregateRps ? ((n * getPerWorker) / s.read.aggregateRps) * 1000 : 0;
  const readMs = softMax(readAlone, throttled);

  const outMB = partitionMB * s.write.outputRatio;
  const putPerWorker = outMB > 0 ? Math.ceil(outMB / s.write.chunkMB) : 0;
  const writeMs =
    putPerWorker * s.write.latencyMs + (outMB / bandwidth(s.write.mbps, s.write.halfMemMB, m)) * 1000;

  const memoryNeededMB = s.memory.baseMB + s.memory.perPartitionMB * partitionMB;
  const oom = m <= memoryNeededMB;
  const gcFactor = oom ? Infinity : 1 + s.memory.gc / (m / memoryNeededMB - 1);
  const singleCpu = Math.min(vcpu, 1);
  const effectiveCpu = Math.min(vcpu, s.compute.threads);
  const cpuMs =
    s.compute.setupMs / singleCpu +
    (s.compute.msPerMB * Math.pow(partitionMB, s.compute.exponent)) / effectiveCpu;
  const computeMs = cpuMs * gcFactor;

  const coldMedianMs = s.coldStart.medianMs + s.coldStart.initCpuMs / singleCpu;
  const coldMeanMs = coldMedianMs * Math.exp((s.coldStart.logSd * s.coldStart.logSd) / 2);
  const workerMs = readMs + computeMs + writeMs + s.overheadMs;

  const concurrency = Math.max(1, options.concurrency ?? s.concurrency ?? platform.maxConcurrency);
  const coldWorkers = Math.min(n, concurrency);
  const fullWaves = Math.floor(n / concurrency);
  const rest = n - fullWaves * concurrency;
  const waves = fullWaves + (rest > 0 ? 1 : 0);
  const timeout = workerMs > platform.timeoutMs;
  const feasible = !oom && !timeout;

  const coldShare = coldWorkers / n;
  const billedMs =
    workerMs + (platform.billing.billsInit ? s.coldStart.billedShare * coldMeanMs * coldShare : 0);

  let makespanMs = Infinity;
  let costUSD = Infinity;
  if (feasible) {
    // Later waves reuse the first wave's warm instances: no cold start.
    makespanMs = expectedWaveMs(s, coldWorkers, workerMs, coldMedianMs, true);
    if (fullWaves > 1)
      makespanMs += (fullWaves - 1) * expectedWaveMs(s, concurrency, workerMs, coldMedianMs, false);
    if (rest > 0 && fullWaves > 0) makespanMs += expectedWaveMs(s, rest, workerMs, coldMedianMs, false);
    costUSD = expectedRunCostUSD(platform, { workers: n, memoryMB: m, vcpu }, billedMs, {
      get: getPerWorker,
      put: putPerWorker,
    });
  }

  return {
    workers: n,
    memoryMB: m,
    vcpu,
    partitionMB,
    memoryNeededMB,
    oom,
    timeout,
    feasible,
    phasesMs: { coldStart: coldMeanMs * coldShare, read: readMs, compute: computeMs, write: writeMs },
    overheadMs: s.overheadMs,
    workerMs,
    coldMedianMs,
    billedMs,
    makespanMs,
    costUSD,
    requestsPerWorker: { get: getPerWorker, put: putPerWorker },
    waves,
    coldWorkers,
  };
}
