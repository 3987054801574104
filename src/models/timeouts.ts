/**
 * Which timed-out runs say "this config is slow". A timeout is censored — the run took at least
 * the timeout — and fit-stage.ts carries that bound to every config with no more resources per
 * unit of work (no more workers, memory or vCPU, no smaller partition). That reading fails when a
 * run with no more of any resource finished in a fraction of the timeout: the timed-out run did
 * not run out of time on its work, it hung (a stalled engine or storage call), or more resources
 * slowed it in a way the model does not see. Carried by dominance, such a timeout marks configs
 * slow that runs have shown fast, and the cheapest config left is the one a megabyte past it (an
 * outside check: 4 of 8 runs hung at random, and the plan sat at 63 × 1,036 MB, next to timeouts at
 * 62 × 1,260 and 862 × 1,035 MB, with P(within 3 %) = 1.0 and no run there). Those timeouts are
 * taken as failures of their own config, as errors are.
 */
import type { FailedConfig, StageRow } from './stage-data.js';

/** A timeout is contradicted by a run with no more resources that finished within this share of it. */
export const CONTRADICTED_SHARE = 1 / 3;

export function splitTimeouts(
  timeouts: readonly FailedConfig[],
  rows: readonly StageRow[],
): { slow: FailedConfig[]; contradicted: FailedConfig[] } {
  const slow: FailedConfig[] = [];
  const contradicted: FailedConfig[] = [];
  for (const t of timeouts) {
    const limit = t.timeoutMs;
    const faster =
      limit != null &&
      rows.some(
        (r) =>
          r.x.workers <= t.workers &&
          r.x.memoryMB <= t.memoryMB &&
          r.x.vcpu <= t.x.vcpu &&
          r.x.partitionMB >= t.x.partitionMB &&
          r.makespanMs <= CONTRADICTED_SHARE * limit,
      );
    (faster ? contradicted : slow).push(t);
  }
  return { slow, contradicted };
}
