/**
 * What a config means on a platform: the vCPU share that comes with a memory size, and the
 * (memory, vCPU) pairs a stage may use.
 */
import { inputError, type RightsizerError } from '../core/errors.js';
import { onAxis } from '../core/schemas.js';
import type { Platform, ResolvedConfig, SpaceAxis, StageDef, StageSpace } from '../core/types.js';

export interface Size {
  memoryMB: number;
  vcpu: number;
}

type Axis = Platform['memoryMB'];

function axisValues(axis: Axis): number[] {
  if (Array.isArray(axis)) return [...new Set(axis)].sort((a, b) => a - b);
  const n = Math.floor((axis.max - axis.min) / axis.step + 1e-9);
  return Array.from({ length: n + 1 }, (_, i) => axis.min + i * axis.step);
}

/** The smallest and largest value of a platform axis. */
export function axisRange(axis: Axis): [number, number] {
  return Array.isArray(axis) ? [Math.min(...axis), Math.max(...axis)] : [axis.min, axis.max];
}

function inSpace(axis: SpaceAxis | undefined, v: number): boolean {
  if (!axis) return true;
  if (Array.isArray(axis)) return axis.some((x) => Math.abs(x - v) < 1e-9);
  return v >= axis.min - 1e-9 && v <= axis.max + 1e-9;
}

function allowedPair(p: Platform, memoryMB: number, vcpu: number): boolean {
  const cpu = p.cpu;
  if (cpu.kind !== 'independent') return true;
  const perVcpu = memoryMB / vcpu;
  return perVcpu >= (cpu.minMBPerVcpu ?? 0) - 1e-9 && perVcpu <= (cpu.maxMBPerVcpu ?? Infinity) + 1e-9;
}

/** Every (memory, vCPU) pair the platform allows, narrowed by the stage's `space`. Sorted by memory, then vCPU. */
export function allowedSizes(p: Platform, space?: StageSpace): Size[] {
  const cpu = p.cpu;
  let sizes: Size[];
  if (cpu.kind === 'proportional') {
    sizes = axisValues(p.memoryMB).map((memoryMB) => ({ memoryMB, vcpu: proportionalVcpu(cpu, memoryMB) }));
  } else if (cpu.kind === 'pairs') {
    sizes = cpu.pairs.map((x) => ({ ...x }));
  } else {
    const vcpus = axisValues(cpu.vcpu);
    sizes = axisValues(p.memoryMB).flatMap((memoryMB) =>
      vcpus.filter((v) => allowedPair(p, memoryMB, v)).map((vcpu) => ({ memoryMB, vcpu })),
    );
  }
  // A listed memory value off a stepped range's step is kept (users restrict the space to the
  // sizes they measured, and those are the platform's by construction); one beyond the range, or
  // missing from a platform that lists its sizes, is not offered.
  if (space?.memoryMB && Array.isArray(space.memoryMB) && cpu.kind === 'proportional') {
    const axis = p.memoryMB;
    const [lo, hi] = axisRange(axis);
    const offered = (m: number): boolean =>
      Array.isArray(axis) ? axis.some((x) => Math.abs(x - m) < 1e-9) : m >= lo - 1e-9 && m <= hi + 1e-9;
    sizes = space.memoryMB
      .filter(offered)
      .map((memoryMB) => ({ memoryMB, vcpu: proportionalVcpu(cpu, memoryMB) }));
  }
  return sizes
    .filter((s) => inSpace(space?.memoryMB, s.memoryMB) && inSpace(space?.vcpu, s.vcpu))
    .sort((a, b) => a.memoryMB - b.memoryMB || a.vcpu - b.vcpu);
}

/**
 * The worker counts a stage's space and maxWorkers allow, at most `cap`: its list, or the whole
 * numbers lo…hi of its range (none when hi < lo; hi may be Infinity without a cap).
 */
export function workerAxis(
  space?: StageSpace,
  maxWorkers?: number,
  cap = Infinity,
): { list: number[] } | { lo: number; hi: number } {
  const max = Math.min(maxWorkers ?? Infinity, cap);
  const axis = space?.workers;
  if (Array.isArray(axis))
    return {
      list: [...new Set(axis.map(Math.round))].filter((w) => w >= 1 && w <= max).sort((a, b) => a - b),
    };
  return { lo: Math.max(1, Math.ceil(axis?.min ?? 1)), hi: Math.min(max, Math.floor(axis?.max ?? Infinity)) };
}

/** The worker counts a stage may use: the stage's space and maxWorkers within 1…the platform's concurrency. */
export function allowedWorkers(p: Platform, space?: StageSpace, maxWorkers?: number): number[] {
  const a = workerAxis(space, maxWorkers, p.maxConcurrency);
  if ('list' in a) return a.list;
  return Array.from({ length: Math.max(0, a.hi - a.lo + 1) }, (_, i) => a.lo + i);
}

function proportionalVcpu(cpu: Extract<Platform['cpu'], { kind: 'proportional' }>, memoryMB: number): number {
  return Math.min(memoryMB / cpu.mbPerVcpu, cpu.maxVcpu ?? Infinity);
}

