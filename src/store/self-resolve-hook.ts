/**
 * A module-resolution hook (node:module `register`) that lets a user's workflow or setup module
 * import 'rightsizer' from any folder: the bare specifier resolves to the running rightsizer's own
 * entry, so `import { defineWorkflow } from 'rightsizer'` needs no install beside the workflow.
 */
interface ResolveContext {
  parentURL?: string;
}
type NextResolve = (specifier: string, context: ResolveContext) => Promise<{ url: string }>;

let entry = '';

export function initialize(data: { entry: string }): void {
  entry = data.entry;
}

export async function resolve(
  specifier: string,
  context: ResolveContext,
  next: NextResolve,
): Promise<{ url: string; shortCircuit?: boolean }> {
  if (specifier === 'rightsizer' && entry) return { url: entry, shortCircuit: true };
  return next(specifier, context);
}
