/**
 * A simulated FaaS stage ("scenario"): the parameters of its noise-free truth (truth.ts) and of
 * its run-to-run noise (noise.ts), as a plain JSON document. The mechanisms and where their
 * shapes come from:
 * - vCPU share: AWS Lambda gives memoryMB / 1769 vCPU; code with `threads` threads uses at most
 *   that many, so single-threaded code stops gaining above 1 vCPU (AWS Lambda docs, configuration-memory).
 * - Per-worker bandwidth to object storage grows with memory and saturates (30–90 MB/s per
 *   function to S3, ANCHORS.md): bw(m) = mbps · m / (m + halfMemMB).
 * - Storage request-rate throttling at high fan-out (Primula, Middleware'20:
 *   T_io(p) = max(D/(B·p), p·r/Thr)): the stage's requests share an aggregate rate limit.
 * - Garbage-collection slowdown as memory approaches what the partition needs, and out of memory
 *   below it (the lesson of ARCHITECTURE.md "Models"): factor 1 + g / (m/need − 1).
 * - Lognormal run-to-run noise, lognormal per-worker stragglers, lognormal cold starts (Orion,
 *   OSDI'22, models latency distributions; cold starts mostly < 400 ms, ANCHORS.md).
 * - A concurrency limit: workers past it run in waves.
 */
import { z } from 'zod';

export const SCENARIO_SCHEMA = 'rightsizer.sim-scenario/v1';

const nonNeg = z.number().nonnegative();
const pos = z.number().positive();

const TransferSchema = z.object({
  /** Per-worker bandwidth when memory is plentiful, MB/s. */
  mbps: pos,
  /** Memory at which a worker gets half of `mbps`. */
  halfMemMB: nonNeg.default(0),
  /** Latency of one storage request, ms. */
  latencyMs: nonNeg.default(20),
  /** Bytes per request: a partition of P MB takes ceil(P / chunkMB) requests. */
  chunkMB: pos.default(64),
});

export const ScenarioSchema = z.object({
  schema: z.literal(SCENARIO_SCHEMA).default(SCENARIO_SCHEMA),
  name: z.string().min(1),
  description: z.string().optional(),
  /** Seed of the scenario's noise; a run's draws also depend on its config, rep and the caller's seed. */
  seed: z.number().int(),
  /** The stage's whole input. */
  inputBytes: pos,
  /** 1 for a stage that cannot be split (reduce, imaging). */
  maxWorkers: z.number().int().positive().optional(),
  /** Workers that run at once (else the platform's concurrency); the rest run in waves. */
  concurrency: z.number().int().positive().optional(),
  coldStart: z.object({
    medianMs: nonNeg,
    logSd: nonNeg.default(0.3),
    /** Runtime init CPU work (imports) at 1 vCPU, ms: slower on a fraction of a vCPU. */
    initCpuMs: nonNeg.default(0),
    /** Share of the cold start that is the billed init (the rest is invocation and queueing). */
    billedShare: z.number().min(0).max(1).default(0.5),
  }),
  read: TransferSchema.extend({
    /** Extra requests per worker (listing, metadata, small side inputs). */
    requestsPerWorker: nonNeg.default(1),
    /** Requests per worker per other worker (an all-to-all shuffle read): the total grows as workers². */
    requestsPerPeer: nonNeg.default(0),
    /** The storage's aggregate request rate, requests/s (S3: about 5,500 GET/s per prefix). */
    aggregateRps: pos.optional(),
  }),
  compute: z.object({
    /** CPU time per MB of partition at 1 vCPU, ms (for exponent 1). */
    msPerMB: nonNeg,
    /** Work grows as partitionMB^exponent (1.1 ≈ a sort's n log n over this range). */
    exponent: pos.default(1),
    /** Threads the code runs; effective CPU = min(vcpu, threads). */
    threads: pos.default(1),
    /** Per-worker setup (loading a model, imports) at 1 vCPU, single-threaded, ms. */
    setupMs: nonNeg.default(0),
  }),
  write: TransferSchema.extend({
    /** Output bytes per input byte. */
    outputRatio: nonNeg.default(1),
  }),
  memory: z.object({
    /** Memory any worker needs (runtime, libraries), MB. */
    baseMB: pos,
    /** MB needed per MB of partition. */
    perPartitionMB: nonNeg,
    /** Garbage-collection coefficient g: compute slows by 1 + g / (m/need − 1). */
    gc: nonNeg.default(0.05),
  }),
  /** Per-worker wrapper overhead outside the phases, ms. */
  overheadMs: nonNeg.default(15),
  noise: z.object({
    /** sd of ln of a run-wide factor on every worker's phase times. */
    runLogSd: nonNeg.default(0.05),
    /** sd of ln of each worker's own factor (stragglers). */
    stragglerLogSd: nonNeg.default(0.1),
    /**
     * Rare stragglers on top (a worker on a slow host, a throttled request): this share of the
     * workers runs `slowdown` times slower. The factors are scaled so a worker's mean is unchanged.
     */
    rareStragglers: z
      .object({ share: z.number().min(0).max(1), slowdown: z.number().min(1) })
      .default({ share: 0, slowdown: 1 }),
  }),
});

export type Scenario = z.infer<typeof ScenarioSchema>;
export type ScenarioInput = z.input<typeof ScenarioSchema>;

export function defineScenario(input: ScenarioInput): Scenario {
  return ScenarioSchema.parse(input);
}
