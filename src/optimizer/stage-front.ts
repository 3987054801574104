/**
 * One stage's Pareto front of (latency, cost) over the platform's whole space: every allowed size
 * (memory, vCPU) × every allowed worker count, narrowed by the stage's `space` and `maxWorkers`.
 *
 * A config c with prediction P = model.predict(c, inputBytes) is kept when P.feasible and one
 * run finishes within the stage's timeout (its own, else the platform's) with probability ≥ 0.9:
 * P.makespanMs · exp(1.28 · P.makespanLogSd) ≤ timeout (a run that times out has failed). Its planning coordinates are
 * risk-adjusted (ARCHITECTURE.md "Models": a prediction far from the profiles is a guess):
 *   latency = S(P) · exp(zL · P.meanLogSd),  S = mean makespan, or its percentile of one run
 *             (lognormal with log-sd P.makespanLogSd, lognormal.ts); meanLogSd is the model's own
 *             uncertainty, so exp(z·meanLogSd) is an upper confidence bound on S
 *   cost    = E[cost](c, P.billedMs) · exp(zC · P.billedLogSd),  E[cost] = expectedRunCostUSD
 * zL, zC = 0 gives the point estimates; a positive z ranks a config by an upper confidence bound.
 *
 * Search: exact (every config) when the space is at most `exactLimit` configs, else coarse to fine:
 * a grid log-spaced in memory (per vCPU line) and in workers, bisection of every grid edge that
 * crosses the feasibility edge (memory floor, timeout), then a pattern search around every
 * point of the current front — its 8 neighbours at the point's step, halving the step each time the
 * point is expanded down to 1 MB-size / 1 worker — until no front point has an unexplored
 * neighbourhood. The search front is ε-pruned with the returned front's ε (boxes depend on the
 * point alone, so the final pruning keeps the same boxes): a finer search front only adds points
 * the final pruning drops. Dominated points are dropped as soon as they are found, before anything
 * is allocated for them (a point ε-covered once is covered forever, since the front only improves).
 */
import type { FittedStageModel, Platform, StagePrediction, ResolvedConfig, StageDef } from '../core/types.js';
import { allowedSizes, allowedWorkers, expectedRunCostUSD, type Size } from '../platforms/index.js';
import { latencyStatistic } from './lognormal.js';
import { capFront, paretoFront, type Tradeoff } from './pareto.js';

export interface StagePoint extends Tradeoff {
  config: ResolvedConfig;
  /** Point estimates behind the risk-adjusted `latencyMs` and `costUSD`. */
  meanMs: number;
  statMs: number;
  /** sd of ln(makespan) of one run (noise and model), and of ln(mean) (the model alone). */
  makespanLogSd: number;
  meanLogSd: number;
  meanCostUSD: number;
  billedLogSd: number;
  extrapolation: number;
}

export interface StageRisk {
  /** null: the mean makespan; else this percentile (50…99). */
  percentile: number | null;
  /** latency = statistic · exp(latencyZ · meanLogSd). */
  latencyZ: number;
  /** cost = mean cost · exp(costZ · billedLogSd). */
  costZ: number;
}

export type SearchMode = 'auto' | 'exact' | 'coarse-to-fine';

export interface StageFrontOptions extends StageRisk {
  /** ε of the returned front (default 0.005). */
  epsilon?: number;
  search?: SearchMode;
  /** `auto` searches exactly up to this many configs (default 20,000). */
  exactLimit?: number;
  /** Cap on the returned front; ε grows until it fits (default 200). */
  maxPoints?: number;
  /** Coarse grid sizes (defaults 48 memory values per vCPU line, 40 worker counts). */
  coarseMemory?: number;
  coarseWorkers?: number;
}

export interface StageFrontInput {
  platform: Platform;
  def: StageDef;
  model: FittedStageModel;
  inputBytes: number;
}

export interface StageFrontResult {
  front: StagePoint[];
  search: 'exact' | 'coarse-to-fine';
  /** Configs predicted. */
  evaluated: number;
  /** Configs in the stage's space. */
  spaceSize: number;
  /** The ε the returned front is pruned with (larger than asked when the cap bound). */
  epsilon: number;
}

/** z of the one-run upper bound that must stay within the timeout: P(the run finishes) ≥ 0.9. */
const TIMEOUT_Z = 1.2816;

/** Fewer workers, then less memory, then less vCPU — the ARCHITECTURE.md tie order. */
export function configOrder(a: { config: ResolvedConfig }, b: { config: ResolvedConfig }): number {
  return (
    a.config.workers - b.config.workers ||
    a.config.memoryMB - b.config.memoryMB ||
    a.config.vcpu - b.config.vcpu
  );
}

