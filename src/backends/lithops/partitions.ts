/**
 * The stage's partitions, one per worker, as the stage function receives them: its index, the
 * worker count, a contiguous share of the input keys (when rightsizer knows them), the stage's
 * params, and where to write. With no keys (a `prefix` input, or data the function finds
 * itself), `index` and `workers` tell each call its share.
 */
import type { StageRunRequest } from '../backend.js';

export interface LithopsPartition {
  index: number;
  workers: number;
  keys: string[];
  prefix: string | null;
  params: Record<string, unknown>;
  outputPrefix: string;
  runId: string;
  stage: string;
}

/** Worker i gets keys [⌊i·n/W⌋, ⌊(i+1)·n/W⌋): contiguous, sizes differing by at most one. */
export function partitionKeys(keys: readonly string[], workers: number): string[][] {
  const n = keys.length;
  return Array.from({ length: workers }, (_, i) =>
    keys.slice(Math.floor((i * n) / workers), Math.floor(((i + 1) * n) / workers)),
  );
}

export function stagePartitions(req: StageRunRequest): LithopsPartition[] {
  const input: Record<string, unknown> = req.stage.input ?? {};
  const listed = Array.isArray(input['keys']) ? input['keys'].map(String) : [];
  const keys = req.inputKeys ?? listed;
  const prefix = typeof input['prefix'] === 'string' ? input['prefix'] : null;
  const params = { ...(req.stage.params ?? {}), ...(req.params ?? {}) };
  const outputPrefix = req.outputPrefix ?? `runs/${req.stage.name}/${req.runId}/`;
  return partitionKeys([...keys].sort(), req.config.workers).map((share, index) => ({
    index,
    workers: req.config.workers,
    keys: share,
    prefix,
    params,
    outputPrefix,
    runId: req.runId,
    stage: req.stage.name,
  }));
}
