import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildDag, dagIssues, topologicalOrder } from '../../src/core/dag.js';
import type { DagNode, SpTree } from '../../src/core/dag.js';
import { RightsizerError } from '../../src/core/errors.js';

const n = (name: string, ...dependsOn: string[]): DagNode => ({ name, dependsOn });

function thrown(f: () => unknown): RightsizerError {
  try {
    f();
  } catch (e) {
    if (e instanceof RightsizerError) return e;
    throw e;
  }
  throw new Error('expected a RightsizerError');
}

/** Random DAG: edges only from a lower to a higher index, then the nodes shuffled. */
const dagArb = fc
  .integer({ min: 1, max: 12 })
  .chain((size) =>
    fc.tuple(
      fc.constant(size),
      fc.array(fc.tuple(fc.nat(size - 1), fc.nat(size - 1)), { maxLength: size * 3 }),
      fc.shuffledSubarray(
        Array.from({ length: size }, (_, i) => i),
        { minLength: size, maxLength: size },
      ),
    ),
  )
  .map(([size, pairs, perm]) => {
    const deps: string[][] = Array.from({ length: size }, () => []);
    for (const [a, b] of pairs) if (a < b) deps[b]!.push(`s${a}`);
    return perm.map((i) => n(`s${i}`, ...deps[i]!));
  });

/** Latency of an SP tree with unit stages, to compare against the longest path. */
function longest(tree: SpTree, weight: (s: string) => number): number {
  if (tree.kind === 'stage') return weight(tree.stage);
  const parts = tree.parts.map((p) => longest(p, weight));
  return tree.kind === 'series' ? parts.reduce((a, b) => a + b, 0) : Math.max(...parts);
}

