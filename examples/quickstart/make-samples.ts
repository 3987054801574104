/**
 * Writes examples/quickstart/samples.jsonl: a seeded simulated profile of the TASKA-C pipeline's
 * three stages on AWS Lambda (7 configs × 3 repetitions each). Run: npx tsx examples/quickstart/make-samples.ts
 */
import { writeFileSync } from 'node:fs';
import { defineScenario, simulateRun } from '../../src/backends/sim/index.js';
import { PlatformRegistry } from '../../src/platforms/index.js';

const GiB = 1024 ** 3;
const platform = new PlatformRegistry().get('aws-lambda-x86');

const stages = [
  defineScenario({
    name: 'rebin',
    seed: 11,
    inputBytes: 16 * GiB,
    coldStart: { medianMs: 400, logSd: 0.3, initCpuMs: 300 },
    read: { mbps: 80, halfMemMB: 800, latencyMs: 20, chunkMB: 64 },
    compute: { msPerMB: 30, threads: 1 },
    write: { mbps: 70, halfMemMB: 800, outputRatio: 1 / 32 },
    memory: { baseMB: 150, perPartitionMB: 1.2, gc: 0.05 },
    noise: { runLogSd: 0.06, stragglerLogSd: 0.12 },
  }),
  defineScenario({
    name: 'calibrate',
    seed: 12,
    inputBytes: GiB / 2,
    coldStart: { medianMs: 450, logSd: 0.3, initCpuMs: 600 },
    read: { mbps: 80, halfMemMB: 800, latencyMs: 20, chunkMB: 32 },
    compute: { msPerMB: 900, threads: 4, setupMs: 1500 },
    write: { mbps: 70, halfMemMB: 800, outputRatio: 1 },
    memory: { baseMB: 220, perPartitionMB: 3, gc: 0.08 },
    noise: { runLogSd: 0.06, stragglerLogSd: 0.1 },
  }),
  defineScenario({
    name: 'image',
    seed: 13,
    inputBytes: GiB / 2,
    maxWorkers: 1,
    coldStart: { medianMs: 500, logSd: 0.3, initCpuMs: 800 },
    read: { mbps: 80, halfMemMB: 800, latencyMs: 20, chunkMB: 64 },
    compute: { msPerMB: 60, threads: 6 },
    write: { mbps: 70, halfMemMB: 800, outputRatio: 0.05 },
    memory: { baseMB: 300, perPartitionMB: 2.5, gc: 0.1 },
    noise: { runLogSd: 0.05, stragglerLogSd: 0.05 },
  }),
];

// A space-filling handful of configs in log space, as `rightsizer optimize`'s sparse design would pick.
const designs: Record<string, [number, number][]> = {
  rebin: [
    [4, 1024],
    [8, 3008],
    [16, 512],
    [32, 1769],
    [64, 768],
    [128, 2560],
    [256, 1280],
  ],
  calibrate: [
    [1, 2048],
    [2, 4096],
    [4, 1024],
    [8, 8192],
    [16, 3008],
    [32, 1536],
    [64, 6144],
  ],
  image: [
    [1, 1536],
    [1, 2048],
    [1, 3008],
    [1, 4096],
    [1, 6144],
    [1, 8192],
    [1, 10240],
  ],
};

const lines: string[] = [];
for (const s of stages)
  for (const [workers, memoryMB] of designs[s.name]!)
    for (let rep = 0; rep < 3; rep++)
      lines.push(
        JSON.stringify(simulateRun(s, platform, { workers, memoryMB }, { rep, seed: 7, workflow: 'taskac' })),
      );
writeFileSync(new URL('samples.jsonl', import.meta.url), lines.join('\n') + '\n');
console.log(`wrote ${lines.length} samples`);
