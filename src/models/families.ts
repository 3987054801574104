/** The registry of model families by name, and the ones `auto` tries. */
import type { ModelFamily } from './family.js';
import { amdahlColdFamily, amdahlFamily } from './family-amdahl.js';
import { constantFamily } from './family-constant.js';
import { ernestExtCpuFamily, ernestExtFamily } from './family-ernest-ext.js';
import { ernestFamily } from './family-ernest.js';
import { gpCpuFamily, gpFamily } from './family-gp.js';
import { memexpFamily } from './family-memexp.js';
import { proportionalFamily } from './family-proportional.js';

export const FAMILIES: Readonly<Record<string, ModelFamily>> = {
  amdahl: amdahlFamily,
  ernest: ernestFamily,
  'ernest-ext': ernestExtFamily,
  memexp: memexpFamily,
  gp: gpFamily,
  constant: constantFamily,
  proportional: proportionalFamily,
};

/** Tried by `auto`, simplest first: on a tie of CV error the simpler family wins. */
export const AUTO_FAMILIES: readonly string[] = ['amdahl', 'ernest', 'memexp', 'ernest-ext', 'gp'];

/**
 * The family as fitted to one phase: cold start, and compute when read and write are timed apart,
 * move no data, so ernest-ext (and the GP's mean, which is ernest-ext) drops its
 * memory-bandwidth term there (family-ernest-ext.ts); amdahl fits the cold start on a vCPU share
 * capped at a whole number of cores (family-amdahl.ts).
 */
export function forPhase(family: ModelFamily, phase: string, phasesSplit: boolean): ModelFamily {
  const movesNoData = phase === 'coldStart' || (phase === 'compute' && phasesSplit);
  if (!movesNoData) return family;
  if (family === amdahlFamily && phase === 'coldStart') return amdahlColdFamily;
  return family === ernestExtFamily ? ernestExtCpuFamily : family === gpFamily ? gpCpuFamily : family;
}
