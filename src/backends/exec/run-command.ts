/**
 * Runs the engine once: its own process group, one line on stdin, stdout scanned for the reply,
 * a bounded tail of stderr, and the whole group stopped on timeout, on abort, and after the
 * engine exits (whatever it left behind would be an orphan). Resolves only once the group is
 * gone and the engine reaped, so no run leaves a process behind.
 */
import { spawn } from 'node:child_process';
import { ReplyReader } from './reply-reader.js';
import { stopGroup } from './process-group.js';
import { TailBuffer } from './tail-buffer.js';
import { trackGroup, untrackGroup } from './live-groups.js';

export interface CommandSpec {
  file: string;
  args: readonly string[];
  cwd?: string;
  env: NodeJS.ProcessEnv;
  /** Written to stdin, which is then closed. */
  input: string;
  timeoutMs: number;
  /** Between SIGTERM and SIGKILL of the group. */
  killGraceMs: number;
  /** Longest stdout line considered as a reply; longer lines are skipped. */
  maxLineChars: number;
  /** How much of stderr's end is kept. */
  stderrTailChars: number;
  signal?: AbortSignal;
}

export interface CommandOutcome {
  startedAt: Date;
  /** How the run ended: the engine exited by itself, or rightsizer stopped it. */
  ended: 'exit' | 'timeout' | 'abort';
  exitCode: number | null;
  exitSignal: NodeJS.Signals | null;
  /** The last stdout line that parsed as JSON, or null. */
  reply: { value: unknown } | null;
  overlongLines: number;
  stderr: TailBuffer;
}

/** The command could not be started at all (ENOENT, EACCES, …): a setup problem, not a sample. */
export class SpawnError extends Error {
  constructor(override readonly cause: NodeJS.ErrnoException) {
    super(cause.message);
    this.name = 'SpawnError';
  }
}

export function runCommand(spec: CommandSpec): Promise<CommandOutcome> {
  const startedAt = new Date();
  const child = spawn(spec.file, [...spec.args], {
    cwd: spec.cwd,
    env: spec.env,
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const reader = new ReplyReader(spec.maxLineChars);
  const stderr = new TailBuffer(spec.stderrTailChars);
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => reader.push(chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk));
  // An engine that exits without reading its stdin makes our write fail with EPIPE: not our error.
  child.stdin.on('error', () => undefined);

  return new Promise<CommandOutcome>((resolve, reject) => {
    const pgid = child.pid;
    if (pgid === undefined) {
      // spawn() reports a failed start as an 'error' event on the next tick, and no 'exit'.
      child.once('error', (e: NodeJS.ErrnoException) => reject(new SpawnError(e)));
      return;
    }
    trackGroup(pgid);
    // Started: later 'error' events (a failed signal) are covered by the group's own handling.
    child.on('error', () => undefined);
    child.stdin.end(spec.input);

    let ended: CommandOutcome['ended'] = 'exit';
    let exited = false;
    let stopping: Promise<void> | null = null;
    const stop = (why: 'timeout' | 'abort'): void => {
      if (exited || stopping) return;
      ended = why;
      stopping = stopGroup(pgid, spec.killGraceMs);
    };
    const timer = setTimeout(() => stop('timeout'), spec.timeoutMs);
    const onAbort = (): void => stop('abort');
    spec.signal?.addEventListener('abort', onAbort, { once: true });

    const closed = new Promise<void>((done) => child.once('close', () => done()));
    child.once('exit', (exitCode, exitSignal) => {
      exited = true;
      clearTimeout(timer);
      spec.signal?.removeEventListener('abort', onAbort);
      void finish(exitCode, exitSignal).then(resolve, reject);
    });

    const finish = async (
      exitCode: number | null,
      exitSignal: NodeJS.Signals | null,
    ): Promise<CommandOutcome> => {
      try {
        // Whatever the engine left in its group is an orphan now: stop it too.
        await stopping;
        await stopGroup(pgid, spec.killGraceMs);
      } finally {
        untrackGroup(pgid);
      }
      // A process outside the group (it called setsid) may still hold the pipes open: stop
      // waiting for them after the grace and read what arrived.
      let graceTimer: NodeJS.Timeout | undefined;
      const grace = new Promise<'late'>((done) => {
        graceTimer = setTimeout(() => done('late'), spec.killGraceMs);
      });
      const late = (await Promise.race([closed, grace])) === 'late';
      clearTimeout(graceTimer);
      if (late) {
        child.stdout.destroy();
        child.stderr.destroy();
      }
      reader.end();
      return {
        startedAt,
        ended,
        exitCode,
        exitSignal,
        reply: reader.reply(),
        overlongLines: reader.overlongLines,
        stderr,
      };
    };
  });
}
