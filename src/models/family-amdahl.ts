/**
 * Amdahl's law per phase, y = a/x + b (flexecutor's AnaPerfModel, Ditto's a/DoP + b), with the
 * parallelism x chosen by fit among the workers, the total vCPU (workers·c) and the vCPU of one
 * worker (c). The workers enter through the partition size p = input/workers, so a/x with
 * x = workers is a·p: the same law, and it follows the input size too.
 *   x = workers:        y = a·p + b
 *   x = workers·c:      y = a·p/c + b
 *   x = c:              y = a/c + b
 * and a fourth axis where the whole phase runs on the CPU share, its per-worker part too:
 *   y = (a·p + b)/min(c, κ)
 * (a model loaded or a runtime set up on a quarter of a vCPU takes four times as long; with the
 * per-worker part left off the CPU, a profile with one config below 1 vCPU had the partition term
 * absorb its slowness, and plans at 600 MB ran 1.5–2× their prediction), and a fifth where the
 * phase grows with the fan-out, an all-to-all shuffle through a shared request-rate limit:
 *   y = a·p/c + b·n²
 * (n workers each read a slice from every peer: n² requests share the storage's rate). Every
 * other axis says a phase shrinks or stays as workers are added, so a shuffle profiled at 146
 * and 885 workers (13 s and 230 s) was fitted 3× short at the 885 it had measured, and latency
 * plans went to 867 workers. The fifth axis is tried only when the others miss the runs by more
 * than CONTRADICTED (root mean square of the relative residuals), far past run-to-run noise:
 * offered on every fit it took noise for fan-out and moved deadline plans.
 * a, b ≥ 0 by NNLS on relative residuals; the axis with the least relative error wins.
 * c is the vCPU share, or min(vcpu, κ) with κ a whole number of cores picked by fit (∞ = the
 * whole share helps): in the cold-start variant on every CPU axis (a runtime's init runs on a
 * fixed number of threads, usually one), elsewhere on the fourth axis (code on a few threads).
 * Only whole κ: with ernest's fractional caps (0.5, 1.5) a few noisy cold starts could be fitted
 * by a half-core cap, and out of sample the deadline plans got worse (several settled near
 * 885 MB, half a core).
 */
import type { FittedTarget, ModelFamily } from './family.js';
import type { Features, TrainingPoint } from './features.js';
import { fitNonNegativeLinear } from './linear-fit.js';

interface Axis {
  /** The two basis functions whose non-negative weights are a and b, at vCPU share c. */
  basis: [(x: Features, c: number) => number, (x: Features, c: number) => number];
  onCpu: boolean;
  /** Takes the κ caps even outside the cold-start variant. */
  capped: boolean;
}

const one = (): number => 1;
const AXES: readonly Axis[] = [
  { basis: [(x) => x.partitionMB, one], onCpu: false, capped: false },
  { basis: [(x, c) => x.partitionMB / c, one], onCpu: true, capped: false },
  { basis: [(_x, c) => 1 / c, one], onCpu: true, capped: false },
  { basis: [(x, c) => x.partitionMB / c, (_x, c) => 1 / c], onCpu: true, capped: true },
  { basis: [(x, c) => x.partitionMB / c, (x) => x.workers * x.workers], onCpu: true, capped: false },
];

/**
 * The shuffle axis, y = a·p/c + b·n², and the misfit of the others past which it is tried. The
 * partition term on the CPU share as on the second axis: with a·p alone the bandwidth that grows
 * with memory went unseen, and optimize's deadline plans for a shuffle ran 9 % past their
 * prediction (3 of 12 seeds missed).
 */
const WORKERS_AXIS = 4;
const CONTRADICTED = 0.3;

/** κ tried, ∞ first, so a cap the configs cannot tell from none is not taken. */
const KAPPAS = [Infinity, 1, 2, 3, 4] as const;

function amdahl(capEveryCpuAxis: boolean): ModelFamily {
  return {
    name: 'amdahl',
    minConfigs: 2,
    fit(points: readonly TrainingPoint[]): FittedTarget {
      let best = { axis: 0, kappa: Infinity as number, a: 0, b: 0, ss: Infinity };
      AXES.forEach((axis, i) => {
        if (i === WORKERS_AXIS && !(Math.sqrt(best.ss / Math.max(points.length, 1)) > CONTRADICTED)) return;
        const kappas = axis.onCpu && (capEveryCpuAxis || axis.capped) ? KAPPAS : [Infinity];
        for (const kappa of kappas) {
          const [f, g] = axis.basis;
          const { theta, relativeSS } = fitNonNegativeLinear(points, [
            (x) => f(x, Math.min(x.vcpu, kappa)),
            (x) => g(x, Math.min(x.vcpu, kappa)),
          ]);
          if (relativeSS < best.ss - 1e-12)
            best = { axis: i, kappa, a: theta[0]!, b: theta[1]!, ss: relativeSS };
        }
      });
      const { a, b, kappa } = best;
      // a·f(x) + b·g(x) per axis, written out (the optimizer's hot path).
      const predict: (x: Features) => number =
        best.axis === 0
          ? (x) => a * x.partitionMB + b
          : best.axis === 1
            ? (x) => a * (x.partitionMB / Math.min(x.vcpu, kappa)) + b
            : best.axis === 2
              ? (x) => a / Math.min(x.vcpu, kappa) + b
              : best.axis === 3
                ? (x) => (a * x.partitionMB + b) / Math.min(x.vcpu, kappa)
                : (x) => a * (x.partitionMB / Math.min(x.vcpu, kappa)) + b * x.workers * x.workers;
      return {
        predict,
        describe: () => ({ a, b, axis: best.axis, ...(Number.isFinite(kappa) ? { kappa } : {}) }),
      };
    },
  };
}

export const amdahlFamily = amdahl(false);
/** For the cold start (families.ts `forPhase`). */
export const amdahlColdFamily = amdahl(true);
