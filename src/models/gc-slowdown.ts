/**
 * Garbage collection near the memory floor: CPU time grows by the factor 1 + g·P(m), with
 * P = 1/(m/floor − 1) the live-to-free memory ratio of a nearly full heap (floorPressure). Any
 * family is wrapped: it fits the deflated target y/(1 + g·P) and its prediction is inflated
 * back, so every family can represent the climb toward the floor without a term of its own.
 *
 * g is chosen by leave-one-config-out CV from a small grid. When the profile holds no config
 * near the floor the CV cannot tell the values apart, and the prior G_PRIOR decides: GC adds
 * about 5 % of the CPU time per unit of live/free ratio (a conservative middle of the grid, so
 * the cheapest-looking configs at the cliff edge are not taken for free).
 */
import { crossValidate, type CvResult } from './cross-validation.js';
import type { ModelFamily } from './family.js';
import { floorPressure, type TrainingPoint } from './features.js';

export const GC_GRID = [0, 0.02, 0.05, 0.1, 0.2, 0.4] as const;
export const G_PRIOR = 0.05;

export function withGc(family: ModelFamily, g: number): ModelFamily {
  if (g === 0) return family;
  return {
    name: family.name,
    minConfigs: family.minConfigs,
    fit(points) {
      const fitted = family.fit(points.map((p) => ({ ...p, y: p.y / (1 + g * floorPressure(p.x)) })));
      return {
        predict: (x) => fitted.predict(x) * (1 + g * floorPressure(x)),
        ...(fitted.logVariance ? { logVariance: (x) => fitted.logVariance!(x) } : {}),
        ...(fitted.maxLogVariance != null ? { maxLogVariance: fitted.maxLogVariance } : {}),
        describe: () => ({ ...fitted.describe(), gc: g }),
      };
    },
  };
}

/** The g of the grid with the least CV error; within 1 % of the best, the one nearest the prior. */
export function chooseGc(
  family: ModelFamily,
  points: readonly TrainingPoint[],
): { g: number; cv: CvResult | null } {
  if (!points.some((p) => p.x.floorMB > 0)) return { g: 0, cv: crossValidate(family, points) };
  const trials = GC_GRID.map((g: number) => ({ g, cv: crossValidate(withGc(family, g), points) }));
  const scored: { g: number; cv: CvResult }[] = [];
  for (const t of trials) if (t.cv) scored.push({ g: t.g, cv: t.cv });
  if (scored.length === 0) return { g: G_PRIOR, cv: null };
  const best = Math.min(...scored.map((t) => t.cv.meanAbsLogError));
  const near = scored.filter((t) => t.cv.meanAbsLogError <= best * 1.01 + 1e-9);
  near.sort(
    (a, b) =>
      Math.abs(Math.log((a.g + 0.01) / (G_PRIOR + 0.01))) -
      Math.abs(Math.log((b.g + 0.01) / (G_PRIOR + 0.01))),
  );
  return near[0]!;
}