/** The stage's timeout: its own `timeoutMs`, else the platform's. */
export function stageTimeoutMs(platform: Platform, def: StageDef): number {
  return def.timeoutMs ?? platform.timeoutMs;
}

/** The numbers of one evaluated config, written in place by `evaluateInto` (no allocation). */
interface Scratch {
  latencyMs: number;
  costUSD: number;
  meanMs: number;
  statMs: number;
  sdL: number;
  sdM: number;
  sdC: number;
  meanCostUSD: number;
  extrapolation: number;
}

const newScratch = (): Scratch => ({
  latencyMs: 0,
  costUSD: 0,
  meanMs: 0,
  statMs: 0,
  sdL: 0,
  sdM: 0,
  sdC: 0,
  meanCostUSD: 0,
  extrapolation: 0,
});

/** A run past the timeout fails: one run (noise and model) must finish within it, 9 times in 10. */
export function finishesInTime(
  pred: Pick<StagePrediction, 'makespanMs' | 'makespanLogSd'>,
  timeoutMs: number,
): boolean {
  const sd = Number.isFinite(pred.makespanLogSd) ? Math.max(0, pred.makespanLogSd) : 0;
  return pred.makespanMs * Math.exp(TIMEOUT_Z * sd) <= timeoutMs;
}

/** Predicts `config` into `out`; false when it is infeasible, times out, or the model returns nonsense. */
function evaluateInto(
  input: StageFrontInput,
  risk: StageRisk,
  config: ResolvedConfig,
  timeoutMs: number,
  out: Scratch,
): boolean {
  const { platform, model } = input;
  const pred = model.predict(config, input.inputBytes);
  if (!pred.feasible || !(pred.makespanMs > 0)) return false;
  const sdL = Number.isFinite(pred.makespanLogSd) ? Math.max(0, pred.makespanLogSd) : 0;
  if (!finishesInTime(pred, timeoutMs)) return false;
  const sdC = Number.isFinite(pred.billedLogSd) ? Math.max(0, pred.billedLogSd) : 0;
  // A model that cannot tell its own uncertainty from noise: the combined sd bounds it from above.
  const sdM = Number.isFinite(pred.meanLogSd) ? Math.max(0, pred.meanLogSd) : sdL;
  const statMs = latencyStatistic(pred.makespanMs, sdL, risk.percentile);
  const meanCostUSD = expectedRunCostUSD(
    platform,
    config,
    pred.billedMs,
    pred.requestsPerWorker ?? model.requestsPerWorker,
  );
  const latencyMs = statMs * Math.exp(risk.latencyZ * sdM);
  const costUSD = meanCostUSD * Math.exp(risk.costZ * sdC);
  if (!Number.isFinite(latencyMs) || !Number.isFinite(costUSD)) return false;
  out.latencyMs = latencyMs;
  out.costUSD = costUSD;
  out.meanMs = pred.makespanMs;
  out.statMs = statMs;
  out.sdL = sdL;
  out.sdM = sdM;
  out.sdC = sdC;
  out.meanCostUSD = meanCostUSD;
  out.extrapolation = pred.extrapolation;
  return true;
}

function toPoint(s: Scratch, config: ResolvedConfig): StagePoint {
  return {
    latencyMs: s.latencyMs,
    costUSD: s.costUSD,
    config,
    meanMs: s.meanMs,
    statMs: s.statMs,
    makespanLogSd: s.sdL,
    meanLogSd: s.sdM,
    meanCostUSD: s.meanCostUSD,
    billedLogSd: s.sdC,
    extrapolation: s.extrapolation,
  };
}

/** Predicts one config; null when it is infeasible, times out, or the model returns nonsense. */
export function evaluateConfig(
  input: StageFrontInput,
  risk: StageRisk,
  config: ResolvedConfig,
): StagePoint | null {
  const s = newScratch();
  return evaluateInto(input, risk, config, stageTimeoutMs(input.platform, input.def), s)
    ? toPoint(s, config)
    : null;
}

/** Sizes split into lines along which memory varies: one per vCPU value where vCPU is its own axis. */
function sizeLines(platform: Platform, sizes: readonly Size[]): Size[][] {
  if (platform.cpu.kind !== 'independent')
    return [[...sizes].sort((a, b) => a.memoryMB - b.memoryMB || a.vcpu - b.vcpu)];
  const byVcpu = new Map<number, Size[]>();
  for (const s of sizes) byVcpu.set(s.vcpu, [...(byVcpu.get(s.vcpu) ?? []), s]);
  return [...byVcpu.keys()]
    .sort((a, b) => a - b)
    .map((v) => byVcpu.get(v)!.sort((a, b) => a.memoryMB - b.memoryMB));
}

