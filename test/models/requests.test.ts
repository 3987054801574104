import { describe, expect, it } from 'vitest';
import { fitRequests, requestsAt } from '../../src/models/requests.js';
import type { RequestPoint } from '../../src/models/stage-data.js';

describe('storage requests per worker', () => {
  it('recovers fixed + per-chunk + per-peer requests and predicts other worker counts', () => {
    const inputMB = 60_000;
    const truth = (n: number): { get: number; put: number } => ({
      get: 1 + Math.ceil(inputMB / n / 8) + 2 * (n - 1),
      put: Math.ceil((0.7 * inputMB) / n / 8),
    });
    const points: RequestPoint[] = [3, 15, 29, 58, 169, 936].map((n) => ({
      x: { workers: n, memoryMB: 1024, vcpu: 0.58, partitionMB: inputMB / n, floorMB: 0 },
      ...truth(n),
    }));
    const m = fitRequests(points);
    for (const n of [1, 168, 500, 1000]) {
      const p = requestsAt(m, n, inputMB / n);
      const t = truth(n);
      expect(Math.abs(p.get - t.get) / t.get).toBeLessThan(0.1);
      expect(Math.abs(p.put - t.put) / t.put).toBeLessThan(0.15);
    }
  });

  it('keeps the mean per worker with fewer configs than coefficients', () => {
    const x = { workers: 4, memoryMB: 1024, vcpu: 0.58, partitionMB: 10, floorMB: 0 };
    const m = fitRequests([
      { x, get: 6, put: null },
      { x, get: 8, put: null },
    ]);
    expect(requestsAt(m, 100, 1)).toEqual({ get: 7, put: 0 });
  });
});
