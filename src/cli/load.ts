/** What several commands load the same way: samples (reporting bad lines), workflow, platforms. */
import { existsSync } from 'node:fs';
import type { Platform, Sample, Workflow } from '../core/types.js';
import { inputError } from '../core/errors.js';
import { PlatformRegistry, assertSpacesAllowConfigs } from '../platforms/index.js';
import { readSamples } from '../store/index.js';
import { loadAnyWorkflow } from '../store/workflow-module.js';
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
export async function loadCommon(
  flags: CommonFlags,
  /** Refuse a stage whose space allows no config on a platform (`plan`: its planner cannot name the file). */
  checkSpaces = false,
): Promise<Loaded> {
  const registry = PlatformRegistry.withFiles(flags.platformFile ?? []);
  const all = await loadSamplesReporting(flags.samples, flags.strict);
  // `--workflow NAME` (no such file, but a workflow of the samples): that workflow's samples, its
  // stages taken as without a workflow file — what imported profiles, which have no file, need.
  const byName =
    flags.workflow !== undefined &&
    !existsSync(flags.workflow) &&
    all.some((s) => s.workflow === flags.workflow);
  const workflow = flags.workflow && !byName ? await loadAnyWorkflow(flags.workflow) : undefined;
  const samples = byName
    ? all.filter((s) => s.workflow === flags.workflow)
    : ownSamples(all, workflow, flags);
  if (!flags.platform && workflow && !registry.ids().includes(workflow.platform))
    throw inputError(
      `${flags.workflow}: platform: unknown platform "${workflow.platform}"`,
      `known: ${registry.ids().join(', ')}; --platform-file adds one`,
    );
  const platformIds =
    flags.platform ?? workflow?.platform ?? mostCommonPlatform(samples, registry) ?? 'aws-lambda-x86';
  const platforms = registry.getList(platformIds);
  if (checkSpaces && workflow)
    for (const p of platforms) assertSpacesAllowConfigs(`${flags.workflow}: `, workflow.stages, p);
  return { samples, workflow, registry, platforms };
}

/**
 * Models are per stage name, so samples of two workflows that share a stage name would be fitted
 * as one stage. With a workflow, its own samples (by the `workflow` field) are the ones used; a
 * file of one other name is taken as this workflow's under a former name. Without one, a file
 * whose workflows share a stage name is refused rather than mixed.
 */
function ownSamples(samples: Sample[], workflow: Workflow | undefined, flags: CommonFlags): Sample[] {
  const names = [...new Set(samples.map((s) => s.workflow))].sort();
  if (names.length === 1 && workflow && names[0] !== workflow.name)
    warn(
      `${flags.samples}: its samples are of workflow "${names[0]}", not "${workflow.name}" (${flags.workflow}); used as ${workflow.name}'s (a former name?)`,
    );
  if (names.length <= 1) return samples;
  if (workflow) {
    const own = samples.filter((s) => s.workflow === workflow.name);
    if (own.length === 0)
      throw inputError(
        `${flags.samples}: no sample of workflow "${workflow.name}" (${flags.workflow}); the file holds ${names.map((n) => `"${n}"`).join(', ')}`,
        'give the workflow file these samples were recorded for',
      );
    const others = names.filter((n) => n !== workflow.name);
    warn(
      `${flags.samples}: ${samples.length - own.length} sample(s) of other workflows (${others.join(', ')}) left out; using the ${own.length} of ${workflow.name}`,
    );
    return own;
  }
  const byStage = new Map<string, Set<string>>();
  for (const s of samples) byStage.set(s.stage, (byStage.get(s.stage) ?? new Set()).add(s.workflow));
  const shared = [...byStage].filter(([, ws]) => ws.size > 1).map(([stage]) => stage);
  if (shared.length > 0)
    throw inputError(
      `${flags.samples}: workflows ${names.join(', ')} share stage name(s) ${shared.join(', ')}, whose samples would be fitted as one`,
      `give --workflow with one of ${names.join(', ')} (or its workflow file) to use that workflow's samples`,
    );
  return samples;
}

function mostCommonPlatform(samples: readonly Sample[], registry: PlatformRegistry): string | undefined {
  const counts = new Map<string, number>();
  for (const s of samples)
    if (s.platform && registry.ids().includes(s.platform))
      counts.set(s.platform, (counts.get(s.platform) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
}
