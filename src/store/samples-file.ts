/**
 * The samples file: JSON Lines of `rightsizer.sample/v1`, one profiled run per line. Reading
 * reports each bad line with its number and keeps the rest; appending is durable (one write and
 * an fsync per line), so a crash can tear at most the line being written, never an earlier one.
 */
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Writable } from 'node:stream';
import { inputError, RightsizerError } from '../core/errors.js';
import { SAMPLE_SCHEMA, SampleSchema } from '../core/schemas.js';
import type { Sample } from '../core/schemas.js';
import { formatZodError } from '../core/zod-issue.js';
import { stripBom } from '../core/text.js';

export interface LineProblem {
  /** 1-based line number in the file. */
  line: number;
  reason: string;
}

export interface ReadSamplesOptions {
  /** The first bad line is fatal (a RightsizerError naming file:line) instead of reported and skipped. */
  strict?: boolean;
  /**
   * A missing or empty file gives no samples instead of an error: for resuming a profile whose
   * samples file may not exist yet.
   */
  allowEmpty?: boolean;
}

export interface ReadSamplesResult {
  samples: Sample[];
  problems: LineProblem[];
  /** Lines dropped because an earlier line had the same runId (an error's rerun replaces it instead). */
  duplicates: number;
}

/** Reads a samples file; see `parseSamples` for what counts as a bad line. */
export async function readSamples(
  path: string,
  options: ReadSamplesOptions = {},
): Promise<ReadSamplesResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && options.allowEmpty) return { samples: [], problems: [], duplicates: 0 };
    if (code === 'ENOENT')
      throw inputError(
        `${path}: no such samples file`,
        'give the JSONL file written by `rightsizer profile` or an importer',
      );
    if (code === 'EISDIR') throw inputError(`${path}: is a directory, expected a samples file (JSONL)`);
    throw inputError(`${path}: cannot read (${code ?? String(e)})`);
  }
  return parseSamples(text, path, options);
}

/**
 * Parses samples JSONL. Blank lines are ignored; a line that is not JSON or fails the schema is
 * reported (reason names the field and what would be valid) and skipped; a last line without its
 * newline that does not parse is reported as torn (an interrupted write). Later lines repeating a
 * runId are dropped, but for a run that failed with an error, whose rerun (profile.ts) replaces it;
 * lines without a runId are never merged.
 */
export function parseSamples(
  text: string,
  source: string,
  options: ReadSamplesOptions = {},
): ReadSamplesResult {
  const lines = stripBom(text).split('\n');
  // A file ending in '\n' splits into a last empty string; anything else there lacks its newline.
  const lastUnterminated = lines.length - 1;
  const samples: Sample[] = [];
  const problems: LineProblem[] = [];
  /** Index in `samples` of each runId's sample. */
  const seen = new Map<string, number>();
  let duplicates = 0;
  let nonBlank = 0;

  lines.forEach((raw, i) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') return;
    nonBlank++;
    const reason = problemOf(line, i === lastUnterminated);
    if (typeof reason === 'string') {
      if (options.strict)
        throw inputError(
          `${source}:${i + 1}: ${reason}`,
          'fix or delete the line, or drop --strict to skip bad lines',
        );
      problems.push({ line: i + 1, reason });
      return;
    }
    const sample = reason;
    if (sample.runId !== undefined) {
      const at = seen.get(sample.runId);
      if (at !== undefined) {
        // A run that failed with an error is run again on resume: its rerun supersedes it.
        if (samples[at]!.status === 'error') samples[at] = sample;
        else duplicates++;
        return;
      }
      seen.set(sample.runId, samples.length);
    }
    samples.push(sample);
  });

  if (samples.length === 0 && !options.allowEmpty) {
    if (nonBlank === 0)
      throw inputError(`${source}: empty samples file`, 'profile a stage or import runs first');
    const first = problems[0];
    throw inputError(
      `${source}: no valid sample in ${nonBlank} line${nonBlank === 1 ? '' : 's'}` +
        (first ? ` (line ${first.line}: ${first.reason})` : ''),
      `each line must be one ${SAMPLE_SCHEMA} JSON object`,
    );
  }
  return { samples, problems, duplicates };
}

