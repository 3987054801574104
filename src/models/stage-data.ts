/**
 * Turns one stage's samples into training rows: per `ok` sample, the mean over its workers of
 * each phase, the worker wall time, the billed time, the finish time (cold start + wall time)
 * and its spread across workers, and the makespan; plus the `oom` and `timeout` configs.
 */
import { BYTES_PER_MB } from '../core/units.js';
import type { Sample } from '../core/types.js';
import type { Features } from './features.js';

export interface StageRow {
  key: string;
  x: Features;
  inputBytes: number | null;
  coldMs: number | null;
  readMs: number | null;
  writeMs: number | null;
  /** Worker wall time, cold start excluded. */
  totalMs: number;
  billedMs: number;
  /** Mean of coldStart + total over the workers. */
  finishMs: number;
  /** Spread of ln(coldStart + total) across the workers; null with one worker. */
  finishSpread: LogSpread | null;
  /** Each worker's ln(finish) less the run's mean, × √(k/(k−1)) for k workers; empty with one. */
  finishDeviations: number[];
  /** Spread of ln(coldStart) across the workers that report a positive one; null with fewer than two. */
  coldSpread: LogSpread | null;
  /** Spread of ln(total) across the workers; null with one worker. */
  workSpread: LogSpread | null;
  /** Of the workers' billed times: the part of a run's cost that averages out over its workers. */
  billedSpread: LogSpread | null;
  makespanMs: number;
  /**
   * The makespan beyond the slowest worker's finish (cold start + total): the host's submitting
   * and collecting. Null unless every worker reported its cold start and the run had one wave.
   */
  overheadMs: number | null;
  workers: number;
  /** Workers the backend could run at once (the sample's `concurrency`); null: unlimited. */
  concurrency: number | null;
  /** Largest peak memory reported by a worker, MB; null when none reported. */
  peakMB: number | null;
}

/** A sample sd of ln(values) and its degrees of freedom (values − 1). */
export interface LogSpread {
  logSd: number;
  df: number;
}

export interface FailedConfig {
  x: Features;
  workers: number;
  memoryMB: number;
  timeoutMs: number | null;
  inputBytes: number | null;
}

export interface StageData {
  stage: string;
  rows: StageRow[];
  ooms: FailedConfig[];
  timeouts: FailedConfig[];
  errors: number;
  /** Configs (workers × memory) whose every run failed with an error: never recommended as they are. */
  erroredConfigs: { workers: number; memoryMB: number }[];
  /** Median inputBytes profiled, null when no sample said. */
  inputRef: number | null;
  outputRatio: number;
  requestsPerWorker: { get: number; put: number };
  /** Per `ok` sample that reported storage requests: its config and requests per worker. */
  requestPoints: RequestPoint[];
}

export interface RequestPoint {
  x: Features;
  get: number | null;
  put: number | null;
}

function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const s = xs.slice().sort((a, b) => a - b);
  const mid = s.length / 2;
  return s.length % 2 ? s[Math.floor(mid)]! : (s[mid - 1]! + s[mid]!) / 2;
}

function meanOf(values: readonly (number | null | undefined)[]): number | null {
  let s = 0;
  let k = 0;
  for (const v of values) {
    if (v != null && Number.isFinite(v)) {
      s += v;
      k++;
    }
  }
  return k === 0 ? null : s / k;
}

/** Partition size in MB; with no input size, the input is one unit (1 MB) split n ways. */
export function partitionMB(inputBytes: number | null, workers: number): number {
  const bytes = inputBytes != null && inputBytes > 0 ? inputBytes : BYTES_PER_MB;
  return bytes / BYTES_PER_MB / workers;
}

/**
 * One config's identity. The vCPU enters at 2 significant digits: a sample that states it as
 * printed (1.158) and one that states it exactly (1.15772) ran the same config, and splitting them
 * would double its weight in cross-validation; sizes a platform sells apart differ by more.
 */
export function configKey(
  workers: number,
  memoryMB: number,
  vcpu: number,
  inputBytes: number | null,
): string {
  return `${workers}|${memoryMB}|${vcpu.toPrecision(2)}|${inputBytes ?? '-'}`;
}

