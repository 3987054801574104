/**
 * The one place a backend is made from its name (Lithops's pattern: every backend behind the same
 * call). `--backend` overrides the workflow's `backend`; an unknown name is a usage error listing
 * the valid ones.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { inputError } from '../core/errors.js';
import type { Platform } from '../core/types.js';
import type { LoadedWorkflow } from '../store/index.js';
import type { Backend } from './backend.js';
import { ExecBackend } from './exec/index.js';
import { LithopsBackend, lithopsConfigOf } from './lithops/index.js';
import { LocalBackend } from './local/index.js';
import { SimBackend, loadScenarioFile } from './sim/index.js';

export const BACKEND_NAMES = ['local', 'exec', 'sim', 'lithops'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

export interface CreateBackendOptions {
  platform: Platform;
  workflow: LoadedWorkflow;
  /** `exec`: the engine's command line. */
  exec?: string;
  /** `sim`: the scenario file (default `<workflow dir>/scenario.yaml`). */
  scenario?: string;
  /** `sim`: mixed into every run's draws. */
  seed?: number;
  /** `lithops`: a Lithops config file, used instead of the workflow's `lithops.config`. */
  lithopsConfig?: string;
  /** `local`: the object store's folder (default `<workflow dir>/.rightsizer/store`). */
  storeRoot?: string;
  /** `lithops`: where each run's `rightsizer.lithops-run/v1` record is appended. */
  lithopsRecords?: string;
}

export function createBackend(name: string, options: CreateBackendOptions): Backend {
  const { platform, workflow } = options;
  switch (name) {
    case 'local':
      missingModules(workflow);
      return new LocalBackend({
        platform,
        workflowDir: workflow.dir,
        ...(options.storeRoot ? { storeRoot: options.storeRoot } : {}),
      });
    case 'exec':
      if (!options.exec)
        throw inputError(
          '--backend exec needs --exec "CMD ARGS"',
          'the command that runs one stage (ARCHITECTURE.md "Exec backend protocol")',
        );
      return new ExecBackend(options.exec, platform, { cwd: workflow.dir });
    case 'sim': {
      const file = options.scenario ?? `${workflow.dir}/scenario.yaml`;
      const scenarios = loadScenarioFile(file);
      // One scenario may stand for a one-stage workflow's stage whatever its name; a stage of a
      // larger workflow never borrows another's.
      const missing = workflow.stages.map((st) => st.name).filter((name) => !scenarios.has(name));
      if (missing.length > 0 && !(workflow.stages.length === 1 && scenarios.size === 1))
        throw inputError(
          `${file}: no scenario for stage${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`,
          `its stages: map has ${[...scenarios.keys()].join(', ') || 'none'}; give every stage of ${workflow.name} its scenario`,
        );
      return new SimBackend({ platform, scenarios, seed: options.seed ?? 0 });
    }
    case 'lithops': {
      const lithopsConfig = options.lithopsConfig ?? lithopsConfigOf(workflow);
      return new LithopsBackend({
        platform,
        workflowDir: workflow.dir,
        ...(lithopsConfig ? { lithopsConfig } : {}),
        ...(options.lithopsRecords ? { recordsPath: options.lithopsRecords } : {}),
      });
    }
    default:
      throw inputError(`--backend ${name}: unknown backend`, `use one of ${BACKEND_NAMES.join(', ')}`);
  }
}

/**
 * The local backend runs each stage's `run` module: one that is not there is bad input, said once
 * before any run (each run would otherwise record the same error).
 */
function missingModules(workflow: LoadedWorkflow): void {
  workflow.stages.forEach((st, i) => {
    if (!st.run) return;
    const path = isAbsolute(st.run) ? st.run : resolve(workflow.dir, st.run);
    if (!existsSync(path))
      throw inputError(
        `${workflow.file ?? workflow.name}: stages[${i}].run: no such module ${path}`,
        "give the stage's module path relative to the workflow file",
      );
  });
}
