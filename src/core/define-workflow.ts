/**
 * `defineWorkflow`: the TypeScript form of a workflow file. It returns its argument unchanged and
 * only gives it a type, so an editor checks the fields; the loader validates it like YAML.
 *
 * ```ts
 * import { defineWorkflow } from 'rightsizer';
 * export default defineWorkflow({
 *   name: 'wordcount',
 *   setup: './generate.ts',
 *   stages: [{ name: 'count', run: './count.ts', input: { prefix: 'text/' } }],
 * });
 * ```
 */
import type { z } from 'zod';
import type { WorkflowSchema } from './schemas.js';

export type WorkflowDefinition = z.input<typeof WorkflowSchema>;

export function defineWorkflow<const T extends WorkflowDefinition>(workflow: T): T {
  return workflow;
}
