/**
 * A stand-in for rightsizer in the kill -9 test: runs one stage on the local backend and waits.
 * argv: <store root> <stage module> <isolation> <params JSON>
 */
import { CATALOG } from '../../../src/platforms/catalog.js';
import { PlatformSchema } from '../../../src/core/schemas.js';
import { LocalBackend, type IsolationChoice } from '../../../src/backends/local/index.js';

async function main(): Promise<void> {
  const [storeRoot, run, isolation, params] = process.argv.slice(2);
  const platform = PlatformSchema.parse(CATALOG.find((p) => p.id === 'k8s'));
  const backend = new LocalBackend({ platform, storeRoot, isolation: isolation as IsolationChoice });
  await backend.runStage({
    runId: 'orphan-check',
    workflow: 'w',
    stage: { name: 'hang', run },
    config: { workers: 1, memoryMB: 1024, vcpu: 1 },
    inputBytes: 0,
    rep: 0,
    timeoutMs: 600_000,
    seed: 0,
    params: JSON.parse(params ?? '{}') as Record<string, unknown>,
  });
}

void main();
