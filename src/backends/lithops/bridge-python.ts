/**
 * Where the bridge's Python lives: `python/` of this package (put on PYTHONPATH, so the bridge
 * runs from the source tree without an install) and the interpreter of the project's `.venv`
 * that `scripts/setup-python.sh` creates, unless the caller or RIGHTSIZER_PYTHON names another.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SETUP_COMMAND = 'bash scripts/setup-python.sh';

/** The package root: the nearest folder up from this file holding python/rightsizer_lithops (src/ and dist/ differ in depth). */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'python', 'rightsizer_lithops'))) return dir;
    const up = dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
}

export function bridgePythonDir(): string {
  return join(packageRoot(), 'python');
}

export function defaultPython(): string {
  return process.env['RIGHTSIZER_PYTHON'] ?? join(packageRoot(), '.venv', 'bin', 'python');
}
