/**
 * Trainer: from a samples file's records to one fitted model per stage, with every sample's
 * vCPU share resolved by the platform it ran on.
 */
import { inputError } from '../core/errors.js';
import type { FittedStageModel, Platform, Sample } from '../core/types.js';
import { fitStage } from '../models/index.js';
import type { PlatformRegistry } from '../platforms/index.js';
import { axisRange, platformMaxVcpu, resolveVcpu } from '../platforms/index.js';

export interface TrainOptions {
  /** Model family for every stage; `auto` picks per stage and phase by cross-validation. */
  family?: string;
  seed?: number;
  /** Only these stages (in this order); default every stage with samples, in first-seen order. */
  stages?: readonly string[];
  /** Where the samples came from, for messages. */
  source?: string;
  /** The known platforms: samples naming another one, or a size theirs does not offer, are warned of. */
  registry?: PlatformRegistry;
}

export interface TrainedWorkflow {
  models: Map<string, FittedStageModel>;
  warnings: string[];
}

/** Stage names in the order they first appear. */
export function stagesInSamples(samples: readonly Sample[]): string[] {
  return [...new Set(samples.map((s) => s.stage))];
}

/**
 * Fills `config.vcpu` where the sample lacks it, from the platform it names (else `fallback`);
 * a sample that gives its own vcpu keeps it: it is what ran.
 */
export function withResolvedVcpu(
  samples: readonly Sample[],
  registry: PlatformRegistry,
  fallback: Platform,
  source = 'samples',
): Sample[] {
  return samples.map((s) => {
    if (s.config.vcpu !== undefined) return s;
    const known = s.platform ? registry.ids().includes(s.platform) : false;
    const platform = known && s.platform ? registry.get(s.platform) : fallback;
    let vcpu: number;
    try {
      vcpu = resolveVcpu(platform, s.config.memoryMB);
    } catch {
      throw inputError(
        `${source}: a sample of stage "${s.stage}" at ${s.config.memoryMB} MB gives no config.vcpu` +
          `${known ? '' : ' and no platform'}, and ${platform.id} allows no vCPU share with that memory`,
        known
          ? 'add config.vcpu to its lines'
          : 'add config.vcpu or platform to its lines, or give --workflow FILE: its platform is where they ran',
      );
    }
    return { ...s, config: { ...s.config, vcpu } };
  });
}

/**
 * The most vCPU a sample at `memoryMB` can have run with: where the platform ties vCPU to memory,
 * its share rounded up to whole vCPUs (a machine's core count recorded as the vCPU at 128 MB is
 * a mistake); elsewhere the platform's most.
 */
function vcpuCeiling(p: Platform, memoryMB: number, maxVcpu: number): number {
  return p.cpu.kind === 'proportional'
    ? Math.min(Math.ceil(resolveVcpu(p, memoryMB) - 1e-9), maxVcpu)
    : maxVcpu;
}

/**
 * Samples that cannot have run as written on the platform they name: an unknown platform, memory
 * outside its range, more vCPU than it gives any worker. They are still fitted (an engine's own
 * platform may be missing from the catalog) but a typo should not pass unseen. A vCPU below the
 * memory's share is not one: the local backend records the share its cgroup really gave.
 */
