/**
 * One running bridge (`python -m rightsizer_lithops.bridge`): its own process group, JSON lines
 * both ways, one request at a time. A request ends with the bridge's reply, the bridge's death
 * (noticed at once from its exit, so a stage never hangs on a dead bridge), a deadline, or an
 * abort. Stopping it stops its group and every process that carries its marker, so Lithops'
 * calls (which run in sessions of their own) do not outlive it.
 */
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { RightsizerError, inputError } from '../../core/errors.js';
import { trackGroup, untrackGroup } from '../exec/live-groups.js';
import { guardMarker, releaseMarker } from '../orphan-guard.js';
import { stopGroup } from '../exec/process-group.js';
import { TailBuffer } from '../exec/tail-buffer.js';
import { SETUP_COMMAND } from './bridge-python.js';
import { MARKER_VAR, sweepMarked } from './marked-processes.js';

export interface BridgeSpec {
  python: string;
  /** Prepended to PYTHONPATH: where rightsizer_lithops lives. */
  pythonDir: string;
  cwd?: string;
  /** The whole environment of the bridge (rightsizer's own, plus the caller's additions). */
  env: NodeJS.ProcessEnv;
  /** How long the bridge may take to import Lithops and say it is ready. */
  readyTimeoutMs: number;
}

export type BridgeMessage = { type: string; id?: string | null } & Record<string, unknown>;

export type BridgeOutcome =
  | { kind: 'reply'; message: BridgeMessage }
  | { kind: 'died'; why: string; stderr: string }
  | { kind: 'deadline' }
  | { kind: 'abort' };

const STDERR_TAIL_CHARS = 64 * 1024;
const KILL_GRACE_MS = 2000;

function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal !== null ? `was killed by ${signal}` : `exited with code ${String(code)}`;
}

export class BridgeProcess {
  readonly marker = randomUUID();
  ready: BridgeMessage | null = null;
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly stderr = new TailBuffer(STDERR_TAIL_CHARS);
  private readonly inbox: BridgeMessage[] = [];
  private waiter: (() => void) | null = null;
  private exit: { code: number | null; signal: NodeJS.Signals | null; atMs: number } | null = null;
  private outClosed = false;
  private readonly exited: Promise<void>;
  private stopping: Promise<void> | null = null;
  private nextId = 0;

