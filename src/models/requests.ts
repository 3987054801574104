/**
 * Storage requests per worker as a function of the config: r(x) = a + b·partitionMB + c·(n − 1),
 * a, b, c ≥ 0 (NNLS on the per-config means, relative residuals). A fixed number per worker
 * (setup, listing), one per chunk of the worker's partition, and one per peer (a shuffle).
 * A single mean per worker is wrong by the ratio of the worker counts: chunked reads of a fixed
 * input make ~input/chunk requests in all, however many workers share them.
 */
import { groupByKey } from './cross-validation.js';
import type { Features } from './features.js';
import { nnls } from './nnls.js';
import type { RequestPoint } from './stage-data.js';

export interface RequestModel {
  get: [number, number, number];
  put: [number, number, number];
}

function fitOne(points: readonly { x: Features; y: number }[]): [number, number, number] {
  if (points.length === 0) return [0, 0, 0];
  const byConfig = groupByKey(
    points.map((p) => ({ key: `${p.x.workers}|${p.x.partitionMB}`, x: p.x, y: p.y })),
  );
  const means = [...byConfig.values()].map((g) => ({
    x: g[0]!.x,
    y: g.reduce((s, p) => s + p.y, 0) / g.length,
  }));
  const mean = means.reduce((s, p) => s + p.y, 0) / means.length;
  // Fewer configs than coefficients: the mean per worker.
  if (means.length < 3 || mean <= 0) return [Math.max(mean, 0), 0, 0];
  const a = means.map((p) => {
    const w = 1 / Math.max(p.y, 1);
    return [w, p.x.partitionMB * w, (p.x.workers - 1) * w];
  });
  const b = means.map((p) => p.y / Math.max(p.y, 1));
  const { x } = nnls(a, b);
  return [x[0] ?? 0, x[1] ?? 0, x[2] ?? 0];
}

export function fitRequests(points: readonly RequestPoint[]): RequestModel {
  const of = (f: (p: RequestPoint) => number | null): { x: Features; y: number }[] =>
    points.flatMap((p) => {
      const y = f(p);
      return y != null && Number.isFinite(y) ? [{ x: p.x, y }] : [];
    });
  return { get: fitOne(of((p) => p.get)), put: fitOne(of((p) => p.put)) };
}

export function requestsAt(
  m: RequestModel,
  workers: number,
  partitionMB: number,
): { get: number; put: number } {
  const at = (c: [number, number, number]): number => c[0] + c[1] * partitionMB + c[2] * (workers - 1);
  return { get: at(m.get), put: at(m.put) };
}
