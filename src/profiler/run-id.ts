/**
 * Deterministic run ids: the same (workflow, stage, config, rep, input, params) always gets the same id,
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
  /** The stage's effective params (workflow's, then its own): another value is another workload. */
  params?: Readonly<Record<string, unknown>> | null;
}

type Params = Readonly<Record<string, unknown>>;

/** A stage's effective params: the workflow's, then its own; null when it has none. */
export function stageParams(
  workflow: { params?: Params | undefined },
  stage: { params?: Params | undefined } | undefined,
): Record<string, unknown> | null {
  const p = { ...(workflow.params ?? {}), ...(stage?.params ?? {}) };
  return Object.keys(p).length > 0 ? p : null;
}

/** Params in a canonical text (keys sorted at every level), or '' for none. */
export function paramsText(params: Readonly<Record<string, unknown>> | null | undefined): string {
  if (!params || Object.keys(params).length === 0) return '';
  const canon = (v: unknown): unknown =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, canon((v as Record<string, unknown>)[k])]),
        )
      : Array.isArray(v)
        ? v.map(canon)
        : v;
  return JSON.stringify(canon(params));
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
    // Appended only when there are params, so the ids of runs without any stay what they were.
    ...(paramsText(key.params) ? [paramsText(key.params)] : []),
  ].join('|');
  return `p-${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
}

/** The key of a config alone (for grouping runs of one config). */
export function configKey(c: { workers: number; memoryMB: number; vcpu?: number }): string {
  return `${c.workers}|${c.memoryMB}|${c.vcpu === undefined ? '' : Number(c.vcpu.toFixed(6))}`;
}
