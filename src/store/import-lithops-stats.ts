/**
 * Imports Lithops runs: lines of `rightsizer.lithops-run/v1`, each one stage run with the
 * `future.stats` dict of every call, into `rightsizer.sample/v1`.
 *
 * Lithops stats are epoch seconds and bytes (docs/source/api_stats.rst). Choices:
 * - makespan: first `host_submit_tstamp` to last `host_status_done_tstamp`, all on the host's
 *   clock, so it is what the user waited for;
 * - cold start: `worker_start_tstamp − host_submit_tstamp` (as flexecutor measures it); the two
 *   stamps come from different clocks, so a negative value is clock skew: it is kept in the
 *   worker's `clockSkewMs`, the cold start is null, and a warning counts them;
 * - billedMs: the worker's wall time (`worker_end − worker_start`) rounded up to 1 ms. Lithops
 *   cannot see the platform's billed duration, and that wall time is the closest it measures
 *   (AWS bills the handler's whole run, plus init since 2025-08, which this leaves out);
 * - phases: a `phases` object ({read, compute, write} seconds, from our Python helper) when
 *   present, else all of the function's time is compute and read/write are null.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { inputError } from '../core/errors.js';
import { ConfigSchema, SAMPLE_SCHEMA, SampleSchema, SampleStatusSchema } from '../core/schemas.js';
import type { Sample, SampleStatus, WorkerRecord } from '../core/schemas.js';
import { BYTES_PER_MB } from '../core/units.js';
import type { ImportResult } from './import-result.js';
import { formatZodError } from '../core/zod-issue.js';

export const LITHOPS_RUN_SCHEMA = 'rightsizer.lithops-run/v1';

const finite = z.number().finite();
const StatsSchema = z
  .object({
    host_submit_tstamp: finite.optional(),
    host_status_done_tstamp: finite.optional(),
    worker_start_tstamp: finite.optional(),
    worker_end_tstamp: finite.optional(),
    worker_exec_time: finite.optional(),
    worker_func_start_tstamp: finite.optional(),
    worker_func_end_tstamp: finite.optional(),
    worker_func_exec_time: finite.optional(),
    worker_peak_memory_start: finite.optional(),
    worker_peak_memory_end: finite.optional(),
    worker_cold_start: z.boolean().optional(),
    phases: z
      .object({
        read: finite.nullable().optional(),
        compute: finite.nullable().optional(),
        write: finite.nullable().optional(),
      })
      .loose()
      .optional(),
  })
  .loose();
type Stats = z.infer<typeof StatsSchema>;

const LithopsRunSchema = z
  .object({
    schema: z.literal(LITHOPS_RUN_SCHEMA),
    workflow: z.string().min(1),
    stage: z.string().min(1),
    config: ConfigSchema,
    inputBytes: z.number().nonnegative().nullable().optional(),
    outputBytes: z.number().nonnegative().nullable().optional(),
    platform: z.string().optional(),
    futures: z.array(StatsSchema),
    status: SampleStatusSchema.optional(),
    error: z.string().nullable().optional(),
    rep: z.number().int().nonnegative().optional(),
    runId: z.string().min(1).optional(),
    startedAt: z.string().optional(),
    timeoutMs: z.number().positive().nullable().optional(),
  })
  .loose();
type LithopsRun = z.infer<typeof LithopsRunSchema>;

/** Reads a file of `rightsizer.lithops-run/v1` lines; see `parseLithopsRuns`. */
export async function importLithopsStats(path: string): Promise<ImportResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw inputError(`${path}: ${code === 'ENOENT' ? 'no such file' : `cannot read (${code ?? String(e)})`}`);
  }
  return parseLithopsRuns(text, path);
}

/**
 * One sample per good line. A bad line (not JSON, wrong shape) is skipped with a warning naming
 * its line; no sample at all is an error (exit 2). Runs without `rep` are numbered in order per
 * (workflow, stage, config); runs without `runId` get one hashed from the line, so importing the
 * same file twice dedupes.
 */
