/**
 * The input size each stage is planned at. A root stage takes, in order: `--input-bytes`, the
 * workflow's `inputBytes`, the size it was profiled at. A downstream stage scales its profiled
 * size by the factor (planned / profiled) of the parents it reads, which is its measured
 * output/input ratio carried through the DAG — so a workflow profiled on 10 % of its input plans
 * for all of it. A stage that reads objects of its own keeps their size.
 */
import { readsFrom, topologicalOrder } from '../core/dag.js';
import type { FittedStageModel, StageDef } from '../core/types.js';

export function plannedInputBytes(
  stages: readonly StageDef[],
  models: ReadonlyMap<string, FittedStageModel>,
  inputBytes: number | undefined,
): Map<string, number | null> {
  const factor = new Map<string, number>();
  const out = new Map<string, number | null>();
  const byName = new Map(stages.map((s) => [s.name, s]));
  for (const name of topologicalOrder(stages)) {
    const def = byName.get(name)!;
    const profiled = models.get(name)?.profiledInputBytes ?? null;
    // The stages it reads, not those it only waits for.
    const parents = readsFrom(def, def.dependsOn ?? []);
    let planned: number | null;
    if ((def.dependsOn ?? []).length === 0) {
      planned = inputBytes ?? def.inputBytes ?? profiled;
    } else if (parents.length === 0) {
      // Downstream, yet reading objects of its own: its size is theirs, whatever the workflow's input.
      planned = def.inputBytes ?? profiled;
    } else if (def.inputBytes !== undefined && inputBytes === undefined) {
      planned = def.inputBytes;
    } else {
      const f = parents.reduce((acc, p) => acc + (factor.get(p) ?? 1), 0) / parents.length;
      planned = profiled === null ? null : profiled * f;
    }
    factor.set(name, planned !== null && profiled ? planned / profiled : 1);
    out.set(name, planned);
  }
  return out;
}
