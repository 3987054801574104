/**
 * Peer: the best sampled config — what an exhaustive tool (AWS Lambda Power Tuning) recommends:
 * the lowest sample-mean objective among the configs it ran; for a deadline, the cheapest whose
 * sample-mean latency meets it (else the fastest). Configs that ran out of memory are skipped.
 */
import type { BenchObjective } from '../lib/objective.js';
import { objectiveValue } from '../lib/objective.js';
import type { ConfigMean } from '../lib/profile.js';

export function bestSampled(means: readonly ConfigMean[], objective: BenchObjective): ConfigMean | null {
  const ok = means.filter((m) => !m.oom && m.runs > 0);
  let best: ConfigMean | null = null;
  let bestV = Infinity;
  for (const m of ok) {
    const v = objectiveValue(objective, { makespanMs: m.makespanMs, costUSD: m.costUSD, feasible: true });
    if (v < bestV) {
      bestV = v;
      best = m;
    }
  }
  if (best || objective.kind !== 'deadline') return best;
  return ok.reduce<ConfigMean | null>((a, m) => (!a || m.makespanMs < a.makespanMs ? m : a), null);
}