/** The most vCPU any worker of the platform gets. */
export function platformMaxVcpu(p: Platform): number {
  const cpu = p.cpu;
  if (cpu.kind === 'proportional') return proportionalVcpu(cpu, axisRange(p.memoryMB)[1]);
  if (cpu.kind === 'pairs') return Math.max(...cpu.pairs.map((x) => x.vcpu));
  return axisRange(cpu.vcpu)[1];
}

/**
 * The vCPU share of a config: derived where the platform ties it to memory, as given where it
 * is its own dimension, else the smallest share the platform allows at that memory.
 */
export function resolveVcpu(p: Platform, memoryMB: number, vcpu?: number): number {
  const cpu = p.cpu;
  if (cpu.kind === 'proportional') return proportionalVcpu(cpu, memoryMB);
  if (vcpu !== undefined) return vcpu;
  const candidates =
    cpu.kind === 'pairs'
      ? cpu.pairs.filter((x) => x.memoryMB === memoryMB).map((x) => x.vcpu)
      : axisValues(cpu.vcpu).filter((v) => allowedPair(p, memoryMB, v));
  if (candidates.length === 0)
    throw inputError(
      `${p.id}: no vCPU share is allowed with ${memoryMB} MB`,
      'give config.vcpu or a memory size the platform offers',
    );
  return Math.min(...candidates);
}

export function resolveConfig(
  p: Platform,
  cfg: { workers: number; memoryMB: number; vcpu?: number },
): ResolvedConfig {
  return { workers: cfg.workers, memoryMB: cfg.memoryMB, vcpu: resolveVcpu(p, cfg.memoryMB, cfg.vcpu) };
}

/** Whether the platform itself offers this config (workers are checked against nothing but ≥ 1). */
export function isAllowedSize(p: Platform, memoryMB: number, vcpu: number): boolean {
  const cpu = p.cpu;
  if (cpu.kind === 'proportional') return onAxis(p.memoryMB, memoryMB);
  if (cpu.kind === 'pairs')
    return cpu.pairs.some((x) => x.memoryMB === memoryMB && Math.abs(x.vcpu - vcpu) < 1e-9);
  return onAxis(p.memoryMB, memoryMB) && onAxis(cpu.vcpu, vcpu) && allowedPair(p, memoryMB, vcpu);
}

/**
 * Why the platform cannot run a config as given, or null: a memory size it does not offer, a vCPU
 * share other than the one its memory buys (a proportional platform) or not offered with it, more
 * workers than a stage that cannot be split takes.
 */
export function configProblem(
  p: Platform,
  cfg: { workers: number; memoryMB: number; vcpu?: number },
  maxWorkers?: number,
): string | null {
  const [lo, hi] = axisRange(p.memoryMB);
  if (p.cpu.kind === 'proportional') {
    if (!onAxis(p.memoryMB, cfg.memoryMB))
      return `memoryMB ${cfg.memoryMB} is not offered by ${p.id} (${lo}–${hi}${Array.isArray(p.memoryMB) ? ', listed sizes' : ` in steps of ${p.memoryMB.step}`})`;
    const vcpu = proportionalVcpu(p.cpu, cfg.memoryMB);
    // A share written to 4 significant digits (1.0175 for 1800 MB's 1.01752…) is that share.
    if (cfg.vcpu !== undefined && Math.abs(cfg.vcpu - vcpu) > 5e-4 * vcpu)
      return `vcpu ${cfg.vcpu} is not what ${cfg.memoryMB} MB buys on ${p.id} (${Number(vcpu.toPrecision(6))}; leave vcpu out to take it)`;
  } else {
    let vcpu: number;
    try {
      vcpu = resolveVcpu(p, cfg.memoryMB, cfg.vcpu);
    } catch {
      return `memoryMB ${cfg.memoryMB} comes with no vCPU share on ${p.id}`;
    }
    if (!isAllowedSize(p, cfg.memoryMB, vcpu))
      return `memoryMB ${cfg.memoryMB} with vcpu ${vcpu} is not offered by ${p.id} (memoryMB ${lo}–${hi})`;
  }
  if (maxWorkers !== undefined && cfg.workers > maxWorkers)
    return `workers ${cfg.workers} is over the stage's maxWorkers ${maxWorkers}`;
  return null;
}

/** Throws emptySpaceError for the first stage whose space and maxWorkers leave no config on `p`. */
export function assertSpacesAllowConfigs(where: string, stages: readonly StageDef[], p: Platform): void {
  for (const def of stages)
    if (allowedSizes(p, def.space).length === 0 || allowedWorkers(p, def.space, def.maxWorkers).length === 0)
      throw emptySpaceError(where, def.name, p);
}

/** The error for a stage whose space leaves no config on the platform (`plan`, `validate`). */
export function emptySpaceError(where: string, stage: string, p: Platform): RightsizerError {
  const [lo, hi] = axisRange(p.memoryMB);
  return inputError(
    `${where}stage ${stage}: its space allows no config on ${p.id}`,
    `${p.id} allows memoryMB ${lo}–${hi} and workers 1–${p.maxConcurrency}`,
  );
}
