/**
 * Parrotfish (Moghimi et al., SoCC'23): time along memory t(m) = a0 + a1·exp(−m/a2), fitted by
 * Levenberg–Marquardt (ml-levenberg-marquardt) on relative residuals. So that it holds across
 * worker counts and input sizes, the time is taken per unit of partition:
 *   y = (p/p̄)·(a0 + a1·exp(−m/a2)),  p̄ the geometric mean partition of the training set,
 * m in GB. For a fixed a2 the model is linear in (a0, a1) ≥ 0, so a log grid of a2 with NNLS
 * for the rest (variable projection) and a golden-section search find a2; LM then polishes all
 * three together.
 */
import { levenbergMarquardt } from 'ml-levenberg-marquardt';
import type { FittedTarget, ModelFamily } from './family.js';
import type { TrainingPoint } from './features.js';
import { nnls } from './nnls.js';

/** Log grid of a2 from 1/32 GB to 64 GB. */
const A2_GRID_GB = Array.from({ length: 45 }, (_, i) => 2 ** (-5 + i / 4));

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
    const sse = (p: readonly number[]): number =>
      zn.reduce((s, z, i) => s + ((model(p as number[])(xs[i]!) - z) / weights[i]!) ** 2, 0);
    const projectAt = (a2: number): number[] => {
      const { x } = nnls(
        zn.map((_, i) => [1 / weights[i]!, Math.exp(-xs[i]! / a2) / weights[i]!]),
        zn.map((z, i) => z / weights[i]!),
      );
      return [x[0]!, x[1]!, a2];
    };
    let best = { params: [zMin, 0, 1], error: Infinity };
    for (const a2 of A2_GRID_GB) {
      const params = projectAt(a2);
      const error = sse(params);
      if (error < best.error * (1 - 1e-12)) best = { params, error };
    }
    // Golden-section search of ln a2 between the grid neighbours of the best point.
    let lo = Math.log(best.params[2]!) - Math.LN2 / 4;
    let hi = Math.log(best.params[2]!) + Math.LN2 / 4;
    const phi = (Math.sqrt(5) - 1) / 2;
    for (let it = 0; it < 60; it++) {
      const c = hi - phi * (hi - lo);
      const d = lo + phi * (hi - lo);
      if (sse(projectAt(Math.exp(c))) < sse(projectAt(Math.exp(d)))) hi = d;
      else lo = c;
    }
    const refined = projectAt(Math.exp((lo + hi) / 2));
    if (sse(refined) < best.error) best = { params: refined, error: sse(refined) };
    const polished = levenbergMarquardt({ x: xs, y: zn }, model, {
      initialValues: best.params,
      weights,
      minValues: [0, 0, 0.02],
      maxValues: [1e6, 1e9, 64],
      maxIterations: 200,
      errorTolerance: 1e-14,
      jacobianFunction: jacobian,
    });
    const polishedError = sse(polished.parameterValues);
    if (polishedError < best.error) best = { params: polished.parameterValues, error: polishedError };
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
