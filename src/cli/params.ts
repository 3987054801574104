/**
 * `--param key=value`: overrides one of the workflow's `params` for this invocation (setup and
 * every stage see it), e.g. `--param size=medium`. Values read like YAML scalars — a number, true
 * or false, else the text — so a param typed in the workflow file keeps its type.
 */
import { inputError } from '../core/errors.js';
import type { LoadedWorkflow } from '../store/index.js';

export function parseParam(text: string): [string, unknown] {
  const eq = text.indexOf('=');
  const key = eq > 0 ? text.slice(0, eq).trim() : '';
  if (!key)
    throw inputError(`--param: cannot read "${text}"`, 'use --param key=value, e.g. --param size=medium');
  const raw = text.slice(eq + 1).trim();
  const n = Number(raw);
  const value = raw === 'true' ? true : raw === 'false' ? false : raw !== '' && Number.isFinite(n) ? n : raw;
  return [key, value];
}

export function withParams(workflow: LoadedWorkflow, params: readonly string[]): LoadedWorkflow {
  if (params.length === 0) return workflow;
  return {
    ...workflow,
    params: { ...(workflow.params ?? {}), ...Object.fromEntries(params.map(parseParam)) },
  };
}
