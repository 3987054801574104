/**
 * A data set derived from its spec: layout, sky, injected gains, frequencies, time range, noise
 * level and record layout — what a Measurement Set keeps in its ANTENNA, SPECTRAL_WINDOW and
 * FIELD subtables, plus the truths the tests check against. `toMeta` / `fromMeta` carry it in the
 * `<name>/meta.json` header object so stages never regenerate anything.
 */
import { gainIndex, makeGains } from './gains.js';
import { makeLayout, type Layout } from './layout.js';
import { recordBytes } from './record.js';
import { makeSky, skyFrom, type Sky } from './sky.js';
import { checkSpec, stepsPerRecord, type DatasetSpec } from './spec.js';
import { EARTH_RATE_RAD_S, enuToXyz } from './uvw.js';

export const META_SCHEMA = 'taskac.meta/v1';

export interface Dataset {
  spec: DatasetSpec;
  layout: Layout;
  /** Equatorial antenna positions, metres. */
  xyz: Float64Array;
  sky: Sky;
  /** Injected gains per solution interval (see gains.ts for the layout). */
  gains: Float64Array;
  nIntervals: number;
  /** Hour angle of raw time step 0 (the track is centred on transit), radians. */
  startHourAngleRad: number;
  decRad: number;
  /** Thermal noise per real and imaginary part of one raw visibility, Jy (radiometer equation). */
  noiseSigmaJy: number;
  rawRecordBytes: number;
  avgRecordBytes: number;
  nRecords: number;
}

export function makeDataset(specIn: DatasetSpec): Dataset {
  const spec = checkSpec(specIn);
  const layout = makeLayout(spec.nAntennas, spec.seed);
  const nIntervals = spec.nTimes / stepsPerRecord(spec);
  const intervalS = stepsPerRecord(spec) * spec.integrationS;
  const durationS = spec.nTimes * spec.integrationS;
  return {
    spec,
    layout,
    xyz: enuToXyz(layout.enu, (spec.latitudeDeg * Math.PI) / 180),
    sky: makeSky(spec.nSources, spec.skyRadiusRad, spec.seed),
    gains: makeGains(spec.nAntennas, nIntervals, intervalS, spec.seed),
    nIntervals,
    startHourAngleRad: -0.5 * durationS * EARTH_RATE_RAD_S,
    decRad: (spec.decDeg * Math.PI) / 180,
    // σ = SEFD / sqrt(2 Δν Δt) per real/imaginary part (Thompson, Moran & Swenson 2017, eq. 6.50).
    noiseSigmaJy: spec.sefdJy / Math.sqrt(2 * spec.channelWidthHz * spec.integrationS),
    rawRecordBytes: recordBytes({
      nTimes: stepsPerRecord(spec),
      nBaselines: layout.nBaselines,
      nChannels: spec.nChannels,
    }),
    avgRecordBytes: recordBytes({
      nTimes: spec.solintSteps,
      nBaselines: layout.nBaselines,
      nChannels: spec.nChannels / spec.freqstep,
    }),
    nRecords: nIntervals,
  };
}

/** Hour angle of raw time step `t` (mid-integration), radians. */
export function hourAngleAt(ds: Dataset, t: number): number {
  return ds.startHourAngleRad + (t + 0.5) * ds.spec.integrationS * EARTH_RATE_RAD_S;
}

/** Key of the header object. */
export function metaKey(name: string): string {
  return `${name}/meta.json`;
}

/** Prefix of the raw chunks (the first stage's input). */
export function chunkPrefix(name: string): string {
  return `${name}/ms/`;
}

export function chunkKey(name: string, chunk: number): string {
  return `${chunkPrefix(name)}chunk-${String(chunk).padStart(5, '0')}.vis`;
}

export function chunkCount(ds: Dataset): number {
  return Math.ceil(ds.nRecords / ds.spec.recordsPerChunk);
}

export interface Meta {
  schema: typeof META_SCHEMA;
  spec: DatasetSpec;
  antennasEnuM: number[][];
  nBaselines: number;
  frequenciesHz: number[];
  averagedFrequenciesHz: number[];
  startHourAngleRad: number;
  noiseSigmaJy: number;
  layout: {
    rawRecordBytes: number;
    avgRecordBytes: number;
    rawStepsPerRecord: number;
    records: number;
    chunks: string[];
    totalBytes: number;
  };
  sky: { l: number; m: number; fluxJy: number }[];
  /** Injected gains [interval][pol X|Y][antenna] as [re, im]. */
  gains: number[][][][];
}

/** Frequency of raw channel `c`, Hz (channel centre). */
export function channelFreqHz(spec: DatasetSpec, c: number): number {
  return spec.startFreqHz + (c + 0.5) * spec.channelWidthHz;
}

/** Centre of averaged channel `c`: the mean of its freqstep raw channels. */
export function averagedFreqHz(spec: DatasetSpec, c: number): number {
  return spec.startFreqHz + (c + 0.5) * spec.freqstep * spec.channelWidthHz;
}

export function toMeta(ds: Dataset): Meta {
  const { spec } = ds;
  const a = spec.nAntennas;
  const chunks = Array.from({ length: chunkCount(ds) }, (_, i) => chunkKey(spec.name, i));
  return {
    schema: META_SCHEMA,
    spec,
    antennasEnuM: Array.from({ length: a }, (_, i) => Array.from(ds.layout.enu.subarray(3 * i, 3 * i + 3))),
    nBaselines: ds.layout.nBaselines,
    frequenciesHz: Array.from({ length: spec.nChannels }, (_, c) => channelFreqHz(spec, c)),
    averagedFrequenciesHz: Array.from({ length: spec.nChannels / spec.freqstep }, (_, c) =>
      averagedFreqHz(spec, c),
    ),
    startHourAngleRad: ds.startHourAngleRad,
    noiseSigmaJy: ds.noiseSigmaJy,
    layout: {
      rawRecordBytes: ds.rawRecordBytes,
      avgRecordBytes: ds.avgRecordBytes,
      rawStepsPerRecord: stepsPerRecord(spec),
      records: ds.nRecords,
      chunks,
      totalBytes: ds.nRecords * ds.rawRecordBytes,
    },
    sky: Array.from(ds.sky.l, (l, i) => ({ l, m: ds.sky.m[i]!, fluxJy: ds.sky.fluxJy[i]! })),
    gains: Array.from({ length: ds.nIntervals }, (_, k) =>
      [0, 1].map((pol) =>
        Array.from({ length: a }, (_, ant) => {
          const i = gainIndex(a, k, pol, ant);
          return [ds.gains[i]!, ds.gains[i + 1]!];
        }),
      ),
    ),
  };
}

/**
 * The data set a header describes. The spec regenerates everything; the header's sky replaces
 * the generated one, so a user may edit the sky model the stages calibrate against.
 */
export function fromMeta(meta: Meta): Dataset {
  if (meta.schema !== META_SCHEMA)
    throw new Error(`taskac: header schema ${String(meta.schema)} is not ${META_SCHEMA}`);
  const ds = makeDataset(meta.spec);
  return {
    ...ds,
    sky: skyFrom(
      meta.sky.map((s) => s.l),
      meta.sky.map((s) => s.m),
      meta.sky.map((s) => s.fluxJy),
    ),
  };
}

export function parseMeta(bytes: Uint8Array | string): Meta {
  const text = typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('utf8');
  return JSON.parse(text) as Meta;
}
