/**
 * Amdahl's law per phase, y = a/x + b (flexecutor's AnaPerfModel, Ditto's a/DoP + b), with the
 * parallelism x chosen by fit among the workers, the total vCPU (workers·vcpu) and the vCPU of
 * one worker. The workers enter through the partition size p = input/workers, so a/x with
 * x = workers is a·p: the same law, and it follows the input size too.
 *   x = workers:        y = a·p + b
 *   x = workers·vcpu:   y = a·p/vcpu + b
 *   x = vcpu:           y = a/vcpu + b
 * a, b ≥ 0 by NNLS on relative residuals; the x with the least relative error wins.
 */
import type { FittedTarget, ModelFamily } from './family.js';
import type { Features, TrainingPoint } from './features.js';
import { fitNonNegativeLinear } from './linear-fit.js';

const AXES = [
  { name: 'workers', u: (x: Features) => x.partitionMB },
  { name: 'totalVcpu', u: (x: Features) => x.partitionMB / x.vcpu },
  { name: 'vcpuPerWorker', u: (x: Features) => 1 / x.vcpu },
] as const;

export const amdahlFamily: ModelFamily = {
  name: 'amdahl',
  minConfigs: 2,
  fit(points: readonly TrainingPoint[]): FittedTarget {
    let best = { axis: 0, a: 0, b: 0, ss: Infinity };
    AXES.forEach((axis, i) => {
      const { theta, relativeSS } = fitNonNegativeLinear(points, [axis.u, () => 1]);
      if (relativeSS < best.ss - 1e-12) best = { axis: i, a: theta[0]!, b: theta[1]!, ss: relativeSS };
    });
    const { a, b } = best;
    // a·u(x) + b per axis, written out (the optimizer's hot path).
    const predict: (x: Features) => number =
      best.axis === 0
        ? (x) => a * x.partitionMB + b
        : best.axis === 1
          ? (x) => a * (x.partitionMB / x.vcpu) + b
          : (x) => a * (1 / x.vcpu) + b;
    return {
      predict,
      describe: () => ({ a, b, axis: best.axis }),
    };
  },
};
