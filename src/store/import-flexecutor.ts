/**
 * Imports flexecutor's per-stage profiles (CLOUDLAB-URV/flexecutor): one JSON per stage,
 * `{"(cpu, memoryMB, workers)": {metric: [[value per worker] per repetition]}}`, seconds.
 * Folders look like `<example>/profiling/<name>_aws_<mem>Mb_<arch>/stage0.json`, or a plain
 * folder of stage JSONs. One sample per (config, repetition).
 *
 * Choices, where the format leaves room:
 * - workers: the per-worker values actually present (stages that do not parallelise record one
 *   value whatever the key says); the key's cpu is ignored (Lambda ties CPU to memory);
 * - totalMs: `worker_time_execution` (worker end − start) when present, else read+compute+write;
 * - makespan: the slowest worker's cold start + read + compute + write — flexecutor keeps no host
 *   timestamps, so this is the closest to what the user waited for (without submit overheads);
 * - billedMs: totalMs rounded up to 1 ms, AWS Lambda's billing step;
 * - cold start: flexecutor's `worker_start − host_submit`; a negative one is clock skew, kept as
 *   `clockSkewMs` and left out, as the Lithops importer does.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import { inputError } from '../core/errors.js';
import { jsonErrorMessage, stripBom } from '../core/text.js';
import { SAMPLE_SCHEMA, SampleSchema } from '../core/schemas.js';
import type { Sample, WorkerRecord } from '../core/schemas.js';
import type { ImportResult } from './import-result.js';
import { formatZodError } from '../core/zod-issue.js';

export type Arch = 'arm' | 'x86';

/** The catalog ids `platform: 'auto'` maps an architecture to. */
export const AUTO_PLATFORM: Record<Arch, string> = { arm: 'aws-lambda-arm64', x86: 'aws-lambda-x86' };

export interface FlexecutorImportOptions {
  /** Workflow name of the samples; default: the folder prefix before `_aws_`, else the folder's name. */
  name?: string;
  /** A platform id, or `auto` to pick aws-lambda-arm64 / aws-lambda-x86 from each folder's architecture. */
  platform: string;
  /** The stage's whole input, when known. */
  inputBytes?: number;
}

const KEY = /^\(\s*([\d.]+)\s*,\s*(\d+(?:\.\d+)?)\s*,\s*(\d+)\s*\)$/;
const PHASES = ['cold_start', 'read', 'compute', 'write', 'worker_time_execution'] as const;
type Metric = (typeof PHASES)[number];

/** Walks `dir` for stage JSONs and imports every one; files that are not flexecutor profiles are skipped with a warning. */
export async function importFlexecutorDir(
  dir: string,
  options: FlexecutorImportOptions,
): Promise<ImportResult> {
  const files = await jsonFiles(dir);
  if (files.length === 0)
    throw inputError(`${dir}: no .json files found`, 'give a flexecutor profiling folder');
  const samples: Sample[] = [];
  const warnings: string[] = [];
  for (const file of files) {
    const rel = relative(dir, file) || basename(file);
    const folderArch = archOf(
      relative(dir, dirname(file))
        .split(sep)
        .concat(basename(dirname(file))),
    );
    let json: unknown;
    const text = await readFile(file, 'utf8');
    try {
      json = parseLenientJson(text);
    } catch (e) {
      warnings.push(`${file}: not valid JSON (${(e as Error).message}); skipped`);
      continue;
    }
    const found = profileOf(json);
    if (!found) {
      warnings.push(`${file}: not a flexecutor profile (keys like "(cpu, memoryMB, workers)"); skipped`);
      continue;
    }
    const { profile, badKeys } = found;
    if (badKeys.length > 0)
      warnings.push(
        `${file}: ${badKeys.length} key${badKeys.length === 1 ? '' : 's'} not of the form "(cpu, memoryMB, workers)" with an object of metrics (e.g. ${JSON.stringify(badKeys[0])}); skipped, the rest imported`,
      );
    const arch = folderArch ?? archFromTags(profile);
    const platform = resolvePlatform(options.platform, arch, file, warnings);
    if (platform === null) continue;
    const workflow = options.name ?? workflowName(dir, file);
    const stage = basename(file, '.json');
    samples.push(...profileToSamples(profile, { file, rel, workflow, stage, platform, options, warnings }));
  }
  if (samples.length === 0)
    throw inputError(`${dir}: no sample could be imported` + (warnings[0] ? ` (${warnings[0]})` : ''));
  return { samples, warnings };
}

async function jsonFiles(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true, recursive: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw inputError(
      `${dir}: ${code === 'ENOENT' ? 'no such folder' : code === 'ENOTDIR' ? 'not a folder' : `cannot read (${code})`}`,
    );
  }
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.json'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/**
 * flexecutor writes with Python's `json`, which emits bare NaN and Infinity for missing or broken
 * measurements; JSON.parse rejects those, so they become null (outside strings only).
 */