/** Indices of ~k values of a sorted positive axis, log-spaced by value, first and last included. */
export function logSpacedIndices(values: readonly number[], k: number): number[] {
  const n = values.length;
  if (n <= k) return values.map((_, i) => i);
  const lo = values[0]!;
  const hi = values[n - 1]!;
  const out = new Set<number>();
  let at = 0;
  for (let j = 0; j < k; j++) {
    const target = lo * Math.pow(hi / lo, j / (k - 1));
    while (at < n - 1 && values[at + 1]! <= target) at++;
    const next = Math.min(n - 1, at + 1);
    out.add(target - values[at]! <= values[next]! - target ? at : next);
  }
  return [...out].sort((a, b) => a - b);
}

/** Half the widest gap to a grid neighbour: the first refinement step around a grid index. */
function gridSteps(grid: readonly number[]): Map<number, number> {
  return new Map(
    grid.map((g, j) => {
      const gap = Math.max(j > 0 ? g - grid[j - 1]! : 0, j + 1 < grid.length ? grid[j + 1]! - g : 0);
      return [g, Math.max(1, Math.ceil(gap / 2))];
    }),
  );
}

interface SearchNode extends Tradeoff {
  point: StagePoint;
  line: number;
  mi: number;
  wi: number;
  stepM: number;
  stepW: number;
  done: boolean;
}

export function stageFront(input: StageFrontInput, options: StageFrontOptions): StageFrontResult {
  const { platform, def } = input;
  const epsilon = options.epsilon ?? 0.005;
  const sizes = allowedSizes(platform, def.space);
  const workers = allowedWorkers(platform, def.space, def.maxWorkers);
  const spaceSize = sizes.length * workers.length;
  const exact =
    options.search === 'exact' ||
    (options.search !== 'coarse-to-fine' && spaceSize <= (options.exactLimit ?? 20_000));
  const lines = sizeLines(platform, sizes);
  const timeoutMs = stageTimeoutMs(platform, def);
  let evaluated = 0;
  // One scratch config and one scratch result: a config allocates only when it is kept.
  const probe: ResolvedConfig = { workers: 0, memoryMB: 0, vcpu: 0 };
  const scratch = newScratch();
  const probeAt: Probe = {
    at: (line, mi, wi) => {
      const size = lines[line]![mi]!;
      evaluated++;
      probe.workers = workers[wi]!;
      probe.memoryMB = size.memoryMB;
      probe.vcpu = size.vcpu;
      return evaluateInto(input, options, probe, timeoutMs, scratch);
    },
    point: () => toPoint(scratch, { workers: probe.workers, memoryMB: probe.memoryMB, vcpu: probe.vcpu }),
    scratch,
  };

  let front: StagePoint[];
  if (exact) {
    const all: StagePoint[] = [];
    lines.forEach((line, l) =>
      line.forEach((_, mi) =>
        workers.forEach((_w, wi) => {
          if (probeAt.at(l, mi, wi)) all.push(probeAt.point());
        }),
      ),
    );
    front = paretoFront(all, epsilon, configOrder);
  } else {
    front = coarseToFine(lines, workers, probeAt, options, epsilon).map((n) => n.point);
    front = paretoFront(front, epsilon, configOrder);
  }
  const capped = capFront(front, options.maxPoints ?? 200, epsilon, configOrder);
  return {
    front: capped.front,
    search: exact ? 'exact' : 'coarse-to-fine',
    evaluated,
    spaceSize,
    epsilon: capped.epsilon,
  };
}

/** Evaluates a config into `scratch` (true when feasible); `point` materialises the last one. */
interface Probe {
  at(line: number, mi: number, wi: number): boolean;
  point(): StagePoint;
  scratch: Scratch;
}

/**
 * Whether a front (sorted by latency, as paretoFront returns it) already ε-covers a point, so that
 * re-pruning it with the point would drop the point: the last front point f with f.latency ≤ the
 * point's has a box at or below the point's (and is at least as cheap when the boxes are equal,
 * so the point cannot become the cheapest). Exact ties on both values are left to the tie break.
 */
function coverage(
  front: readonly Tradeoff[],
  epsilon: number,
): (latencyMs: number, costUSD: number) => boolean {
  const n = front.length;
  const lat = new Float64Array(n);
  const cost = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    lat[i] = front[i]!.latencyMs;
    cost[i] = front[i]!.costUSD;
  }
  const logStep = Math.log1p(epsilon);
  const box = (c: number): number => (epsilon > 0 ? Math.floor(Math.log(c) / logStep) : c);
  return (latencyMs, costUSD) => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (lat[mid]! <= latencyMs) lo = mid + 1;
      else hi = mid;
    }
    if (lo === 0) return false;
    const f = lo - 1;
    const bf = box(cost[f]!);
    const bp = box(costUSD);
    if (bp > bf) return true;
    if (bp < bf || costUSD < cost[f]!) return false;
    return lat[f]! < latencyMs || cost[f]! < costUSD;
  };
}

