/**
 * The platform catalog: limits and prices as dated data with their sources (read 2026-11-27).
 * Every constant of a platform lives here and nowhere else; users add or override platforms
 * with a `rightsizer.platform/v1` YAML file (`--platform-file`).
 */
import type { PlatformInput } from '../core/types.js';

const GiB = 1024;

/** AWS Lambda: 1 vCPU per 1,769 MB, up to 6 vCPUs' worth (5.79) at 10,240 MB. */
const awsLambda = (arch: 'x86' | 'arm64', perGBSecond: number): PlatformInput => ({
  id: `aws-lambda-${arch}`,
  name: `AWS Lambda (${arch === 'x86' ? 'x86_64' : 'arm64'})`,
  date: '2026-11-27',
  sources: [
    'https://aws.amazon.com/lambda/pricing/ (first tier; $0.20 per 1M requests)',
    'https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html (128-10,240 MB in 1 MB steps; 1,769 MB = 1 vCPU)',
    'https://docs.aws.amazon.com/lambda/latest/dg/lambda-concurrency.html (1,000 default account concurrency)',
    'https://aws.amazon.com/s3/pricing/ (GET $0.0004, PUT $0.005 per 1,000)',
    'AWS billing of the INIT phase for on-demand functions, announced 2025-08',
  ],
  memoryMB: { min: 128, max: 10_240, step: 1 },
  cpu: { kind: 'proportional', mbPerVcpu: 1769 },
  maxConcurrency: 1000,
  timeoutMs: 900_000,
  billing: { granularityMs: 1, minimumMs: 1, billsInit: true },
  prices: {
    perGBSecond,
    perVcpuSecond: 0,
    perRequest: 0.2e-6,
    perStorageGet: 0.4e-6,
    perStoragePut: 5e-6,
  },
});

/** Cloud Run (request-based billing): CPU and memory priced apart; pairs follow its minimums. */
function cloudRunPairs(): { memoryMB: number; vcpu: number }[] {
  const memories = [128, 256, 512, 1 * GiB, 2 * GiB, 4 * GiB, 8 * GiB, 16 * GiB, 24 * GiB, 32 * GiB];
  const vcpus = [0.25, 0.5, 1, 2, 4, 6, 8];
  const pairs: { memoryMB: number; vcpu: number }[] = [];
  for (const vcpu of vcpus)
    for (const memoryMB of memories) {
      // Fractional CPU (< 1) allows at most 512 MiB; memory > 4/8/16/24 GiB needs ≥ 2/4/6/8 vCPU;
      // 4 vCPU needs ≥ 2 GiB and 6 or 8 vCPU ≥ 4 GiB.
      if (vcpu < 1 && memoryMB > 512) continue;
      const minVcpu =
        memoryMB > 24 * GiB
          ? 8
          : memoryMB > 16 * GiB
            ? 6
            : memoryMB > 8 * GiB
              ? 4
              : memoryMB > 4 * GiB
                ? 2
                : 0;
      if (vcpu < minVcpu) continue;
      if (vcpu >= 6 && memoryMB < 4 * GiB) continue;
      if (vcpu >= 4 && memoryMB < 2 * GiB) continue;
      pairs.push({ memoryMB, vcpu });
    }
  return pairs;
}

/** Code Engine: the documented vCPU/memory combinations (memory in GB as listed, × 1024 MB). */
function codeEngineGiBPairs(): { memoryMB: number; vcpu: number }[] {
  const table: [number, number[]][] = [
    [0.125, [0.25, 0.5, 1]],
    [0.25, [0.5, 1, 2]],
    [0.5, [1, 2, 4]],
    [1, [2, 4, 8]],
    [2, [4, 8, 16]],
    [4, [8, 16, 32]],
    [6, [12, 24, 48]],
    [8, [16, 32, 64]],
    [12, [24, 48]],
  ];
  return table.flatMap(([vcpu, gbs]) => gbs.map((gb) => ({ memoryMB: gb * GiB, vcpu })));
}

export const CATALOG: readonly PlatformInput[] = [
  awsLambda('x86', 0.0000166667),
  awsLambda('arm64', 0.0000133334),
  {
    id: 'gcp-cloud-run',
    name: 'Google Cloud Run (request-based billing, tier 1)',
    date: '2026-11-27',
    sources: [
      'https://cloud.google.com/run/pricing ($0.000024 per vCPU-s, $0.0000025 per GiB-s, $0.40 per 1M requests, 100 ms rounding)',
      'https://cloud.google.com/run/docs/configuring/services/memory-limits and /cpu (vCPU/memory minimums)',
      'https://cloud.google.com/storage/pricing (class B $0.0004, class A $0.005 per 1,000)',
    ],
    memoryMB: [128, 256, 512, 1024, 2048, 4096, 8192, 16384, 24576, 32768],
    cpu: { kind: 'pairs', pairs: cloudRunPairs() },
    maxConcurrency: 1000,
    timeoutMs: 3_600_000,
    billing: { granularityMs: 100, minimumMs: 100, billsInit: true },
    prices: {
      perGBSecond: 0.0000025,
      perVcpuSecond: 0.000024,
      perRequest: 0.4e-6,
      perStorageGet: 0.4e-6,
      perStoragePut: 5e-6,
    },
  },
  {
    id: 'ibm-code-engine',
    name: 'IBM Cloud Code Engine (jobs)',
    date: '2026-11-27',
    sources: [
      'https://www.ibm.com/products/code-engine/pricing ($0.00003431 per vCPU-s, $0.00000356 per GB-s)',
      'https://cloud.ibm.com/docs/codeengine?topic=codeengine-mem-cpu-combo (supported combinations)',
      'https://cloud.ibm.com/docs/cloud-object-storage?topic=cloud-object-storage-billing (class B $0.0004, class A $0.005 per 1,000)',
      'Lithops code_engine backend: max_workers default 1000, runtime_timeout 600 s',
    ],
    memoryMB: [...new Set(codeEngineGiBPairs().map((p) => p.memoryMB))],
    cpu: { kind: 'pairs', pairs: codeEngineGiBPairs() },
    maxConcurrency: 1000,
    timeoutMs: 600_000,
    billing: { granularityMs: 1000, minimumMs: 1000, billsInit: true },
    prices: {
      perGBSecond: 0.00000356,
      perVcpuSecond: 0.00003431,
      perRequest: 0,
      perStorageGet: 0.4e-6,
      perStoragePut: 5e-6,
    },
  },
  {
    id: 'k8s',
    name: 'Kubernetes (priced as GKE Autopilot general-purpose pods)',
    date: '2026-11-27',
    sources: [
      'https://cloud.google.com/kubernetes-engine/pricing (Autopilot: $0.0445 per vCPU-h, $0.0049225 per GiB-h)',
      'https://cloud.google.com/kubernetes-engine/docs/concepts/autopilot-resource-requests (1-6.5 GiB per vCPU)',
      'Lithops k8s backend: max_workers default 100, runtime_timeout 600 s',
    ],
    memoryMB: { min: 256, max: 65_536, step: 256 },
    cpu: {
      kind: 'independent',
      vcpu: [0.25, 0.5, 1, 2, 4, 8, 16],
      minMBPerVcpu: 1024,
      maxMBPerVcpu: 6.5 * 1024,
    },
    maxConcurrency: 100,
    timeoutMs: 600_000,
    billing: { granularityMs: 1000, minimumMs: 1000, billsInit: true },
    prices: {
      perGBSecond: 0.0049225 / 3600,
      perVcpuSecond: 0.0445 / 3600,
      perRequest: 0,
      perStorageGet: 0,
      perStoragePut: 0,
    },
  },
];