export function parseLenientJson(text: string): unknown {
  const original = stripBom(text);
  // Each NaN or Infinity becomes null; `cuts` maps a position of the rewritten text back.
  const cuts: { at: number; from: number; length: number }[] = [];
  let shift = 0;
  const json = original.replace(/"(?:[^"\\]|\\.)*"|-?\b(?:NaN|Infinity)\b/g, (t, offset: number) => {
    if (t.startsWith('"')) return t;
    cuts.push({ at: offset + shift, from: offset, length: t.length });
    shift += 4 - t.length;
    return 'null';
  });
  try {
    return JSON.parse(json);
  } catch (e) {
    const at = (position: number): number => {
      let back = position;
      for (const c of cuts) {
        if (c.at > position) break;
        back = position < c.at + 4 ? c.from : c.from + c.length + (position - c.at - 4);
      }
      return back;
    };
    throw new SyntaxError(jsonErrorMessage(json, e, { text: original, at }));
  }
}

type Profile = Record<string, Record<string, unknown>>;

/**
 * The profile in a JSON file: its "(cpu, memoryMB, workers)" keys whose value is an object, with
 * the keys that are not skipped; null when no key is one (not a flexecutor profile).
 */
function profileOf(json: unknown): { profile: Profile; badKeys: string[] } | null {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return null;
  const profile: Profile = {};
  const badKeys: string[] = [];
  for (const [k, v] of Object.entries(json as Record<string, unknown>)) {
    if (KEY.test(k) && typeof v === 'object' && v !== null && !Array.isArray(v))
      profile[k] = v as Record<string, unknown>;
    else badKeys.push(k);
  }
  return Object.keys(profile).length > 0 ? { profile, badKeys } : null;
}

/** `ml_aws_1024Mb_arm` → arm; the deepest folder that names an architecture wins. */
export function archOf(folders: readonly string[]): Arch | null {
  for (const folder of [...folders].reverse()) {
    const parts = folder.toLowerCase().split(/[_\-.\s]+/);
    if (parts.some((p) => p === 'arm' || p === 'arm64' || p === 'aarch64')) return 'arm';
    if (parts.some((p) => p === 'x86' || p === 'amd64' || p === 'x64') || /x86_64/i.test(folder))
      return 'x86';
  }
  return null;
}

/** The `aws_cpu` tag each worker records (`…|arch:aarch64|…`), when the folder does not say. */
function archFromTags(profile: Profile): Arch | null {
  for (const metrics of Object.values(profile)) {
    const text = JSON.stringify(metrics['aws_cpu'] ?? metrics['cpu_architecture'] ?? '');
    if (/aarch64|arm64/i.test(text)) return 'arm';
    if (/x86_64|amd64/i.test(text)) return 'x86';
  }
  return null;
}

function resolvePlatform(
  platform: string,
  arch: Arch | null,
  file: string,
  warnings: string[],
): string | null {
  if (platform === 'auto') {
    if (arch === null) {
      warnings.push(
        `${file}: cannot tell arm from x86 (folder name or aws_cpu tag); skipped — give --platform`,
      );
      return null;
    }
    return AUTO_PLATFORM[arch];
  }
  const wants: Arch | null = /arm|aarch64/i.test(platform)
    ? 'arm'
    : /x86|amd64/i.test(platform)
      ? 'x86'
      : null;
  if (arch !== null && wants !== null && arch !== wants) {
    warnings.push(
      `${file}: profiled on ${arch}, not on platform ${platform}; skipped (use --platform auto to keep both)`,
    );
    return null;
  }
  return platform;
}

/** `…/ml/profiling/ml_aws_1024Mb_arm/stage0.json` → `ml`. */
function workflowName(root: string, file: string): string {
  const folder = basename(dirname(file));
  const m = /^(.+?)_aws_/i.exec(folder);
  if (m) return m[1]!;
  return basename(root) || 'workflow';
}

interface StageContext {
  file: string;
  rel: string;
  workflow: string;
  stage: string;
  platform: string;
  options: FlexecutorImportOptions;
  warnings: string[];
}

/**
 * A metric's values for one repetition, with NaN/null/missing as null; `odd` counts the values
 * that were there but not numbers (a string, a list), which are null too.
 */
function valuesOf(
  metrics: Record<string, unknown>,
  metric: Metric,
  rep: number,
  odd: { count: number },
): (number | null)[] | null {
  const reps = metrics[metric];
  if (!Array.isArray(reps)) return null;
  const row: unknown = reps[rep];
  if (!Array.isArray(row)) return null;
  return row.map((v) => {
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    if (v !== null && typeof v !== 'number') odd.count++;
    return null;
  });
}

