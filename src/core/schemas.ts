/**
 * The normative formats of ARCHITECTURE.md as zod schemas. Unknown fields are kept
 * (`.loose()`), as the formats promise; types are inferred from the schemas so the two never drift.
 */
import { z } from 'zod';

export const SAMPLE_SCHEMA = 'rightsizer.sample/v1';
export const WORKFLOW_SCHEMA = 'rightsizer.workflow/v1';
export const PLAN_SCHEMA = 'rightsizer.plan/v1';
export const PLATFORM_SCHEMA = 'rightsizer.platform/v1';

const positiveInt = z.number().int().positive();
const nonNegative = z.number().nonnegative();
/**
 * Sanity bounds: past them a value is a unit mix-up (seconds as ns, bytes as bits…) that would
 * drag a log-space fit by hundreds of units, not a measurement.
 */
const YEAR_MS = 365 * 24 * 3600 * 1000;
/** The most bytes an input or output may have: past an exabyte it is a unit mix-up. */
export const MAX_BYTES = 1e18;
const durationMs = nonNegative.max(YEAR_MS, 'more than a year, check the unit (milliseconds)');
const bytes = nonNegative.max(MAX_BYTES, 'more than an exabyte, check the unit (bytes)');
const nullableMs = durationMs.nullable().optional();
/** Memory sizes in MB: up to 10 TiB. */
const memoryMB = z
  .number()
  .positive()
  .max(10 * 1024 * 1024, 'more than 10 TiB, check the unit (MB)');
/** The shortest makespan an `ok` run can have: a run takes time, and the fit works in its log. */
const MIN_OK_MAKESPAN_MS = 1e-3;

/**
 * A copy of `value` without the keys in `keys` whose value is null: optional fields that a
 * producer wrote as null (Python's None) are absent, not a reason to reject the line.
 */
function withoutNulls(value: unknown, keys: readonly string[]): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const rec = value as Record<string, unknown>;
  if (!keys.some((k) => rec[k] === null)) return value;
  return Object.fromEntries(Object.entries(rec).filter(([k, v]) => !(v === null && keys.includes(k))));
}

export const ConfigSchema = z.preprocess(
  (v) => withoutNulls(v, ['vcpu']),
  z
    .object({
      workers: positiveInt,
      memoryMB,
      vcpu: z.number().positive().max(1024, 'more than 1024 vCPU').optional(),
    })
    .loose(),
);

export const WorkerRecordSchema = z
  .object({
    coldStartMs: z.number().nullable().optional(),
    readMs: nullableMs,
    computeMs: nullableMs,
    writeMs: nullableMs,
    totalMs: nullableMs,
    peakMemoryMB: nonNegative
      .max(10 * 1024 * 1024, 'more than 10 TiB, check the unit (MB)')
      .nullable()
      .optional(),
    billedMs: nullableMs,
    cold: z.boolean().nullable().optional(),
  })
  .loose();

export const SampleStatusSchema = z.enum(['ok', 'oom', 'timeout', 'error']);

export const SampleSchema = z.preprocess(
  (v) => withoutNulls(v, ['runId', 'platform', 'backend', 'startedAt', 'requests']),
  z
    .object({
      schema: z.literal(SAMPLE_SCHEMA),
      runId: z.string().min(1).optional(),
      workflow: z.string().min(1),
      stage: z.string().min(1),
      config: ConfigSchema,
      inputBytes: bytes.nullable().optional(),
      /** Bytes the stage wrote; gives downstream stages their input/output ratio. */
      outputBytes: bytes.nullable().optional(),
      /** Storage requests of the whole run, for storage request fees. */
      requests: z.object({ get: nonNegative.optional(), put: nonNegative.optional() }).loose().optional(),
      platform: z.string().optional(),
      backend: z.string().optional(),
      /** The stage's params the run was made with (profile writes them): another value is another workload. */
      params: z.record(z.string(), z.unknown()).optional(),
      rep: z.number().int().nonnegative(),
      /** ISO-8601 (a time zone may be left out, a local time; "2026-11-27T13:00:00.000Z"). */
      startedAt: z.iso.datetime({ offset: true, local: true }).optional(),
      timeoutMs: z.number().positive().nullable().optional(),
      status: SampleStatusSchema,
      error: z.string().nullable().optional(),
      makespanMs: durationMs.nullable().optional(),
      workers: z.array(WorkerRecordSchema).default([]),
      costUSD: nonNegative.nullable().optional(),
      /** Workers the backend could run at once at this config; `makespanMs` shows the waves past it. */
      concurrency: positiveInt.nullable().optional(),
      /** vCPU a worker could use: the config's, capped by the machine that ran it (the local backend). */
      effectiveVcpu: z.number().positive().nullable().optional(),
    })
    .loose()
    .superRefine((s, ctx) => {
      if (s.status !== 'ok') return;
      if (s.makespanMs == null)
        ctx.addIssue({ code: 'custom', path: ['makespanMs'], message: 'required when status is "ok"' });
      else if (s.makespanMs < MIN_OK_MAKESPAN_MS)
        ctx.addIssue({
          code: 'custom',
          path: ['makespanMs'],
          message: `must be at least ${MIN_OK_MAKESPAN_MS} ms when status is "ok" (got ${s.makespanMs})`,
        });
      if (s.workers.length === 0)
        ctx.addIssue({
          code: 'custom',
          path: ['workers'],
          message: 'needs one entry per worker when status is "ok"',
        });
    }),
);

