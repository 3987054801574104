/**
 * The stage graph of a workflow: checks (unknown stages, duplicates, cycles), a topological
 * order, and its series-parallel decomposition. Pure: no I/O, throws only RightsizerError.
 */
import { inputError } from './errors.js';
import type { StageDef } from './types.js';

export interface DagNode {
  readonly name: string;
  /** Names of the stages this one waits for. */
  readonly dependsOn?: readonly string[] | undefined;
}

/** A problem with the graph, with the field path (`stages[1].dependsOn[0]`) it comes from. */
export interface DagIssue {
  kind: 'duplicate' | 'unknown' | 'cycle';
  path: string;
  message: string;
}

/**
 * How the stages compose: the optimizer adds latencies along a `series` and takes the max over a
 * `parallel` (and sums costs in both).
 */
export type SpTree =
  | { kind: 'stage'; stage: string }
  | { kind: 'series'; parts: SpTree[] }
  | { kind: 'parallel'; parts: SpTree[] };

export interface Dag {
  /** Every stage once, each after all of its parents; ties keep the order the stages were given. */
  readonly order: readonly string[];
  readonly parents: ReadonlyMap<string, readonly string[]>;
  readonly children: ReadonlyMap<string, readonly string[]>;
  /** Stages with no parents / no children, in `order`. */
  readonly roots: readonly string[];
  readonly sinks: readonly string[];
  /** True when the graph is series-parallel, so its latency composes exactly by series and parallel rules. */
  readonly seriesParallel: boolean;
  /** The decomposition when `seriesParallel`, else null (the optimizer then needs its stated fallback). */
  readonly spTree: SpTree | null;
}

/**
 * Every problem in the graph: duplicate names, dependencies on unknown stages, and cycles (named
 * `a → b → a`). Empty when the graph is a valid DAG.
 */
export function dagIssues(nodes: readonly DagNode[], field = 'stages'): DagIssue[] {
  const issues: DagIssue[] = [];
  const firstIndex = new Map<string, number>();
  nodes.forEach((node, i) => {
    const seen = firstIndex.get(node.name);
    if (seen === undefined) firstIndex.set(node.name, i);
    else
      issues.push({
        kind: 'duplicate',
        path: `${field}[${i}].name`,
        message: `duplicate stage "${node.name}" (first at ${field}[${seen}]); stage names must be unique`,
      });
  });
  const known = [...firstIndex.keys()];
  nodes.forEach((node, i) => {
    (node.dependsOn ?? []).forEach((dep, j) => {
      if (!firstIndex.has(dep))
        issues.push({
          kind: 'unknown',
          path: `${field}[${i}].dependsOn[${j}]`,
          message: `unknown stage "${dep}" (stages are: ${known.join(', ')})`,
        });
    });
  });
  if (issues.length > 0) return issues;
  const cycle = findCycle(nodes);
  if (cycle) {
    const at = firstIndex.get(cycle[0]!) ?? 0;
    issues.push({
      kind: 'cycle',
      path: `${field}[${at}].dependsOn`,
      message: `dependency cycle ${cycle.join(' → ')}`,
    });
  }
  return issues;
}

