/**
 * Shared set-up of the TASKA-C tests: a small data set (24 stations, 16 channels, 4 solution
 * intervals — 7 MB, generated in a fraction of a second) and a runner that takes it through the
 * three stage modules on the local backend, as the workflow file wires them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LocalBackend } from '../../src/backends/local/index.js';
import { PlatformSchema, type Platform } from '../../src/core/schemas.js';
import type { StageDef } from '../../src/core/types.js';
import { CATALOG } from '../../src/platforms/catalog.js';
import { loadWorkflow } from '../../src/store/workflow-file.js';
import { makeDataset, type Dataset } from '../../examples/taskac/lib/dataset.js';
import { DEFAULT_SPEC, type DatasetSpec } from '../../examples/taskac/lib/spec.js';

export const TEST_SPEC: DatasetSpec = {
  ...DEFAULT_SPEC,
  name: 'tk',
  nAntennas: 24,
  nChannels: 16,
  nTimes: 32,
  nSources: 4,
  recordsPerChunk: 3,
};

export const TEST_IMAGE_SIZE = 128;

let cached: Dataset | null = null;
export function testDataset(): Dataset {
  cached ??= makeDataset(TEST_SPEC);
  return cached;
}

/** k8s prices CPU apart from memory: a small worker still gets a whole vCPU (fast cold starts). */
export const platform: Platform = PlatformSchema.parse(CATALOG.find((p) => p.id === 'k8s'));

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'rightsizer-taskac-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export const WORKFLOW_DIR = fileURLToPath(new URL('../../examples/taskac/', import.meta.url));

/** The stages as examples/taskac/workflow.yaml defines them, with this data set's record sizes. */
export function workflowStages(ds: Dataset): Record<'rebin' | 'calibrate' | 'image', StageDef> {
  const wf = loadWorkflow(WORKFLOW_DIR);
  const get = (name: string): StageDef => {
    const s = wf.stages.find((x) => x.name === name);
    if (!s) throw new Error(`workflow.yaml has no stage ${name}`);
    return s;
  };
  return {
    rebin: {
      ...get('rebin'),
      input: { prefix: `${ds.spec.name}/ms/` },
      recordBytes: ds.rawRecordBytes,
    } as StageDef,
    calibrate: { ...get('calibrate'), recordBytes: ds.avgRecordBytes } as StageDef,
    image: get('image'),
  };
}

export interface PipelineRun {
  rebinKeys: string[];
  calibrateKeys: string[];
  imageKeys: string[];
  statuses: string[];
}

let runs = 0;

/** Runs rebin and calibrate with `workers` workers each, then image on one worker. */
export async function runPipeline(backend: LocalBackend, ds: Dataset, workers: number): Promise<PipelineRun> {
  const stages = workflowStages(ds);
  const params = { dataset: ds.spec.name, imageSize: TEST_IMAGE_SIZE };
  const base = {
    workflow: 'taskac-test',
    inputBytes: null,
    rep: 0,
    timeoutMs: 60_000,
    seed: 0,
    params,
  };
  const id = `w${workers}-${process.pid}-${++runs}`;
  const config = { workers, memoryMB: 1024, vcpu: 1 };
  const rebin = await backend.runStage({
    ...base,
    runId: `${id}-rebin`,
    stage: stages.rebin,
    config,
    outputPrefix: `runs/${id}/rebin/`,
  });
  const calibrate = await backend.runStage({
    ...base,
    runId: `${id}-calibrate`,
    stage: stages.calibrate,
    config,
    inputKeys: rebin.outputKeys ?? [],
    outputPrefix: `runs/${id}/calibrate/`,
  });
  const image = await backend.runStage({
    ...base,
    runId: `${id}-image`,
    stage: stages.image,
    config: { ...config, workers: 1 },
    inputKeys: calibrate.outputKeys ?? [],
    outputPrefix: `runs/${id}/image/`,
  });
  const statuses = [rebin, calibrate, image].map(
    (r) => `${r.sample.stage}:${r.sample.status}${r.sample.error ? ` ${r.sample.error}` : ''}`,
  );
  return {
    rebinKeys: rebin.outputKeys ?? [],
    calibrateKeys: calibrate.outputKeys ?? [],
    imageKeys: image.outputKeys ?? [],
    statuses,
  };
}

export function newBackend(dir: string): LocalBackend {
  return new LocalBackend({ platform, storeRoot: join(dir, 'store'), workflowDir: WORKFLOW_DIR });
}
