import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { averageRecord } from '../../examples/taskac/lib/average.js';
import { calibrateRecord } from '../../examples/taskac/lib/calibrate-record.js';
import { crc32 } from '../../examples/taskac/lib/crc32.js';
import { averagedFreqHz } from '../../examples/taskac/lib/dataset.js';
import { fft2d, makeFft } from '../../examples/taskac/lib/fft.js';
import { writeFits } from '../../examples/taskac/lib/fits.js';
import { flagOutliers } from '../../examples/taskac/lib/flag.js';
import { generateRecord } from '../../examples/taskac/lib/generate.js';
import { defaultCellRad, lmToPixel, makeImager } from '../../examples/taskac/lib/imager.js';
import { encodePngGray } from '../../examples/taskac/lib/png.js';
import { TEST_IMAGE_SIZE, testDataset } from './helpers.js';
import { localPeak, maxBaselineLambda } from './peaks.js';

describe('taskac image: FFT, gridding, FITS and PNG', () => {
  it('the radix-2 FFT equals a direct DFT and inverts', () => {
    const n = 64;
    const re = Float64Array.from({ length: n }, (_, i) => Math.sin(i * 0.7) + (i % 5));
    const im = Float64Array.from({ length: n }, (_, i) => Math.cos(i * 1.3));
    const fr = Float64Array.from(re);
    const fi = Float64Array.from(im);
    makeFft(n).transform(fr, fi, -1);
    for (const k of [0, 1, 17, 63]) {
      let sr = 0;
      let si = 0;
      for (let j = 0; j < n; j++) {
        const a = (-2 * Math.PI * j * k) / n;
        sr += re[j]! * Math.cos(a) - im[j]! * Math.sin(a);
        si += re[j]! * Math.sin(a) + im[j]! * Math.cos(a);
      }
      expect(fr[k]).toBeCloseTo(sr, 9);
      expect(fi[k]).toBeCloseTo(si, 9);
    }
    const gr = new Float64Array(16 * 16).map((_, i) => (i * 7) % 11);
    const gi = new Float64Array(16 * 16);
    const orig = Float64Array.from(gr);
    fft2d(gr, gi, 16, -1);
    fft2d(gr, gi, 16, 1);
    for (let i = 0; i < orig.length; i++) expect(gr[i]! / 256).toBeCloseTo(orig[i]!, 9);
  });

  it("puts each injected source's dirty-image peak within 1 pixel of its true position", () => {
    const ds = testDataset();
    const { spec } = ds;
    const f0 = averagedFreqHz(spec, 0);
    const df = spec.freqstep * spec.channelWidthHz;
    const fMax = averagedFreqHz(spec, spec.nChannels / spec.freqstep - 1);
    const cell = defaultCellRad(maxBaselineLambda(ds.layout.enu, fMax));
    const imager = makeImager({ imageSize: TEST_IMAGE_SIZE, cellRad: cell });
    for (let b = 0; b < ds.nRecords; b++) {
      const raw = generateRecord(ds, b);
      flagOutliers(raw, spec.timestep, spec.freqstep);
      const avg = averageRecord(raw, spec.timestep, spec.freqstep);
      calibrateRecord(ds, avg);
      imager.add(avg, f0, df);
    }
    const img = imager.finish();
    for (let s = 0; s < ds.sky.l.length; s++) {
      const truth = lmToPixel(ds.sky.l[s]!, ds.sky.m[s]!, TEST_IMAGE_SIZE, cell);
      const peak = localPeak(img, TEST_IMAGE_SIZE, truth.x, truth.y);
      expect(Math.hypot(peak.x - truth.x, peak.y - truth.y)).toBeLessThanOrEqual(1);
      // A calibrated source comes back near its flux (pixelisation and sidelobes cost a little).
      expect(img[peak.y * TEST_IMAGE_SIZE + peak.x]! / ds.sky.fluxJy[s]!).toBeGreaterThan(0.8);
    }
  });

  it('a point source at the phase centre images to its flux at the centre pixel', () => {
    const ds = testDataset();
    const size = 64;
    const imager = makeImager({ imageSize: size, cellRad: 2e-4 });
    const rec = averageRecord(generateRecord({ ...ds, noiseSigmaJy: 0 }, 0), 8, 4);
    // Replace the data by a 1 Jy source at the centre: V = 1 on every correlation.
    rec.vis.fill(0);
    for (let s = 0; s < rec.weight.length; s++) if (s % 4 === 0 || s % 4 === 3) rec.vis[2 * s] = 1;
    imager.add(rec, 140e6, 195e3);
    const img = imager.finish();
    const peak = localPeak(img, size, size / 2, size / 2);
    expect(peak).toEqual({ x: size / 2, y: size / 2 });
    expect(img[(size / 2) * size + size / 2]).toBeCloseTo(1, 6);
  });

  it('writes a valid FITS file: 2880-byte blocks, mandatory cards first, big-endian float32', () => {
    const data = Float32Array.from({ length: 6 * 4 }, (_, i) => i - 3.5);
    const fits = writeFits({ data, width: 6, height: 4, header: { BUNIT: 'JY/BEAM', CDELT1: -1.5e-3 } });
    expect(fits.length % 2880).toBe(0);
    const head = Buffer.from(fits.subarray(0, 2880)).toString('ascii');
    const cards = head.match(/.{80}/g)!;
    expect(cards[0]).toMatch(/^SIMPLE {2}=\s+T/);
    expect(cards[1]).toMatch(/^BITPIX {2}=\s+-32/);
    expect(cards[2]).toMatch(/^NAXIS {3}=\s+2/);
    expect(cards[3]).toMatch(/^NAXIS1 {2}=\s+6/);
    expect(cards[4]).toMatch(/^NAXIS2 {2}=\s+4/);
    expect(cards.findIndex((c) => c.startsWith('END     '))).toBeGreaterThan(4);
    expect(head).toContain("BUNIT   = 'JY/BEAM '");
    const view = new DataView(fits.buffer, fits.byteOffset + 2880);
    for (let i = 0; i < data.length; i++) expect(view.getFloat32(4 * i, false)).toBe(data[i]);
  });

  it('writes a valid PNG: signature, CRC-32 per chunk, IDAT inflating to the filtered scanlines', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926); // the standard check value
    const px = Uint8Array.from({ length: 5 * 3 }, (_, i) => i * 17);
    const png = encodePngGray(px, 5, 3);
    expect(Array.from(png.subarray(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
    let at = 8;
    const types: string[] = [];
    while (at < png.length) {
      const len = view.getUint32(at);
      const type = Buffer.from(png.subarray(at + 4, at + 8)).toString('ascii');
      types.push(type);
      expect(view.getUint32(at + 8 + len)).toBe(crc32(png.subarray(at + 4, at + 8 + len)));
      if (type === 'IDAT') {
        const raw = inflateSync(png.subarray(at + 8, at + 8 + len));
        expect(raw.length).toBe(3 * 6);
        expect(Array.from(raw.subarray(7, 12))).toEqual(Array.from(px.subarray(5, 10)));
      }
      at += 12 + len;
    }
    expect(types).toEqual(['IHDR', 'IDAT', 'IEND']);
  });
});