function coarseToFine(
  lines: readonly Size[][],
  workers: readonly number[],
  probe: Probe,
  options: StageFrontOptions,
  searchEpsilon: number,
): SearchNode[] {
  // One byte per config of the space marks it visited (10 MB for AWS Lambda's 10,113 × 1,000).
  const offsets: number[] = [];
  let total = 0;
  for (const line of lines) {
    offsets.push(total);
    total += line.length * workers.length;
  }
  // 0 unvisited, 1 feasible, 2 infeasible (memory floor, timeout).
  const seen = new Uint8Array(total);
  const tieBreak = (a: SearchNode, b: SearchNode): number => configOrder(a.point, b.point);
  const { scratch } = probe;
  /** Points the current front already covers are not kept (re-pruning would drop them anyway). */
  let covered: ((latencyMs: number, costUSD: number) => boolean) | null = null;
  /** Predicts (line, mi, wi) once; true when it is feasible. Feasible points not covered join `out`. */
  const visit = (
    line: number,
    mi: number,
    wi: number,
    stepM: number,
    stepW: number,
    out: SearchNode[],
  ): boolean => {
    const k = offsets[line]! + mi * workers.length + wi;
    if (seen[k] !== 0) return seen[k] === 1;
    const ok = probe.at(line, mi, wi);
    seen[k] = ok ? 1 : 2;
    if (!ok) return false;
    if (covered && covered(scratch.latencyMs, scratch.costUSD)) return true;
    const point = probe.point();
    out.push({
      latencyMs: point.latencyMs,
      costUSD: point.costUSD,
      point,
      line,
      mi,
      wi,
      stepM,
      stepW,
      done: false,
    });
    return true;
  };

  const workerGrid = logSpacedIndices(workers, options.coarseWorkers ?? 40);
  const workerStep = gridSteps(workerGrid);
  const start: SearchNode[] = [];
  lines.forEach((line, l) => {
    const memGrid = logSpacedIndices(
      line.map((s) => s.memoryMB),
      options.coarseMemory ?? 48,
    );
    const memStep = gridSteps(memGrid);
    const ok = memGrid.map((mi) =>
      workerGrid.map((wi) => visit(l, mi, wi, memStep.get(mi)!, workerStep.get(wi)!, start)),
    );
    // The cheapest configs often sit right at the feasibility edge (the memory floor, the fewest
    // workers within the timeout), which a coarse grid straddles: bisect every grid edge whose two
    // ends differ in feasibility down to adjacent configs, along memory and along workers.
    const bisect = (a: number, b: number, probe: (i: number) => boolean): void => {
      const okA = probe(a);
      while (Math.abs(b - a) > 1) {
        const mid = (a + b) >> 1;
        if (probe(mid) === okA) a = mid;
        else b = mid;
      }
    };
    memGrid.forEach((mi, i) =>
      workerGrid.forEach((wi, j) => {
        const here = ok[i]![j]!;
        const nextM = memGrid[i + 1];
        if (nextM !== undefined && ok[i + 1]![j]! !== here)
          bisect(mi, nextM, (m) => visit(l, m, wi, 1, workerStep.get(wi)!, start));
        const nextW = workerGrid[j + 1];
        if (nextW !== undefined && ok[i]![j + 1]! !== here)
          bisect(wi, nextW, (w) => visit(l, mi, w, memStep.get(mi)!, 1, start));
      }),
    );
  });

  let front = paretoFront(start, searchEpsilon, tieBreak);
  for (;;) {
    const open = front.filter((n) => !n.done);
    if (open.length === 0) return front;
    covered = coverage(front, searchEpsilon);
    const fresh: SearchNode[] = [];
    for (const n of open) {
      const line = lines[n.line]!;
      const halfM = Math.max(1, Math.ceil(n.stepM / 2));
      const halfW = Math.max(1, Math.ceil(n.stepW / 2));
      for (const dm of [-n.stepM, 0, n.stepM])
        for (const dw of [-n.stepW, 0, n.stepW]) {
          const mi = n.mi + dm;
          const wi = n.wi + dw;
          if ((dm === 0 && dw === 0) || mi < 0 || mi >= line.length || wi < 0 || wi >= workers.length)
            continue;
          visit(n.line, mi, wi, halfM, halfW, fresh);
        }
      if (n.stepM === 1 && n.stepW === 1) n.done = true;
      n.stepM = halfM;
      n.stepW = halfW;
    }
    front = paretoFront(front.concat(paretoFront(fresh, searchEpsilon, tieBreak)), searchEpsilon, tieBreak);
  }
}
