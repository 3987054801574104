/**
 * Imports a user's JS/TS module (a workflow or a setup script) from inside rightsizer: JavaScript
 * with a plain dynamic import, TypeScript through tsx's `tsImport` (tsx ships with rightsizer for
 * TypeScript stages), so the built CLI loads `.ts` files without a loader flag.
 */
import Module, { register } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { inputError } from '../core/errors.js';

const TS = /\.[cm]?tsx?$/;

let selfResolving = false;

/**
 * Once per process: 'rightsizer' imported by a user's module resolves to this rightsizer
 * (self-resolve-hook.ts), wherever the module lives, and required by one loaded as CommonJS to a
 * shim holding defineWorkflow (bin/define-workflow.cjs). The hook is JavaScript once built; from the
 * source tree (tests, `tsx src/cli/main.ts`) tsx's own loader, registered first, reads the .ts.
 */
function resolveSelf(): void {
  if (selfResolving) return;
  selfResolving = true;
  const here = import.meta.url;
  const ext = here.endsWith('.ts') ? '.ts' : '.js';
  try {
    register(new URL(`./self-resolve-hook${ext}`, here), {
      data: { entry: new URL(`../index${ext}`, here).href },
    });
  } catch {
    // From the source tree without a TypeScript loader (a test runner): the hook cannot load, and
    // a module there imports rightsizer by path anyway.
  }
  // A module loaded as CommonJS requires instead: it gets defineWorkflow from a CommonJS shim.
  const shim = fileURLToPath(new URL('../../bin/define-workflow.cjs', here));
  const cjs = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
  const original = cjs._resolveFilename;
  cjs._resolveFilename = function (this: unknown, request: string, ...rest: unknown[]): string {
    return request === 'rightsizer' ? shim : original.call(this, request, ...rest);
  };
}

export async function importModule(path: string): Promise<Record<string, unknown>> {
  resolveSelf();
  try {
    if (!TS.test(path)) return (await import(pathToFileURL(path).href)) as Record<string, unknown>;
    const { tsImport } = (await import('tsx/esm/api')) as {
      tsImport: (specifier: string, parent: string) => Promise<Record<string, unknown>>;
    };
    const ns = await tsImport(pathToFileURL(path).href, import.meta.url);
    // Loaded as CommonJS (a .ts file outside a "type": "module" package), the module's exports
    // sit under `default`: they are its namespace.
    const cjs = ns.default as { __esModule?: unknown } | null | undefined;
    return cjs && typeof cjs === 'object' && cjs.__esModule === true ? (cjs as Record<string, unknown>) : ns;
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
      /"cjs" output format|ERR_REQUIRE_ESM|require\(\) of ES Module|Cannot find module 'rightsizer'/.test(
        detail,
      )
        ? 'it loads as CommonJS: give its folder a package.json with "type": "module", or name it .mts'
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