describe('buildDag', () => {
  it('orders a diamond, finds roots and sinks, and keeps the given order among ties', () => {
    const dag = buildDag([n('a'), n('c', 'a'), n('b', 'a'), n('d', 'b', 'c')]);
    expect(dag.order).toEqual(['a', 'c', 'b', 'd']);
    expect(dag.roots).toEqual(['a']);
    expect(dag.sinks).toEqual(['d']);
    expect(dag.parents.get('d')).toEqual(['b', 'c']);
    expect(dag.children.get('a')).toEqual(['c', 'b']);
    expect(dag.seriesParallel).toBe(true);
    expect(dag.spTree).toEqual({
      kind: 'series',
      parts: [
        { kind: 'stage', stage: 'a' },
        {
          kind: 'parallel',
          parts: [
            { kind: 'stage', stage: 'c' },
            { kind: 'stage', stage: 'b' },
          ],
        },
        { kind: 'stage', stage: 'd' },
      ],
    });
  });

  it('counts a repeated dependency once', () => {
    const dag = buildDag([n('a'), n('b', 'a', 'a')]);
    expect(dag.parents.get('b')).toEqual(['a']);
  });

  it('names an unknown stage with its field path and the valid names', () => {
    const e = thrown(() => buildDag([n('a'), n('b', 'zz')], 'wf.yaml'));
    expect(e.exitCode).toBe(2);
    expect(e.message).toBe('wf.yaml: stages[1].dependsOn[0]: unknown stage "zz" (stages are: a, b)');
  });

  it('rejects duplicate names', () => {
    const issues = dagIssues([n('a'), n('b'), n('a')]);
    expect(issues).toEqual([expect.objectContaining({ kind: 'duplicate', path: 'stages[2].name' })]);
  });

  it('names a cycle in execution order', () => {
    expect(thrown(() => buildDag([n('a', 'b'), n('b', 'a')])).message).toContain(
      'dependency cycle a → b → a',
    );
    expect(thrown(() => buildDag([n('x'), n('a', 'x', 'c'), n('b', 'a'), n('c', 'b')])).message).toContain(
      'a → b → c → a',
    );
    expect(thrown(() => buildDag([n('self', 'self')])).message).toContain('self → self');
  });

  it('tells series-parallel graphs from those holding an N', () => {
    expect(buildDag([n('a'), n('b'), n('c', 'a', 'b'), n('d', 'b')]).seriesParallel).toBe(false);
    // Complete bipartite join: (a ∥ b) then (c ∥ d).
    const k22 = buildDag([n('a'), n('b'), n('c', 'a', 'b'), n('d', 'a', 'b')]);
    expect(k22.seriesParallel).toBe(true);
    expect(k22.spTree?.kind).toBe('series');
    // Redundant edges do not break it: a→b→c→d with a→c and b→d is a chain.
    const chain = buildDag([n('a'), n('b', 'a'), n('c', 'a', 'b'), n('d', 'b', 'c')]);
    expect(chain.spTree).toEqual({
      kind: 'series',
      parts: ['a', 'b', 'c', 'd'].map((stage) => ({ kind: 'stage', stage })),
    });
    // Independent stages run in parallel.
    expect(buildDag([n('a'), n('b')]).spTree?.kind).toBe('parallel');
    expect(buildDag([n('solo')]).spTree).toEqual({ kind: 'stage', stage: 'solo' });
  });

  it('topologicalOrder respects every edge of random DAGs', () => {
    fc.assert(
      fc.property(dagArb, (nodes) => {
        const order = topologicalOrder(nodes);
        expect(order).toHaveLength(nodes.length);
        const at = new Map(order.map((s, i) => [s, i]));
        for (const node of nodes)
          for (const dep of node.dependsOn ?? []) expect(at.get(dep)!).toBeLessThan(at.get(node.name)!);
      }),
    );
  });

  it('finds a cycle whenever a back edge is added, and the cycle is real', () => {
    fc.assert(
      fc.property(dagArb, fc.nat(), fc.nat(), (nodes, x, y) => {
        const dag = buildDag(nodes);
        const order = dag.order;
        // Add an edge from a later stage back to an earlier one it reaches (or itself).
        const to = order[x % order.length]!;
        const reachable = [to];
        for (let k = 0; k < reachable.length; k++)
          for (const c of dag.children.get(reachable[k]!)!) if (!reachable.includes(c)) reachable.push(c);
        const from = reachable[y % reachable.length]!;
        const cyclic = nodes.map((node) =>
          node.name === to ? n(to, ...(node.dependsOn ?? []), from) : node,
        );
        const issues = dagIssues(cyclic);
        expect(issues).toHaveLength(1);
        const names = /dependency cycle (.*)$/.exec(issues[0]!.message)![1]!.split(' → ');
        expect(names[0]).toBe(names[names.length - 1]);
        const deps = new Map(cyclic.map((c) => [c.name, c.dependsOn ?? []]));
        for (let k = 1; k < names.length; k++) expect(deps.get(names[k]!)).toContain(names[k - 1]);
      }),
    );
  });

  it('an SP tree of a random DAG covers every stage once and gives the longest path', () => {
    fc.assert(
      fc.property(
        dagArb,
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 12, maxLength: 12 }),
        (nodes, w) => {
          const dag = buildDag(nodes);
          if (!dag.spTree) return;
          const weight = (s: string): number => w[Number(s.slice(1))]!;
          const finish = new Map<string, number>();
          for (const s of dag.order)
            finish.set(s, weight(s) + Math.max(0, ...dag.parents.get(s)!.map((p) => finish.get(p)!)));
          expect(longest(dag.spTree, weight)).toBe(Math.max(...finish.values()));
          const seen: string[] = [];
          const walk = (t: SpTree): void =>
            t.kind === 'stage' ? void seen.push(t.stage) : t.parts.forEach(walk);
          walk(dag.spTree);
          expect(seen.sort()).toEqual([...dag.order].sort());
        },
      ),
    );
  });

  it('calls a random DAG series-parallel exactly when its order has no induced N', () => {
    fc.assert(
      fc.property(dagArb, (nodes) => {
        const dag = buildDag(nodes);
        const below = (a: string, b: string): boolean => {
          const stack = [...dag.children.get(a)!];
          const seen = new Set<string>();
          while (stack.length > 0) {
            const s = stack.pop()!;
            if (s === b) return true;
            if (seen.has(s)) continue;
            seen.add(s);
            stack.push(...dag.children.get(s)!);
          }
          return false;
        };
        const cmp = (a: string, b: string): boolean => below(a, b) || below(b, a);
        const s = dag.order;
        let hasN = false;
        // An N is a path a<c>b<d in the comparability graph with a∥b, c∥d, a∥d (an induced P4).
        for (const a of s)
          for (const b of s)
            for (const c of s)
              for (const d of s)
                if (
                  new Set([a, b, c, d]).size === 4 &&
                  cmp(a, c) &&
                  cmp(c, b) &&
                  cmp(b, d) &&
                  !cmp(a, b) &&
                  !cmp(c, d) &&
                  !cmp(a, d)
                )
                  hasN = true;
        expect(dag.seriesParallel).toBe(!hasN);
      }),
      { numRuns: 200 },
    );
  });
});
