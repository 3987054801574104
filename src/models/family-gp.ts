/**
 * The non-parametric family: a Gaussian process on log features (log partition, log workers,
 * log memory, log vCPU) over the log-residuals of a structured mean,
 *   ln y = ln μ(x) + f(x),  f ~ GP(0, k),  μ the ernest-ext fit (family-ernest-ext.ts),
 * so near the profiled configs it follows the data wherever the structure misses, and far from
 * them it reverts to the structured law (the partition still scales the work) while its
 * posterior variance, the model's own uncertainty, grows. `gpCpuFamily` takes its mean from
 * ernest-ext without the memory-bandwidth term, for the phases that move no data.
 */
import type { FittedTarget, ModelFamily } from './family.js';
import { ernestExtCpuFamily, ernestExtFamily } from './family-ernest-ext.js';
import type { Features, TrainingPoint } from './features.js';
import { fitGaussianProcess } from './gaussian-process.js';

function encode(x: Features, out: number[] | Float64Array): void {
  out[0] = Math.log(x.partitionMB);
  out[1] = Math.log(x.workers);
  out[2] = Math.log(x.memoryMB);
  out[3] = Math.log(x.vcpu);
}

function makeGp(meanFamily: ModelFamily): ModelFamily {
  return {
    name: 'gp',
    minConfigs: 4,
    fit(points: readonly TrainingPoint[]): FittedTarget {
      const mean = meanFamily.fit(points);
      const floorOf = (x: Features): number => Math.max(mean.predict(x), 1e-6);
      const xs = points.map((p) => {
        const row = [0, 0, 0, 0];
        encode(p.x, row);
        return row;
      });
      const gp = fitGaussianProcess(
        xs,
        points.map((p) => Math.log(Math.max(p.y, 1e-3) / floorOf(p.x))),
        { trend: false },
      );
      // The encoding of the last config asked (fit-stage asks the mean, then the variance, of one).
      const scratch = new Float64Array(4);
      let lastP = NaN;
      let lastN = NaN;
      let lastM = NaN;
      let lastV = NaN;
      const encodeOnce = (x: Features): void => {
        if (x.partitionMB === lastP && x.workers === lastN && x.memoryMB === lastM && x.vcpu === lastV)
          return;
        encode(x, scratch);
        lastP = x.partitionMB;
        lastN = x.workers;
        lastM = x.memoryMB;
        lastV = x.vcpu;
      };
      return {
        predict: (x) => {
          encodeOnce(x);
          return floorOf(x) * Math.exp(gp.mean(scratch));
        },
        logVariance: (x) => {
          encodeOnce(x);
          return gp.variance(scratch);
        },
        maxLogVariance: gp.maxVariance,
        describe: () => ({ ...gp.hyper, logMarginalLikelihood: gp.logMarginalLikelihood }),
      };
    },
  };
}

export const gpFamily: ModelFamily = makeGp(ernestExtFamily);

/** The GP over ernest-ext without its memory-bandwidth term (family-ernest-ext.ts). */
export const gpCpuFamily: ModelFamily = makeGp(ernestExtCpuFamily);