/** A cycle as the list of its stages with the first repeated at the end, or null. */
function findCycle(nodes: readonly DagNode[]): string[] | null {
  const parents = new Map(nodes.map((n) => [n.name, n.dependsOn ?? []] as const));
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  // Depth-first along dependsOn edges; an edge back to an open stage closes a cycle. The cycle is
  // then reversed so it reads in execution order (a → b means b depends on a).
  const visit = (name: string): string[] | null => {
    state.set(name, 'open');
    stack.push(name);
    for (const dep of parents.get(name) ?? []) {
      const s = state.get(dep);
      if (s === 'open') {
        const loop = stack.slice(stack.indexOf(dep));
        return [...loop, dep].reverse();
      }
      if (s === undefined) {
        const found = visit(dep);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(name, 'done');
    return null;
  };
  for (const node of nodes) {
    if (state.has(node.name)) continue;
    const found = visit(node.name);
    if (found) return found;
  }
  return null;
}

/** Checks the graph and builds its maps; throws a RightsizerError (exit 2) naming the first problem. */
export function buildDag(nodes: readonly DagNode[], where?: string): Dag {
  const [first, ...rest] = dagIssues(nodes);
  if (first) {
    const more = rest.length > 0 ? ` (and ${rest.length} more)` : '';
    throw inputError(`${where ? `${where}: ` : ''}${first.path}: ${first.message}${more}`);
  }
  const names = nodes.map((n) => n.name);
  const parents = new Map<string, string[]>(names.map((n) => [n, []]));
  const children = new Map<string, string[]>(names.map((n) => [n, []]));
  for (const node of nodes) {
    for (const dep of new Set(node.dependsOn ?? [])) {
      parents.get(node.name)!.push(dep);
      children.get(dep)!.push(node.name);
    }
  }
  const order = kahnOrder(names, parents, children);
  const roots = order.filter((n) => parents.get(n)!.length === 0);
  const sinks = order.filter((n) => children.get(n)!.length === 0);
  const spTree = seriesParallelTree(order, children);
  // No stages at all is trivially series-parallel (there is nothing to compose).
  return {
    order,
    parents,
    children,
    roots,
    sinks,
    seriesParallel: spTree !== null || nodes.length === 0,
    spTree,
  };
}

/** The stages in an order where each comes after all it depends on; throws as `buildDag` does. */
export function topologicalOrder(nodes: readonly DagNode[], where?: string): string[] {
  return [...buildDag(nodes, where).order];
}

/** Kahn's algorithm, always taking the earliest-given ready stage, so the order is deterministic. */
function kahnOrder(
  names: readonly string[],
  parents: ReadonlyMap<string, readonly string[]>,
  children: ReadonlyMap<string, readonly string[]>,
): string[] {
  const position = new Map(names.map((n, i) => [n, i]));
  const waiting = new Map(names.map((n) => [n, parents.get(n)!.length]));
  const ready = names.filter((n) => waiting.get(n) === 0);
  const order: string[] = [];
  while (ready.length > 0) {
    ready.sort((a, b) => position.get(a)! - position.get(b)!);
    const next = ready.shift()!;
    order.push(next);
    for (const child of children.get(next)!) {
      const left = waiting.get(child)! - 1;
      waiting.set(child, left);
      if (left === 0) ready.push(child);
    }
  }
  return order;
}

/**
 * Series-parallel decomposition of the stage order (Valdes, Tarjan & Lawler 1982): a set of
 * stages splits in parallel when it falls apart into unconnected groups, and in series when it
 * falls apart into groups where every stage of one group precedes every stage of the next
 * (components of the incomparability graph). When neither split exists for a set of two or more
 * stages, the graph holds an "N" (a→c, b→c, b→d without a→d) and is not series-parallel.
 * Reachability, not edges, decides, so redundant edges (a→b→c plus a→c) do not matter.
 * O(n³) on the closure, fine for workflows of up to a few hundred stages.
 */
function seriesParallelTree(
  order: readonly string[],
  children: ReadonlyMap<string, readonly string[]>,
): SpTree | null {
  const n = order.length;
  const index = new Map(order.map((s, i) => [s, i]));
  // reach[i][j]: stage j is downstream of stage i. Filled in reverse topological order.
  const reach: boolean[][] = order.map(() => new Array<boolean>(n).fill(false));
  for (let i = n - 1; i >= 0; i--) {
    const row = reach[i]!;
    for (const child of children.get(order[i]!)!) {
      const c = index.get(child)!;
      row[c] = true;
      reach[c]!.forEach((r, j) => {
        if (r) row[j] = true;
      });
    }
  }
  const comparable = (a: number, b: number): boolean => reach[a]![b]! || reach[b]![a]!;

  const decompose = (set: number[]): SpTree | null => {
    if (set.length === 1) return { kind: 'stage', stage: order[set[0]!]! };
    const together = components(set, comparable);
    if (together.length > 1) return combine('parallel', together);
    const apart = components(set, (a, b) => !comparable(a, b));
    if (apart.length === 1) return null;
    // Each group lies wholly before or after each other one, and indices are topological, so
    // listing groups by their smallest member (as `components` does) is already series order.
    return combine('series', apart);
  };
  const combine = (kind: 'series' | 'parallel', groups: number[][]): SpTree | null => {
    const parts: SpTree[] = [];
    for (const group of groups) {
      const part = decompose(group);
      if (!part) return null;
      // Flatten series of series and parallel of parallel: one level per composition.
      if (part.kind === kind) parts.push(...part.parts);
      else parts.push(part);
    }
    return { kind, parts };
  };
  return n === 0 ? null : decompose(order.map((_, i) => i));
}

/** Connected components of `set` under `linked`, each sorted, listed by their smallest member. */
function components(set: readonly number[], linked: (a: number, b: number) => boolean): number[][] {
  const left = new Set(set);
  const groups: number[][] = [];
  for (const start of set) {
    if (!left.has(start)) continue;
    left.delete(start);
    const group = [start];
    for (let k = 0; k < group.length; k++) {
      const at = group[k]!;
      for (const other of [...left]) {
        if (linked(at, other)) {
          left.delete(other);
          group.push(other);
        }
      }
    }
    groups.push(group.sort((a, b) => a - b));
  }
  return groups;
}

/**
 * The upstream stages whose outputs a stage reads: those `input.from` names, else every stage it
 * depends on; none when it declares objects of its own (`prefix` or `keys`) — then `dependsOn` only
 * orders it.
 */
export function readsFrom(def: StageDef, parents: readonly string[]): string[] {
  const input = def.input as { prefix?: unknown; keys?: unknown; from?: string | string[] } | undefined;
  if (input?.prefix !== undefined || input?.keys !== undefined) return [];
  if (input?.from !== undefined) return typeof input.from === 'string' ? [input.from] : [...input.from];
  return [...parents];
}
