/**
 * The workflow's `setup`: run once before profiling (e.g. to generate input data into the object
 * store), never profiled. A path to a `.ts`/`.js` module runs its default export with a
 * `SetupContext`; anything else is a command (split like a shell splits words, no shell) run in
 * the workflow's folder with RIGHTSIZER_STORE set to the store's folder.
 *
 * When it runs: on the local backend (the only one with an object store here). A module setup is
 * called every time: it gets the params (which `--param` may have changed, e.g. a new data size)
 * and judges itself whether the store already holds its data — presence of some objects says
 * nothing about whether they are the right ones. A command setup cannot be asked, so it runs when
 * some root stage's input — its `input.prefix` or `input.keys` — has no object in the store yet:
 * a second `profile` skips it; delete the store's objects (or pass `force`) to run it again.
 */
import { spawnSync } from 'node:child_process';
import { isAbsolute } from 'node:path';
import type { Backend } from '../backends/backend.js';
import { splitWords } from '../backends/exec/index.js';
import { LocalBackend, type FsObjectStore, type ObjectInfo } from '../backends/local/index.js';
import { RightsizerError, inputError } from '../core/errors.js';
import type { LoadedWorkflow } from '../store/index.js';
import { importModule } from '../store/import-module.js';

export interface SetupContext {
  /** The object store the stages read from. */
  store: {
    write(key: string, data: Uint8Array | string): Promise<void>;
    exists(key: string): Promise<boolean>;
    list(prefix?: string): Promise<ObjectInfo[]>;
    delete(key: string): Promise<void>;
  };
  storeRoot: string;
  params: Readonly<Record<string, unknown>>;
  workflow: string;
  /** The workflow's folder. */
  dir: string;
}

export type SetupOutcome = 'ran' | 'skipped' | 'none';

export async function runSetup(
  workflow: LoadedWorkflow,
  backend: Backend,
  force = false,
): Promise<SetupOutcome> {
  if (!workflow.setup || !(backend instanceof LocalBackend)) return 'none';
  const setup = workflow.setup;
  if (isAbsolute(setup) && /\.(?:[cm]?ts|[cm]?js)$/.test(setup)) {
    const mod = await importModule(setup);
    const fn = mod.default;
    if (typeof fn !== 'function')
      throw inputError(
        `${setup}: setup module has no default export function`,
        'export default async function (ctx) { ... }',
      );
    const store = backend.store;
    const ctx: SetupContext = {
      store: {
        write: async (key, data) => {
          await store.write(key, data);
        },
        exists: (key) => store.exists(key),
        list: (prefix) => store.list(prefix),
        delete: (key) => store.delete(key),
      },
      storeRoot: store.root,
      params: workflow.params ?? {},
      workflow: workflow.name,
      dir: workflow.dir,
    };
    let said: unknown;
    try {
      said = await (fn as (c: SetupContext) => unknown)(ctx);
    } catch (e) {
      // The setup's own failure is the user's to fix, not rightsizer's internal error.
      throw new RightsizerError('input', `setup ${setup} failed: ${(e as Error).message}`, 'fix the setup');
    }
    // A setup that found its data current may say so ('present', as the TASKA-C setup does).
    return said === 'present' || said === 'skipped' ? 'skipped' : 'ran';
  }
  if (!force && (await inputsPresent(workflow, backend.store))) return 'skipped';
  const [cmd, ...args] = splitWords(setup);
  if (!cmd) throw inputError('setup: empty command');
  const r = spawnSync(cmd, args, {
    cwd: workflow.dir,
    env: { ...process.env, RIGHTSIZER_STORE: backend.store.root },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (r.error || r.status !== 0)
    throw new RightsizerError(
      'input',
      `setup "${setup}" failed (${r.error?.message ?? `exit ${r.status}`})`,
      'fix the setup, or remove it',
    );
  return 'ran';
}

async function inputsPresent(workflow: LoadedWorkflow, store: FsObjectStore): Promise<boolean> {
  for (const name of workflow.dag.roots) {
    const input = workflow.stages.find((s) => s.name === name)?.input as
      { prefix?: string; keys?: string[] } | undefined;
    if (typeof input?.prefix === 'string' && (await store.list(input.prefix)).length === 0) return false;
    if (Array.isArray(input?.keys)) for (const k of input.keys) if (!(await store.exists(k))) return false;
  }
  return true;
}
