/**
 * Stage `image` (WSClean without deconvolution; one worker, as WSClean images on one node):
 * grids every calibrated record's Stokes I and takes a 2-D FFT to a dirty image
 * (lib/imager.ts), written as `image.fits` (with a SIN-projection WCS) and `image.png`, plus
 * `image.json` with the image's peak and noise. Its input also holds the calibrate stage's
 * solutions; only `.vis` objects are imaged.
 */
import type { StageContext } from '../../../src/backends/local/index.js';
import { writeFits } from '../lib/fits.js';
import { defaultCellRad, makeImager } from '../lib/imager.js';
import { imageToPng } from '../lib/png.js';
import { SPEED_OF_LIGHT_M_S } from '../lib/predict.js';
import { viewRecords } from '../lib/record.js';
import { loadDataset } from '../lib/stage-io.js';

const DEFAULT_IMAGE_SIZE = 256;

export default async function image(ctx: StageContext): Promise<void> {
  const { meta, ds } = await loadDataset(ctx);
  const chunks: Buffer[] = [];
  for (const seg of ctx.partition.segments)
    if (seg.key.endsWith('.vis')) chunks.push(await ctx.read(seg.key, { start: seg.start, end: seg.end }));
  const size = typeof ctx.params.imageSize === 'number' ? ctx.params.imageSize : DEFAULT_IMAGE_SIZE;
  const freqs = meta.averagedFrequenciesHz;
  const freq0 = freqs[0] ?? 0;
  const dFreq = ds.spec.freqstep * ds.spec.channelWidthHz;
  const cellRad =
    typeof ctx.params.cellArcsec === 'number'
      ? (ctx.params.cellArcsec / 3600) * (Math.PI / 180)
      : defaultCellRad(
          (maxBaselineM(ds.layout.enu) * (freqs[freqs.length - 1] ?? freq0)) / SPEED_OF_LIGHT_M_S,
        );
  const { pixels, gridded } = ctx.compute(() => {
    const imager = makeImager({ imageSize: size, cellRad });
    let n = 0;
    for (const c of chunks) for (const r of viewRecords(c)) n += imager.add(r, freq0, dFreq);
    return { pixels: imager.finish(), gridded: n };
  });
  const stats = imageStats(pixels);
  const cellDeg = (cellRad * 180) / Math.PI;
  const fits = writeFits({
    data: pixels,
    width: size,
    height: size,
    header: {
      BUNIT: 'JY/BEAM',
      CTYPE1: 'RA---SIN',
      CRPIX1: size / 2 + 1,
      CRVAL1: ds.spec.raDeg,
      CDELT1: -cellDeg,
      CUNIT1: 'deg',
      CTYPE2: 'DEC--SIN',
      CRPIX2: size / 2 + 1,
      CRVAL2: ds.spec.decDeg,
      CDELT2: cellDeg,
      CUNIT2: 'deg',
      RADESYS: 'ICRS',
      RESTFRQ: freq0 + (dFreq * (freqs.length - 1)) / 2,
      OBJECT: `${ds.spec.name} dirty image`,
      ORIGIN: 'rightsizer examples/taskac',
    },
  });
  await ctx.write('image.fits', fits);
  await ctx.write('image.png', imageToPng(pixels, size, size, -0.1 * stats.max, stats.max));
  await ctx.write(
    'image.json',
    JSON.stringify({ schema: 'taskac.image/v1', imageSize: size, cellRad, visibilities: gridded, ...stats }),
  );
}

function maxBaselineM(enu: Float64Array): number {
  let best = 0;
  for (let a = 0; a < enu.length; a += 3)
    for (let b = a + 3; b < enu.length; b += 3)
      best = Math.max(
        best,
        Math.hypot(enu[a]! - enu[b]!, enu[a + 1]! - enu[b + 1]!, enu[a + 2]! - enu[b + 2]!),
      );
  return best;
}

function imageStats(px: Float32Array): { max: number; min: number; rmsJy: number } {
  let max = -Infinity;
  let min = Infinity;
  let ss = 0;
  for (let i = 0; i < px.length; i++) {
    const v = px[i]!;
    if (v > max) max = v;
    if (v < min) min = v;
    ss += v * v;
  }
  return { max, min, rmsJy: Math.sqrt(ss / Math.max(1, px.length)) };
}
