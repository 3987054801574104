import type { Command } from 'commander';
import type { Sample } from '../core/types.js';
import { PlatformRegistry } from '../platforms/index.js';
import { importFlexecutorDir, importLithopsStats, writeSamples } from '../store/index.js';
import { warn } from './io.js';
import { collect, parseBytesFlag } from './options.js';

async function emit(samples: readonly Sample[], warnings: readonly string[], out?: string): Promise<void> {
  for (const w of warnings) warn(w);
  await writeSamples(out ?? process.stdout, samples);
  if (out) process.stderr.write(`wrote ${samples.length} samples to ${out}\n`);
}

export function registerImport(program: Command): void {
  const cmd = program
    .command('import')
    .description('convert profiles from other tools into rightsizer.sample/v1 lines');
  cmd
    .command('lithops-stats')
    .description('rightsizer.lithops-run/v1 records (Lithops future.stats per worker), one per line')
    .argument('<file>', 'the records file')
    .option('--out <file>', 'write the samples here instead of stdout')
    .action(async (file: string, flags: { out?: string }) => {
      const { samples, warnings } = await importLithopsStats(file);
      await emit(samples, warnings, flags.out);
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
    .option('--out <file>', 'write the samples here instead of stdout')
    .action(
      async (
        dir: string,
        flags: {
          platform: string;
          name?: string;
          inputBytes?: number;
          platformFile?: string[];
          out?: string;
        },
      ) => {
        if (flags.platform !== 'auto')
          PlatformRegistry.withFiles(flags.platformFile ?? []).get(flags.platform);
        const { samples, warnings } = await importFlexecutorDir(dir, {
          platform: flags.platform,
          name: flags.name,
          inputBytes: flags.inputBytes,
        });
        await emit(samples, warnings, flags.out);
      },
    );
  cmd.commands.forEach((c) => c.exitOverride());
}
