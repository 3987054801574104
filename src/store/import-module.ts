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
    throw inputError(`${path}: cannot load (${err.message.split('\n')[0]})`);
  }
}
