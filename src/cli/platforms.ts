import type { Command } from 'commander';
import Table from 'cli-table3';
import { PLATFORM_SCHEMA } from '../core/schemas.js';
import { PlatformRegistry, allowedSizes } from '../platforms/index.js';
import { print, printJson } from './io.js';
import { collect } from './options.js';

export function registerPlatforms(program: Command): void {
  program
    .command('platforms')
    .description('list the platforms: limits, prices, their date and sources')
    .option('--platform-file <file>', 'YAML file adding or overriding platforms (repeatable)', collect)
    .option('--json', 'print the platform documents')
    .action((flags: { platformFile?: string[]; json?: boolean }) => {
      const registry = PlatformRegistry.withFiles(flags.platformFile ?? []);
      const all = registry.ids().map((id) => registry.get(id));
      // Each one a document `validate` and `--platform-file` take back.
      if (flags.json) return printJson(all.map((p) => ({ schema: PLATFORM_SCHEMA, ...p })));
      const table = new Table({
        head: [
          'id',
          'sizes',
          'memory MB',
          'concurrency',
          'timeout',
          'GB-s',
          'vCPU-s',
          'request',
          'billing',
          'date',
        ],
        style: { head: [], border: [] },
      });
      for (const p of all) {
        const sizes = allowedSizes(p);
        table.push([
          p.id,
          String(sizes.length),
          `${sizes[0]!.memoryMB}–${sizes.at(-1)!.memoryMB}`,
          String(p.maxConcurrency),
          `${p.timeoutMs / 1000} s`,
          p.prices.perGBSecond.toExponential(3),
          p.prices.perVcpuSecond.toExponential(3),
          p.prices.perRequest.toExponential(2),
          `${p.billing.granularityMs} ms`,
          p.date,
        ]);
      }
      print(table.toString());
    });
}
