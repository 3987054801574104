/**
 * Ernest (Venkataraman et al., NSDI'16): time = θ0 + θ1·size/(n·c) + θ2·log n + θ3·n, θ ≥ 0 by
 * NNLS, with size/n the partition p and c the effective CPU of one worker. Single-threaded
 * code stops speeding up past one core, so c = min(vcpu, κ) with κ picked by fit from a small
 * set (∞ = all of the vCPU share helps).
 */
import type { FittedTarget, ModelFamily } from './family.js';
import type { Features, TrainingPoint } from './features.js';
import { fitNonNegativeLinear, type Basis } from './linear-fit.js';

export const KAPPAS = [0.5, 1, 1.5, 2, 3, 4, Infinity] as const;

function basisFor(kappa: number): Basis[] {
  return [
    () => 1,
    (x: Features) => x.partitionMB / Math.min(x.vcpu, kappa),
    (x: Features) => Math.log(x.workers),
    (x: Features) => x.workers,
  ];
}

export const ernestFamily: ModelFamily = {
  name: 'ernest',
  minConfigs: 3,
  fit(points: readonly TrainingPoint[]): FittedTarget {
    let best = { kappa: Infinity as number, theta: [0, 0, 0, 0], ss: Infinity };
    for (const kappa of KAPPAS) {
      const { theta, relativeSS } = fitNonNegativeLinear(points, basisFor(kappa));
      if (relativeSS < best.ss * (1 - 1e-9)) best = { kappa, theta, ss: relativeSS };
    }
    const theta = best.theta;
    const [t0, t1, t2, t3] = theta as [number, number, number, number];
    const kappa = best.kappa;
    return {
      // evalLinear(theta, basisFor(kappa), x), written out (the optimizer's hot path).
      predict: (x) =>
        t0 + t1 * (x.partitionMB / Math.min(x.vcpu, kappa)) + t2 * Math.log(x.workers) + t3 * x.workers,
      describe: () => ({
        theta0: theta[0]!,
        thetaPartition: theta[1]!,
        thetaLogWorkers: theta[2]!,
        thetaWorkers: theta[3]!,
        kappa: Number.isFinite(best.kappa) ? best.kappa : -1,
      }),
    };
  },
};
