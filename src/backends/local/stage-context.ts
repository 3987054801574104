/**
 * What a stage function receives. A stage module's default export is
 * `async function (ctx: StageContext)`; `ctx.read`, `ctx.compute` and `ctx.write` time the
 * three phases the models fit. Concurrent calls of one phase (e.g. `Promise.all` of reads) count
 * their wall time once, so a phase time never exceeds the worker's wall time.
 *
 * ```ts
 * import type { StageContext } from 'rightsizer';
 * export default async function rebin(ctx: StageContext) {
 *   const data = await ctx.readPartition();                 // timed as "read"
 *   const out = ctx.compute(() => average(data));           // timed as "compute"
 *   await ctx.write(`rebinned/${ctx.partition.index}`, out); // timed as "write"
 * }
 * ```
 */
import type { ResolvedConfig } from '../../core/types.js';
import type { ByteRange, FsObjectStore, ObjectInfo } from './object-store.js';
import type { Partition, Segment } from './partition.js';

export type { Partition, Segment } from './partition.js';
export type { ByteRange, ObjectInfo } from './object-store.js';

export interface StageContext {
  /** This worker's share of the stage's input. */
  readonly partition: Partition;
  /** The config this run emulates (vcpu is the CPU share the worker really gets). */
  readonly config: ResolvedConfig;
  /** The workflow's and stage's `params`. */
  readonly params: Readonly<Record<string, unknown>>;
  readonly stage: string;
  readonly workflow: string;
  readonly runId: string;
  /** Reads an object (or a byte range of it) by its full store key. Timed as read. */
  read(key: string, range?: ByteRange): Promise<Buffer>;
  /**
   * Reads every segment of this partition, concatenated. With `params.recordDelimiter` (e.g.
   * "\n") a segment that starts inside an object skips its first partial record and one that
   * ends inside an object reads on to the end of its last record, so each record is read by
   * exactly one worker. Timed as read.
   */
  readPartition(): Promise<Buffer>;
  /** Runs `fn` and times it as compute (sync or async). */
  compute<T>(fn: () => Promise<T>): Promise<T>;
  compute<T>(fn: () => T): T;
  /** Writes an object under this run's output prefix. Timed as write. */
  write(key: string, data: Uint8Array | string): Promise<void>;
  /** Objects under a full-key prefix, with sizes. Timed as read. */
  list(prefix?: string): Promise<ObjectInfo[]>;
}

type PhaseName = 'read' | 'compute' | 'write';

/** Wall time during which at least one call of a phase was running. */
class PhaseClock {
  private readonly active: Record<PhaseName, number> = { read: 0, compute: 0, write: 0 };
  private readonly since: Record<PhaseName, number> = { read: 0, compute: 0, write: 0 };
  readonly totalMs: Record<PhaseName, number> = { read: 0, compute: 0, write: 0 };

  begin(p: PhaseName): void {
    if (this.active[p]++ === 0) this.since[p] = performance.now();
  }

  end(p: PhaseName): void {
    if (--this.active[p] === 0) this.totalMs[p] += performance.now() - this.since[p];
  }

  async time<T>(p: PhaseName, fn: () => Promise<T>): Promise<T> {
    this.begin(p);
    try {
      return await fn();
    } finally {
      this.end(p);
    }
  }
}

export interface StageContextInit {
  store: FsObjectStore;
  partition: Partition;
  config: ResolvedConfig;
  params: Record<string, unknown>;
  stage: string;
  workflow: string;
  runId: string;
  outputPrefix: string;
}

export interface StageContextTally {
  readMs: number;
  computeMs: number;
  writeMs: number;
  outputKeys: string[];
  outputBytes: number;
  inputBytesRead: number;
  requests: { get: number; put: number };
}

/** Builds a worker's context and the tally of what it did, read once the stage returns. */
export function createStageContext(init: StageContextInit): {
  ctx: StageContext;
  tally: () => StageContextTally;
} {
  const { store, outputPrefix } = init;
  const clock = new PhaseClock();
  const outputKeys: string[] = [];
  let outputBytes = 0;
  let inputBytesRead = 0;
  const requests = { get: 0, put: 0 };
  const delimiter =
    typeof init.params.recordDelimiter === 'string' ? Buffer.from(init.params.recordDelimiter) : null;

  const rawRead = async (key: string, range?: ByteRange): Promise<Buffer> => {
    requests.get++;
    const buf = await store.read(key, range);
    inputBytesRead += buf.byteLength;
    return buf;
  };

  const readSegmentByRecords = async (seg: Segment, delim: Buffer): Promise<Buffer> => {
    const size = await store.size(seg.key);
    let start = seg.start;
    if (start > 0) {
      // The record cut by our start belongs to the previous worker: skip past its end.
      const skip = await findDelimiter(rawRead, seg.key, Math.max(0, start - delim.length), size, delim);
      start = skip < 0 ? size : skip + delim.length;
    }
    let end = seg.end;
    if (end < size) {
      // Our last record runs past the cut: read on to its delimiter (inclusive).
      const stop = await findDelimiter(rawRead, seg.key, Math.max(0, end - delim.length), size, delim);
      end = stop < 0 ? size : stop + delim.length;
    }
    return end > start ? rawRead(seg.key, { start, end }) : Buffer.alloc(0);
  };

  function compute<T>(fn: () => Promise<T>): Promise<T>;
  function compute<T>(fn: () => T): T;
  function compute<T>(fn: () => T | Promise<T>): T | Promise<T> {
    clock.begin('compute');
    let result: T | Promise<T>;
    try {
      result = fn();
    } catch (e) {
      clock.end('compute');
      throw e;
    }
    if (result instanceof Promise) return result.finally(() => clock.end('compute'));
    clock.end('compute');
    return result;
  }

  const ctx: StageContext = {
    partition: init.partition,
    config: init.config,
    params: init.params,
    stage: init.stage,
    workflow: init.workflow,
    runId: init.runId,
    read: (key, range) => clock.time('read', () => rawRead(key, range)),
    readPartition: () =>
      clock.time('read', async () => {
        const parts: Buffer[] = [];
        for (const seg of init.partition.segments)
          parts.push(delimiter ? await readSegmentByRecords(seg, delimiter) : await rawRead(seg.key, seg));
        return Buffer.concat(parts);
      }),
    compute,
    write: (key, data) =>
      clock.time('write', async () => {
        const full = outputPrefix + key;
        requests.put++;
        outputBytes += await store.write(full, data);
        outputKeys.push(full);
      }),
    list: (prefix) =>
      clock.time('read', async () => {
        requests.get++;
        return store.list(prefix ?? '');
      }),
  };

  const tally = (): StageContextTally => ({
    readMs: clock.totalMs.read,
    computeMs: clock.totalMs.compute,
    writeMs: clock.totalMs.write,
    outputKeys: [...new Set(outputKeys)],
    outputBytes,
    inputBytesRead,
    requests: { ...requests },
  });
  return { ctx, tally };
}

/** Offset of the first `delim` at or after `from` in the object, or -1; reads 64 KiB at a time. */
async function findDelimiter(
  read: (key: string, range: ByteRange) => Promise<Buffer>,
  key: string,
  from: number,
  size: number,
  delim: Buffer,
): Promise<number> {
  const chunk = 64 * 1024;
  for (let at = from; at < size; at += chunk) {
    // Overlap chunks by delim.length - 1 so a delimiter straddling two chunks is still found.
    const buf = await read(key, { start: at, end: Math.min(size, at + chunk + delim.length - 1) });
    const i = buf.indexOf(delim);
    if (i >= 0) return at + i;
  }
  return -1;
}
