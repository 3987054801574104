/**
 * The bench's synthetic stages: fixed seeds, each a mix of the mechanisms of
 * src/backends/sim/scenario.ts, at magnitudes from seconds to minutes and from MB to tens of GB.
 * None of the model families has this truth's form: the vCPU kink at threads × 1769 MB, the
 * saturating bandwidth, the smooth throttling maximum, the GC pole at the memory floor, the
 * superlinear work and the expected maximum of lognormal stragglers plus cold starts are all
 * outside every family's formula. The numbers are plausible, not fitted to anything: do not tune
 * them to make a model look good.
 */
import { defineScenario, type Scenario } from '../src/backends/sim/index.js';

const GB = 1024 ** 3;
const MB = 1024 ** 2;

export interface BenchStage {
  scenario: Scenario;
  /** The shapes of the issue this stage covers. */
  shapes: string[];
}

export const STAGES: BenchStage[] = [
  {
    shapes: ['single-threaded vCPU', 'bandwidth grows with memory'],
    scenario: defineScenario({
      name: 'parse-csv',
      description: 'Single-threaded CSV parsing: CPU share helps up to 1 vCPU, then only bandwidth does.',
      seed: 101,
      inputBytes: 6 * GB,
      coldStart: { medianMs: 350, logSd: 0.3, initCpuMs: 250 },
      read: { mbps: 85, halfMemMB: 900, latencyMs: 25, chunkMB: 64 },
      compute: { msPerMB: 45, threads: 1 },
      write: { mbps: 70, halfMemMB: 900, outputRatio: 0.4 },
      memory: { baseMB: 140, perPartitionMB: 1.6, gc: 0.04 },
      noise: { runLogSd: 0.06, stragglerLogSd: 0.12 },
    }),
  },
  {
    shapes: ['storage throttling at high fan-out', 'all-to-all shuffle reads'],
    scenario: defineScenario({
      name: 'shuffle-reduce',
      description: 'The reduce side of a shuffle: every worker reads a slice of every mapper output.',
      seed: 202,
      inputBytes: 20 * GB,
      coldStart: { medianMs: 300, logSd: 0.25 },
      read: { mbps: 75, halfMemMB: 600, latencyMs: 18, chunkMB: 32, requestsPerPeer: 1, aggregateRps: 5500 },
      compute: { msPerMB: 12, exponent: 1.05, threads: 2 },
      write: { mbps: 60, halfMemMB: 600, outputRatio: 0.6 },
      memory: { baseMB: 180, perPartitionMB: 2.2, gc: 0.06 },
      noise: { runLogSd: 0.07, stragglerLogSd: 0.15 },
    }),
  },
  {
    shapes: ['bandwidth grows with memory', 'storage throttling at high fan-out'],
    scenario: defineScenario({
      name: 'io-copy',
      description:
        'Copy and recompress 60 GB in 8 MB requests: I/O bound, throttled at thousands of requests per second.',
      seed: 303,
      inputBytes: 60 * GB,
      coldStart: { medianMs: 250, logSd: 0.3 },
      read: { mbps: 90, halfMemMB: 1400, latencyMs: 15, chunkMB: 8, aggregateRps: 5500 },
      compute: { msPerMB: 1.5, threads: 1 },
      write: { mbps: 80, halfMemMB: 1400, latencyMs: 30, chunkMB: 8, outputRatio: 0.7 },
      memory: { baseMB: 120, perPartitionMB: 0.05, gc: 0.02 },
      noise: { runLogSd: 0.08, stragglerLogSd: 0.18 },
    }),
  },
  {
    shapes: ['heavy per-worker setup (CPU-bound)', 'multi-threaded vCPU'],
    scenario: defineScenario({
      name: 'ml-inference',
      description: 'Batch inference: every worker first loads an 8 s (at 1 vCPU) model, then runs 4 threads.',
      seed: 404,
      inputBytes: 3 * GB,
      coldStart: { medianMs: 600, logSd: 0.35, initCpuMs: 900 },
      read: { mbps: 70, halfMemMB: 800 },
      compute: { msPerMB: 90, threads: 4, setupMs: 8000 },
      write: { mbps: 60, halfMemMB: 800, outputRatio: 0.05 },
      memory: { baseMB: 1300, perPartitionMB: 0.8, gc: 0.05 },
      noise: { runLogSd: 0.05, stragglerLogSd: 0.1 },
    }),
  },
  {
    shapes: [
      'garbage-collection slowdown near the memory floor',
      'out of memory below it',
      'superlinear work',
    ],
    scenario: defineScenario({
      name: 'sort-gc',
      description: 'An in-memory sort: needs 3 MB per MB of partition, slows sharply near that floor.',
      seed: 505,
      inputBytes: 12 * GB,
      coldStart: { medianMs: 400, logSd: 0.3 },
      read: { mbps: 80, halfMemMB: 700 },
      compute: { msPerMB: 9, exponent: 1.15, threads: 2 },
      write: { mbps: 70, halfMemMB: 700, outputRatio: 1 },
      memory: { baseMB: 200, perPartitionMB: 3, gc: 0.15 },
      noise: { runLogSd: 0.06, stragglerLogSd: 0.12 },
    }),
  },
  {
    shapes: [
      'single worker: memory is the only knob',
      'garbage-collection slowdown',
      'out of memory below the floor',
    ],
    scenario: defineScenario({
      name: 'image-reduce',
      description: 'Builds one image from 400 MB of visibilities on one worker with 6 threads.',
      seed: 606,
      inputBytes: 400 * MB,
      maxWorkers: 1,
      coldStart: { medianMs: 500, logSd: 0.3, initCpuMs: 400 },
      read: { mbps: 80, halfMemMB: 1000 },
      compute: { msPerMB: 550, exponent: 1.05, threads: 6 },
      write: { mbps: 60, halfMemMB: 1000, outputRatio: 0.1 },
      memory: { baseMB: 900, perPartitionMB: 2.5, gc: 0.2 },
      noise: { runLogSd: 0.05, stragglerLogSd: 0.05 },
    }),
  },
  {
    shapes: ['lognormal stragglers (heavy)', 'multi-threaded vCPU', 'MB-sized input'],
    scenario: defineScenario({
      name: 'montecarlo',
      description: 'Monte Carlo sampling over a 2 MB parameter file: pure compute, heavy stragglers.',
      seed: 707,
      inputBytes: 2 * MB,
      coldStart: { medianMs: 300, logSd: 0.4 },
      read: { mbps: 60, halfMemMB: 500 },
      compute: { msPerMB: 400_000, threads: 2, setupMs: 300 },
      write: { mbps: 50, halfMemMB: 500, outputRatio: 0.01 },
      memory: { baseMB: 160, perPartitionMB: 0, gc: 0.02 },
      noise: { runLogSd: 0.05, stragglerLogSd: 0.35 },
    }),
  },
  {
    shapes: ['heavy cold start (CPU-bound init)', 'stragglers', 'bandwidth', 'multi-threaded vCPU'],
    scenario: defineScenario({
      name: 'transcode',
      description: 'Video transcoding with ffmpeg (2 threads) in a container with a slow init.',
      seed: 808,
      inputBytes: 8 * GB,
      coldStart: { medianMs: 900, logSd: 0.35, initCpuMs: 1500, billedShare: 0.7 },
      read: { mbps: 80, halfMemMB: 1200, chunkMB: 16 },
      compute: { msPerMB: 140, threads: 2, setupMs: 400 },
      write: { mbps: 70, halfMemMB: 1200, outputRatio: 0.3, chunkMB: 16 },
      memory: { baseMB: 350, perPartitionMB: 0.6, gc: 0.05 },
      noise: { runLogSd: 0.07, stragglerLogSd: 0.22 },
    }),
  },
  {
    shapes: ['millisecond work: cold start and requests dominate', 'single-threaded vCPU'],
    scenario: defineScenario({
      name: 'tiny-map',
      description:
        'A light filter over 150 MB: a few seconds of work in all, so cold starts and fees matter.',
      seed: 909,
      inputBytes: 150 * MB,
      coldStart: { medianMs: 250, logSd: 0.3, initCpuMs: 120 },
      read: { mbps: 60, halfMemMB: 400, latencyMs: 20 },
      compute: { msPerMB: 25, threads: 1 },
      write: { mbps: 50, halfMemMB: 400, outputRatio: 0.2 },
      memory: { baseMB: 110, perPartitionMB: 1.2, gc: 0.03 },
      noise: { runLogSd: 0.08, stragglerLogSd: 0.12 },
    }),
  },
  {
    shapes: ['heavy per-worker setup', 'throttling', 'GC near the floor', 'single-threaded vCPU'],
    scenario: defineScenario({
      name: 'geo-join',
      description:
        'A spatial join: each worker builds a 5 s index (single-threaded) before probing its partition.',
      seed: 1010,
      inputBytes: 25 * GB,
      coldStart: { medianMs: 450, logSd: 0.3, initCpuMs: 300 },
      read: { mbps: 70, halfMemMB: 1000, chunkMB: 16, requestsPerWorker: 40, aggregateRps: 4000 },
      compute: { msPerMB: 30, exponent: 1.08, threads: 1, setupMs: 5000 },
      write: { mbps: 60, halfMemMB: 1000, outputRatio: 0.2 },
      memory: { baseMB: 700, perPartitionMB: 1.8, gc: 0.1 },
      noise: { runLogSd: 0.06, stragglerLogSd: 0.14 },
    }),
  },
];

