/**
 * A small, self-contained generator of stage samples for the model tests (no simulator
 * dependency): known phase laws, lognormal stragglers and run noise, oom below a floor.
 */
import { uniforms } from '../../src/core/prng.js';
import type { Sample, WorkerRecord } from '../../src/core/types.js';

/** The project's seeded uniforms, under the name the model tests use. */
export const mulberry32 = uniforms;

export function normal(rng: () => number): number {
  const u = Math.max(rng(), 1e-12);
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

export interface Law {
  /** Mean phase times (ms) at a config; partitionMB = inputBytes / workers / 2^20. */
  phases(c: { workers: number; memoryMB: number; vcpu: number; partitionMB: number }): {
    coldStart: number;
    read: number;
    compute: number;
    write: number;
  };
  /** Memory needed for a partition; at or below it the run is oom. */
  needMB?(partitionMB: number): number;
  stragglerLogSd?: number;
  /** Spread of each worker's cold start around the law's mean (default: none). */
  coldLogSd?: number;
  runLogSd?: number;
}

export interface GenOptions {
  inputBytes?: number | null;
  reps?: number;
  seed?: number;
  /** Workers that run at once; the rest run in waves. */
  concurrency?: number;
  /** Write `concurrency` into each sample, as the local backend does (default: when it is given). */
  recordConcurrency?: boolean;
  reportPeak?: boolean;
  /** The host's part of the makespan past the slowest worker (submitting, collecting), ms. */
  hostMs?: (workers: number) => number;
}

export function generate(law: Law, configs: readonly [number, number][], options: GenOptions = {}): Sample[] {
  const inputBytes = options.inputBytes === undefined ? 1024 * 2 ** 20 : options.inputBytes;
  const rng = mulberry32(options.seed ?? 1);
  const out: Sample[] = [];
  for (const [workers, memoryMB] of configs) {
    for (let rep = 0; rep < (options.reps ?? 3); rep++) {
      const vcpu = memoryMB / 1769;
      const partitionMB = (inputBytes ?? 2 ** 20) / 2 ** 20 / workers;
      const base = {
        schema: 'rightsizer.sample/v1' as const,
        workflow: 'w',
        stage: 's',
        config: { workers, memoryMB, vcpu },
        inputBytes,
        rep,
        timeoutMs: 900_000,
      };
      const need = law.needMB?.(partitionMB);
      if (need != null && memoryMB <= need) {
        out.push({ ...base, status: 'oom', error: 'oom', makespanMs: null, workers: [] });
        continue;
      }
      const ph = law.phases({ workers, memoryMB, vcpu, partitionMB });
      const run = Math.exp((law.runLogSd ?? 0) * normal(rng));
      const C = options.concurrency ?? Infinity;
      const ws: WorkerRecord[] = [];
      let makespan = 0;
      let waveMax = 0;
      for (let i = 0; i < workers; i++) {
        if (i > 0 && i % C === 0) {
          makespan += waveMax;
          waveMax = 0;
        }
        const f = run * Math.exp((law.stragglerLogSd ?? 0) * normal(rng));
        const sc = law.coldLogSd ?? 0;
        const cold = sc > 0 ? ph.coldStart * Math.exp(sc * normal(rng) - (sc * sc) / 2) : ph.coldStart;
        const w: WorkerRecord = {
          coldStartMs: cold,
          readMs: ph.read * f,
          computeMs: ph.compute * f,
          writeMs: ph.write * f,
          totalMs: (ph.read + ph.compute + ph.write) * f,
          peakMemoryMB: options.reportPeak && need != null ? need : null,
          billedMs: (ph.read + ph.compute + ph.write) * f + cold,
          cold: true,
        };
        waveMax = Math.max(waveMax, cold + w.totalMs!);
        ws.push(w);
      }
      makespan += waveMax + (options.hostMs?.(workers) ?? 0);
      const recorded =
        options.concurrency !== undefined && (options.recordConcurrency ?? true)
          ? { concurrency: options.concurrency }
          : {};
      out.push({ ...base, ...recorded, status: 'ok', error: null, makespanMs: makespan, workers: ws });
    }
  }
  return out;
}

/** A plausible stage: bandwidth growing with memory, single-threaded compute, per-worker setup. */
export const typicalLaw: Law = {
  phases: ({ memoryMB, vcpu, partitionMB }) => ({
    coldStart: 250 + 100 / Math.min(vcpu, 1),
    read: (partitionMB / ((80 * memoryMB) / (memoryMB + 512))) * 1000,
    compute: (300 + 20 * partitionMB) / Math.min(vcpu, 1),
    write: (0.2 * partitionMB * 1000) / 60 + 30,
  }),
  stragglerLogSd: 0.1,
  runLogSd: 0.03,
};

export const DESIGN: [number, number][] = [
  [4, 1024],
  [8, 2048],
  [16, 1024],
  [32, 3008],
  [8, 768],
  [16, 1769],
  [4, 3008],
  [32, 1536],
];