/** `{min,max}` is a range, a list is a set of allowed values. */
export const SpaceAxisSchema = z.union([
  z.object({ min: z.number().positive(), max: z.number().positive() }).refine((r) => r.min <= r.max, {
    message: 'min must not exceed max',
  }),
  z.array(z.number().positive()).min(1),
]);

export const StageSpaceSchema = z
  .object({
    workers: SpaceAxisSchema.optional(),
    memoryMB: SpaceAxisSchema.optional(),
    vcpu: SpaceAxisSchema.optional(),
  })
  .loose();

const StageInputSchema = z.union([
  z.object({ prefix: z.string() }).loose(),
  z.object({ from: z.union([z.string(), z.array(z.string())]) }).loose(),
  z.object({ keys: z.array(z.string()) }).loose(),
]);

export const StageSchema = z
  .object({
    name: z.string().min(1),
    run: z.string().optional(),
    input: StageInputSchema.optional(),
    inputBytes: bytes.optional(),
    dependsOn: z.array(z.string()).optional(),
    space: StageSpaceSchema.optional(),
    maxWorkers: positiveInt.optional(),
    timeoutMs: z.number().positive().optional(),
    params: z.record(z.string(), z.unknown()).optional(),
  })
  .loose();

export const WorkflowSchema = z
  .object({
    schema: z.literal(WORKFLOW_SCHEMA).optional(),
    name: z.string().min(1),
    platform: z.string().default('aws-lambda-x86'),
    backend: z.enum(['local', 'lithops', 'exec', 'sim']).default('local'),
    setup: z.string().optional(),
    params: z.record(z.string(), z.unknown()).optional(),
    stages: z.array(StageSchema).min(1),
  })
  .loose();

/** ARCHITECTURE.md: null for the mean, else the latency percentile 50…99. */
const PercentileSchema = z.number().min(50).max(99).nullable();

export const ObjectiveSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('cost'), percentile: PercentileSchema }).loose(),
  z.object({ kind: z.literal('latency'), percentile: PercentileSchema }).loose(),
  z
    .object({
      kind: z.literal('balanced'),
      weight: z.number().min(0).max(1),
      percentile: PercentileSchema,
    })
    .loose(),
  z
    .object({
      kind: z.literal('deadline'),
      deadlineMs: z.number().positive(),
      percentile: PercentileSchema,
    })
    .loose(),
  z
    .object({
      kind: z.literal('budget'),
      budgetUSD: z.number().positive(),
      percentile: PercentileSchema,
    })
    .loose(),
]);

const PlanConfigSchema = z
  .object({ workers: positiveInt, memoryMB: z.number().positive(), vcpu: z.number().positive() })
  .loose();
const IntervalSchema = z.tuple([z.number(), z.number()]);

export const PlanSchema = z
  .object({
    schema: z.literal(PLAN_SCHEMA),
    workflow: z.string(),
    platform: z.string(),
    feasible: z.boolean(),
    objective: ObjectiveSchema,
    confidence: z.number().min(0).max(1).nullable().optional(),
    stages: z.array(
      z
        .object({
          stage: z.string(),
          inputBytes: nonNegative.nullable(),
          config: PlanConfigSchema,
          predicted: z
            .object({ latencyMs: nonNegative, latencyIntervalMs: IntervalSchema, costUSD: nonNegative })
            .loose(),
          model: z
            .object({
              family: z.string(),
              cvError: z.number().nullable(),
              configs: z.number().int(),
              runs: z.number().int(),
            })
            .loose(),
        })
        .loose(),
    ),
    predicted: z
      .object({
        latencyMs: nonNegative.nullable(),
        latencyIntervalMs: IntervalSchema.nullable(),
        costUSD: nonNegative,
        criticalPath: z.array(z.string()),
      })
      .loose(),
    pareto: z.array(
      z
        .object({
          latencyMs: nonNegative,
          costUSD: nonNegative,
          configs: z.record(z.string(), PlanConfigSchema),
        })
        .loose(),
    ),
    miss: z.object({ latencyMs: z.number().optional(), costUSD: z.number().optional() }).loose().optional(),
  })
  .loose()
  .refine((p) => p.feasible || (p.miss !== undefined && (p.miss.latencyMs ?? p.miss.costUSD) !== undefined), {
    message:
      'an infeasible plan ("feasible": false) says by how much it misses: "miss": {"latencyMs": …} or {"costUSD": …}',
    path: ['miss'],
  })
  .refine((p) => p.predicted.criticalPath.every((name) => p.stages.some((s) => s.stage === name)), {
    message: 'the critical path names only stages of the plan',
    path: ['predicted', 'criticalPath'],
  });

