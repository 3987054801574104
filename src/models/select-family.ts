/**
 * Picks the family of one target (a phase) by leave-one-config-out cross-validation, and falls
 * back to a family that needs fewer configs when the asked one cannot be identified.
 */
import type { FamilyTrial } from '../core/types.js';
import { crossValidate, selectionScore, type CvResult } from './cross-validation.js';
import { AUTO_FAMILIES, FAMILIES } from './families.js';
import { countConfigs, type ModelFamily } from './family.js';
import type { TrainingPoint } from './features.js';

export interface FamilyChoice {
  family: string;
  cv: CvResult | null;
  tried: FamilyTrial[];
  note: string | null;
  /** Every family `auto` cross-validated, with its CV (the chosen one included). */
  candidates: { family: string; cv: CvResult }[];
}

/** Relative margin by which a later (more complex) family must beat an earlier one. */
export const TIE_MARGIN = 0.02;

const score = (cv: CvResult): number => selectionScore(cv.logResiduals, cv.heldOut);

/** Below amdahl's two configs: the partition-proportional prior for the data phases, else constant. */
function fallback(configs: number, what: string): string {
  if (configs >= FAMILIES.amdahl!.minConfigs) return 'amdahl';
  return what === 'read' || what === 'compute' || what === 'write' ? 'proportional' : 'constant';
}

export function selectFamily(
  points: readonly TrainingPoint[],
  requested: string,
  what: string,
  wrap: (f: ModelFamily) => ModelFamily = (f) => f,
): FamilyChoice {
  const configs = countConfigs(points);
  const candidates = requested === 'auto' ? AUTO_FAMILIES : [requested];
  const tried: FamilyTrial[] = [];
  const scored: { family: string; cv: CvResult }[] = [];
  let best: { family: string; cv: CvResult } | null = null;
  for (const name of candidates) {
    const family = FAMILIES[name]!;
    if (configs < family.minConfigs) {
      tried.push({
        family: name,
        cvError: null,
        note: `needs ${family.minConfigs} configs, has ${configs}`,
        needsConfigs: family.minConfigs,
      });
      continue;
    }
    const cv = crossValidate(wrap(family), points);
    tried.push({ family: name, cvError: cv ? cv.medianError : null });
    if (cv) scored.push({ family: name, cv });
    if (cv && (!best || score(cv) < score(best.cv) * (1 - TIE_MARGIN))) best = { family: name, cv };
  }
  if (requested === 'auto' && best)
    return { family: best.family, cv: best.cv, tried, note: null, candidates: scored };
  if (requested !== 'auto' && configs >= FAMILIES[requested]!.minConfigs)
    return { family: requested, cv: best?.cv ?? null, tried, note: null, candidates: scored };
  const fb = fallback(configs, what);
  const fbCv = configs < 2 ? null : crossValidate(wrap(FAMILIES[fb]!), points);
  return {
    family: fb,
    cv: fbCv,
    tried,
    candidates: fbCv ? [{ family: fb, cv: fbCv }] : [],
    note: `${what}: ${requested === 'auto' ? 'no family could be cross-validated' : `${requested} lacks configs`} with ${configs} config(s); fell back to ${fb}`,
  };
}
