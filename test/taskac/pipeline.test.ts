/**
 * The three stage modules through the local backend, as the workflow file wires them, at 1, 2 and
 * 4 workers: the science (solutions, calibrated data, image) must not depend on the worker count,
 * and the image the stages write must show every source where it is.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalBackend } from '../../src/backends/local/index.js';
import { viewRecords } from '../../examples/taskac/lib/record.js';
import { writeDataset } from '../../examples/taskac/lib/write-dataset.js';
import { lmToPixel } from '../../examples/taskac/lib/imager.js';
import {
  TEST_IMAGE_SIZE,
  newBackend,
  runPipeline,
  tempDir,
  testDataset,
  type PipelineRun,
} from './helpers.js';
import { localPeak } from './peaks.js';

interface Solutions {
  intervals: { block: number; converged: boolean; gains: number[][][] }[];
}

describe('taskac stages on the local backend', () => {
  const t = tempDir();
  const ds = testDataset();
  let backend: LocalBackend;
  const runs = new Map<number, PipelineRun>();

  beforeAll(async () => {
    backend = newBackend(t.dir);
    await writeDataset(
      {
        write: async (k, d) => {
          await backend.store.write(k, d);
        },
      },
      ds.spec,
    );
    for (const workers of [1, 2, 4]) runs.set(workers, await runPipeline(backend, ds, workers));
  }, 120_000);
  afterAll(async () => {
    await backend?.close();
    t.cleanup();
  });

  const read = async (keys: string[], pattern: RegExp): Promise<Buffer[]> =>
    Promise.all(keys.filter((k) => pattern.test(k)).map((k) => backend.store.read(k)));

  it('every stage runs ok at 1, 2 and 4 workers, one output object per worker', () => {
    for (const [workers, run] of runs) {
      expect(run.statuses).toEqual(['rebin:ok', 'calibrate:ok', 'image:ok']);
      expect(run.rebinKeys).toHaveLength(workers);
      expect(run.calibrateKeys.filter((k) => k.endsWith('.vis'))).toHaveLength(workers);
      expect(run.imageKeys.map((k) => k.split('/').pop()).sort()).toEqual([
        'image.fits',
        'image.json',
        'image.png',
      ]);
    }
  });

  it('results at 1, 2 and 4 workers agree to 1e-6 (averaged and calibrated data, gains, image)', async () => {
    const flatten = async (run: PipelineRun) => {
      const avg = viewRecords(Buffer.concat(await read(run.rebinKeys, /\.vis$/)));
      const cal = viewRecords(Buffer.concat(await read(run.calibrateKeys, /\.vis$/)));
      const sols = (await read(run.calibrateKeys, /\.json$/)).flatMap(
        (b) => (JSON.parse(b.toString()) as Solutions).intervals,
      );
      const fits = (await read(run.imageKeys, /image\.fits$/))[0]!;
      return { avg, cal, sols, fits };
    };
    const one = await flatten(runs.get(1)!);
    expect(one.avg).toHaveLength(ds.nRecords);
    expect(one.sols.map((s) => s.block)).toEqual([0, 1, 2, 3]);
    expect(one.sols.every((s) => s.converged)).toBe(true);
    const close = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
      let worst = 0;
      for (let i = 0; i < a.length; i++)
        worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / Math.max(1e-30, Math.abs(b[i]!)));
      return worst;
    };
    for (const workers of [2, 4]) {
      const other = await flatten(runs.get(workers)!);
      expect(other.avg).toHaveLength(one.avg.length);
      for (let r = 0; r < one.avg.length; r++) {
        expect(close(other.avg[r]!.vis, one.avg[r]!.vis)).toBeLessThanOrEqual(1e-6);
        expect(close(other.cal[r]!.vis, one.cal[r]!.vis)).toBeLessThanOrEqual(1e-6);
        expect(close(other.cal[r]!.weight, one.cal[r]!.weight)).toBeLessThanOrEqual(1e-6);
      }
      expect(
        close(
          other.sols.flatMap((s) => s.gains.flat(2)),
          one.sols.flatMap((s) => s.gains.flat(2)),
        ),
      ).toBeLessThanOrEqual(1e-6);
      const a = new DataView(one.fits.buffer, one.fits.byteOffset);
      const b = new DataView(other.fits.buffer, other.fits.byteOffset);
      let worst = 0;
      for (let i = 2880; i < one.fits.length; i += 4)
        worst = Math.max(worst, Math.abs(a.getFloat32(i, false) - b.getFloat32(i, false)));
      expect(worst).toBeLessThanOrEqual(1e-6);
    }
  });

  it('the image the stage wrote shows each source within 1 pixel of its true position', async () => {
    const run = runs.get(2)!;
    const summary = JSON.parse((await read(run.imageKeys, /image\.json$/))[0]!.toString()) as {
      cellRad: number;
    };
    const fits = (await read(run.imageKeys, /image\.fits$/))[0]!;
    const view = new DataView(fits.buffer, fits.byteOffset + 2880);
    const n = TEST_IMAGE_SIZE;
    const img = Float32Array.from({ length: n * n }, (_, i) => view.getFloat32(4 * i, false));
    for (let s = 0; s < ds.sky.l.length; s++) {
      const truth = lmToPixel(ds.sky.l[s]!, ds.sky.m[s]!, n, summary.cellRad);
      const peak = localPeak(img, n, truth.x, truth.y);
      expect(Math.hypot(peak.x - truth.x, peak.y - truth.y)).toBeLessThanOrEqual(1);
    }
  });
});
