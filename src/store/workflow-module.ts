/**
 * Workflows written in TypeScript or JavaScript: a module whose default export is
 * `defineWorkflow({...})` (the same fields as the YAML form), checked through the same
 * `validateWorkflow` seam as a YAML file. `loadAnyWorkflow` takes either form, or a folder holding
 * `workflow.yaml|yml|json|ts|mts|js|mjs` (first found wins).
 */
import { statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { inputError } from '../core/errors.js';
import { importModule } from './import-module.js';
import { loadWorkflow, validateWorkflow, type LoadedWorkflow } from './workflow-file.js';

/** A workflow written as a TypeScript or JavaScript module (`defineWorkflow`), by its extension. */
export const WORKFLOW_MODULE = /\.(?:[cm]?ts|[cm]?js)$/;
const FOLDER_NAMES = [
  'workflow.yaml',
  'workflow.yml',
  'workflow.json',
  'workflow.ts',
  'workflow.mts',
  'workflow.js',
  'workflow.mjs',
];

export async function loadAnyWorkflow(path: string): Promise<LoadedWorkflow> {
  const abs = resolve(path);
  let file = abs;
  try {
    if (statSync(abs).isDirectory()) {
      const found = FOLDER_NAMES.map((n) => join(abs, n)).find((f) => isFile(f));
      if (!found)
        throw inputError(
          `${path}: folder has no workflow file`,
          `a folder given as a workflow must hold one of ${FOLDER_NAMES.join(', ')}`,
        );
      file = found;
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT')
      throw inputError(
        `${path}: no such workflow file or folder`,
        'give a workflow.yaml, a workflow.ts, or the folder holding it',
      );
    throw e;
  }
  if (!WORKFLOW_MODULE.test(file)) return loadWorkflow(file);
  const mod = await importModule(file);
  const raw = mod.default ?? mod.workflow;
  if (raw === undefined)
    throw inputError(`${file}: no default export`, 'export default defineWorkflow({ name, stages: [...] })');
  return validateWorkflow(raw, { source: file, baseDir: dirname(file), file });
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}
