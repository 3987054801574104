/**
 * The fallback: the median of the target, for a stage profiled at a single config (nothing
 * else is identified from one config).
 */
import type { FittedTarget, ModelFamily } from './family.js';
import type { TrainingPoint } from './features.js';

export const constantFamily: ModelFamily = {
  name: 'constant',
  minConfigs: 1,
  fit(points: readonly TrainingPoint[]): FittedTarget {
    const ys = points.map((p) => p.y).sort((a, b) => a - b);
    const mid = ys.length / 2;
    const median = ys.length === 0 ? 0 : ys.length % 2 ? ys[Math.floor(mid)]! : (ys[mid - 1]! + ys[mid]!) / 2;
    return { predict: () => median, describe: () => ({ median }) };
  },
};