  private constructor(private readonly spec: BridgeSpec) {
    const pythonPath = [spec.pythonDir, spec.env['PYTHONPATH']].filter(Boolean).join(':');
    this.child = spawn(spec.python, ['-m', 'rightsizer_lithops.bridge'], {
      cwd: spec.cwd,
      env: { ...spec.env, PYTHONPATH: pythonPath, [MARKER_VAR]: this.marker, PYTHONUNBUFFERED: '1' },
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    // The bridge and every Lithops call carry the marker: if rightsizer is killed, the guard kills them.
    guardMarker(`${MARKER_VAR}=${this.marker}`);
    this.child.stderr.setEncoding('utf8').on('data', (chunk: string) => this.stderr.push(chunk));
    this.child.stdin.on('error', () => undefined); // EPIPE once the bridge is gone: its exit says why.
    const lines = createInterface({ input: this.child.stdout, crlfDelay: Infinity });
    lines.once('close', () => {
      this.outClosed = true;
      this.wake();
    });
    lines.on('line', (line) => {
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        return; // The bridge keeps stdout for replies; anything else is not one.
      }
      if (value !== null && typeof value === 'object' && typeof (value as BridgeMessage).type === 'string') {
        this.inbox.push(value as BridgeMessage);
        this.wake();
      }
    });
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exit = { code, signal, atMs: Date.now() };
        if (this.child.pid !== undefined) untrackGroup(this.child.pid);
        this.wake();
        resolve();
      });
    });
  }

  /** Starts the bridge and waits for its `ready`; a missing Python or Lithops is an input error naming the fix. */
  static async start(spec: BridgeSpec): Promise<BridgeProcess> {
    const bridge = new BridgeProcess(spec);
    const started = await new Promise<NodeJS.ErrnoException | null>((resolve) => {
      bridge.child.once('spawn', () => resolve(null));
      bridge.child.once('error', (e: NodeJS.ErrnoException) => resolve(e));
    });
    if (started !== null) {
      const why = started.code === 'ENOENT' ? 'not found' : (started.code ?? started.message);
      throw inputError(`the Lithops bridge's Python ${spec.python}: ${why}`, `run ${SETUP_COMMAND}`);
    }
    bridge.child.on('error', () => undefined);
    trackGroup(bridge.child.pid!);
    const first = await bridge.next(Date.now() + spec.readyTimeoutMs);
    if (first !== null && first.type === 'ready') {
      bridge.ready = first;
      return bridge;
    }
    await bridge.stop();
    if (first !== null && first.type === 'fatal')
      throw inputError(String(first['message']), `run ${String(first['fix'] ?? SETUP_COMMAND)}`);
    const stderr = bridge.stderr.tail(600);
    if (/No module named|ModuleNotFoundError/.test(stderr))
      throw inputError(`the Lithops bridge cannot start: ${lastLine(stderr)}`, `run ${SETUP_COMMAND}`);
    throw new RightsizerError(
      'backend',
      first === null && bridge.exit === null
        ? `the Lithops bridge was not ready within ${spec.readyTimeoutMs} ms`
        : `the Lithops bridge ${bridge.exit ? describeExit(bridge.exit.code, bridge.exit.signal) : 'answered'} before it was ready: ${stderr || '(no output)'}`,
    );
  }

  get alive(): boolean {
    return this.exit === null;
  }

  /** Sends one request and waits for its reply (or the bridge's death, the deadline, the abort). */
  async request(
    message: Record<string, unknown>,
    deadlineMs: number,
    signal?: AbortSignal,
  ): Promise<BridgeOutcome> {
    const id = String(++this.nextId);
    if (!this.alive) return this.death();
    this.child.stdin.write(`${JSON.stringify({ ...message, id })}\n`);
    let aborted = false;
    const onAbort = (): void => {
      aborted = true;
      this.wake();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      for (;;) {
        const reply = await this.next(deadlineMs, () => aborted);
        if (aborted) return { kind: 'abort' };
        if (reply === null) return this.alive ? { kind: 'deadline' } : await this.death();
        if (reply.id === id) return { kind: 'reply', message: reply };
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Asks the bridge to exit, then stops its group and whatever carries its marker. Idempotent. */
  stop(graceMs = KILL_GRACE_MS): Promise<void> {
    this.stopping ??= (async () => {
      if (this.alive) {
        this.child.stdin.end(`${JSON.stringify({ type: 'shutdown' })}\n`);
        await Promise.race([this.exited, new Promise((r) => setTimeout(r, graceMs))]);
      }
      if (this.child.pid !== undefined) await stopGroup(this.child.pid, graceMs);
      await this.exited;
      await sweepMarked(this.marker);
      releaseMarker(`${MARKER_VAR}=${this.marker}`);
      this.child.stdout.destroy();
      this.child.stderr.destroy();
    })();
    return this.stopping;
  }

  private async death(): Promise<BridgeOutcome> {
    await this.exited;
    const exit = this.exit!;
    // Its calls ran in sessions of their own: they would run on, orphaned.
    if (this.child.pid !== undefined) await stopGroup(this.child.pid, 0);
    await sweepMarked(this.marker);
    releaseMarker(`${MARKER_VAR}=${this.marker}`);
    return { kind: 'died', why: describeExit(exit.code, exit.signal), stderr: this.stderr.tail(2000) };
  }

  /**
   * The next message, or null at the deadline or once the bridge has exited and its stdout is
   * drained (its exit can be seen before its last lines are read; a second at most is waited for them).
   */
  private async next(
    deadlineMs: number,
    cancelled: () => boolean = () => false,
  ): Promise<BridgeMessage | null> {
    for (;;) {
      const message = this.inbox.shift();
      if (message !== undefined) return message;
      const drainedBy = this.exit === null ? Infinity : this.outClosed ? 0 : this.exit.atMs + 1000;
      const until = Math.min(deadlineMs, drainedBy);
      if (cancelled() || Date.now() >= until) return null;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(0, until - Date.now()));
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiter = null;
    }
  }

  private wake(): void {
    this.waiter?.();
  }
}

function lastLine(text: string): string {
  return text.trim().split('\n').pop() ?? text;
}
