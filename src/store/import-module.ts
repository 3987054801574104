/**
 * Imports a user's JS/TS module (a workflow or a setup script) from inside rightsizer: JavaScript
 * with a plain dynamic import, TypeScript through tsx's `tsImport` (tsx ships with rightsizer for
 * TypeScript stages), so the built CLI loads `.ts` files without a loader flag.
 */
import { pathToFileURL } from 'node:url';
import { inputError } from '../core/errors.js';

const TS = /\.[cm]?tsx?$/;

export async function importModule(path: string): Promise<Record<string, unknown>> {
  try {
    if (!TS.test(path)) return (await import(pathToFileURL(path).href)) as Record<string, unknown>;
    const { tsImport } = (await import('tsx/esm/api')) as {
      tsImport: (specifier: string, parent: string) => Promise<Record<string, unknown>>;
    };
    return await tsImport(pathToFileURL(path).href, import.meta.url);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes("'tsx"))
      throw inputError(
        `${path}: loading TypeScript needs tsx`,
        'npm install tsx, or give a JavaScript module',
      );
    const detail = loadErrorDetail(String(err.message), path);
    throw inputError(
      `${path}: cannot load (${detail})`,
      /"cjs" output format/.test(detail)
        ? 'give its folder a package.json with "type": "module", or name it .mts'
        : undefined,
    );
  }
}

/** The line that says what failed: esbuild's first error under its "Transform failed" header. */
function loadErrorDetail(message: string, path: string): string {
  const lines = message
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const first = lines[0] ?? 'unknown error';
  const line = /^Transform failed with \d+ errors?:$/.test(first) && lines[1] ? lines[1] : first;
  // "<path>:89:2: ERROR: …" → "line 89:2: …": the path is already named.
  return line.startsWith(`${path}:`) ? `line ${line.slice(path.length + 1).replace(' ERROR: ', ' ')}` : line;
}
