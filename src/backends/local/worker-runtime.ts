/**
 * The entry point of one local worker process: `node [--import tsx] worker-runtime.js <stage>`.
 * It loads the stage module (the cold start), says `ready`, runs the stage once on the partition
 * the host sends, reports the phase times and exits — one invocation per process, as a cold
 * FaaS worker.
 *
 * A worker must not outlive its host, even one killed with -9 while the stage is stuck in
 * synchronous code: a watcher thread (its own event loop, unaffected by a busy main thread)
 * polls the parent pid and, once the host is gone, SIGKILLs this worker's process group, its
 * stage's child processes included. `disconnect` of the IPC channel does the same when the
 * main thread is free to notice first.
 */
import { Worker } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { FsObjectStore } from './object-store.js';
import { createStageContext, type StageContext } from './stage-context.js';
import type { RunMessage, WorkerMessage } from './protocol.js';

type StageFunction = (ctx: StageContext) => unknown;

/** How often the watcher thread checks that the host is alive. */
const PARENT_POLL_MS = 100;

const WATCHER_SOURCE = `
const { workerData } = require('node:worker_threads');
setInterval(() => {
  if (process.ppid === workerData.ppid) return;
  try { process.kill(-workerData.pid, 'SIGKILL'); } catch {}
  process.kill(workerData.pid, 'SIGKILL');
}, ${PARENT_POLL_MS});
`;

/** Kills this worker's process group (the worker leads it: it was spawned detached). */
function dieWithGroup(): never {
  try {
    process.kill(-process.pid, 'SIGKILL');
  } catch {
    // Not a group leader: at least this process goes.
  }
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable');
}

function send(msg: WorkerMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send || !process.connected) return resolve();
    process.send(msg, undefined, {}, () => resolve());
  });
}

function maxRssKB(): number {
  return process.resourceUsage().maxRSS;
}

let failing = false;
async function fail(e: unknown): Promise<never> {
  if (!failing) {
    failing = true;
    const err = e instanceof Error ? e : new Error(String(e));
    await send({ type: 'failed', message: err.message, stack: err.stack ?? null, maxRssKB: maxRssKB() });
  }
  process.exit(1);
}

function stageFunction(mod: Record<string, unknown>, path: string): StageFunction {
  const d = mod.default;
  if (typeof d === 'function') return d as StageFunction;
  // A CommonJS module loaded as ESM puts module.exports (with its own `default`) under `default`.
  const nested = (d as Record<string, unknown> | undefined)?.default;
  if (typeof nested === 'function') return nested as StageFunction;
  throw new Error(
    `${path}: the stage module has no default export function (export default async function (ctx) { … })`,
  );
}

async function main(): Promise<void> {
  const stagePath = process.argv[2];
  if (!stagePath || !process.send) throw new Error('worker-runtime: start me through the local backend');
  new Worker(WATCHER_SOURCE, { eval: true, workerData: { ppid: process.ppid, pid: process.pid } }).unref();
  process.on('disconnect', dieWithGroup);
  process.on('uncaughtException', (e) => void fail(e));
  process.on('unhandledRejection', (e) => void fail(e));

  const fn = stageFunction(
    (await import(pathToFileURL(stagePath).href)) as Record<string, unknown>,
    stagePath,
  );
  const run = new Promise<RunMessage>((resolve) => process.once('message', (m) => resolve(m as RunMessage)));
  await send({ type: 'ready', pid: process.pid });
  const msg = await run;

  const { ctx, tally } = createStageContext({
    store: new FsObjectStore(msg.storeRoot),
    partition: msg.partition,
    config: msg.config,
    params: msg.params,
    stage: msg.stage,
    workflow: msg.workflow,
    runId: msg.runId,
    outputPrefix: msg.outputPrefix,
  });
  const t0 = performance.now();
  await fn(ctx);
  const handlerMs = performance.now() - t0;
  await send({ type: 'done', ...tally(), handlerMs, maxRssKB: maxRssKB() });
  // Timers or sockets the stage left open must not keep the worker alive (a FaaS platform
  // freezes the sandbox when the handler returns).
  process.exit(0);
}

main().catch(fail);
