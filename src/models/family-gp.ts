/**
 * The non-parametric family: a Gaussian process on log features (log partition, log workers,
 * log memory, log vCPU) predicting ln(time).
 * Its posterior variance is the model's own uncertainty, large away from the profiled configs.
 */
import type { FittedTarget, ModelFamily } from './family.js';
import type { Features, TrainingPoint } from './features.js';
import { fitGaussianProcess } from './gaussian-process.js';

function encode(x: Features, out: number[] | Float64Array): void {
  out[0] = Math.log(x.partitionMB);
  out[1] = Math.log(x.workers);
  out[2] = Math.log(x.memoryMB);
  out[3] = Math.log(x.vcpu);
}

export const gpFamily: ModelFamily = {
  name: 'gp',
  minConfigs: 4,
  fit(points: readonly TrainingPoint[]): FittedTarget {
    const xs = points.map((p) => {
      const row = [0, 0, 0, 0];
      encode(p.x, row);
      return row;
    });
    const gp = fitGaussianProcess(
      xs,
      points.map((p) => Math.log(Math.max(p.y, 1e-3))),
    );
    const scratch = new Float64Array(4);
    return {
      predict: (x) => {
        encode(x, scratch);
        return Math.exp(gp.predict(scratch).mean);
      },
      logVariance: (x) => {
        encode(x, scratch);
        return gp.predict(scratch).variance;
      },
      describe: () => ({ ...gp.hyper, logMarginalLikelihood: gp.logMarginalLikelihood }),
    };
  },
};
