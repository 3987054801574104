/**
 * A structured extension of Ernest for serverless workers, every term ≥ 0 by NNLS:
 *   y = θ0 + θ1·p/min(vcpu, κ)     compute on a CPU share that stops helping past κ cores
 *         + θ2·p·1024/m            transfer at a per-worker bandwidth growing with memory
 *         + θ3·p                   transfer at a fixed bandwidth
 *         + θ4/min(vcpu, κ)        per-worker setup (imports, loading a model) on the CPU share
 *         + θ5·log n + θ6·n        coordination and storage throttling at high fan-out
 * with p the partition (MB) and κ picked by fit. (The climb near the memory floor is handled for
 * every family by gc-slowdown.ts.) NNLS leaves unused terms at zero, which keeps
 * the fit sparse on 6–8 configs.
 *
 * `ernestExtCpuFamily`, for the phases that move no data (cold start, and compute when read and
 * write are timed apart), takes θ2 on the vCPU rather than the memory: θ2·p·1024/(1769·vcpu),
 * compute that keeps scaling with the CPU share past κ. On AWS Lambda, where the vCPU is
 * memory/1769, the two are the same term and the fits identical. Where they part — a platform
 * selling CPU apart from memory, or the local backend whose vCPU stops at the machine's cores —
 * memory buys compute no speed but through its vCPU (and GC, gc-slowdown.ts): with the memory
 * term, two noisy runs at the same vCPU let memory itself look faster, and the plan would pay
 * for 10 GB that runs no faster than 3.5.
 */
import type { FittedTarget, ModelFamily } from './family.js';
import type { Features, TrainingPoint } from './features.js';
import { KAPPAS } from './family-ernest.js';
import { fitNonNegativeLinear, type Basis } from './linear-fit.js';

const NAMES = ['theta0', 'compute', 'bandwidth', 'transfer', 'setup', 'logWorkers', 'workers'] as const;

function basisFor(kappa: number): Basis[] {
  return [
    () => 1,
    (x: Features) => x.partitionMB / Math.min(x.vcpu, kappa),
    (x: Features) => (x.partitionMB * 1024) / x.memoryMB,
    (x: Features) => x.partitionMB,
    (x: Features) => 1 / Math.min(x.vcpu, kappa),
    (x: Features) => Math.log(x.workers),
    (x: Features) => x.workers,
  ];
}

/** The memory that AWS Lambda gives one vCPU with: the scale of θ2 on the vCPU. */
const MB_PER_VCPU = 1769;

function makeErnestExt(onMemory: boolean): ModelFamily {
  const basisOf = (kappa: number): Basis[] => {
    const b = basisFor(kappa);
    if (!onMemory) b[2] = (x: Features) => (x.partitionMB * 1024) / (MB_PER_VCPU * x.vcpu);
    return b;
  };
  return {
    name: 'ernest-ext',
    minConfigs: 4,
    fit(points: readonly TrainingPoint[]): FittedTarget {
      let best = { kappa: Infinity as number, theta: [] as number[], ss: Infinity };
      for (const kappa of KAPPAS) {
        const { theta, relativeSS } = fitNonNegativeLinear(points, basisOf(kappa));
        if (relativeSS < best.ss * (1 - 1e-9)) best = { kappa, theta, ss: relativeSS };
      }
      const theta = best.theta;
      const [t0, t1, t2, t3, t4, t5, t6] = theta as [number, number, number, number, number, number, number];
      const kappa = best.kappa;
      return {
        // evalLinear(theta, basisOf(kappa), x), written out (the optimizer's hot path).
        predict: (x) => {
          const p = x.partitionMB;
          const c = Math.min(x.vcpu, kappa);
          // θ2's divisor: the memory, or the memory Lambda would give this vCPU.
          const perMB = onMemory ? x.memoryMB : MB_PER_VCPU * x.vcpu;
          return (
            t0 +
            t1 * (p / c) +
            t2 * ((p * 1024) / perMB) +
            t3 * p +
            t4 * (1 / c) +
            t5 * Math.log(x.workers) +
            t6 * x.workers
          );
        },
        describe: () => {
          const out: Record<string, number> = { kappa: Number.isFinite(best.kappa) ? best.kappa : -1 };
          NAMES.forEach((n, k) => (out[k === 2 && !onMemory ? 'uncapped' : n] = theta[k]!));
          return out;
        },
      };
    },
  };
}

export const ernestExtFamily: ModelFamily = makeErnestExt(true);

/** ernest-ext for a phase that moves no data: θ2 on the vCPU, not the memory. */
export const ernestExtCpuFamily: ModelFamily = makeErnestExt(false);
