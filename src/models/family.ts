/**
 * The shape every model family shares (scikit-learn's estimator API): settings at construction,
 * `fit(points)` learns, the fitted model predicts one target and describes its parameters.
 * Cross-validation and `auto` work over families without knowing them.
 */
import type { Features, TrainingPoint } from './features.js';

export interface FittedTarget {
  /** Predicted target (ms) at a config; finite and ≥ 0. */
  predict(x: Features): number;
  /** Variance of ln(prediction) from the model itself, where the family knows it (the GP). */
  logVariance?(x: Features): number;
  /** An upper bound of `logVariance` over every config (lets a caller skip it when negligible). */
  readonly maxLogVariance?: number;
  /** Learned parameters by name. */
  describe(): Record<string, number>;
}

export interface ModelFamily {
  readonly name: string;
  /** Fewest distinct configs the family needs to be identified. */
  readonly minConfigs: number;
  fit(points: readonly TrainingPoint[]): FittedTarget;
}

/** Distinct config keys among the points. */
export function countConfigs(points: readonly TrainingPoint[]): number {
  return new Set(points.map((p) => p.key)).size;
}
