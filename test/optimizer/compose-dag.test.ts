import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildDag, type DagNode } from '../../src/core/dag.js';
import {
  composeDag,
  composeTree,
  levelsTree,
  longestPath,
  picksOf,
  type LeafPoint,
} from '../../src/optimizer/index.js';
import { bruteFront } from './helpers.js';

const leaf = fc.record({
  latencyMs: fc.integer({ min: 1, max: 1000 }),
  costUSD: fc.integer({ min: 1, max: 1000 }),
  config: fc.record({
    workers: fc.integer({ min: 1, max: 50 }),
    memoryMB: fc.integer({ min: 128, max: 4096 }),
  }),
});
/** A random DAG over 1…5 stages: each stage may depend on any earlier one. */
const dagNodes = fc
  .integer({ min: 1, max: 5 })
  .chain((n) =>
    fc
      .tuple(
        ...Array.from({ length: n }, (_, i) => fc.subarray(Array.from({ length: i }, (_, j) => `s${j}`))),
      )
      .map((deps): DagNode[] => deps.map((dependsOn, i) => ({ name: `s${i}`, dependsOn }))),
  );
const dagWithFronts = dagNodes.chain((nodes) =>
  fc.tuple(fc.constant(nodes), fc.tuple(...nodes.map(() => fc.array(leaf, { minLength: 1, maxLength: 4 })))),
);

interface Combo {
  latencyMs: number;
  costUSD: number;
  picks: number[];
}

/** Every combination of one point per stage; latency = the longest path, cost = the sum. */
function bruteCombos(nodes: DagNode[], fronts: LeafPoint[][]): Combo[] {
  const dag = buildDag(nodes);
  const out: Combo[] = [];
  const walk = (i: number, picks: number[]): void => {
    if (i === nodes.length) {
      const at = (name: string): LeafPoint => fronts[Number(name.slice(1))]![picks[Number(name.slice(1))]!]!;
      out.push({
        latencyMs: longestPath(dag, (name) => at(name).latencyMs).latencyMs,
        costUSD: picks.reduce((a, p, s) => a + fronts[s]![p]!.costUSD, 0),
        picks: [...picks],
      });
      return;
    }
    fronts[i]!.forEach((_, p) => walk(i + 1, [...picks, p]));
  };
  walk(0, []);
  return out;
}

const key = (p: { latencyMs: number; costUSD: number }): string => `${p.latencyMs}/${p.costUSD}`;

describe('composeDag against brute force', () => {
  it('series-parallel DAGs: the composed front is exactly the brute-force front (ε = 0)', () => {
    fc.assert(
      fc.property(dagWithFronts, ([nodes, fronts]) => {
        const dag = buildDag(nodes);
        fc.pre(dag.spTree !== null);
        const byName = new Map(fronts.map((f, i) => [`s${i}`, f]));
        const composed = composeDag(dag, byName, { epsilon: 0, maxPoints: 1e6 });
        expect(composed.method).toBe('series-parallel');
        const exact = bruteFront(bruteCombos(nodes, fronts));
        expect(new Set(composed.front.map(key))).toEqual(new Set(exact.map(key)));
        // every composed point's picks reproduce its values
        for (const point of composed.front) {
          const picks = picksOf(point.pick);
          expect(picks.size).toBe(nodes.length);
          const at = (name: string): LeafPoint => byName.get(name)![picks.get(name)!]!;
          expect(longestPath(dag, (n) => at(n).latencyMs).latencyMs).toBe(point.latencyMs);
          expect(nodes.reduce((a, n) => a + at(n.name).costUSD, 0)).toBe(point.costUSD);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('with ε > 0 it covers the brute-force front within (1+ε)^(stages−1)', () => {
    fc.assert(
      fc.property(dagWithFronts, fc.constantFrom(0.002, 0.01, 0.05), ([nodes, fronts], eps) => {
        const dag = buildDag(nodes);
        fc.pre(dag.spTree !== null);
        const composed = composeDag(dag, new Map(fronts.map((f, i) => [`s${i}`, f])), {
          epsilon: eps,
          maxPoints: 1e6,
        });
        const tol = (1 + eps) ** Math.max(1, nodes.length - 1) * (1 + 1e-12);
        for (const b of bruteFront(bruteCombos(nodes, fronts)))
          expect(composed.front.some((f) => f.latencyMs <= b.latencyMs && f.costUSD <= b.costUSD * tol)).toBe(
            true,
          );
      }),
      { numRuns: 200 },
    );
  });

  it('a DAG that is not series-parallel ("N") falls back to levels, re-evaluated on the true longest path', () => {
    const nodes: DagNode[] = [
      { name: 's0' },
      { name: 's1' },
      { name: 's2', dependsOn: ['s0', 's1'] },
      { name: 's3', dependsOn: ['s1'] },
    ];
    const dag = buildDag(nodes);
    expect(dag.spTree).toBeNull();
    fc.assert(
      fc.property(fc.tuple(...nodes.map(() => fc.array(leaf, { minLength: 1, maxLength: 4 }))), (fronts) => {
        const byName = new Map(fronts.map((f, i) => [`s${i}`, f]));
        const composed = composeDag(dag, byName, { epsilon: 0, maxPoints: 1e6 });
        expect(composed.method).toBe('levels');
        const all = bruteCombos(nodes, fronts);
        for (const point of composed.front) {
          const picks = picksOf(point.pick);
          expect(longestPath(dag, (n) => byName.get(n)![picks.get(n)!]!.latencyMs).latencyMs).toBe(
            point.latencyMs,
          );
          // no brute-force combination dominates a returned point by... nothing it returns is infeasible
          expect(all.some((c) => c.latencyMs === point.latencyMs && c.costUSD === point.costUSD)).toBe(true);
        }
        // the cheapest and the fastest combinations are always found (levels add barriers only)
        expect(Math.min(...composed.front.map((p) => p.costUSD))).toBe(
          Math.min(...all.map((c) => c.costUSD)),
        );
      }),
    );
    expect(levelsTree(dag)).toEqual({
      kind: 'series',
      parts: [
        {
          kind: 'parallel',
          parts: [
            { kind: 'stage', stage: 's0' },
            { kind: 'stage', stage: 's1' },
          ],
        },
        {
          kind: 'parallel',
          parts: [
            { kind: 'stage', stage: 's2' },
            { kind: 'stage', stage: 's3' },
          ],
        },
      ],
    });
  });
});

describe('composeTree: concurrency', () => {
  const one = (latencyMs: number, workers: number): LeafPoint[] => [
    { latencyMs, costUSD: 1, config: { workers, memoryMB: 1024 } },
  ];
  const tree = {
    kind: 'parallel' as const,
    parts: [
      { kind: 'stage' as const, stage: 'a' },
      { kind: 'stage' as const, stage: 'b' },
    ],
  };

  it('parallel branches within the limit take the max', () => {
    const f = composeTree(
      tree,
      new Map([
        ['a', one(100, 400)],
        ['b', one(60, 500)],
      ]),
      { concurrency: 1000 },
    );
    expect(f[0]!.latencyMs).toBe(100);
    expect(f[0]!.peakWorkers).toBe(900);
  });

  it('past the limit they take the fluid bound (Σ workers·latency) / C', () => {
    const f = composeTree(
      tree,
      new Map([
        ['a', one(100, 800)],
        ['b', one(60, 700)],
      ]),
      { concurrency: 1000 },
    );
    expect(f[0]!.latencyMs).toBeCloseTo((800 * 100 + 700 * 60) / 1000, 9);
    expect(f[0]!.peakWorkers).toBe(1000);
  });
});
