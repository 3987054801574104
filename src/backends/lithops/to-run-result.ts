/**
 * What a bridge outcome means as a sample. A reply's `rightsizer.lithops-run/v1` record goes
 * through the same converter as `rightsizer import lithops-stats` (one reading of Lithops' stats
 * in the code base); a bridge that died or ran past its deadline is an `error` or `timeout` sample.
 */
import { RightsizerError } from '../../core/errors.js';
import { SAMPLE_SCHEMA, SampleSchema } from '../../core/types.js';
import type { Platform, Sample, SampleStatus } from '../../core/types.js';
import { runCostUSD } from '../../platforms/index.js';
import { lithopsRecordToSample } from '../../store/import-lithops-stats.js';
import type { StageRunRequest, StageRunResult } from '../backend.js';

export function failedRun(
  req: StageRunRequest,
  platform: Platform,
  startedAt: Date,
  status: SampleStatus,
  error: string,
): StageRunResult {
  const sample: Sample = SampleSchema.parse({
    schema: SAMPLE_SCHEMA,
    runId: req.runId,
    workflow: req.workflow,
    stage: req.stage.name,
    config: req.config,
    inputBytes: req.inputBytes,
    platform: platform.id,
    backend: 'lithops',
    rep: req.rep,
    startedAt: startedAt.toISOString(),
    timeoutMs: req.timeoutMs,
    status,
    error,
    makespanMs: null,
    workers: [],
  });
  return { sample };
}

export function recordToRunResult(record: unknown, req: StageRunRequest, platform: Platform): StageRunResult {
  const fields = (record ?? {}) as Record<string, unknown>;
  const converted = lithopsRecordToSample(record, req.rep, req.runId);
  if (!converted.sample)
    throw new RightsizerError('backend', `the Lithops bridge's record is no valid run: ${converted.reason}`);
  const sample: Sample = { ...converted.sample, platform: platform.id };
  const billed = sample.workers.map((w) => w.billedMs);
  if (sample.status === 'ok' && billed.every((b): b is number => typeof b === 'number'))
    sample.costUSD = runCostUSD(platform, req.config, billed);
  const outputKeys = Array.isArray(fields['outputKeys']) ? fields['outputKeys'].map(String) : undefined;
  const bridgeNotes = Array.isArray(fields['warnings']) ? fields['warnings'].map(String) : [];
  const notes = [...bridgeNotes, ...converted.notes];
  return {
    sample,
    ...(outputKeys ? { outputKeys } : {}),
    ...(notes.length > 0 ? { notes } : {}),
  };
}
