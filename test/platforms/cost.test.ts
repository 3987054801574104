import { describe, expect, it } from 'vitest';
import { PlatformRegistry, billedMs, expectedRunCostUSD, runCostUSD } from '../../src/platforms/index.js';

const registry = new PlatformRegistry();

describe('cost of a run', () => {
  it('bills AWS Lambda GB-s with 1 GB = 1024 MB, per ms, plus one request per worker', () => {
    const p = registry.get('aws-lambda-x86');
    // 4 workers × 2 s at 2048 MB = 16 GB-s; + 4 requests at $0.20 per million
    const cost = runCostUSD(p, { workers: 4, memoryMB: 2048, vcpu: 2048 / 1769 }, [2000, 2000, 2000, 2000]);
    expect(cost).toBeCloseTo(16 * 0.0000166667 + 4 * 0.2e-6, 12);
  });

  it('adds storage request fees when the stage reports its requests', () => {
    const p = registry.get('aws-lambda-x86');
    const cfg = { workers: 1, memoryMB: 1024, vcpu: 1024 / 1769 };
    const base = runCostUSD(p, cfg, [1000]);
    expect(runCostUSD(p, cfg, [1000], { get: 1000, put: 100 }) - base).toBeCloseTo(
      1000 * 0.4e-6 + 100 * 5e-6,
      12,
    );
  });

  it('rounds up to the billing granularity and bills vCPU-s apart where the platform does', () => {
    const p = registry.get('gcp-cloud-run');
    expect(billedMs(p, 1)).toBe(100);
    expect(billedMs(p, 101)).toBe(200);
    const cost = runCostUSD(p, { workers: 1, memoryMB: 1024, vcpu: 1 }, [150]);
    expect(cost).toBeCloseTo(0.2 * (0.0000025 + 0.000024) + 0.4e-6, 12);
  });

  it('expected cost adds half a granule on average', () => {
    const p = registry.get('gcp-cloud-run');
    const cfg = { workers: 10, memoryMB: 1024, vcpu: 1 };
    const expected = expectedRunCostUSD(p, cfg, 1000);
    expect(expected).toBeCloseTo(10 * (1.05 * (0.0000025 + 0.000024) + 0.4e-6), 12);
  });
});
