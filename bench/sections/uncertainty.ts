/**
 * Honest uncertainty: how often a fresh noisy run's makespan falls in the model's nominal 90 %
 * interval, predicted mean × exp(±1.645 · makespanLogSd), at held-out configs.
 */
import { simulateRun } from '../../src/backends/sim/index.js';
import { resolveVcpu } from '../../src/platforms/resources.js';
import type { BenchContext } from '../lib/context.js';
import { heldOut } from '../lib/held-out.js';
import type { SectionResult } from '../lib/section.js';
import { median, rate } from '../lib/stats.js';

const Z90 = 1.6448536269514722;

export function uncertaintySection(ctx: BenchContext): SectionResult {
  let inside = 0;
  let total = 0;
  let below = 0;
  const widths: number[] = [];
  for (const stage of ctx.stages) {
    const s = stage.scenario;
    for (let trial = 0; trial < ctx.trialsPerStage; trial++) {
      const t = ctx.trial(stage, trial);
      if (!t) continue;
      heldOut(ctx, t).forEach((p, i) => {
        const vcpu = resolveVcpu(ctx.platform, p.memoryMB);
        const pred = t.model.predict({ workers: p.workers, memoryMB: p.memoryMB, vcpu }, s.inputBytes);
        // A fresh run: a rep number and seed no profile used.
        const run = simulateRun(s, ctx.platform, p, { rep: 1000 + i, seed: t.seed + 1, workflow: 'bench' });
        if (run.status !== 'ok') return;
        const lo = pred.makespanMs * Math.exp(-Z90 * pred.makespanLogSd);
        const hi = pred.makespanMs * Math.exp(Z90 * pred.makespanLogSd);
        total++;
        if (run.makespanMs! >= lo && run.makespanMs! <= hi) inside++;
        else if (run.makespanMs! < lo) below++;
        widths.push(hi / lo);
      });
    }
  }
  const share = total ? inside / total : NaN;
  return {
    title: 'Honest uncertainty (nominal 90 % intervals)',
    markdown: [
      `Fresh runs inside the interval: ${rate(inside, total)} (target 85–95 %); below it ${below}, above it ${total - inside - below}. ` +
        `Median interval width (hi / lo): ${median(widths).toFixed(2)}×.`,
    ],
    summary: [
      `uncertainty: ${(share * 100).toFixed(1)} % of fresh runs inside the 90 % interval (target 85–95 %)`,
    ],
  };
}
