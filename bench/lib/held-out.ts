/** Held-out configs of a trial: log-uniform inside the sampled box, where the truth is feasible. */
import { logUniformPoints, type DesignPoint } from './design.js';
import type { BenchContext, Trial } from './context.js';

export const HELD_OUT_PER_TRIAL = 12;

export function heldOut(ctx: BenchContext, t: Trial): DesignPoint[] {
  const s = t.stage.scenario;
  const sampled = new Set(t.design.map((p) => `${p.workers}|${p.memoryMB}`));
  return logUniformPoints(t.box, HELD_OUT_PER_TRIAL, ctx.seedOf(s, t.trial, 'held-out')).filter(
    (p) => !sampled.has(`${p.workers}|${p.memoryMB}`) && ctx.truth(s, p.workers, p.memoryMB).feasible,
  );
}

export function relativeError(predicted: number, truth: number): number {
  return Math.abs(predicted / truth - 1);
}
