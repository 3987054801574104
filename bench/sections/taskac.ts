/**
 * TASKA-C stage throughput: the science kernels of examples/taskac timed in this process on the
 * default data set's records (32 stations, 496 baselines, 32 → 8 channels, 4 correlations), so a
 * slow stage is not mistaken for a slow configuration. Visibilities count one (row, channel,
 * correlation) sample: what a stage processes per second on one core, before any I/O.
 */
import { averageRecord } from '../../examples/taskac/lib/average.js';
import { calibrateRecord } from '../../examples/taskac/lib/calibrate-record.js';
import { averagedFreqHz, makeDataset } from '../../examples/taskac/lib/dataset.js';
import { fft2d } from '../../examples/taskac/lib/fft.js';
import { flagOutliers } from '../../examples/taskac/lib/flag.js';
import { generateRecord } from '../../examples/taskac/lib/generate.js';
import { makeImager } from '../../examples/taskac/lib/imager.js';
import { N_CORR, type RecordView } from '../../examples/taskac/lib/record.js';
import { DEFAULT_SPEC } from '../../examples/taskac/lib/spec.js';
import { table, type SectionResult } from '../lib/section.js';
import { median } from '../lib/stats.js';

const IMAGE_SIZE = 256;

function samples(r: RecordView): number {
  return r.nTimes * r.nBaselines * r.nChannels * N_CORR;
}

/** Median wall time of `reps` calls of `f` (each on fresh inputs from `prepare`), after one warm-up call. */
function timeMs<T>(reps: number, prepare: () => T, f: (x: T) => void): number {
  f(prepare()); // Let the JIT optimise the kernel first: a profiled worker is measured warm and cold alike.
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const x = prepare();
    const t0 = performance.now();
    f(x);
    times.push(performance.now() - t0);
  }
  return median(times);
}

export function taskacSection(reps: number): SectionResult {
  const ds = makeDataset({ ...DEFAULT_SPEC, nTimes: 4 * 8 });
  const { spec } = ds;
  const f0 = averagedFreqHz(spec, 0);
  const df = spec.freqstep * spec.channelWidthHz;
  const raw = Array.from({ length: ds.nRecords }, (_, b) => generateRecord(ds, b));
  const averaged = raw.map((r) => averageRecord(r, spec.timestep, spec.freqstep));
  const rawVis = raw.reduce((s, r) => s + samples(r), 0);
  const avgVis = averaged.reduce((s, r) => s + samples(r), 0);
  // Fresh copies per repetition: flagging and calibration work in place.
  const copyRaw = (): RecordView[] => raw.map((r) => ({ ...r, weight: Float32Array.from(r.weight) }));
  const copyAvg = (): RecordView[] =>
    averaged.map((r) => ({ ...r, vis: Float32Array.from(r.vis), weight: Float32Array.from(r.weight) }));

  const genMs =
    timeMs(
      reps,
      () => null,
      () => void generateRecord(ds, 0),
    ) * ds.nRecords;
  const rebinMs = timeMs(reps, copyRaw, (rs) => {
    for (const r of rs) {
      flagOutliers(r, spec.timestep, spec.freqstep);
      averageRecord(r, spec.timestep, spec.freqstep);
    }
  });
  const calMs = timeMs(reps, copyAvg, (rs) => {
    for (const r of rs) calibrateRecord(ds, r);
  });
  const gridMs = timeMs(
    reps,
    () => makeImager({ imageSize: IMAGE_SIZE, cellRad: 2.6e-4 }),
    (im) => {
      for (const r of averaged) im.add(r, f0, df);
    },
  );
  const n = 2 * IMAGE_SIZE;
  const fftMs = timeMs(
    reps,
    () => [new Float64Array(n * n).fill(1), new Float64Array(n * n)] as const,
    ([re, im]) => fft2d(re, im, n, 1),
  );
  const imageMs = timeMs(
    reps,
    () => makeImager({ imageSize: IMAGE_SIZE, cellRad: 2.6e-4 }),
    (im) => {
      for (const r of averaged) im.add(r, f0, df);
      im.finish();
    },
  );

  const rate = (vis: number, ms: number): string => `${(((vis / ms) * 1000) / 1e6).toFixed(2)} M/s`;
  const mbps = (bytes: number, ms: number): string =>
    `${(((bytes / ms) * 1000) / 1024 ** 2).toFixed(0)} MB/s`;
  const kernel = (label: string, vis: number, bytes: number, ms: number): (string | number)[] => [
    label,
    vis,
    `${ms.toFixed(0)} ms`,
    rate(vis, ms),
    mbps(bytes, ms),
  ];
  const rawBytes = ds.rawRecordBytes * ds.nRecords;
  const avgBytes = ds.avgRecordBytes * ds.nRecords;
  const rows: (string | number)[][] = [
    kernel('setup: generate (sky predict + gains + noise)', rawVis, rawBytes, genMs),
    kernel('rebin: flag + average 8×4', rawVis, rawBytes, rebinMs),
    kernel('calibrate: cell-averaged predict + StefCal + apply', avgVis, avgBytes, calMs),
    kernel('image: grid Stokes I (KB, support 6)', avgVis, avgBytes, gridMs),
    [`image: 2-D FFT ${n}×${n}`, '—', `${fftMs.toFixed(0)} ms`, '—', '—'],
    kernel(`image: grid + FFT + correction, ${IMAGE_SIZE}² image`, avgVis, avgBytes, imageMs),
  ];
  return {
    title: 'TASKA-C stage throughput (examples/taskac kernels, one core, in process)',
    markdown: [
      `${ds.nRecords} records of the default data set: ${ds.layout.nBaselines} baselines × ${spec.nChannels} channels × 4 correlations × ${spec.timestep} steps each (${(ds.rawRecordBytes / 1024 ** 2).toFixed(1)} MB raw, ${(ds.avgRecordBytes / 1024).toFixed(0)} KB averaged); ${spec.nSources} sources; median of ${reps}.`,
      '',
      ...table(['kernel', 'visibilities', 'time', 'visibilities/s', 'input/s'], rows),
      '',
      'A visibility is one (row, channel, correlation) sample. Profiled stage times above these rates are I/O, start-up or CPU share, not the science.',
    ],
    summary: [
      `taskac: rebin ${rate(rawVis, rebinMs)}, calibrate ${rate(avgVis, calMs)}, grid ${rate(avgVis, gridMs)} visibilities/s; FFT ${n}² ${fftMs.toFixed(0)} ms`,
    ],
  };
}