export function platformWarnings(
  samples: readonly Sample[],
  registry: PlatformRegistry,
  source = 'samples',
): string[] {
  const out: string[] = [];
  const ids = registry.ids();
  const unknown = new Map<string, number>();
  // One warning per stage and trouble (which names the platform).
  const outside = new Map<string, { stage: string; count: number; values: Set<number>; why: string }>();
  const flag = (stage: string, value: number, why: string): void => {
    const key = JSON.stringify([stage, why]);
    const o = outside.get(key) ?? { stage, count: 0, values: new Set<number>(), why };
    o.count++;
    o.values.add(value);
    outside.set(key, o);
  };
  for (const s of samples) {
    if (!s.platform) continue;
    if (!ids.includes(s.platform)) {
      unknown.set(s.platform, (unknown.get(s.platform) ?? 0) + 1);
      continue;
    }
    const p = registry.get(s.platform);
    const [lo, hi] = axisRange(p.memoryMB);
    // Whole vCPUs: AWS Lambda's 10,240 MB is sold as 6 vCPU where 1,769 MB per vCPU makes 5.79.
    const maxVcpu = Math.ceil(platformMaxVcpu(p) - 1e-9);
    if (s.config.memoryMB < lo || s.config.memoryMB > hi)
      flag(s.stage, s.config.memoryMB, `memoryMB outside ${p.id}'s ${lo}–${hi} MB`);
    else if (
      s.config.vcpu !== undefined &&
      s.config.vcpu > vcpuCeiling(p, s.config.memoryMB, maxVcpu) * 1.001
    )
      flag(s.stage, s.config.vcpu, `vcpu above what ${p.id} gives at that memory`);
  }
  for (const [platform, n] of unknown)
    out.push(
      `${source}: ${n} sample(s) name platform "${platform}", which is not a known one (rightsizer platforms lists them; --platform-file adds one); their vCPU and prices are not checked`,
    );
  for (const o of outside.values()) {
    const values = [...o.values].slice(0, 3).join(', ');
    out.push(
      `${source}: ${o.count} sample(s) of stage "${o.stage}" with ${o.why} (${values}): fitted as written`,
    );
  }
  return out;
}

export function trainWorkflow(samples: readonly Sample[], options: TrainOptions = {}): TrainedWorkflow {
  const byStage = new Map<string, Sample[]>();
  for (const s of samples) {
    const list = byStage.get(s.stage);
    if (list) list.push(s);
    else byStage.set(s.stage, [s]);
  }
  const wanted = options.stages ?? [...byStage.keys()];
  const models = new Map<string, FittedStageModel>();
  const warnings: string[] = options.registry
    ? platformWarnings(samples, options.registry, options.source)
    : [];
  for (const stage of wanted) {
    const list = byStage.get(stage);
    if (!list) {
      const have = [...byStage.keys()].join(', ') || 'none';
      throw inputError(
        `${options.source ?? 'samples'}: no samples for stage "${stage}"`,
        `stages with samples: ${have}; profile it first or remove it from the workflow`,
      );
    }
    if (!list.some((s) => s.status === 'ok')) {
      // The last failure says why (the tail of an engine's stderr, an out of memory).
      const last = list[list.length - 1]!;
      const why = `${last.status}${last.error ? `: ${last.error.replace(/\s+/g, ' ').trim().slice(0, 200)}` : ''}`;
      // Every run out of memory: the way on is more memory per partition, from the most tried.
      const most = list.reduce((a, s) => (s.config.memoryMB > a.config.memoryMB ? s : a));
      throw inputError(
        `${options.source ?? 'samples'}: stage "${stage}" has no successful run (${list.length} failed; the last: ${why})`,
        list.every((s) => s.status === 'oom')
          ? `every run ran out of memory, the most memory tried ${most.config.memoryMB} MB at ${most.config.workers} worker(s): profile it with more memory or more workers (a smaller partition)`
          : 'a model needs at least one "ok" sample per stage',
      );
    }
    // One model for every platform the stage ran on: their vCPU and memory are taken to mean the
    // same, which holds across x86 and arm64 only roughly (a user may mean to compare them).
    const ranOn = [...new Set(list.flatMap((s) => (s.platform ? [s.platform] : [])))].sort();
    if (ranOn.length > 1)
      warnings.push(
        `stage "${stage}": its samples ran on ${ranOn.join(' and ')}, fitted as one model (a vCPU and a MB taken to be worth the same on each); split the samples file by platform to model them apart`,
      );
    models.set(stage, fitStage(list, { family: options.family ?? 'auto', seed: options.seed ?? 0 }));
  }
  for (const stage of byStage.keys())
    if (!wanted.includes(stage))
      warnings.push(`samples for stage "${stage}" are not used: it is not in the workflow`);
  return { models, warnings };
}
