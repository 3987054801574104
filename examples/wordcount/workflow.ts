/**
 * Word count on the local backend: `setup` writes 4 MB of text into the object store, `count`
 * counts words in each worker's slice of it (cut on line boundaries), `merge` sums the counts on
 * one worker. Applications import `defineWorkflow` from 'rightsizer'; this example imports it from
 * the source tree so it runs without the package installed.
 *
 *   rightsizer optimize examples/wordcount --objective cost
 *   rightsizer run examples/wordcount --plan examples/wordcount/plan.json
 */
import { defineWorkflow } from '../../src/core/define-workflow.js';

export default defineWorkflow({
  schema: 'rightsizer.workflow/v1',
  name: 'wordcount',
  platform: 'aws-lambda-x86',
  backend: 'local',
  setup: './generate.ts',
  params: { files: 8, bytesPerFile: 512 * 1024, seed: 1 },
  stages: [
    {
      name: 'count',
      run: './stages/count.ts',
      input: { prefix: 'text/' },
      params: { recordDelimiter: '\n' },
      // This machine runs the workers: keep the fan-out and sizes to what a laptop can host.
      space: { workers: { min: 1, max: 4 }, memoryMB: { min: 384, max: 1769 } },
      timeoutMs: 60_000,
    },
    {
      name: 'merge',
      run: './stages/merge.ts',
      input: { from: 'count' },
      dependsOn: ['count'],
      maxWorkers: 1,
      space: { memoryMB: { min: 384, max: 1769 } },
      timeoutMs: 60_000,
    },
  ],
});