export function prepareStage(samples: readonly Sample[]): StageData {
  const known = samples.map((s) => s.inputBytes).filter((b): b is number => b != null && b > 0);
  const inputRef = median(known);
  const inputOf = (s: Sample): number | null =>
    s.inputBytes != null && s.inputBytes > 0 ? s.inputBytes : inputRef;
  const features = (s: Sample): Features => {
    const n = s.config.workers;
    return {
      workers: n,
      memoryMB: s.config.memoryMB,
      // What the worker could use: a config's vCPU past the machine's cores buys it nothing.
      vcpu: s.effectiveVcpu ?? s.config.vcpu ?? s.config.memoryMB / 1769,
      partitionMB: partitionMB(inputOf(s), n),
      floorMB: 0,
    };
  };

  const rows: StageRow[] = [];
  const ooms: FailedConfig[] = [];
  const timeouts: FailedConfig[] = [];
  let errors = 0;
  const errored = new Map<string, { workers: number; memoryMB: number }>();
  const ratios: number[] = [];
  const gets: number[] = [];
  const puts: number[] = [];
  const requestPoints: RequestPoint[] = [];
  for (const s of samples) {
    const x = features(s);
    const failed = {
      x,
      workers: s.config.workers,
      memoryMB: s.config.memoryMB,
      timeoutMs: s.timeoutMs ?? null,
      inputBytes: inputOf(s),
    };
    if (s.status === 'oom') ooms.push(failed);
    else if (s.status === 'timeout') timeouts.push(failed);
    else if (s.status === 'error') {
      errors++;
      errored.set(`${s.config.workers}x${s.config.memoryMB}`, {
        workers: s.config.workers,
        memoryMB: s.config.memoryMB,
      });
    }
    // A makespan of 0 (a library caller that skipped the schema) has no log: the fit would diverge.
    if (s.status !== 'ok' || s.makespanMs == null || !(s.makespanMs > 0) || s.workers.length === 0) continue;

    const ws = s.workers;
    const readMs = meanOf(ws.map((w) => w.readMs));
    const computeMs = meanOf(ws.map((w) => w.computeMs));
    const writeMs = meanOf(ws.map((w) => w.writeMs));
    const coldMs = meanOf(ws.map((w) => w.coldStartMs));
    const phaseSum = (w: (typeof ws)[number]): number =>
      (w.readMs ?? 0) + (w.computeMs ?? 0) + (w.writeMs ?? 0);
    const totals = ws.map((w) => w.totalMs ?? phaseSum(w));
    const totalMs = meanOf(totals) ?? s.makespanMs;
    const billed = ws.map((w, i) => w.billedMs ?? totals[i]! + Math.max(w.coldStartMs ?? 0, 0));
    const finishes = ws.map((w, i) => Math.max(totals[i]! + Math.max(w.coldStartMs ?? 0, 0), 1e-3));
    const colds = ws.flatMap((w) => (w.coldStartMs != null && w.coldStartMs > 0 ? [w.coldStartMs] : []));
    rows.push({
      key: configKey(x.workers, x.memoryMB, x.vcpu, inputOf(s)),
      x,
      inputBytes: inputOf(s),
      coldMs,
      readMs: readMs == null && computeMs == null && writeMs == null ? null : readMs,
      writeMs: readMs == null && computeMs == null && writeMs == null ? null : writeMs,
      totalMs,
      billedMs: meanOf(billed) ?? totalMs,
      finishMs: meanOf(finishes) ?? totalMs,
      finishSpread: logSpread(finishes),
      finishDeviations: lnDeviations(finishes),
      coldSpread: logSpread(colds),
      workSpread: logSpread(totals.filter((t) => t > 0)),
      billedSpread: logSpread(billed.filter((b) => b > 0)),
      makespanMs: s.makespanMs,
      overheadMs:
        ws.length === s.config.workers &&
        ws.every((w) => w.coldStartMs != null) &&
        (s.concurrency == null || s.config.workers <= s.concurrency)
          ? s.makespanMs - Math.max(...finishes)
          : null,
      workers: ws.length,
      concurrency: s.concurrency ?? null,
      peakMB: ws.some((w) => w.peakMemoryMB != null) ? Math.max(...ws.map((w) => w.peakMemoryMB ?? 0)) : null,
    });
    if (s.outputBytes != null && s.inputBytes) ratios.push(s.outputBytes / s.inputBytes);
    if (s.requests?.get != null) gets.push(s.requests.get / s.config.workers);
    if (s.requests?.put != null) puts.push(s.requests.put / s.config.workers);
    if (s.requests?.get != null || s.requests?.put != null)
      requestPoints.push({
        x,
        get: s.requests.get != null ? s.requests.get / s.config.workers : null,
        put: s.requests.put != null ? s.requests.put / s.config.workers : null,
      });
  }
  // A config that also ran is not one that only failed.
  for (const r of rows) errored.delete(`${r.x.workers}x${r.x.memoryMB}`);
  return {
    stage: samples[0]?.stage ?? '',
    rows,
    ooms,
    timeouts,
    errors,
    erroredConfigs: [...errored.values()],
    inputRef,
    outputRatio: median(ratios) ?? 1,
    requestsPerWorker: { get: meanOf(gets) ?? 0, put: meanOf(puts) ?? 0 },
    requestPoints,
  };
}

/** Each ln(value) less their mean, × √(k/(k−1)) for k values (so Σd²/k is the sample variance); empty with one. */
function lnDeviations(values: readonly number[]): number[] {
  const k = values.length;
  if (k < 2) return [];
  const logs = values.map((v) => Math.log(v));
  const m = logs.reduce((a, b) => a + b, 0) / k;
  const c = Math.sqrt(k / (k - 1));
  return logs.map((v) => (v - m) * c);
}

/** Sample sd of ln(values) with its degrees of freedom; null with fewer than two. */
function logSpread(values: readonly number[]): LogSpread | null {
  if (values.length < 2) return null;
  const logs = values.map((v) => Math.log(v));
  const m = logs.reduce((a, b) => a + b, 0) / logs.length;
  const df = logs.length - 1;
  return { logSd: Math.sqrt(logs.reduce((a, b) => a + (b - m) ** 2, 0) / df), df };
}