function profileToSamples(profile: Profile, ctx: StageContext): Sample[] {
  const samples: Sample[] = [];
  // Keys whose repetitions recorded another number of workers than the key says (one warning per file).
  const differing: string[] = [];
  let partial = 0;
  const short = new Set<string>();
  let skewedWorkers = 0;
  const odd = { count: 0 };
  for (const [key, metrics] of Object.entries(profile)) {
    const m = KEY.exec(key)!;
    const memoryMB = Number(m[2]);
    const keyWorkers = Number(m[3]);
    const repCount = Math.max(
      0,
      ...PHASES.map((p) => (Array.isArray(metrics[p]) ? (metrics[p] as unknown[]).length : 0)),
    );
    let fewer = 0;
    for (let rep = 0; rep < repCount; rep++) {
      const values = Object.fromEntries(PHASES.map((p) => [p, valuesOf(metrics, p, rep, odd)])) as Record<
        Metric,
        (number | null)[] | null
      >;
      const workerCount = Math.max(0, ...PHASES.map((p) => values[p]?.length ?? 0));
      const where = `${ctx.file}: ${key} rep ${rep}`;
      if (workerCount === 0) {
        ctx.warnings.push(`${where}: no per-worker values; skipped`);
        continue;
      }
      if (workerCount !== keyWorkers) fewer++;
      // A phase recorded for fewer workers than the others: the rest of its values are missing.
      for (const p of PHASES) {
        const n = values[p]?.length;
        if (n !== undefined && n < workerCount) short.add(`${p}: ${n} of ${workerCount}`);
      }
      const workers: WorkerRecord[] = [];
      let makespanMs: number | null = null;
      let partialHere = false;
      for (let w = 0; w < workerCount; w++) {
        const sec = (p: Metric): number | null => values[p]?.[w] ?? null;
        const msOf = (p: Metric): number | null => {
          const s = sec(p);
          return s === null ? null : s * 1000;
        };
        const [readMs, computeMs, writeMs, coldRaw] = [
          msOf('read'),
          msOf('compute'),
          msOf('write'),
          msOf('cold_start'),
        ];
        const phaseSum =
          readMs !== null && computeMs !== null && writeMs !== null ? readMs + computeMs + writeMs : null;
        const totalMs = msOf('worker_time_execution') ?? phaseSum;
        const skewed = coldRaw !== null && coldRaw < 0;
        const record: WorkerRecord = {
          coldStartMs: skewed ? null : coldRaw,
          readMs,
          computeMs,
          writeMs,
          totalMs,
          billedMs: totalMs === null ? null : Math.ceil(totalMs),
        };
        if (skewed) {
          record['clockSkewMs'] = coldRaw;
          skewedWorkers++;
        }
        workers.push(record);
        // With a phase missing (and no total), the known phases give a lower bound; counted and reported.
        const known = [readMs, computeMs, writeMs].filter((v) => v !== null);
        const busy = phaseSum ?? totalMs ?? (known.length > 0 ? known.reduce((a, b) => a + b, 0) : null);
        if (phaseSum === null && totalMs === null && busy !== null) partialHere = true;
        if (busy !== null) makespanMs = Math.max(makespanMs ?? 0, busy + (skewed ? 0 : (coldRaw ?? 0)));
      }
      if (makespanMs === null) {
        ctx.warnings.push(`${where}: no worker has read/compute/write or worker_time_execution; skipped`);
        continue;
      }
      if (partialHere) partial++;
      const runId = `flexecutor-${createHash('sha256')
        .update(JSON.stringify([ctx.workflow, ctx.stage, key, rep, ctx.rel]))
        .digest('hex')
        .slice(0, 16)}`;
      const sample: Sample = {
        schema: SAMPLE_SCHEMA,
        runId,
        workflow: ctx.workflow,
        stage: ctx.stage,
        config: { workers: workerCount, memoryMB },
        ...(ctx.options.inputBytes !== undefined ? { inputBytes: ctx.options.inputBytes } : {}),
        platform: ctx.platform,
        backend: 'lithops',
        rep,
        status: 'ok',
        error: null,
        makespanMs,
        workers,
        source: { tool: 'flexecutor', file: ctx.rel, key },
      };
      const checked = SampleSchema.safeParse(sample);
      if (!checked.success) {
        ctx.warnings.push(`${where}: not a valid sample (${formatZodError(checked.error)}); skipped`);
        continue;
      }
      samples.push(checked.data);
    }
    if (fewer > 0) differing.push(key);
  }
  if (short.size > 0)
    ctx.warnings.push(
      `${ctx.file}: some phases list fewer workers than the others (${[...short].slice(0, 3).join('; ')}); the missing values are read as missing`,
    );
  if (partial > 0)
    ctx.warnings.push(
      `${ctx.file}: ${partial} samples have workers with missing phase values (NaN/null); their makespan counts only the known phases`,
    );
  if (skewedWorkers > 0)
    ctx.warnings.push(
      `${ctx.file}: ${skewedWorkers === 1 ? '1 worker has' : `${skewedWorkers} workers have`} a negative cold_start (clocks out of step); its cold start is left out`,
    );
  if (odd.count > 0)
    ctx.warnings.push(
      `${ctx.file}: ${odd.count === 1 ? '1 value is' : `${odd.count} values are`} not a number (a string, a list…); read as missing`,
    );
  if (differing.length > 0)
    ctx.warnings.push(
      `${ctx.file}: ${differing.length} of ${Object.keys(profile).length} configs recorded another number of workers than their key says (e.g. ${differing[0]}); the recorded count is used`,
    );
  return samples;
}
