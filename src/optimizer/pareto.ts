/**
 * Pareto fronts of (latency, cost), both minimised.
 *
 * a dominates b ⇔ a.latency ≤ b.latency ∧ a.cost ≤ b.cost ∧ a ≠ b in at least one.
 * The ε-pruned front F of a set S uses ε-boxes in cost (Laumanns, Thiele, Deb & Zitzler 2002):
 * box(c) = ⌊ln c / ln(1+ε)⌋. One sweep in order of latency, then cost, keeps a point only when
 * its box is below the last kept point's box, and the cheapest point is always kept. Every point
 * of F is non-dominated in S, and every s ∈ S is ε-covered: some f ∈ F has f.latency ≤ s.latency
 * and f.cost < (1+ε)·s.cost. Boxes depend on the point alone, so re-pruning a pruned front with
 * new points never compounds the error (coarse-to-fine search relies on it). With ε = 0, F is the
 * exact front. O(n log n).
 */

export interface Tradeoff {
  latencyMs: number;
  costUSD: number;
}

/** Orders points that tie on both values (e.g. fewer workers first); the first one is kept. */
export type TieBreak<T> = (a: T, b: T) => number;

export function dominates(a: Tradeoff, b: Tradeoff): boolean {
  return (
    a.latencyMs <= b.latencyMs &&
    a.costUSD <= b.costUSD &&
    (a.latencyMs < b.latencyMs || a.costUSD < b.costUSD)
  );
}

/** The sweep order: latency, then cost, then the tie break. */
export function tradeoffOrder<T extends Tradeoff>(tieBreak?: TieBreak<T>): (a: T, b: T) => number {
  return (a, b) => a.latencyMs - b.latencyMs || a.costUSD - b.costUSD || (tieBreak ? tieBreak(a, b) : 0);
}

/**
 * The ε-pruned Pareto front of `points`, sorted by latency (ascending) and so by cost (descending).
 * Runs already in `tradeoffOrder` sort in linear time (TimSort merges them), so a front plus
 * sorted new points is cheap to re-prune.
 */
export function paretoFront<T extends Tradeoff>(
  points: readonly T[],
  epsilon = 0,
  tieBreak?: TieBreak<T>,
): T[] {
  const sorted = points
    .filter((p) => Number.isFinite(p.latencyMs) && Number.isFinite(p.costUSD))
    .sort(tradeoffOrder(tieBreak));
  const front: T[] = [];
  const logStep = Math.log1p(epsilon);
  const box = (cost: number): number => (epsilon > 0 ? Math.floor(Math.log(cost) / logStep) : cost);
  let lastBox = Infinity;
  let cheapest: T | undefined;
  for (const p of sorted) {
    if (cheapest === undefined || p.costUSD < cheapest.costUSD) cheapest = p;
    const b = box(p.costUSD);
    if (b < lastBox || front.length === 0) {
      front.push(p);
      lastBox = b;
    }
  }
  if (cheapest !== undefined && front[front.length - 1] !== cheapest) front.push(cheapest);
  return front;
}

/**
 * A front of at most `maxPoints`: ε doubles (from `epsilon`, or 0.1 % when 0) and `front` is
 * pruned afresh until it fits, so the coverage guarantee holds with the final ε (returned).
 */
export function capFront<T extends Tradeoff>(
  front: readonly T[],
  maxPoints: number,
  epsilon: number,
  tieBreak?: TieBreak<T>,
): { front: T[]; epsilon: number } {
  let eps = epsilon;
  let out = [...front];
  while (out.length > Math.max(2, maxPoints)) {
    eps = eps > 0 ? eps * 2 : 0.001;
    out = paretoFront(front, eps, tieBreak);
  }
  return { front: out, epsilon: eps };
}

/** At most `maxPoints` items, evenly spaced by index, keeping the first and the last. */
export function thinEvenly<T>(items: readonly T[], maxPoints: number): T[] {
  if (items.length <= maxPoints) return [...items];
  if (maxPoints <= 1) return items.slice(0, Math.max(0, maxPoints));
  const out: T[] = [];
  let last = -1;
  for (let k = 0; k < maxPoints; k++) {
    const i = Math.round((k * (items.length - 1)) / (maxPoints - 1));
    if (i !== last) out.push(items[i]!);
    last = i;
  }
  return out;
}
