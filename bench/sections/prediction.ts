/**
 * Prediction error of the makespan against the noise-free truth: inside the sampled range, at
 * 4× the largest sampled worker count, and at the full input from a 10 % profile. Next to it,
 * flexecutor's model (its mean worker time, as it predicts) from the same samples.
 */
import { resolveVcpu } from '../../src/platforms/resources.js';
import type { BenchContext, Trial } from '../lib/context.js';
import { heldOut, relativeError } from '../lib/held-out.js';
import { table, type SectionResult } from '../lib/section.js';
import { median, pct, quantile } from '../lib/stats.js';
import { fitFlexecutor } from '../peers/flexecutor.js';
import type { DesignPoint } from '../lib/design.js';
import type { BenchStage } from '../stages.js';

/** A stage with rare stragglers added to its noise: 1 % of the workers 2.5× slower. */
function withRareStragglers(stage: BenchStage): BenchStage {
  const s = stage.scenario;
  return {
    shapes: [...stage.shapes, 'rare stragglers'],
    scenario: { ...s, noise: { ...s.noise, rareStragglers: { share: 0.01, slowdown: 2.5 } } },
  };
}

interface Errors {
  ours: number[];
  flex: number[];
}

function score(ctx: BenchContext, t: Trial, points: DesignPoint[], inputBytes: number, into: Errors): void {
  const s = t.stage.scenario;
  const flex = fitFlexecutor(t.samples, ctx.platform);
  for (const p of points) {
    const truth = ctx.truth(s, p.workers, p.memoryMB, inputBytes);
    if (!truth.feasible) continue;
    const vcpu = resolveVcpu(ctx.platform, p.memoryMB);
    const pred = t.model.predict({ workers: p.workers, memoryMB: p.memoryMB, vcpu }, inputBytes);
    into.ours.push(relativeError(pred.makespanMs, truth.makespanMs));
    if (flex) into.flex.push(relativeError(flex.predict(p.workers, p.memoryMB).makespanMs, truth.makespanMs));
  }
}

export function predictionSection(ctx: BenchContext): SectionResult {
  const inRange: Errors = { ours: [], flex: [] };
  const wide: Errors = { ours: [], flex: [] };
  const input: Errors = { ours: [], flex: [] };
  const rareWide: Errors = { ours: [], flex: [] };
  for (const stage of ctx.stages) {
    const s = stage.scenario;
    for (let trial = 0; trial < ctx.trialsPerStage; trial++) {
      const t = ctx.trial(stage, trial);
      if (t) score(ctx, t, heldOut(ctx, t), s.inputBytes, inRange);

      // Workers: profile up to 64 workers, predict at 4× the largest count that ran, at each sampled memory.
      const wx = ctx.workerExtrapolation(stage, trial);
      if (wx) score(ctx, wx.trial, wx.points, s.inputBytes, wide);

      // The same with rare stragglers on top: 1 % of the workers 2.5× slower (real Lambda runs
      // have such tails; the lognormal straggler factor underrates them at wide fan-outs).
      const rare = withRareStragglers(stage);
      const rx = ctx.profileAndFit(
        rare,
        trial,
        { workers: [1, Math.min(64, ctx.space(s).maxWorkers)], memoryMB: [128, 10_240] },
        s.inputBytes,
        'extrap-workers',
      );
      if (rx && ctx.space(s).maxWorkers > 1) {
        const far = Math.min(ctx.space(s).maxWorkers, 4 * rx.box.workers[1]);
        const mems = [...new Set(rx.samples.filter((x) => x.status === 'ok').map((x) => x.config.memoryMB))];
        score(
          ctx,
          rx,
          mems.map((memoryMB) => ({ workers: far, memoryMB })),
          s.inputBytes,
          rareWide,
        );
      }

      // Input: profile the same kind of design on a tenth of the input, predict the full input.
      const tenth = ctx.profileAndFit(stage, trial, ctx.fullBox(s), s.inputBytes / 10, 'extrap-input');
      if (tenth) score(ctx, tenth, heldOut(ctx, tenth), s.inputBytes, input);
    }
  }
  const row = (label: string, e: Errors): (string | number)[] => [
    label,
    e.ours.length,
    `${pct(median(e.ours))} / ${pct(quantile(e.ours, 0.9))}`,
    `${pct(median(e.flex))} / ${pct(quantile(e.flex, 0.9))}`,
  ];
  return {
    title: 'Prediction error of the makespan (vs the noise-free truth)',
    markdown: [
      'Relative error |predicted / true − 1| of the mean makespan, median / p90. flexecutor predicts a mean ' +
        'worker (cold start + read + compute + write) and has no input-size feature.',
      '',
      ...table(
        ['where', 'configs', 'rightsizer', 'flexecutor'],
        [
          row('held out, inside the sampled range (target median ≤ 10 %)', inRange),
          row('4× the largest sampled workers (profiled ≤ 64)', wide),
          row('the same, 1 % of the workers 2.5× slower (rare stragglers)', rareWide),
          row('full input from a 10 % input profile', input),
        ],
      ),
    ],
    summary: [
      `prediction: in range median ${pct(median(inRange.ours))} (target ≤ 10 %; flexecutor ${pct(median(inRange.flex))}); ` +
        `4× workers ${pct(median(wide.ours))} (rare stragglers ${pct(median(rareWide.ours))}); full input from 10 % ${pct(median(input.ours))}`,
    ],
  };
}
