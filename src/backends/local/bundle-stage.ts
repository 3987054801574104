/**
 * A TypeScript stage module bundled into one ES module before its workers start, as a deploy
 * step bundles a Lambda function. Why: loading TypeScript through tsx costs every worker about
 * 0.3 CPU-seconds of transpiling and loader start-up (measured on this machine); under a 0.1
 * vCPU share that is a 3 s cold start, which would dominate short stages and teach the model a
 * cold start no FaaS platform has. The bundle loads in about 0.07 CPU-seconds, like plain node.
 *
 * esbuild comes with tsx (the TypeScript loader); when it cannot be loaded, or with
 * RIGHTSIZER_LOCAL_BUNDLE=0, workers load the source through tsx as before. Packages stay
 * external (resolved from node_modules above the bundle's folder, `.rightsizer/bundles` beside
 * the workflow), so native addons keep working. The file name carries a hash of the bundle, and
 * it is written to a temporary name and renamed, so concurrent runs never see half a file.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';

const TS_EXTENSIONS = new Set(['.ts', '.mts', '.cts', '.tsx']);

interface EsbuildLike {
  build(options: Record<string, unknown>): Promise<{ outputFiles?: { contents: Uint8Array }[] }>;
}

let esbuild: Promise<EsbuildLike | null> | null = null;

function loadEsbuild(): Promise<EsbuildLike | null> {
  // A variable specifier: esbuild is optional (tsx's dependency), so the type checker must not need it.
  const name = 'esbuild';
  esbuild ??= import(name).then(
    (m: { default?: EsbuildLike } & Partial<EsbuildLike>) =>
      typeof m.build === 'function' ? (m as EsbuildLike) : (m.default ?? null),
    () => null,
  );
  return esbuild;
}

/** The module a worker should load for `stageModule`: its bundle, or itself when not TS. */
export async function bundledStage(stageModule: string, outDir: string): Promise<string> {
  if (!TS_EXTENSIONS.has(extname(stageModule)) || process.env.RIGHTSIZER_LOCAL_BUNDLE === '0')
    return stageModule;
  const eb = await loadEsbuild();
  if (!eb) return stageModule;
  let code: Uint8Array;
  try {
    const result = await eb.build({
      entryPoints: [stageModule],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      // Error samples must point at the user's file and line, not the bundle's: an inline map
      // that the worker reads (node --enable-source-maps).
      sourcemap: 'inline',
      sourcesContent: false,
      // The map's paths are relative to the bundle, which is written into outDir.
      outdir: outDir,
      write: false,
      logLevel: 'silent',
    });
    const out = result.outputFiles?.[0];
    if (!out) return stageModule;
    code = out.contents;
  } catch {
    // A module esbuild cannot bundle still runs through tsx, which reports its errors in the run.
    return stageModule;
  }
  const hash = createHash('sha256').update(stageModule).update(code).digest('hex').slice(0, 12);
  const file = join(outDir, `${basename(stageModule, extname(stageModule))}-${hash}.mjs`);
  mkdirSync(outDir, { recursive: true });
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(tmp, code);
  renameSync(tmp, file);
  return file;
}
