import type { Command } from 'commander';
import { inputError } from '../core/errors.js';
import type { Sample } from '../core/types.js';
import { PlatformRegistry } from '../platforms/index.js';
import { statSync } from 'node:fs';
import { importFlexecutorDir, importLithopsStats, readSamples, writeSamples } from '../store/index.js';
import { note, warn } from './io.js';
import { collect, parseBytesFlag } from './options.js';

/**
 * Samples to stdout, or to `--out`. An existing samples file is appended to, never replaced (it is
 * the record of runs that cost money), and lines whose runId it already holds are skipped, so
 * importing the same records twice adds nothing.
 */
async function emit(
  samples: readonly Sample[],
  warnings: readonly string[],
  flags: { out?: string; strict?: boolean },
): Promise<void> {
  const out = flags.out;
  // Under --strict, anything the import had to skip or guess is fatal, and nothing is written.
  if (flags.strict && warnings[0] !== undefined)
    throw inputError(warnings[0], 'fix the input, or drop --strict to import what can be');
  for (const w of warnings) warn(w);
  // A failed run is data (it is kept, and left out of fitting), but a user importing runs that
  // all went well should hear why some did not count as such.
  const failed = samples.filter((s) => s.status === 'error');
  if (failed[0])
    note(
      `${failed.length} of ${samples.length} runs imported as error samples, left out of fitting (first, run ${failed[0].runId ?? '?'}: ${failed[0].error ?? 'no reason given'})`,
    );
  if (!out) {
    await writeSamples(process.stdout, samples);
    return;
  }
  const existing = statSync(out, { throwIfNoEntry: false });
  if (!existing?.isFile() || existing.size === 0) {
    await writeSamples(out, samples);
    process.stderr.write(`wrote ${samples.length} samples to ${out}\n`);
    return;
  }
  const { samples: held } = await readSamples(out, { allowEmpty: true });
  const ids = new Set(held.flatMap((s) => (s.runId ? [s.runId] : [])));
  const fresh = samples.filter((s) => !s.runId || !ids.has(s.runId));
  await writeSamples(out, fresh, { append: true });
  process.stderr.write(
    `appended ${fresh.length} samples to ${out}` +
      (fresh.length < samples.length ? ` (${samples.length - fresh.length} already there)` : '') +
      '\n',
  );
}

export function registerImport(program: Command): void {
  const cmd = program
    .command('import')
    .description('convert profiles from other tools into rightsizer.sample/v1 lines');
  cmd
    .command('lithops-stats')
    .description('rightsizer.lithops-run/v1 records (Lithops future.stats per worker), one per line')
    .argument('<file>', 'the records file')
    .option('--out <file>', 'write the samples here instead of stdout (an existing file is appended to)')
    .option(
      '--strict',
      'a line that cannot be imported as it is (skipped, or with a value left out) is fatal',
    )
    .action(async (file: string, flags: { out?: string; strict?: boolean }) => {
      const { samples, warnings } = await importLithopsStats(file);
      await emit(samples, warnings, flags);
    });
  cmd
    .command('flexecutor')
    .description("flexecutor's per-stage profile JSONs (a folder, searched recursively)")
    .argument('<dir>', 'the profiling folder')
    .requiredOption(
      '--platform <id>',
      'platform the profiles ran on, or auto (aws-lambda-arm64 or -x86 from the folder names)',
    )
    .option('--name <workflow>', 'workflow name (default: the folder prefix before _aws_)')
    .option('--input-bytes <n>', "each stage's whole input", parseBytesFlag('--input-bytes'))
    .option('--platform-file <file>', 'YAML file adding platforms (repeatable)', collect)
    .option('--out <file>', 'write the samples here instead of stdout (an existing file is appended to)')
    .option(
      '--strict',
      'a profile that cannot be imported as it is (skipped, or with values left out) is fatal',
    )
    .action(
      async (
        dir: string,
        flags: {
          platform: string;
          name?: string;
          inputBytes?: number;
          platformFile?: string[];
          out?: string;
          strict?: boolean;
        },
      ) => {
        if (flags.platform !== 'auto')
          PlatformRegistry.withFiles(flags.platformFile ?? []).get(flags.platform);
        const { samples, warnings } = await importFlexecutorDir(dir, {
          platform: flags.platform,
          name: flags.name,
          inputBytes: flags.inputBytes,
        });
        await emit(samples, warnings, flags);
      },
    );
  cmd.commands.forEach((c) => c.exitOverride());
}