/** An axis of a platform: a stepped range or an explicit list. */
const PlatformAxisSchema = z.union([
  z
    .object({ min: z.number().positive(), max: z.number().positive(), step: z.number().positive() })
    .refine((r) => r.min <= r.max, { message: 'min must not exceed max' }),
  z.array(z.number().positive()).min(1),
]);

/** Whether `v` is one of an axis's values (a stepped range's steps within rounding). */
export function onAxis(axis: z.infer<typeof PlatformAxisSchema>, v: number): boolean {
  if (Array.isArray(axis)) return axis.includes(v);
  const k = (v - axis.min) / axis.step;
  return v >= axis.min && v <= axis.max && Math.abs(k - Math.round(k)) < 1e-9;
}

export const PlatformSchema = z
  .object({
    schema: z.literal(PLATFORM_SCHEMA).optional(),
    id: z.string().min(1),
    name: z.string().optional(),
    /** The day the prices and limits were read, ISO date. */
    date: z.string(),
    sources: z.array(z.string()).min(1),
    memoryMB: PlatformAxisSchema,
    /**
     * How CPU relates to memory: `proportional` (AWS Lambda: vcpu = memoryMB / mbPerVcpu),
     * `pairs` (an explicit list of allowed (memoryMB, vcpu)), or `independent` (vcpu its own axis,
     * with optional bounds on memory per vCPU).
     */
    cpu: z.discriminatedUnion('kind', [
      z.object({
        kind: z.literal('proportional'),
        mbPerVcpu: z.number().positive(),
        maxVcpu: z.number().positive().optional(),
      }),
      z.object({
        kind: z.literal('pairs'),
        pairs: z.array(z.object({ memoryMB: z.number().positive(), vcpu: z.number().positive() })).min(1),
      }),
      z.object({
        kind: z.literal('independent'),
        vcpu: PlatformAxisSchema,
        minMBPerVcpu: z.number().nonnegative().optional(),
        maxMBPerVcpu: z.number().positive().optional(),
      }),
    ]),
    maxConcurrency: positiveInt,
    timeoutMs: z.number().positive(),
    billing: z.object({
      granularityMs: z.number().positive(),
      minimumMs: z.number().nonnegative().default(0),
      /** Whether the init (cold start) time is billed. */
      billsInit: z.boolean().default(true),
    }),
    prices: z.object({
      perGBSecond: nonNegative,
      perVcpuSecond: nonNegative.default(0),
      perRequest: nonNegative.default(0),
      perStorageGet: nonNegative.default(0),
      perStoragePut: nonNegative.default(0),
    }),
  })
  .loose()
  .superRefine((p, ctx) => {
    // The pairs are the sizes offered; a pair off the memory axis means one of the two is a typo.
    if (p.cpu.kind !== 'pairs') return;
    p.cpu.pairs.forEach((pair, i) => {
      if (!onAxis(p.memoryMB, pair.memoryMB))
        ctx.addIssue({
          code: 'custom',
          path: ['cpu', 'pairs', i, 'memoryMB'],
          message: `${pair.memoryMB} MB is not one of the platform's memoryMB sizes`,
        });
    });
  });

export type Config = z.infer<typeof ConfigSchema>;
export type WorkerRecord = z.infer<typeof WorkerRecordSchema>;
export type SampleStatus = z.infer<typeof SampleStatusSchema>;
export type Sample = z.infer<typeof SampleSchema>;
export type SpaceAxis = z.infer<typeof SpaceAxisSchema>;
export type StageSpace = z.infer<typeof StageSpaceSchema>;
export type StageDef = z.infer<typeof StageSchema>;
export type Workflow = z.infer<typeof WorkflowSchema>;
export type Objective = z.infer<typeof ObjectiveSchema>;
export type Plan = z.infer<typeof PlanSchema>;
export type Platform = z.infer<typeof PlatformSchema>;
export type PlatformInput = z.input<typeof PlatformSchema>;