/** The sample on a line, or why the line is bad. */
function problemOf(line: string, unterminated: boolean): Sample | string {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch (e) {
    if (unterminated)
      return 'torn last line (no trailing newline, not valid JSON): an interrupted write; the next profiled run moves it to <file>.torn';
    return `not valid JSON (${(e as Error).message})`;
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    return 'expected a JSON object (one rightsizer.sample/v1 per line)';
  const parsed = SampleSchema.safeParse(json);
  if (!parsed.success) return formatZodError(parsed.error);
  return parsed.data;
}

export interface AppendResult {
  /**
   * When the file ended in a torn line, where that fragment was set aside (`<file>.torn`);
   * null otherwise. The caller should say so.
   */
  setAside: string | null;
}

/**
 * Appends one sample as one line and fsyncs it. Creates the parent folders. A file that ends
 * without a newline is repaired first: a complete JSON line just gets its newline; a torn
 * fragment is copied to `<file>.torn` (with a note) and cut off, so every line stays valid.
 */
export async function appendSample(path: string, sample: Sample): Promise<AppendResult> {
  const checked = SampleSchema.safeParse(sample);
  if (!checked.success)
    throw new RightsizerError(
      'internal',
      `refusing to append an invalid sample to ${path}: ${formatZodError(checked.error)}`,
    );
  return appendJsonLine(path, sample);
}

/**
 * Appends any value as one JSON line, as a sample is (parent folders made, a torn last line set
 * aside first, fsynced): for the other JSON-lines records rightsizer keeps beside its samples.
 */
export async function appendJsonLine(path: string, value: unknown): Promise<AppendResult> {
  await mkdir(dirname(path), { recursive: true });
  const created = !(await exists(path));
  const setAside = created ? null : await repairTail(path);
  const handle = await open(path, 'a');
  try {
    await handle.write(`${JSON.stringify(value)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  if (created) await syncDir(dirname(path));
  return { setAside };
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Makes the file end with a newline; returns where a torn fragment went, if there was one. */
async function repairTail(path: string): Promise<string | null> {
  const handle = await open(path, 'r+');
  try {
    const { size } = await handle.stat();
    if (size === 0) return null;
    const last = Buffer.alloc(1);
    await handle.read(last, 0, 1, size - 1);
    if (last[0] === 0x0a) return null;
    // Find the start of the unterminated last line by reading backwards in blocks.
    let start = 0;
    const block = Buffer.alloc(64 * 1024);
    for (let end = size; end > 0;) {
      const from = Math.max(0, end - block.length);
      const { bytesRead } = await handle.read(block, 0, end - from, from);
      const at = block.subarray(0, bytesRead).lastIndexOf(0x0a);
      if (at >= 0) {
        start = from + at + 1;
        break;
      }
      end = from;
    }
    const fragment = Buffer.alloc(size - start);
    await handle.read(fragment, 0, fragment.length, start);
    // The file's first line may start with a byte-order mark, which readers strip.
    const raw = fragment.toString('utf8').replace(/\r$/, '');
    const text = start === 0 ? stripBom(raw) : raw;
    if (isJson(text)) {
      // A complete line a person wrote without the final newline: keep it.
      await handle.write('\n', size);
      await handle.sync();
      return null;
    }
    // Save the fragment durably before cutting it off, so a crash in between loses nothing.
    const tornPath = `${path}.torn`;
    const note = `# ${new Date().toISOString()}: torn last line (${fragment.length} bytes at byte ${start}) set aside from ${path}\n`;
    const torn = await open(tornPath, 'a');
    try {
      await torn.write(Buffer.concat([Buffer.from(note), fragment, Buffer.from('\n')]));
      await torn.sync();
    } finally {
      await torn.close();
    }
    await handle.truncate(start);
    await handle.sync();
    return tornPath;
  } finally {
    await handle.close();
  }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** The directory entry of a new file is durable only once its folder is synced (POSIX). */
async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Some platforms (Windows) cannot open or sync a directory; the file itself is synced.
  }
}

export interface WriteSamplesOptions {
  /** Add to an existing file instead of replacing it. */
  append?: boolean;
}

/**
 * Writes samples as JSONL to a stream (stdout for an importer without `--out`) or a file. A file
 * is replaced atomically (temp file, fsync, rename) unless `append`, so readers never see half of it.
 */
export async function writeSamples(
  target: string | Writable,
  samples: readonly Sample[],
  options: WriteSamplesOptions = {},
): Promise<AppendResult> {
  const text = samples.map((s) => `${JSON.stringify(s)}\n`).join('');
  if (typeof target !== 'string') {
    await new Promise<void>((resolve, reject) => {
      target.write(text, (err) => (err ? reject(err) : resolve()));
    });
    return { setAside: null };
  }
  const temp = `${target}.${process.pid}.tmp`;
  try {
    return await writeFileSamples(target, temp, text, options);
  } catch (e) {
    await rm(temp, { force: true }).catch(() => undefined);
    const code = (e as NodeJS.ErrnoException).code;
    if (code && ['EISDIR', 'EACCES', 'EPERM', 'ENOENT', 'ENOTDIR', 'EROFS', 'EEXIST'].includes(code))
      throw inputError(
        `${target}: cannot write the samples there (${code})`,
        'name a file in a writable folder',
      );
    throw e;
  }
}

async function writeFileSamples(
  target: string,
  temp: string,
  text: string,
  options: WriteSamplesOptions,
): Promise<AppendResult> {
  await mkdir(dirname(target), { recursive: true });
  if (options.append) {
    const setAside = (await exists(target)) ? await repairTail(target) : null;
    const handle = await open(target, 'a');
    try {
      await handle.write(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    return { setAside };
  }
  const handle = await open(temp, 'w');
  try {
    await handle.write(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, target);
  await syncDir(dirname(target));
  return { setAside: null };
}
