import type { Command } from 'commander';
import { stagesInSamples, trainWorkflow, withResolvedVcpu } from '../pipeline/train.js';
import { renderModel, SELECTION_NOTE } from '../report/model-table.js';
import { print, printJson, warn } from './io.js';
import { loadCommon, type CommonFlags } from './load.js';
import { collect } from './options.js';
import { FAMILY_HELP, parseFamily } from './family-help.js';

interface TrainFlags extends CommonFlags {
  family: string;
  json?: boolean;
}

export function registerTrain(program: Command): void {
  program
    .command('train')
    .description(
      'fit a model of every stage and phase; print the family chosen and the cross-validated error of each family tried',
    )
    .requiredOption('--samples <file>', 'samples file (rightsizer.sample/v1 JSON lines)')
    .option('--workflow <file>', 'only the stages of this workflow (file, or name in the samples)')
    .option('--platform <id>', 'platform the samples ran on, where they do not say')
    .option('--platform-file <file>', 'YAML file adding or overriding platforms (repeatable)', collect)
    .option('--family <name>', FAMILY_HELP, parseFamily, 'auto')
    .option('--strict', 'a bad sample line is fatal')
    .option('--json', 'print the model summaries as JSON')
    .action(async (flags: TrainFlags) => {
      const loaded = await loadCommon(flags);
      const samples = withResolvedVcpu(loaded.samples, loaded.registry, loaded.platforms[0]!, flags.samples);
      const stages = loaded.workflow ? loaded.workflow.stages.map((s) => s.name) : stagesInSamples(samples);
      const { models, warnings } = trainWorkflow(samples, {
        family: flags.family,
        stages,
        source: flags.samples,
        registry: loaded.registry,
      });
      for (const w of warnings) warn(w);
      const summaries = [...models.values()].map((m) => m.describe());
      if (flags.json) printJson({ schema: 'rightsizer.models/v1', stages: summaries });
      else {
        print(summaries.map(renderModel).join('\n\n'));
        print(`\n${SELECTION_NOTE}`);
      }
    });
}
