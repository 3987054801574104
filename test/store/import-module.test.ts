import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RightsizerError } from '../../src/core/errors.js';
import { importModule } from '../../src/store/import-module.js';

describe('importModule', () => {
  it('loads a TypeScript module', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rightsizer-import-'));
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
    writeFileSync(
      join(dir, 'ok.ts'),
      'const n: number = await Promise.resolve(41);\nexport default n + 1;\n',
    );
    expect((await importModule(join(dir, 'ok.ts'))).default).toBe(42);
  });

  it('names the line esbuild refused and how to fix it, not its "Transform failed" header', async () => {
    // A copied example outside any ES-module package: tsx compiles it as CommonJS.
    const dir = mkdtempSync(join(tmpdir(), 'rightsizer-import-'));
    const file = join(dir, 'setup.ts');
    writeFileSync(file, 'export {};\nawait Promise.resolve();\n');
    const err = await importModule(file).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(RightsizerError);
    const line = (err as RightsizerError).oneLine();
    expect(line).toMatch(/setup\.ts: cannot load \(line 2:0: Top-level await/);
    expect(line).not.toMatch(/Transform failed/);
    expect(line).toMatch(/package\.json with "type": "module"/);
    expect((err as RightsizerError).exitCode).toBe(2);
  });
});
