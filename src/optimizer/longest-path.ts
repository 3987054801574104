/**
 * The latency of one run of a DAG when every stage takes a fixed time: the longest path,
 *   finish(v) = latency(v) + max over parents u of finish(u),   latency = max over sinks of finish,
 * in topological order, O(stages + edges); the path is read back along the argmax parents.
 */
import type { Dag } from '../core/dag.js';

export function longestPath(
  dag: Dag,
  latencyMs: (stage: string) => number,
): { latencyMs: number; path: string[] } {
  const finish = new Map<string, number>();
  const via = new Map<string, string | null>();
  for (const stage of dag.order) {
    let start = 0;
    let from: string | null = null;
    for (const parent of dag.parents.get(stage) ?? []) {
      const f = finish.get(parent)!;
      if (f > start) {
        start = f;
        from = parent;
      }
    }
    finish.set(stage, start + latencyMs(stage));
    via.set(stage, from);
  }
  let end: string | null = null;
  for (const sink of dag.sinks) if (end === null || finish.get(sink)! > finish.get(end)!) end = sink;
  const path: string[] = [];
  for (let at = end; at !== null; at = via.get(at) ?? null) path.unshift(at);
  return { latencyMs: end === null ? 0 : finish.get(end)!, path };
}
