/**
 * Amdahl's law per phase, y = a/x + b (flexecutor's AnaPerfModel, Ditto's a/DoP + b), with the
 * parallelism x chosen by fit among the workers, the total vCPU (workers·c) and the vCPU of one
 * worker (c). The workers enter through the partition size p = input/workers, so a/x with
 * x = workers is a·p: the same law, and it follows the input size too.
 *   x = workers:        y = a·p + b
 *   x = workers·c:      y = a·p/c + b
 *   x = c:              y = a/c + b
 * a, b ≥ 0 by NNLS on relative residuals; the x with the least relative error wins.
 * c is the vCPU share, or in the cold-start variant min(vcpu, κ) with κ a whole number of cores
 * picked by fit (∞ = the whole share helps): a runtime's init runs on a fixed number of threads,
 * usually one, so a bigger share stops shortening it past that many cores. Only whole κ: with
 * ernest's fractional caps (0.5, 1.5) a few noisy cold starts could be fitted by a half-core cap,
 * and out of sample the deadline plans got worse (several settled near 885 MB, half a core).
 */
import type { FittedTarget, ModelFamily } from './family.js';
import type { Features, TrainingPoint } from './features.js';
import { fitNonNegativeLinear } from './linear-fit.js';

const AXES = [
  { u: (x: Features, _c: number) => x.partitionMB, onCpu: false },
  { u: (x: Features, c: number) => x.partitionMB / c, onCpu: true },
  { u: (_x: Features, c: number) => 1 / c, onCpu: true },
] as const;

/** κ the cold-start variant tries; ∞ first, so a cap the configs cannot tell from none is not taken. */
const COLD_KAPPAS = [Infinity, 1, 2, 3, 4] as const;

function amdahl(kappas: readonly number[]): ModelFamily {
  return {
    name: 'amdahl',
    minConfigs: 2,
    fit(points: readonly TrainingPoint[]): FittedTarget {
      let best = { axis: 0, kappa: Infinity, a: 0, b: 0, ss: Infinity };
      AXES.forEach((axis, i) => {
        for (const kappa of axis.onCpu ? kappas : [Infinity]) {
          const u = (x: Features): number => axis.u(x, Math.min(x.vcpu, kappa));
          const { theta, relativeSS } = fitNonNegativeLinear(points, [u, () => 1]);
          if (relativeSS < best.ss - 1e-12)
            best = { axis: i, kappa, a: theta[0]!, b: theta[1]!, ss: relativeSS };
        }
      });
      const { a, b, kappa } = best;
      // a·u(x) + b per axis, written out (the optimizer's hot path).
      const predict: (x: Features) => number =
        best.axis === 0
          ? (x) => a * x.partitionMB + b
          : best.axis === 1
            ? (x) => a * (x.partitionMB / Math.min(x.vcpu, kappa)) + b
            : (x) => a / Math.min(x.vcpu, kappa) + b;
      return {
        predict,
        describe: () => ({ a, b, axis: best.axis, ...(Number.isFinite(kappa) ? { kappa } : {}) }),
      };
    },
  };
}

export const amdahlFamily = amdahl([Infinity]);
/** For the cold start (families.ts `forPhase`). */
export const amdahlColdFamily = amdahl(COLD_KAPPAS);
