/** `auto` against each single family: held-out makespan error inside the sampled range. */
import { resolveVcpu } from '../../src/platforms/resources.js';
import { AUTO_FAMILIES, fitStage } from '../../src/models/index.js';
import type { BenchContext } from '../lib/context.js';
import { heldOut, relativeError } from '../lib/held-out.js';
import { table, type SectionResult } from '../lib/section.js';
import { median, pct, quantile } from '../lib/stats.js';

export function familiesSection(ctx: BenchContext): SectionResult {
  const errors = new Map<string, number[]>([
    ['auto', []],
    ...AUTO_FAMILIES.map((f) => [f, []] as [string, number[]]),
  ]);
  const failures = new Map<string, number>();
  for (const stage of ctx.stages) {
    const s = stage.scenario;
    for (let trial = 0; trial < ctx.trialsPerStage; trial++) {
      const t = ctx.trial(stage, trial);
      if (!t) continue;
      const points = heldOut(ctx, t);
      for (const family of ['auto', ...AUTO_FAMILIES]) {
        let model = t.model;
        if (family !== 'auto') {
          try {
            model = fitStage(t.samples, { family, seed: t.seed });
          } catch {
            failures.set(family, (failures.get(family) ?? 0) + 1);
            continue;
          }
        }
        for (const p of points) {
          const truth = ctx.truth(s, p.workers, p.memoryMB);
          const vcpu = resolveVcpu(ctx.platform, p.memoryMB);
          const pred = model.predict({ workers: p.workers, memoryMB: p.memoryMB, vcpu }, s.inputBytes);
          errors.get(family)!.push(relativeError(pred.makespanMs, truth.makespanMs));
        }
      }
    }
  }
  const medians = [...errors].map(([f, e]) => [f, median(e)] as const);
  const bestSingle = Math.min(...medians.filter(([f]) => f !== 'auto').map(([, m]) => m));
  const auto = medians.find(([f]) => f === 'auto')![1];
  const ratio = auto / bestSingle;
  return {
    title: '`auto` against single families (held-out makespan error, inside the sampled range)',
    markdown: [
      ...table(
        ['family', 'configs', 'median / p90 error', 'fits that failed'],
        [...errors].map(([f, e]) => [
          f,
          e.length,
          `${pct(median(e))} / ${pct(quantile(e, 0.9))}`,
          failures.get(f) ?? 0,
        ]),
      ),
      '',
      `auto / best single family = ${ratio.toFixed(2)} (target ≤ 1.1).`,
    ],
    summary: [
      `families: auto ${pct(auto)} vs best single ${pct(bestSingle)} → ratio ${ratio.toFixed(2)} (target ≤ 1.1)`,
    ],
  };
}
