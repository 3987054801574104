/**
 * Leave-one-config-out cross-validation: for every config, fit on the samples of all the other
 * configs and predict the held-out config; its error is |ŷ − ȳ|/ȳ against the mean of its
 * repetitions. A config at the edge of the profiled box is then predicted by extrapolation,
 * which is what choosing a model for an optimizer should reward.
 */
import type { ModelFamily } from './family.js';
import type { Features, TrainingPoint } from './features.js';

export interface CvResult {
  /** Median relative error over the held-out configs. */
  medianError: number;
  /** Mean |ln(ŷ/ȳ)|: the selection score (robust, and punishes a blow-up the median would hide). */
  meanAbsLogError: number;
  /** ln(ȳ/ŷ) per held-out config. */
  logResiduals: number[];
  /** The held-out config of each fold, in the order of `logResiduals`. */
  heldOut: Features[];
}

/**
 * The selection score: the mean |ln(ȳ/ŷ)| over every fold, averaged with its mean over the folds
 * that held out an extreme config — the most workers, the least memory — where predicting is
 * extrapolating along the knobs the optimizer pushes hardest (fan-out, the cheapest memory).
 * LOCO alone dilutes those folds among the interior ones.
 */
export function selectionScore(logResiduals: readonly number[], heldOut: readonly Features[]): number {
  const k = logResiduals.length;
  if (k === 0) return NaN;
  let maxN = -Infinity;
  let minM = Infinity;
  for (const x of heldOut) {
    maxN = Math.max(maxN, x.workers);
    minM = Math.min(minM, x.memoryMB);
  }
  let all = 0;
  let extreme = 0;
  let count = 0;
  for (let i = 0; i < k; i++) {
    const r = Math.abs(logResiduals[i]!);
    all += r;
    const x = heldOut[i]!;
    if (x.workers === maxN || x.memoryMB === minM) {
      extreme += r;
      count++;
    }
  }
  return count > 0 ? 0.5 * (all / k) + 0.5 * (extreme / count) : all / k;
}

export function groupByKey<T extends { key: string }>(items: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const it of items) {
    const list = out.get(it.key);
    if (list) list.push(it);
    else out.set(it.key, [it]);
  }
  return out;
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = xs.slice().sort((a, b) => a - b);
  const mid = s.length / 2;
  return s.length % 2 ? s[Math.floor(mid)]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** LOCO error of a family on one target; null when it cannot be fitted on every fold. */
export function crossValidate(family: ModelFamily, points: readonly TrainingPoint[]): CvResult | null {
  const groups = groupByKey(points);
  if (groups.size - 1 < family.minConfigs) return null;
  const errors: number[] = [];
  const logResiduals: number[] = [];
  const heldOut: Features[] = [];
  for (const [key, held] of groups) {
    const train = points.filter((p) => p.key !== key);
    let pred: number;
    try {
      pred = family.fit(train).predict(held[0]!.x);
    } catch {
      return null;
    }
    const actual = held.reduce((s, p) => s + p.y, 0) / held.length;
    if (!Number.isFinite(pred)) return null;
    const safePred = Math.max(pred, 1e-9);
    errors.push(Math.abs(safePred - actual) / actual);
    logResiduals.push(Math.log(actual / safePred));
    heldOut.push(held[0]!.x);
  }
  return {
    medianError: median(errors),
    meanAbsLogError: logResiduals.reduce((s, r) => s + Math.abs(r), 0) / logResiduals.length,
    logResiduals,
    heldOut,
  };
}
