/** Platforms and a brute-force front for the optimizer's tests. */
import { PlatformSchema, type Platform, type PlatformInput } from '../../src/core/types.js';
import type { Tradeoff } from '../../src/optimizer/index.js';
import { CATALOG } from '../../src/platforms/index.js';

export function catalogPlatform(id: string): Platform {
  return PlatformSchema.parse(CATALOG.find((p) => p.id === id));
}

/** A small AWS-like platform: memory min…max in `step` MB, vCPU = memory/1769, `concurrency` workers. */
export function smallPlatform(
  memory: { min: number; max: number; step: number },
  concurrency: number,
): Platform {
  const aws = CATALOG.find((p) => p.id === 'aws-lambda-x86')!;
  const input: PlatformInput = { ...aws, id: 'small', memoryMB: memory, maxConcurrency: concurrency };
  return PlatformSchema.parse(input);
}

/** The exact Pareto front by pairwise dominance, O(n²) — independent of pareto.ts. */
export function bruteFront<T extends Tradeoff>(points: readonly T[]): T[] {
  return points.filter(
    (p) =>
      !points.some(
        (q) =>
          q.latencyMs <= p.latencyMs &&
          q.costUSD <= p.costUSD &&
          (q.latencyMs < p.latencyMs || q.costUSD < p.costUSD),
      ),
  );
}

/** Whether some point of `front` is within (1+tol) of `p` on both values. */
export function covered(front: readonly Tradeoff[], p: Tradeoff, tol: number): boolean {
  return front.some((f) => f.latencyMs <= p.latencyMs * (1 + tol) && f.costUSD <= p.costUSD * (1 + tol));
}
