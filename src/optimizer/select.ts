/**
 * Picks one candidate (a plan: a config per stage) for an objective. With L the latency
 * statistic (mean or percentile), C the mean cost and σL, σC the model's log-uncertainty about
 * them (not run-to-run noise):
 *   risk-adjusted   L⁺ = L·exp(k·σL),   C⁺ = C·exp(k·σC)     (k = riskK, default 1)
 *   upper bounds    L̂ = L·exp(z·σL),    Ĉ = C·exp(z·σC)      (z = Φ⁻¹(confidence))
 *   cost            min C⁺
 *   latency         min L⁺
 *   balanced:W      min W·C⁺/min C⁺ + (1−W)·L⁺/min L⁺
 *   deadline:D      min C⁺ subject to L̂ ≤ D   — P(L ≤ D) = Φ(ln(D/L)/σL) ≥ confidence
 *   budget:B        min L⁺ subject to Ĉ ≤ B   — P(C ≤ B) = Φ(ln(B/C)/σC) ≥ confidence
 * Ranking on L⁺ and C⁺ keeps a config that is predicted to beat a well-known one by less than its
 * own uncertainty from winning. When no candidate meets the constraint, the closest one is chosen
 * with `miss` = L̂ − D (or Ĉ − B): the one of least L̂ (or Ĉ), unless one predicted no slower (no
 * dearer) is likelier to meet it, with a chance of at least LIKELIEST_MIN_CHANCE — a measured config
 * just over D has a tight bound but a coin's chance, where a faster guess the model is unsure of may
 * well make it. Beside it, as `alternative`, the
 * cheapest (fastest) one whose P(meets it) is within 5 points of the closest one's, when that saves
 * at least 5 % (and the closest one's is at least 20 %).
 * Ties: values within `tieTolerance` (0.5 %) of the best are tied; among them the better other
 * objective wins (again within the tolerance; balanced ties to the cheaper, but balanced:1 is cost
 * and ties to the faster), then fewer workers, then less memory.
 */
import type { Objective } from '../core/types.js';
import { normalCdf, normalQuantile } from '../core/normal.js';

/** Values within 0.5 % of the best are tied (ARCHITECTURE.md, Optimizer). */
export const TIE_TOLERANCE = 0.005;

export interface Candidate {
  /** The latency statistic's point estimate (mean or percentile), ms. */
  latencyMs: number;
  /** sd of ln(statistic) under the model's uncertainty. */
  latencyLogSd: number;
  /** Mean cost per run, USD. */
  costUSD: number;
  costLogSd: number;
  /** Σ workers and Σ memoryMB over the stages. */
  workers: number;
  memoryMB: number;
}

export interface SelectOptions {
  /** Probability a deadline or budget must hold with (default 0.9). */
  confidence?: number;
  /** k of the risk-adjusted values (default 1; 0 ranks on point estimates). */
  riskK?: number;
  /** Relative tie tolerance (default 0.005). */
  tieTolerance?: number;
}

export interface Selection<T> {
  chosen: T;
  index: number;
  feasible: boolean;
  miss: { latencyMs: number } | { costUSD: number } | null;
  /** P(the constraint holds) for deadline and budget; null otherwise. */
  confidence: number | null;
  /**
   * Infeasible deadline or budget only: the cheapest (deadline) or fastest (budget) candidate whose
   * chance of meeting the constraint is at most ALTERNATIVE_SLACK below the closest plan's, when
   * that saves at least ALTERNATIVE_SAVING and the closest plan's chance is at least
   * ALTERNATIVE_MIN_CHANCE.
   * The closest plan often buys its last points of probability at a high price.
   */
  alternative?: { chosen: T; index: number; confidence: number };
}

/** How much less likely to meet its constraint than the closest plan an alternative may be. */
export const ALTERNATIVE_SLACK = 0.05;
/** The least an alternative must save (cost, or time for a budget) to be worth offering. */
export const ALTERNATIVE_SAVING = 0.05;
/** The least chance of meeting the bound for an infeasible pick to go by it rather than by the tightest bound. */
export const LIKELIEST_MIN_CHANCE = 0.2;
/** The closest plan's least chance for an alternative to be offered. */
export const ALTERNATIVE_MIN_CHANCE = 0.2;

/** P(X ≤ bound) for a lognormal statistic with point estimate x and log-sd σ. */
export function probabilityWithin(x: number, logSd: number, bound: number): number {
  if (logSd <= 0) return x <= bound ? 1 : 0;
  return normalCdf(Math.log(bound / x) / logSd);
}