export function parseLithopsRuns(text: string, source: string): ImportResult {
  const samples: Sample[] = [];
  const warnings: string[] = [];
  const reps = new Map<string, number>();
  /** Line of each runId taken. */
  const lineOf = new Map<string, number>();
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    const where = `${source}:${i + 1}`;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (e) {
      warnings.push(`${where}: not valid JSON (${(e as Error).message}); line skipped`);
      return;
    }
    const parsed = LithopsRunSchema.safeParse(json);
    if (!parsed.success) {
      warnings.push(`${where}: ${formatZodError(parsed.error)}; line skipped`);
      return;
    }
    const run = parsed.data;
    const runId = run.runId ?? `lithops-${createHash('sha256').update(line).digest('hex').slice(0, 16)}`;
    // Readers keep a runId's first line only: say so here rather than lose the run unseen.
    const first = lineOf.get(runId);
    if (first !== undefined) {
      warnings.push(
        run.runId === undefined
          ? `${where}: the same record as line ${first}; line skipped`
          : `${where}: runId "${runId}" is already line ${first}'s; line skipped`,
      );
      return;
    }
    const key = JSON.stringify([
      run.workflow,
      run.stage,
      run.config.workers,
      run.config.memoryMB,
      run.config.vcpu,
    ]);
    const rep = run.rep ?? reps.get(key) ?? 0;
    const converted = lithopsRunSample(run, rep, runId);
    for (const note of converted.notes) warnings.push(`${where}: ${note}`);
    if (!converted.sample) {
      warnings.push(`${where}: ${converted.reason}; line skipped`);
      return;
    }
    samples.push(converted.sample);
    // Only a run taken holds its runId and repetition: a later good line of a bad one is kept.
    lineOf.set(runId, i + 1);
    reps.set(key, rep + 1);
  });
  if (samples.length === 0)
    throw inputError(
      `${source}: no Lithops run could be imported` +
        (warnings[0] ? ` (${warnings[0]})` : ' (the file is empty)'),
      `each line must be a ${LITHOPS_RUN_SCHEMA} record`,
    );
  return { samples, warnings };
}

/** One record converted, or why it makes no sample. */
export type LithopsRecordResult =
  { sample: Sample; notes: string[]; reason?: undefined } | { sample: null; notes: string[]; reason: string };

/**
 * One `rightsizer.lithops-run/v1` record (already JSON) as the sample of run `runId`, repetition
 * `rep`, with the notes of its conversion: the Lithops bridge's reading of its reply, through the
 * same conversion as the importer's lines.
 */
export function lithopsRecordToSample(json: unknown, rep: number, runId: string): LithopsRecordResult {
  const parsed = LithopsRunSchema.safeParse(json);
  if (!parsed.success) return { sample: null, notes: [], reason: formatZodError(parsed.error) };
  return lithopsRunSample(parsed.data, rep, runId);
}

/** A schema-checked run as a sample checked against sample/v1. */
function lithopsRunSample(run: LithopsRun, rep: number, runId: string): LithopsRecordResult {
  // Seconds since the epoch pass 1e11 in the year 5138; milliseconds did in 1973.
  for (const f of run.futures)
    for (const [k, v] of Object.entries(f))
      if (k.endsWith('_tstamp') && typeof v === 'number' && v > 1e11)
        return {
          sample: null,
          notes: [],
          reason: `${k} ${v} looks like milliseconds; Lithops' future.stats timestamps are seconds since the epoch`,
        };
  const { sample, notes } = lithopsRunToSample(run, rep, runId);
  const checked = SampleSchema.safeParse(sample);
  if (!checked.success)
    return {
      sample: null,
      notes,
      reason: `the run does not make a valid sample (${formatZodError(checked.error)})`,
    };
  return { sample: checked.data, notes };
}

const ms = (seconds: number | null | undefined): number | null =>
  seconds === null || seconds === undefined || !Number.isFinite(seconds) ? null : seconds * 1000;

/** Messages that mean the worker ran out of memory: an `oom` sample, not an `error`. */
const OOM = /MemoryError|out of memory|OutOfMemory|\bOOM\b|memory limit|signal: killed/i;

/** The exception a future carries, if any (Lithops and our helper use several key names). */
function exceptionOf(stats: Stats): string | null {
  for (const [key, value] of Object.entries(stats)) {
    if (!/^(exception|exc_|error)/i.test(key) || value === null || value === undefined || value === false)
      continue;
    return typeof value === 'string' ? value : JSON.stringify(value);
  }
  return null;
}

function workerRecord(stats: Stats): { record: WorkerRecord; skewed: boolean } {
  const totalMs =
    stats.worker_end_tstamp !== undefined && stats.worker_start_tstamp !== undefined
      ? (stats.worker_end_tstamp - stats.worker_start_tstamp) * 1000
      : ms(stats.worker_exec_time);
  const funcMs =
    ms(stats.worker_func_exec_time) ??
    (stats.worker_func_end_tstamp !== undefined && stats.worker_func_start_tstamp !== undefined
      ? (stats.worker_func_end_tstamp - stats.worker_func_start_tstamp) * 1000
      : null);
  const coldRaw =
    stats.worker_start_tstamp !== undefined && stats.host_submit_tstamp !== undefined
      ? (stats.worker_start_tstamp - stats.host_submit_tstamp) * 1000
      : null;
  const skewed = coldRaw !== null && coldRaw < 0;
  const peaks = [stats.worker_peak_memory_start, stats.worker_peak_memory_end].filter((b) => b !== undefined);
  const record: WorkerRecord = {
    coldStartMs: skewed ? null : coldRaw,
    readMs: stats.phases ? ms(stats.phases.read) : null,
    computeMs: stats.phases ? ms(stats.phases.compute) : funcMs,
    writeMs: stats.phases ? ms(stats.phases.write) : null,
    totalMs: totalMs !== null && totalMs >= 0 ? totalMs : null,
    peakMemoryMB: peaks.length > 0 ? Math.max(...peaks) / BYTES_PER_MB : null,
    billedMs: totalMs !== null && totalMs >= 0 ? Math.ceil(totalMs) : null,
    cold: stats.worker_cold_start ?? null,
  };
  if (skewed) record['clockSkewMs'] = coldRaw;
  return { record, skewed };
}

