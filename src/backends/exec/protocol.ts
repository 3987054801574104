/**
 * The exec backend protocol of ARCHITECTURE.md (normative): the one request line rightsizer
 * writes to the engine's stdin, and the reply it reads back from the engine's stdout.
 */
import { z } from 'zod';
import { SampleStatusSchema, WorkerRecordSchema } from '../../core/types.js';
import type { Platform } from '../../core/types.js';
import type { StageRunRequest } from '../backend.js';

export const RUN_REQUEST_SCHEMA = 'rightsizer.run-request/v1';
export const RUN_RESULT_SCHEMA = 'rightsizer.run-result/v1';

export interface RunRequest {
  schema: typeof RUN_REQUEST_SCHEMA;
  runId: string;
  workflow: string;
  stage: string;
  config: { workers: number; memoryMB: number; vcpu: number };
  platform: string;
  inputBytes: number | null;
  rep: number;
  timeoutMs: number;
  seed: number;
}

/** Exactly the fields the protocol names, in its order; nothing backend-internal leaks out. */
export function runRequest(req: StageRunRequest, platform: Platform): RunRequest {
  return {
    schema: RUN_REQUEST_SCHEMA,
    runId: req.runId,
    workflow: req.workflow,
    stage: req.stage.name,
    config: { workers: req.config.workers, memoryMB: req.config.memoryMB, vcpu: req.config.vcpu },
    platform: platform.id,
    inputBytes: req.inputBytes,
    rep: req.rep,
    timeoutMs: req.timeoutMs,
    seed: req.seed,
  };
}

const nonNegative = z.number().nonnegative();

/**
 * The reply. `status` takes every sample status: `ok` and `oom` are the protocol's, and an
 * engine that knows its run failed or timed out (say, the cloud's own timeout) can say so too.
 * `outputBytes`, `requests` and `outputKeys` are optional extras carried into the sample and
 * the run result; unknown fields are kept and ignored, as every format promises.
 */
export const RunResultSchema = z
  .object({
    schema: z.literal(RUN_RESULT_SCHEMA),
    status: SampleStatusSchema,
    makespanMs: nonNegative.nullable().optional(),
    workers: z.array(WorkerRecordSchema).default([]),
    costUSD: nonNegative.nullable().optional(),
    error: z.string().nullable().optional(),
    outputBytes: nonNegative.nullable().optional(),
    requests: z.object({ get: nonNegative.optional(), put: nonNegative.optional() }).loose().optional(),
    outputKeys: z.array(z.string()).optional(),
  })
  .loose()
  .superRefine((r, ctx) => {
    if (r.status !== 'ok') return;
    if (r.makespanMs == null)
      ctx.addIssue({ code: 'custom', path: ['makespanMs'], message: 'required when status is "ok"' });
    if (r.workers.length === 0)
      ctx.addIssue({
        code: 'custom',
        path: ['workers'],
        message: 'needs one entry per worker when status is "ok"',
      });
  });

export type RunResult = z.infer<typeof RunResultSchema>;
