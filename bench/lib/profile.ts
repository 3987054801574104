/** Profiling a simulated stage at a design: every config × reps, one sample per run. */
import { simulateRun, type Scenario } from '../../src/backends/sim/index.js';
import type { Platform, Sample } from '../../src/core/types.js';
import type { DesignPoint } from './design.js';

export function profileSim(
  scenario: Scenario,
  platform: Platform,
  points: readonly DesignPoint[],
  reps: number,
  seed: number,
  inputBytes = scenario.inputBytes,
): Sample[] {
  const out: Sample[] = [];
  for (const p of points)
    for (let rep = 0; rep < reps; rep++)
      out.push(simulateRun(scenario, platform, p, { rep, seed, inputBytes, workflow: 'bench' }));
  return out;
}

export interface ConfigMean {
  workers: number;
  memoryMB: number;
  makespanMs: number;
  costUSD: number;
  runs: number;
  /** Any run of this config ran out of memory. */
  oom: boolean;
}

/** Per-config sample means (ok runs); a config with any `oom` run is marked. */
export function configMeans(samples: readonly Sample[], costOf: (s: Sample) => number): ConfigMean[] {
  const by = new Map<string, { s: Sample[]; oom: boolean }>();
  for (const s of samples) {
    const k = `${s.config.workers}|${s.config.memoryMB}`;
    const e = by.get(k) ?? { s: [], oom: false };
    if (s.status === 'oom') e.oom = true;
    if (s.status === 'ok') e.s.push(s);
    by.set(k, e);
  }
  const out: ConfigMean[] = [];
  for (const [k, e] of by) {
    const [w, m] = k.split('|').map(Number) as [number, number];
    if (e.s.length === 0) {
      out.push({ workers: w, memoryMB: m, makespanMs: Infinity, costUSD: Infinity, runs: 0, oom: e.oom });
      continue;
    }
    out.push({
      workers: w,
      memoryMB: m,
      makespanMs: e.s.reduce((a, s) => a + s.makespanMs!, 0) / e.s.length,
      costUSD: e.s.reduce((a, s) => a + costOf(s), 0) / e.s.length,
      runs: e.s.length,
      oom: e.oom,
    });
  }
  return out;
}
