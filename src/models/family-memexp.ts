/**
 * Parrotfish (Moghimi et al., SoCC'23): time along memory t(m) = a0 + a1·exp(−m/a2), fitted by
 * Levenberg–Marquardt (ml-levenberg-marquardt) on relative residuals. So that it holds across
 * worker counts and input sizes, the time is taken per unit of partition:
 *   y = (p/p̄)·(a0 + a1·exp(−m/a2)),  p̄ the geometric mean partition of the training set,
 * m in GB. LM starts from a small deterministic grid of a2 and keeps the best fit.
 */
import { levenbergMarquardt } from 'ml-levenberg-marquardt';
import type { FittedTarget, ModelFamily } from './family.js';
import type { TrainingPoint } from './features.js';

const A2_STARTS_GB = [0.25, 0.5, 1, 2, 4];

export const memexpFamily: ModelFamily = {
  name: 'memexp',
  minConfigs: 3,
  fit(points: readonly TrainingPoint[]): FittedTarget {
    const logP = points.reduce((s, p) => s + Math.log(p.x.partitionMB), 0) / Math.max(points.length, 1);
    const pBar = Math.exp(logP);
    const xs = points.map((p) => p.x.memoryMB / 1024);
    const zs = points.map((p) => p.y / (p.x.partitionMB / pBar));
    const zScale = zs.slice().sort((a, b) => a - b)[Math.floor(zs.length / 2)] ?? 1;
    const zn = zs.map((z) => z / (zScale || 1));
    const weights = zn.map((z) => Math.max(z, 1e-6));
    const zMin = Math.min(...zn);
    const zMax = Math.max(...zn);
    const model =
      ([a0, a1, a2]: number[]) =>
      (m: number) =>
        a0! + a1! * Math.exp(-m / a2!);
    const jacobian =
      ([, a1, a2]: number[]) =>
      (m: number) => {
        const e = Math.exp(-m / a2!);
        return [1, e, (a1! * e * m) / (a2! * a2!)];
      };
    let best = { params: [zMin, 0, 1], error: Infinity };
    for (const a2 of A2_STARTS_GB) {
      const a1 = Math.max((zMax - zMin) * Math.exp(Math.min(...xs) / a2), 1e-6);
      const fit = levenbergMarquardt({ x: xs, y: zn }, model, {
        initialValues: [zMin * 0.9, a1, a2],
        weights,
        minValues: [0, 0, 0.02],
        maxValues: [1e6, 1e9, 64],
        maxIterations: 200,
        errorTolerance: 1e-12,
        jacobianFunction: jacobian,
      });
      if (fit.parameterError < best.error * (1 - 1e-9))
        best = { params: fit.parameterValues, error: fit.parameterError };
    }
    const scale = zScale || 1;
    const a0 = best.params[0]! * scale;
    const a1 = best.params[1]! * scale;
    const a2 = best.params[2]! * 1024;
    return {
      predict: (x) => (x.partitionMB / pBar) * (a0 + a1 * Math.exp(-x.memoryMB / a2)),
      describe: () => ({ a0, a1, a2MB: a2, partitionRefMB: pBar }),
    };
  },
};
