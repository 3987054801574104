/**
 * What a stage reads while it is profiled, and how big its whole input is.
 * - Root stages read their `input`; with `--input-fraction f` the local backend gets a prefix of
 *   the input's objects (sorted by key) holding about f of its bytes (at least one object), and the
 *   sim and exec backends get inputBytes × f.
 * - A stage with `input: { from: U }` reads the outputs of one run of U (its materialising run,
 *   chosen once and reused by every config), so its partitioning never depends on how many
 *   workers wrote them; that run already read the fraction, so no fraction is applied again.
 * The whole input size (for planning at full size): the stage's `inputBytes`, else what the
 * backend knows (the sim scenario's, the local store's objects), else the upstream run's output
 * scaled back by 1/f.
 */
import { inputError } from '../core/errors.js';
import type { Backend } from '../backends/backend.js';
import { LocalBackend, type ObjectInfo } from '../backends/local/index.js';
import { SimBackend } from '../backends/sim/index.js';
import type { StageDef } from '../core/types.js';

export interface StageInput {
  /** Object keys to read (local), when the backend needs them. */
  inputKeys?: string[];
  /** inputBytes of the request; null: the backend measures it. */
  runInputBytes: number | null;
  /** The stage's whole input, for planning; null when unknown. */
  fullInputBytes: number | null;
  /** The runId component that tells inputs apart. */
  label: number | string;
}

export interface Materialised {
  outputKeys: string[];
  outputBytes: number | null;
}

export async function stageInput(
  backend: Backend,
  def: StageDef,
  upstream: readonly Materialised[],
  fraction: number,
): Promise<StageInput> {
  if (upstream.length > 0) {
    const inputKeys = upstream.flatMap((u) => u.outputKeys);
    const outBytes = upstream.every((u) => u.outputBytes != null)
      ? upstream.reduce((s, u) => s + u.outputBytes!, 0)
      : null;
    const sim = backend instanceof SimBackend ? backend.inputBytesOf(def) : null;
    const full = def.inputBytes ?? sim ?? (outBytes === null ? null : outBytes / fraction);
    const runInputBytes = backend instanceof LocalBackend ? null : full === null ? null : full * fraction;
    return {
      ...(backend instanceof LocalBackend ? { inputKeys } : {}),
      runInputBytes,
      fullInputBytes: full,
      label: runInputBytes ?? `from=${inputKeys.length}:${inputKeys[0] ?? ''}`,
    };
  }
  if (backend instanceof LocalBackend) {
    const objects = await rootObjects(backend, def);
    const declared = def.input as { prefix?: string; keys?: string[] } | undefined;
    // Runs on no input would measure nothing and train the model on zero bytes.
    if (objects.length === 0 && declared && (declared.prefix !== undefined || declared.keys !== undefined))
      throw inputError(
        `stage ${def.name}: its input (${declared.prefix !== undefined ? `prefix ${declared.prefix}` : 'keys'}) has no object in the store`,
        "write it in the workflow's setup, or check the stage's input",
      );
    const total = objects.reduce((s, o) => s + o.bytes, 0);
    const full = def.inputBytes ?? total;
    if (fraction >= 1) return { runInputBytes: null, fullInputBytes: full, label: `local:${total}` };
    const keys: string[] = [];
    let bytes = 0;
    for (const o of objects) {
      if (keys.length > 0 && bytes >= fraction * total) break;
      keys.push(o.key);
      bytes += o.bytes;
    }
    return { inputKeys: keys, runInputBytes: null, fullInputBytes: full, label: `local:${bytes}/${total}` };
  }
  const full = def.inputBytes ?? (backend instanceof SimBackend ? backend.inputBytesOf(def) : null);
  const run = full === null ? null : Math.round(full * fraction);
  return { runInputBytes: run, fullInputBytes: full, label: run ?? `fraction=${fraction}` };
}

async function rootObjects(backend: LocalBackend, def: StageDef): Promise<ObjectInfo[]> {
  const input = def.input as { prefix?: string; keys?: string[] } | undefined;
  if (typeof input?.prefix === 'string') return (await backend.store.list(input.prefix)).sort(byKey);
  if (Array.isArray(input?.keys))
    return Promise.all(
      [...input.keys].sort().map(async (key) => ({ key, bytes: await backend.store.size(key) })),
    );
  return [];
}

function byKey(a: ObjectInfo, b: ObjectInfo): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}