function lithopsRunToSample(
  run: LithopsRun,
  rep: number,
  runId: string,
): { sample: Sample; notes: string[] } {
  const notes: string[] = [];
  const workers: WorkerRecord[] = [];
  const failures: string[] = [];
  let skewed = 0;
  run.futures.forEach((stats, k) => {
    const { record, skewed: s } = workerRecord(stats);
    if (s) skewed++;
    workers.push(record);
    const exception = exceptionOf(stats);
    // Lithops drops the worker_func_* keys when the call raised.
    const ranFunction =
      stats.worker_func_exec_time !== undefined || stats.worker_func_end_tstamp !== undefined;
    if (exception !== null) failures.push(`worker ${k}: ${exception}`);
    else if (!ranFunction)
      failures.push(`worker ${k}: no worker_func_* stats (the call raised or never ran)`);
  });
  if (skewed > 0)
    notes.push(
      `${skewed} of ${workers.length} workers started before they were submitted (clock skew); their cold start is left out`,
    );
  if (run.futures.length > 0 && run.futures.length !== run.config.workers)
    notes.push(`config says ${run.config.workers} workers but ${run.futures.length} futures are recorded`);

  const submits = run.futures.map((f) => f.host_submit_tstamp).filter((t) => t !== undefined);
  const dones = run.futures.map((f) => f.host_status_done_tstamp).filter((t) => t !== undefined);
  const hostMakespanMs =
    submits.length > 0 && dones.length === run.futures.length && run.futures.length > 0
      ? (Math.max(...dones) - Math.min(...submits)) * 1000
      : null;
  // The host submitted before and collected after every worker ran: a makespan shorter than a
  // worker's own run time is the two clocks disagreeing, and the worker's time is the lower bound.
  const longestWorkerMs = Math.max(0, ...workers.map((w) => w.totalMs ?? 0));
  const makespanMs = hostMakespanMs === null ? null : Math.max(hostMakespanMs, longestWorkerMs);
  if (hostMakespanMs !== null && hostMakespanMs < longestWorkerMs)
    notes.push(
      `the host's makespan (${Math.round(hostMakespanMs)} ms) is shorter than a worker's run (${Math.round(longestWorkerMs)} ms): clock skew; the worker's time is used`,
    );

  let status: SampleStatus = run.status ?? 'ok';
  let error = run.error ?? null;
  if (run.status === undefined && failures.length > 0) {
    error =
      failures.length === 1
        ? failures[0]!
        : `${failures[0]!} (and ${failures.length - 1} more failed workers)`;
    status = failures.some((f) => OOM.test(f)) ? 'oom' : 'error';
  }
  if (status === 'ok' && run.futures.length === 0) {
    status = 'error';
    error = 'no futures recorded';
  }
  if (status === 'ok' && makespanMs === null) {
    status = 'error';
    error = 'no host_submit_tstamp/host_status_done_tstamp for every future: makespan unknown';
  }
  if (status !== 'ok' && error === null) error = `status ${status}`;

  // sample/v1 times are ISO-8601: a time given in another form is written as one, or left out.
  const givenStart =
    run.startedAt !== undefined && Number.isFinite(Date.parse(run.startedAt))
      ? new Date(run.startedAt).toISOString()
      : undefined;
  if (run.startedAt !== undefined && givenStart === undefined)
    notes.push(`startedAt "${run.startedAt}" is not a time; left out`);
  const sample: Sample = {
    schema: SAMPLE_SCHEMA,
    runId,
    workflow: run.workflow,
    stage: run.stage,
    config: run.config,
    ...(run.inputBytes !== undefined ? { inputBytes: run.inputBytes } : {}),
    ...(run.outputBytes !== undefined ? { outputBytes: run.outputBytes } : {}),
    ...(run.platform !== undefined ? { platform: run.platform } : {}),
    backend: 'lithops',
    rep,
    startedAt:
      givenStart ?? (submits.length > 0 ? new Date(Math.min(...submits) * 1000).toISOString() : undefined),
    ...(run.timeoutMs !== undefined ? { timeoutMs: run.timeoutMs } : {}),
    status,
    error,
    makespanMs,
    workers,
  };
  if (sample.startedAt === undefined) delete sample.startedAt;
  return { sample, notes };
}