export function selectCandidate<T extends Candidate>(
  candidates: readonly T[],
  objective: Objective,
  options: SelectOptions = {},
): Selection<T> {
  if (candidates.length === 0) throw new Error('selectCandidate: no candidates');
  const confidence = options.confidence ?? 0.9;
  const k = options.riskK ?? 1;
  const tol = options.tieTolerance ?? TIE_TOLERANCE;
  const z = normalQuantile(confidence);
  const riskL = (c: T): number => c.latencyMs * Math.exp(k * c.latencyLogSd);
  const riskC = (c: T): number => c.costUSD * Math.exp(k * c.costLogSd);
  const ucbL = (c: T): number => c.latencyMs * Math.exp(z * c.latencyLogSd);
  const ucbC = (c: T): number => c.costUSD * Math.exp(z * c.costLogSd);
  const indexed = candidates.map((c, index) => ({ c, index }));
  type Item = (typeof indexed)[number];

  const pick = (items: readonly Item[], primary: (c: T) => number, secondary: (c: T) => number): Item => {
    const within = (xs: readonly Item[], f: (c: T) => number): Item[] => {
      const best = Math.min(...xs.map((x) => f(x.c)));
      return xs.filter((x) => f(x.c) <= best + tol * Math.abs(best));
    };
    const tied = within(within(items, primary), secondary);
    return tied.sort(
      (a, b) => a.c.workers - b.c.workers || a.c.memoryMB - b.c.memoryMB || a.index - b.index,
    )[0]!;
  };
  const done = (
    item: Item,
    feasible = true,
    miss: Selection<T>['miss'] = null,
    p: number | null = null,
  ): Selection<T> => ({
    chosen: item.c,
    index: item.index,
    feasible,
    miss,
    confidence: p,
  });

  const withAlternative = (
    sel: Selection<T>,
    chance: (c: T) => number,
    primary: (c: T) => number,
    secondary: (c: T) => number,
  ): Selection<T> => {
    // Against a closest plan that is all but sure to miss, no plan is worth offering.
    const closest = chance(sel.chosen);
    if (!(closest >= ALTERNATIVE_MIN_CHANCE)) return sel;
    const alt = pick(
      indexed.filter((x) => chance(x.c) >= closest - ALTERNATIVE_SLACK),
      primary,
      secondary,
    );
    if (alt.index === sel.index || !(primary(alt.c) < primary(sel.chosen) * (1 - ALTERNATIVE_SAVING)))
      return sel;
    return { ...sel, alternative: { chosen: alt.c, index: alt.index, confidence: chance(alt.c) } };
  };

  // No candidate meets the bound: the tightest bound misses by least; one predicted no worse that
  // is likelier to meet it (a faster config the model is less sure of) is closer, when its chance
  // is worth acting on. Never one predicted worse: as σ grows any chance tends to ½, and the
  // config the model knows least of would win whatever its prediction.
  const closestOf = (chance: (c: T) => number, bound: (c: T) => number, point: (c: T) => number): Item => {
    const tightest = pick(indexed, bound, (c) => -chance(c));
    const likeliest = pick(
      indexed.filter((x) => point(x.c) <= point(tightest.c)),
      (c) => -chance(c),
      bound,
    );
    return chance(likeliest.c) >= LIKELIEST_MIN_CHANCE && chance(likeliest.c) > chance(tightest.c)
      ? likeliest
      : tightest;
  };

  switch (objective.kind) {
    case 'cost':
      return done(pick(indexed, riskC, riskL));
    case 'latency':
      return done(pick(indexed, riskL, riskC));
    case 'balanced': {
      const w = objective.weight;
      const minC = Math.min(...candidates.map(riskC));
      const minL = Math.min(...candidates.map(riskL));
      const relC = (c: T): number => (minC > 0 ? riskC(c) / minC : 1);
      const relL = (c: T): number => (minL > 0 ? riskL(c) / minL : 1);
      // Ties to the cheaper, as latency's do; balanced:1 is cost itself, whose ties go to the faster.
      return done(pick(indexed, (c) => w * relC(c) + (1 - w) * relL(c), w >= 1 ? riskL : riskC));
    }
    case 'deadline': {
      const d = objective.deadlineMs;
      const ok = indexed.filter((x) => ucbL(x.c) <= d);
      const chance = (c: T): number => probabilityWithin(c.latencyMs, c.latencyLogSd, d);
      const item = ok.length > 0 ? pick(ok, riskC, riskL) : closestOf(chance, ucbL, (c) => c.latencyMs);
      const p = chance(item.c);
      if (ok.length > 0) return done(item, true, null, p);
      return withAlternative(done(item, false, { latencyMs: ucbL(item.c) - d }, p), chance, riskC, riskL);
    }
    case 'budget': {
      const b = objective.budgetUSD;
      const ok = indexed.filter((x) => ucbC(x.c) <= b);
      const chance = (c: T): number => probabilityWithin(c.costUSD, c.costLogSd, b);
      const item = ok.length > 0 ? pick(ok, riskL, riskC) : closestOf(chance, ucbC, (c) => c.costUSD);
      const p = chance(item.c);
      if (ok.length > 0) return done(item, true, null, p);
      return withAlternative(done(item, false, { costUSD: ucbC(item.c) - b }, p), chance, riskL, riskC);
    }
  }
}
