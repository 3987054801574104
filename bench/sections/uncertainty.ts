/**
 * Honest uncertainty: how often a fresh noisy run's makespan falls in the model's nominal 90 %
 * interval, predicted mean × exp(±1.645 · makespanLogSd), at held-out configs; and how often the
 * noise-free true mean falls in predicted mean × exp(±1.645 · meanLogSd) — the model's own
 * uncertainty about the mean — inside the sampled range and at 4× the largest sampled workers
 * (the extrapolation design of the prediction section), with the median of
 * |ln(predicted / true)| / meanLogSd (0.674 for a calibrated sd, the median |z| of a normal).
 */
import { simulateRun } from '../../src/backends/sim/index.js';
import { expectedRunCostUSD } from '../../src/platforms/index.js';
import { resolveVcpu } from '../../src/platforms/resources.js';
import { lognormalInterval } from '../../src/optimizer/index.js';
import type { BenchContext, Trial } from '../lib/context.js';
import type { DesignPoint } from '../lib/design.js';
import { heldOut } from '../lib/held-out.js';
import type { SectionResult } from '../lib/section.js';
import { median, rate } from '../lib/stats.js';

const Z90 = 1.6448536269514722;

interface MeanCover {
  inside: number;
  total: number;
  z: number[];
}

function coverMean(ctx: BenchContext, t: Trial, points: readonly DesignPoint[], into: MeanCover): void {
  const s = t.stage.scenario;
  for (const p of points) {
    const truth = ctx.truth(s, p.workers, p.memoryMB);
    if (!truth.feasible) continue;
    const vcpu = resolveVcpu(ctx.platform, p.memoryMB);
    const pred = t.model.predict({ workers: p.workers, memoryMB: p.memoryMB, vcpu }, s.inputBytes);
    const z = Math.abs(Math.log(pred.makespanMs / truth.makespanMs)) / Math.max(pred.meanLogSd, 1e-12);
    into.total++;
    if (z <= Z90) into.inside++;
    into.z.push(z);
  }
}

export function uncertaintySection(ctx: BenchContext): SectionResult {
  const meanIn: MeanCover = { inside: 0, total: 0, z: [] };
  const meanFar: MeanCover = { inside: 0, total: 0, z: [] };
  let inside = 0;
  let total = 0;
  let below = 0;
  const widths: number[] = [];
  const cost = { inside: 0, total: 0, below: 0 };
  for (const stage of ctx.stages) {
    const s = stage.scenario;
    for (let trial = 0; trial < ctx.trialsPerStage; trial++) {
      const t = ctx.trial(stage, trial);
      const wx = ctx.workerExtrapolation(stage, trial);
      if (wx) coverMean(ctx, wx.trial, wx.points, meanFar);
      if (!t) continue;
      const points = heldOut(ctx, t);
      coverMean(ctx, t, points, meanIn);
      points.forEach((p, i) => {
        const vcpu = resolveVcpu(ctx.platform, p.memoryMB);
        const pred = t.model.predict({ workers: p.workers, memoryMB: p.memoryMB, vcpu }, s.inputBytes);
        // A fresh run: a rep number and seed no profile used.
        const run = simulateRun(s, ctx.platform, p, { rep: 1000 + i, seed: t.seed + 1, workflow: 'bench' });
        if (run.status !== 'ok') return;
        // The interval `plan` and `predict` print: one run's 5th–95th percentile.
        const [lo, hi] = lognormalInterval(pred.makespanMs, pred.makespanLogSd, 0.9, t.model.intervalDf);
        total++;
        if (run.makespanMs! >= lo && run.makespanMs! <= hi) inside++;
        else if (run.makespanMs! < lo) below++;
        widths.push(hi / lo);
        // The cost interval `predict` prints: one run's cost.
        const cfg = { workers: p.workers, memoryMB: p.memoryMB, vcpu };
        const mean = expectedRunCostUSD(
          ctx.platform,
          cfg,
          pred.billedMs,
          pred.requestsPerWorker ?? t.model.requestsPerWorker,
        );
        const [clo, chi] = lognormalInterval(
          mean,
          pred.runBilledLogSd ?? pred.billedLogSd,
          0.9,
          t.model.intervalDf,
        );
        cost.total++;
        if (run.costUSD! >= clo && run.costUSD! <= chi) cost.inside++;
        else if (run.costUSD! < clo) cost.below++;
      });
    }
  }
  const share = total ? inside / total : NaN;
  const meanLine = (label: string, c: MeanCover): string =>
    `${label}: ${rate(c.inside, c.total)}, median |ln(pred / true)| / meanLogSd ${median(c.z).toFixed(2)} (calibrated: 0.67)`;
  return {
    title: 'Honest uncertainty (nominal 90 % intervals)',
    markdown: [
      `Fresh runs inside the interval: ${rate(inside, total)} (target 85–95 %); below it ${below}, above it ${total - inside - below}. ` +
        `Median interval width (hi / lo): ${median(widths).toFixed(2)}×.`,
      '',
      `Fresh runs' cost inside the 90 % cost interval \`predict\` prints: ${rate(cost.inside, cost.total)}; ` +
        `below it ${cost.below}, above it ${cost.total - cost.inside - cost.below}.`,
      '',
      'True (noise-free) mean inside predicted mean × exp(±1.645 · meanLogSd) (target ~90 %):',
      '',
      `- ${meanLine('held out, inside the sampled range', meanIn)}`,
      `- ${meanLine('4× the largest sampled workers (profiled ≤ 64)', meanFar)}`,
    ],
    summary: [
      `uncertainty: ${(share * 100).toFixed(1)} % of fresh runs inside the 90 % interval (target 85–95 %); ` +
        `cost ${rate(cost.inside, cost.total)}; true mean inside ±1.645·meanLogSd: in range ${rate(meanIn.inside, meanIn.total)}, 4× workers ${rate(meanFar.inside, meanFar.total)}`,
    ],
  };
}
