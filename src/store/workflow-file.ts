/**
 * Loads a workflow file (`rightsizer.workflow/v1`, YAML or JSON, or a folder holding
 * `workflow.yaml`) into a checked workflow and its DAG. `validateWorkflow` is the seam shared
 * with the TypeScript `defineWorkflow(...)` form: both end up as a plain object checked here.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { buildDag, dagIssues } from '../core/dag.js';
import type { Dag, DagNode } from '../core/dag.js';
import { inputError } from '../core/errors.js';
import { WorkflowSchema } from '../core/schemas.js';
import type { StageDef, Workflow } from '../core/schemas.js';
import { yamlSyntaxError } from '../core/yaml-error.js';
import { formatZodError } from '../core/zod-issue.js';

/** The names a folder given as a workflow may hold, first found wins. */
const WORKFLOW_FILE_NAMES = ['workflow.yaml', 'workflow.yml', 'workflow.json'];

/**
 * The checked workflow (defaults filled, path-like `run`/`setup` made absolute) with where it
 * came from and its DAG. It is a `Workflow`, so code that only needs the stages takes it as one.
 */
export type LoadedWorkflow = Workflow & WorkflowOrigin;

export interface WorkflowOrigin {
  dag: Dag;
  /** Absolute path of the file it came from; null for an object given in code. */
  file: string | null;
  /** The folder relative paths were resolved against. */
  dir: string;
  /** The `setup` and per-stage `run` values as written, where resolving changed them. */
  asWritten: { setup?: string; run: Record<string, string> };
}

export interface ValidateOptions {
  /** How errors name the source, e.g. `workflow.yaml`. */
  source: string;
  /** Folder that relative `run`/`setup` paths are resolved against. */
  baseDir: string;
  /** Absolute path of the file, when there is one. */
  file?: string | null;
}

/**
 * Reads, parses and checks a workflow file, or the `workflow.yaml` of a folder. Synchronous: the
 * file is small and read once, before any work starts.
 */
export function loadWorkflow(path: string): LoadedWorkflow {
  const file = workflowFilePath(path);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw inputError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  const source = path.endsWith(basename(file)) ? path : join(path, basename(file));
  const raw = parseWorkflowText(text, source);
  return validateWorkflow(raw, { source, baseDir: dirname(file), file });
}

function workflowFilePath(path: string): string {
  const abs = resolve(path);
  let isDir: boolean;
  try {
    isDir = statSync(abs).isDirectory();
  } catch {
    throw inputError(
      `${path}: no such workflow file or folder`,
      'give a workflow.yaml or the folder holding it',
    );
  }
  if (!isDir) return abs;
  for (const name of WORKFLOW_FILE_NAMES) {
    const candidate = join(abs, name);
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // Try the next name.
    }
  }
  throw inputError(
    `${path}: folder has no workflow.yaml`,
    'a folder given as a workflow must hold workflow.yaml',
  );
}

/** YAML (JSON is YAML too); syntax errors name file:line:column. */
export function parseWorkflowText(text: string, source: string): unknown {
  const doc = parseDocument(text);
  const error = doc.errors[0];
  if (error) throw inputError(yamlSyntaxError(error, source));
  const value: unknown = doc.toJS();
  if (value === null || value === undefined)
    throw inputError(`${source}: empty workflow file`, 'it needs at least name and stages');
  return value;
}

/**
 * Checks a plain workflow object: the schema (errors name the field path and what would be
 * valid), unique stage names, `dependsOn` and `input.from` naming known stages, no cycles.
 * `input: { from: X }` is a dependency on X even when `dependsOn` omits it, since the stage
 * reads X's output.
 */
export function validateWorkflow(raw: unknown, options: ValidateOptions): LoadedWorkflow {
  const parsed = WorkflowSchema.safeParse(raw);
  if (!parsed.success) throw inputError(`${options.source}: ${formatZodError(parsed.error)}`);
  const workflow = parsed.data;

  const names = new Set(workflow.stages.map((s) => s.name));
  workflow.stages.forEach((stage, i) => {
    inputFrom(stage).forEach((from, j, all) => {
      if (!names.has(from)) {
        const path =
          all.length === 1 && typeof stage.input?.from === 'string' ? 'input.from' : `input.from[${j}]`;
        throw inputError(
          `${options.source}: stages[${i}].${path}: unknown stage "${from}" (stages are: ${[...names].join(', ')})`,
        );
      }
    });
  });
  const nodes: DagNode[] = workflow.stages.map((s) => ({ name: s.name, dependsOn: s.dependsOn ?? [] }));
  // Check dependsOn first so its paths in errors point at what the user wrote.
  if (dagIssues(nodes).length > 0) buildDag(nodes, options.source);
  const dag = buildDag(
    workflow.stages.map((s) => ({ name: s.name, dependsOn: [...(s.dependsOn ?? []), ...inputFrom(s)] })),
    options.source,
  );

  // Every consumer of the stages (the planner's DAG, `plan --workflow`, the plan's critical path)
  // sees the dependency input.from implies, not only the profiler's DAG.
  for (const stage of workflow.stages) {
    const deps = [...new Set([...(stage.dependsOn ?? []), ...inputFrom(stage)])];
    if (deps.length > 0) stage.dependsOn = deps;
  }

  const asWritten: WorkflowOrigin['asWritten'] = { run: {} };
  if (workflow.setup !== undefined && isPathLike(workflow.setup)) {
    const abs = resolve(options.baseDir, workflow.setup);
    if (abs !== workflow.setup) asWritten.setup = workflow.setup;
    workflow.setup = abs;
  }
  for (const stage of workflow.stages) {
    if (stage.run === undefined || !isPathLike(stage.run)) continue;
    const abs = resolve(options.baseDir, stage.run);
    if (abs !== stage.run) asWritten.run[stage.name] = stage.run;
    stage.run = abs;
  }
  return Object.assign(workflow, { dag, file: options.file ?? null, dir: options.baseDir, asWritten });
}

function inputFrom(stage: StageDef): string[] {
  const from: unknown = stage.input?.from;
  if (typeof from === 'string') return [from];
  return Array.isArray(from) ? from.filter((f): f is string => typeof f === 'string') : [];
}

/**
 * A `run` is a path when it looks like one (`./x.ts`, `../x`, `/abs`, `stages/x.py`); a Lithops
 * `package.module:function` or a command line is left as written.
 */
export function isPathLike(run: string): boolean {
  if (/^\.{1,2}[\\/]/.test(run) || isAbsolute(run)) return true;
  return /^[^\s:]+\.(?:[cm]?[jt]s|py|sh)$/.test(run);
}
