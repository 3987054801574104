/**
 * What one engine run means as a rightsizer.sample/v1, by the protocol's rules: stopped at the
 * timeout, or a reply with a worker past it → `timeout`; a non-zero exit, no JSON reply, or a reply that is not a run-result →
 * `error` with the tail of stderr; otherwise the reply's own status and timings.
 */
import { RightsizerError } from '../../core/errors.js';
import { SAMPLE_SCHEMA, SampleSchema } from '../../core/types.js';
import type { Platform, Sample, SampleStatus, WorkerRecord } from '../../core/types.js';
import { formatZodError } from '../../core/zod-issue.js';
import { runCostUSD } from '../../platforms/index.js';
import type { StageRunRequest, StageRunResult } from '../backend.js';
import type { CommandOutcome } from './run-command.js';
import { RUN_RESULT_SCHEMA, RunResultSchema } from './protocol.js';
import type { RunResult } from './protocol.js';

/** Enough of stderr to show a traceback's last frames and message, short enough for one sample line. */
const STDERR_TAIL_CHARS = 2000;

interface Verdict {
  status: SampleStatus;
  error: string | null;
  result: RunResult | null;
}

function judge(outcome: CommandOutcome, timeoutMs: number): Verdict {
  const failed = (reason: string): Verdict => ({ status: 'error', error: reason, result: null });
  if (outcome.ended === 'timeout')
    return {
      status: 'timeout',
      error: `no reply within ${timeoutMs} ms; its process group was killed`,
      result: null,
    };
  if (outcome.exitSignal !== null) return failed(`the engine was killed by ${outcome.exitSignal}`);
  if (outcome.exitCode !== 0) return failed(`the engine exited with code ${String(outcome.exitCode)}`);
  if (outcome.reply === null) {
    const overlong = outcome.overlongLines > 0 ? ` (${outcome.overlongLines} over-long line(s) skipped)` : '';
    return failed(
      `no line of the engine's stdout parsed as JSON${overlong}; expected a ${RUN_RESULT_SCHEMA} reply`,
    );
  }
  const parsed = RunResultSchema.safeParse(outcome.reply.value);
  if (!parsed.success)
    return failed(`the engine's reply is not a ${RUN_RESULT_SCHEMA}: ${formatZodError(parsed.error)}`);
  const result = parsed.data;
  // The stage's timeout bounds each worker (a platform stops an invocation at it): an engine that
  // reports a worker past it (a simulator, an engine without the limit) ran what would time out.
  const longest = Math.max(0, ...result.workers.map((w) => w.totalMs ?? 0));
  if (result.status === 'ok' && longest > timeoutMs)
    return {
      status: 'timeout',
      error: `the reply has a worker running ${Math.round(longest)} ms, past the stage's timeoutMs ${timeoutMs} ms`,
      result,
    };
  const error =
    result.status === 'ok'
      ? null
      : (result.error ??
        (result.status === 'oom' ? 'out of memory (engine)' : `the engine reported ${result.status}`));
  return { status: result.status, error, result };
}

/** Billed time of a worker: as reported, else its wall time plus the cold start where the platform bills init. */
function workerBilledMs(p: Platform, w: WorkerRecord): number | null {
  if (w.billedMs != null) return w.billedMs;
  if (w.totalMs == null) return null;
  return w.totalMs + (p.billing.billsInit ? (w.coldStartMs ?? 0) : 0);
}

function costOf(p: Platform, req: StageRunRequest, r: RunResult): number | null {
  if (r.costUSD != null) return r.costUSD;
  if (r.workers.length === 0) return null;
  const billed: number[] = [];
  for (const w of r.workers) {
    const ms = workerBilledMs(p, w);
    if (ms === null) return null;
    billed.push(ms);
  }
  // A reply listing fewer workers than ran (a summary entry, say) bills every worker that ran, at
  // the listed ones' mean, rather than only those listed.
  const n = req.config.workers;
  const perWorker =
    billed.length < n ? new Array<number>(n).fill(billed.reduce((a, x) => a + x, 0) / billed.length) : billed;
  return runCostUSD(p, req.config, perWorker, { get: r.requests?.get ?? 0, put: r.requests?.put ?? 0 });
}

export function toRunResult(
  outcome: CommandOutcome,
  req: StageRunRequest,
  platform: Platform,
): StageRunResult {
  const verdict = judge(outcome, req.timeoutMs);
  const first = sampleOf(outcome, req, platform, verdict);
  if (first.success) return withNotes(withKeys(first.data, verdict.result), req, verdict.result);
  // A reply the protocol takes but a sample cannot hold (an ok run of 0 ms, a year-long phase) is
  // the engine's error, recorded as such: the profile goes on, and the reason is in the samples.
  const reason = `the engine's reply does not make a valid sample: ${formatZodError(first.error)}`;
  const failed = sampleOf(outcome, req, platform, { status: 'error', error: reason, result: null });
  if (!failed.success)
    throw new RightsizerError(
      'backend',
      `stage ${req.stage.name}: no sample can hold this run: ${formatZodError(failed.error)}`,
    );
  return { sample: failed.data };
}

/** A reply that lists fewer workers than ran is read as a summary: said, since the cost rests on it. */
function withNotes(run: StageRunResult, req: StageRunRequest, result: RunResult | null): StageRunResult {
  const listed = result?.workers.length ?? 0;
  if (listed === 0 || listed >= req.config.workers) return run;
  return {
    ...run,
    notes: [
      `the engine's reply lists ${listed} of ${req.config.workers} workers: each unlisted worker is taken as their mean (${result?.costUSD == null ? 'cost, phases' : "phases; the cost is the reply's"})`,
    ],
  };
}

function withKeys(sample: Sample, result: RunResult | null): StageRunResult {
  return result?.outputKeys ? { sample, outputKeys: result.outputKeys } : { sample };
}

function sampleOf(
  outcome: CommandOutcome,
  req: StageRunRequest,
  platform: Platform,
  { status, error, result }: Verdict,
): ReturnType<typeof SampleSchema.safeParse> {
  const stderrTail = status === 'ok' ? '' : outcome.stderr.tail(STDERR_TAIL_CHARS);
  return SampleSchema.safeParse({
    schema: SAMPLE_SCHEMA,
    runId: req.runId,
    workflow: req.workflow,
    stage: req.stage.name,
    config: { workers: req.config.workers, memoryMB: req.config.memoryMB, vcpu: req.config.vcpu },
    inputBytes: req.inputBytes,
    ...(result?.outputBytes != null ? { outputBytes: result.outputBytes } : {}),
    ...(result?.requests ? { requests: result.requests } : {}),
    platform: platform.id,
    backend: 'exec',
    rep: req.rep,
    startedAt: outcome.startedAt.toISOString(),
    timeoutMs: req.timeoutMs,
    status,
    error: error === null ? null : stderrTail ? `${error}; stderr: ${stderrTail}` : error,
    makespanMs: result?.makespanMs ?? null,
    workers: result?.workers ?? [],
    costUSD: result ? costOf(platform, req, result) : null,
  });
}
