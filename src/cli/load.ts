/** What several commands load the same way: samples (reporting bad lines), workflow, platforms. */
import type { Platform, Sample, Workflow } from '../core/types.js';
import { inputError } from '../core/errors.js';
import { PlatformRegistry } from '../platforms/index.js';
import { loadWorkflow, readSamples } from '../store/index.js';
import { warn } from './io.js';

export interface CommonFlags {
  samples: string;
  workflow?: string;
  platform?: string;
  platformFile?: string[];
  strict?: boolean;
}

export async function loadSamplesReporting(path: string, strict = false): Promise<Sample[]> {
  const { samples, problems, duplicates } = await readSamples(path, { strict });
  if (duplicates > 0) warn(`${path}: ${duplicates} line(s) repeat an earlier runId and were dropped`);
  for (const p of problems) warn(`${path}:${p.line}: ${p.reason} (line skipped)`);
  return samples;
}

export interface Loaded {
  samples: Sample[];
  workflow: Workflow | undefined;
  registry: PlatformRegistry;
  platforms: Platform[];
}

/** Platforms: `--platform` (comma list), else the workflow's, else the samples' most common, else AWS Lambda x86. */
export async function loadCommon(flags: CommonFlags): Promise<Loaded> {
  const registry = PlatformRegistry.withFiles(flags.platformFile ?? []);
  const workflow = flags.workflow ? loadWorkflow(flags.workflow) : undefined;
  const samples = await loadSamplesReporting(flags.samples, flags.strict);
  if (!flags.platform && workflow && !registry.ids().includes(workflow.platform))
    throw inputError(
      `${flags.workflow}: platform: unknown platform "${workflow.platform}"`,
      `known: ${registry.ids().join(', ')}; --platform-file adds one`,
    );
  const platformIds =
    flags.platform ?? workflow?.platform ?? mostCommonPlatform(samples, registry) ?? 'aws-lambda-x86';
  return { samples, workflow, registry, platforms: registry.getList(platformIds) };
}

function mostCommonPlatform(samples: readonly Sample[], registry: PlatformRegistry): string | undefined {
  const counts = new Map<string, number>();
  for (const s of samples)
    if (s.platform && registry.ids().includes(s.platform))
      counts.set(s.platform, (counts.get(s.platform) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
}
