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
 * sorted new points is cheap to re-prune. With ε > 0 it buckets by box instead of sorting
 * (epsilonFrontIndices): the same front in O(n + boxes·log boxes).
 */
export function paretoFront<T extends Tradeoff>(
  points: readonly T[],
  epsilon = 0,
  tieBreak?: TieBreak<T>,
): T[] {
  if (epsilon > 0) {
    const n = points.length;
    const latency = new Float64Array(n);
    const cost = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      latency[i] = points[i]!.latencyMs;
      cost[i] = points[i]!.costUSD;
    }
    const order = tradeoffOrder(tieBreak);
    return epsilonFrontIndices(n, latency, cost, epsilon, (i, j) => order(points[i]!, points[j]!)).map(
      (i) => points[i]!,
    );
  }
  const sorted = points
    .filter((p) => Number.isFinite(p.latencyMs) && Number.isFinite(p.costUSD))
    .sort(tradeoffOrder(tieBreak));
  const front: T[] = [];
  let lastCost = Infinity;
  let cheapest: T | undefined;
  for (const p of sorted) {
    if (cheapest === undefined || p.costUSD < cheapest.costUSD) cheapest = p;
    if (p.costUSD < lastCost || front.length === 0) {
      front.push(p);
      lastCost = p.costUSD;
    }
  }
  if (cheapest !== undefined && front[front.length - 1] !== cheapest) front.push(cheapest);
  return front;
}

/**
 * The ε-pruned front (ε > 0) of n points given as arrays, as indices in `tradeoffOrder`; `order`
 * compares two indices as tradeoffOrder would (with its tie break; 0 keeps the lower index first,
 * as a stable sort does). Identical to the sweep of paretoFront without sorting the points: the
 * sweep keeps the first point (in order) of a cost box exactly when it precedes every point of
 * every cheaper box, so it keeps the first point of each box, scanned from the cheapest box up,
 * whenever it precedes the last one kept — and then the cheapest point.
 */
export function epsilonFrontIndices(
  n: number,
  latency: Float64Array,
  cost: Float64Array,
  epsilon: number,
  order: (i: number, j: number) => number,
): number[] {
  const logStep = Math.log1p(epsilon);
  const first = new Map<number, number>();
  let cheapest = -1;
  for (let i = 0; i < n; i++) {
    const l = latency[i]!;
    const c = cost[i]!;
    if (!Number.isFinite(l) || !Number.isFinite(c)) continue;
    const b = Math.floor(Math.log(c) / logStep);
    const j = first.get(b);
    if (j === undefined || order(i, j) < 0) first.set(b, i);
    if (cheapest < 0 || c < cost[cheapest]! || (c === cost[cheapest]! && order(i, cheapest) < 0))
      cheapest = i;
  }
  const boxes = [...first.keys()].sort((x, y) => x - y);
  const kept: number[] = [];
  let last = -1;
  for (const b of boxes) {
    const i = first.get(b)!;
    if (last < 0 || order(i, last) < 0) {
      kept.push(i);
      last = i;
    }
  }
  kept.reverse();
  if (cheapest >= 0 && kept[kept.length - 1] !== cheapest) kept.push(cheapest);
  return kept;
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
