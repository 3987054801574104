/**
 * Deterministic run ids: the same (workflow, stage, config, rep, input) always gets the same id,
 * so a rerun of an interrupted profile recognises the runs already in the samples file and does
 * not repeat them (the samples file dedupes on runId).
 */
import { createHash } from 'node:crypto';
import type { ResolvedConfig } from '../core/types.js';

export interface RunKey {
  workflow: string;
  stage: string;
  config: ResolvedConfig;
  rep: number;
  /** The input the run reads: its size in bytes, or a label (e.g. `fraction=0.1`) where the size is measured by the backend. */
  input: number | string | null;
}

export function runIdFor(key: RunKey): string {
  const text = [
    key.workflow,
    key.stage,
    key.config.workers,
    key.config.memoryMB,
    Number(key.config.vcpu.toFixed(6)),
    key.rep,
    key.input ?? 'default',
  ].join('|');
  return `p-${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
}

/** The key of a config alone (for grouping runs of one config). */
export function configKey(c: { workers: number; memoryMB: number; vcpu?: number }): string {
  return `${c.workers}|${c.memoryMB}|${c.vcpu === undefined ? '' : Number(c.vcpu.toFixed(6))}`;
}
