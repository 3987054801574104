/**
 * The sim backend's scenario file (`rightsizer.sim-scenario/v1`, YAML or JSON), in one of two shapes:
 *
 * ```yaml
 * # one scenario: simulates the stage of the same name (or the workflow's only stage)
 * schema: rightsizer.sim-scenario/v1
 * name: parse
 * seed: 1
 * inputBytes: 1073741824
 * coldStart: { medianMs: 300 }
 * ...                                   # every field of ScenarioSchema (scenario.ts)
 * ```
 * ```yaml
 * # several: stage name → scenario (a scenario's `name` defaults to its stage's)
 * schema: rightsizer.sim-scenario/v1
 * stages:
 *   parse: { seed: 1, inputBytes: 1073741824, coldStart: { medianMs: 300 }, ... }
 *   merge: { seed: 2, ... }
 * ```
 * Errors name the file and the field path, like every other file rightsizer reads.
 */
import { readFileSync } from 'node:fs';
import { inputError } from '../../core/errors.js';
import { formatZodError } from '../../core/zod-issue.js';
import { parseWorkflowText } from '../../store/workflow-file.js';
import { SCENARIO_SCHEMA, ScenarioSchema, type Scenario } from './scenario.js';

/** Stage name → its scenario. */
export type ScenarioMap = Map<string, Scenario>;

export function loadScenarioFile(path: string): ScenarioMap {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw inputError(
      `--scenario ${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`,
      `give a ${SCENARIO_SCHEMA} YAML or JSON file`,
    );
  }
  return parseScenarioDocument(parseWorkflowText(text, path), path);
}

export function parseScenarioDocument(raw: unknown, source: string): ScenarioMap {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw inputError(
      `${source}: expected a ${SCENARIO_SCHEMA} object`,
      'one scenario, or { stages: { name: scenario } }',
    );
  const doc = raw as Record<string, unknown>;
  if (doc.schema !== undefined && doc.schema !== SCENARIO_SCHEMA)
    throw inputError(`${source}: schema: expected "${SCENARIO_SCHEMA}", got ${JSON.stringify(doc.schema)}`);
  const out: ScenarioMap = new Map();
  if (doc.stages !== undefined) {
    if (typeof doc.stages !== 'object' || doc.stages === null || Array.isArray(doc.stages))
      throw inputError(`${source}: stages: expected a map of stage name → scenario`);
    for (const [stage, value] of Object.entries(doc.stages as Record<string, unknown>)) {
      const withName = { name: stage, ...(value as Record<string, unknown>) };
      out.set(stage, parseOne(withName, `${source}: stages.${stage}`));
    }
    return out;
  }
  const s = parseOne(doc, source);
  out.set(s.name, s);
  return out;
}

function parseOne(raw: unknown, where: string): Scenario {
  const parsed = ScenarioSchema.safeParse(raw);
  if (!parsed.success) throw inputError(`${where}: ${formatZodError(parsed.error)}`);
  return parsed.data;
}
