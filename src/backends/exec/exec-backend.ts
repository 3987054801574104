/**
 * The `exec` backend: any engine wrapped by a command (`--exec "CMD ARGS"`) that speaks the
 * run-request/run-result protocol of ARCHITECTURE.md. One process (group) per stage run; the
 * engine runs the stage's workers wherever it likes, so concurrency is the platform's.
 */
import { stat } from 'node:fs/promises';
import { RightsizerError, inputError } from '../../core/errors.js';
import type { Platform, ResolvedConfig } from '../../core/types.js';
import type { Backend, StageRunRequest, StageRunResult } from '../backend.js';
import { runRequest } from './protocol.js';
import { SpawnError, runCommand } from './run-command.js';
import { splitWords } from './split-words.js';
import { toRunResult } from './to-sample.js';

export interface ExecBackendOptions {
  /** Working directory of the engine (default: rightsizer's). */
  cwd?: string;
  /** Added to rightsizer's own environment for the engine. */
  env?: Record<string, string>;
  /** Between SIGTERM and SIGKILL when the engine's group is stopped. Default 1000 ms. */
  killGraceMs?: number;
  /** Longest stdout line read as a possible reply. Default 32 MiB (a reply for thousands of workers fits). */
  maxReplyLineChars?: number;
  /** How much of the end of stderr is kept. Default 64 KiB. */
  stderrTailChars?: number;
}

const HINT = "give a program on PATH or a path to one; no shell runs, so use sh -c '…' for shell syntax";

export class ExecBackend implements Backend {
  readonly name = 'exec';
  private readonly file: string;
  private readonly args: readonly string[];
  private readonly closing = new AbortController();
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    readonly command: string,
    readonly platform: Platform,
    private readonly options: ExecBackendOptions = {},
  ) {
    let words: string[];
    try {
      words = splitWords(command);
    } catch (e) {
      if (e instanceof RightsizerError)
        throw inputError(`--exec ${JSON.stringify(command)}: ${e.message}`, e.hint);
      throw e;
    }
    const [file, ...args] = words;
    if (file === undefined || file === '')
      throw inputError('--exec needs a command', 'e.g. --exec "python engine.py"');
    this.file = file;
    this.args = args;
  }

  /** The engine places workers itself; the platform's limit is the only one rightsizer knows. */
  concurrency(_config: ResolvedConfig): number {
    return this.platform.maxConcurrency;
  }

  async runStage(req: StageRunRequest, signal?: AbortSignal): Promise<StageRunResult> {
    if (this.closing.signal.aborted) throw new RightsizerError('internal', 'the exec backend is closed');
    signal?.throwIfAborted();
    const stop = signal ? AbortSignal.any([signal, this.closing.signal]) : this.closing.signal;
    const running = runCommand({
      file: this.file,
      args: this.args,
      cwd: this.options.cwd,
      env: { ...process.env, ...this.options.env },
      input: `${JSON.stringify(runRequest(req, this.platform))}\n`,
      timeoutMs: req.timeoutMs,
      killGraceMs: this.options.killGraceMs ?? 1000,
      maxLineChars: this.options.maxReplyLineChars ?? 32 * 1024 * 1024,
      stderrTailChars: this.options.stderrTailChars ?? 64 * 1024,
      signal: stop,
    });
    this.inFlight.add(running);
    try {
      const outcome = await running;
      // A stopped run measured nothing: the caller asked for it to end, so it gets its reason, not a sample.
      if (outcome.ended === 'abort') throw stop.reason;
      return toRunResult(outcome, req, this.platform);
    } catch (e) {
      if (e instanceof SpawnError) throw await this.cannotStart(e.cause);
      throw e;
    } finally {
      this.inFlight.delete(running);
    }
  }

  /** Stops every engine still running and waits until their groups are gone. */
  async close(): Promise<void> {
    this.closing.abort(new RightsizerError('internal', 'the exec backend was closed'));
    await Promise.allSettled([...this.inFlight]);
  }

  /** Not a sample: a command that cannot start never will, so say so once, as bad input (exit 2). */
  private async cannotStart(e: NodeJS.ErrnoException): Promise<RightsizerError> {
    const cwd = this.options.cwd;
    if (cwd !== undefined && e.code === 'ENOENT' && !(await isDirectory(cwd)))
      return inputError(`--exec: working directory ${cwd} does not exist`, 'create it or give another');
    const why =
      e.code === 'ENOENT'
        ? 'no such program'
        : e.code === 'EACCES'
          ? 'not executable (permission denied)'
          : (e.code ?? e.message);
    if (e.code === 'ENOENT' || e.code === 'EACCES')
      return inputError(`--exec ${JSON.stringify(this.command)}: cannot start ${this.file}: ${why}`, HINT);
    return new RightsizerError(
      'backend',
      `--exec ${JSON.stringify(this.command)}: cannot start ${this.file}: ${why}`,
    );
  }
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
