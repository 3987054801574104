/**
 * The IPC messages between the local backend (host) and one worker process. A worker sends
 * `ready` once its stage module is loaded (the end of its cold start), receives one `run`, and
 * answers `done` or `failed` before exiting.
 */
import type { ResolvedConfig } from '../../core/types.js';
import type { Partition } from './partition.js';

export interface RunMessage {
  type: 'run';
  storeRoot: string;
  outputPrefix: string;
  partition: Partition;
  config: ResolvedConfig;
  params: Record<string, unknown>;
  stage: string;
  workflow: string;
  runId: string;
}

export interface WorkerReport {
  readMs: number;
  computeMs: number;
  writeMs: number;
  /** Wall time of the stage function as the worker measured it. */
  handlerMs: number;
  outputKeys: string[];
  outputBytes: number;
  inputBytesRead: number;
  requests: { get: number; put: number };
  /** process.resourceUsage().maxRSS of the worker, in KiB. */
  maxRssKB: number;
}

export type WorkerMessage =
  | { type: 'ready'; pid: number }
  | ({ type: 'done' } & WorkerReport)
  | { type: 'failed'; message: string; stack: string | null; maxRssKB: number };

export function isWorkerMessage(m: unknown): m is WorkerMessage {
  return typeof m === 'object' && m !== null && typeof (m as { type?: unknown }).type === 'string';
}
