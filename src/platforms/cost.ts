/**
 * The cost of a run: billed GB-s (1 GB = 1024 MB) + billed vCPU-s + one request fee per worker
 * + storage request fees when the stage reports its requests.
 */
import { MB_PER_GB } from '../core/units.js';
import type { Platform, ResolvedConfig } from '../core/types.js';

export interface StorageRequests {
  get: number;
  put: number;
}

/** USD per billed second of one worker of this size. */
export function pricePerSecond(p: Platform, memoryMB: number, vcpu: number): number {
  return (memoryMB / MB_PER_GB) * p.prices.perGBSecond + vcpu * p.prices.perVcpuSecond;
}

/** Billed milliseconds of one worker: rounded up to the granularity, at least the minimum. */
export function billedMs(p: Platform, ms: number): number {
  const g = p.billing.granularityMs;
  return Math.max(p.billing.minimumMs, Math.ceil(ms / g - 1e-9) * g);
}

/** Exact cost of a run from each worker's billed time. */
export function runCostUSD(
  p: Platform,
  cfg: ResolvedConfig,
  workerBilledMs: readonly number[],
  requests: StorageRequests = { get: 0, put: 0 },
): number {
  const rate = pricePerSecond(p, cfg.memoryMB, cfg.vcpu);
  let compute = 0;
  for (const ms of workerBilledMs) compute += (billedMs(p, ms) / 1000) * rate;
  return compute + workerBilledMs.length * p.prices.perRequest + storageCostUSD(p, requests);
}

export function storageCostUSD(p: Platform, requests: StorageRequests): number {
  return requests.get * p.prices.perStorageGet + requests.put * p.prices.perStoragePut;
}

/**
 * Expected cost of a run from the mean billed time per worker. Rounding up to a granularity g
 * adds g/2 on average to a continuous duration (1 ms on AWS Lambda: negligible; 100 ms on Cloud Run: not).
 */
export function expectedRunCostUSD(
  p: Platform,
  cfg: ResolvedConfig,
  meanBilledMs: number,
  requestsPerWorker: StorageRequests = { get: 0, put: 0 },
): number {
  const g = p.billing.granularityMs;
  const perWorkerMs = Math.max(p.billing.minimumMs, g > 1 ? meanBilledMs + g / 2 : meanBilledMs);
  const rate = pricePerSecond(p, cfg.memoryMB, cfg.vcpu);
  return (
    cfg.workers *
    ((perWorkerMs / 1000) * rate +
      p.prices.perRequest +
      requestsPerWorker.get * p.prices.perStorageGet +
      requestsPerWorker.put * p.prices.perStoragePut)
  );
}
