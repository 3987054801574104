/**
 * The one-config fallback of the data phases (read, compute, write): the target in proportion
 * to the partition, y = c·p with c the median of y/p. One config identifies no law; this is the
 * prior every other family builds on — work per worker follows the data per worker — so a stage
 * profiled at a single config still predicts fewer, larger partitions as slower and more, smaller
 * ones as faster, instead of the same time at any worker count.
 */
import type { FittedTarget, ModelFamily } from './family.js';
import type { TrainingPoint } from './features.js';

export const proportionalFamily: ModelFamily = {
  name: 'proportional',
  minConfigs: 1,
  fit(points: readonly TrainingPoint[]): FittedTarget {
    const rs = points.map((p) => p.y / p.x.partitionMB).sort((a, b) => a - b);
    const mid = rs.length / 2;
    const c = rs.length === 0 ? 0 : rs.length % 2 ? rs[Math.floor(mid)]! : (rs[mid - 1]! + rs[mid]!) / 2;
    return { predict: (x) => c * x.partitionMB, describe: () => ({ msPerPartitionMB: c }) };
  },
};