export function stageByName(name: string): BenchStage {
  const s = STAGES.find((x) => x.scenario.name === name);
  if (!s) throw new Error(`bench: no stage "${name}"`);
  return s;
}

/** A series-parallel expression of a DAG: a stage, or stages/blocks in series or in parallel. */
export type SpExpr = string | { series: SpExpr[] } | { parallel: SpExpr[] };

export interface BenchDag {
  name: string;
  stages: { name: string; dependsOn: string[] }[];
  /** The same DAG as a series-parallel expression, for its exact true optimum. */
  sp: SpExpr;
}

/** Two small workflows built from the stages above. */
export const DAGS: BenchDag[] = [
  {
    name: 'etl-chain',
    stages: [
      { name: 'io-copy', dependsOn: [] },
      { name: 'parse-csv', dependsOn: ['io-copy'] },
      { name: 'shuffle-reduce', dependsOn: ['parse-csv'] },
      { name: 'image-reduce', dependsOn: ['shuffle-reduce'] },
    ],
    sp: { series: ['io-copy', 'parse-csv', 'shuffle-reduce', 'image-reduce'] },
  },
  {
    name: 'media-diamond',
    stages: [
      { name: 'tiny-map', dependsOn: [] },
      { name: 'ml-inference', dependsOn: ['tiny-map'] },
      { name: 'transcode', dependsOn: ['tiny-map'] },
      { name: 'sort-gc', dependsOn: ['ml-inference', 'transcode'] },
      { name: 'geo-join', dependsOn: ['sort-gc'] },
    ],
    sp: { series: ['tiny-map', { parallel: ['ml-inference', 'transcode'] }, 'sort-gc', 'geo-join'] },
  },
];
