/**
 * The synthetic observation's description: array, band, time range, averaging plan, noise and sky
 * size. Everything else (antenna positions, sky, gains, every visibility) is derived from it
 * deterministically, so a spec (with its seed) *is* the data set.
 *
 * The numbers are LOFAR-HBA-like: 48.828125 kHz channels (a 195.3125 kHz subband split in four),
 * 2 s integrations, an SEFD of ~3000 Jy per station (van Haarlem et al. 2013, A&A 556, A2, table B.1
 * gives 2.4–4 kJy for HBA core stations), at LOFAR's latitude.
 */

export interface DatasetSpec {
  /** Store prefix: chunks under `<name>/ms/`, the header at `<name>/meta.json`. */
  name: string;
  seed: number;
  nAntennas: number;
  /** Raw channels; a multiple of `freqstep`. */
  nChannels: number;
  /** Raw time steps; a multiple of `timestep × solintSteps`. */
  nTimes: number;
  startFreqHz: number;
  channelWidthHz: number;
  integrationS: number;
  /** Averaging plan (DP3's averager.freqstep / averager.timestep). */
  freqstep: number;
  timestep: number;
  /** Averaged time steps per gain solution interval. */
  solintSteps: number;
  /** Time blocks (records) per stored chunk object. */
  recordsPerChunk: number;
  latitudeDeg: number;
  raDeg: number;
  decDeg: number;
  sefdJy: number;
  nSources: number;
  /** Largest source offset from the phase centre, radians (keeps smearing and w-terms small). */
  skyRadiusRad: number;
  /** Fraction of (time, baseline, channel) samples hit by an RFI burst on all correlations. */
  rfiFraction: number;
}

/** Named sizes, in raw time steps (each step ≈ 0.77 MB with the default 32 antennas × 32 channels). */
export const SIZE_PRESETS: Readonly<Record<string, number>> = {
  tiny: 16,
  small: 64,
  medium: 512,
  large: 4096,
  xlarge: 8192,
};

export const DEFAULT_SPEC: DatasetSpec = {
  name: 'taskac',
  seed: 1,
  nAntennas: 32,
  nChannels: 32,
  nTimes: 64,
  startFreqHz: 140e6,
  channelWidthHz: 48_828.125,
  integrationS: 2,
  freqstep: 4,
  timestep: 8,
  solintSteps: 1,
  recordsPerChunk: 8,
  latitudeDeg: 52.915,
  raDeg: 123.4,
  decDeg: 58,
  sefdJy: 3000,
  nSources: 5,
  skyRadiusRad: 0.012,
  rfiFraction: 2e-4,
};

/** Raw time steps in one record: one gain solution interval of whole averaging steps. */
export function stepsPerRecord(spec: DatasetSpec): number {
  return spec.timestep * spec.solintSteps;
}

/**
 * A spec from workflow params: `size` is a preset name or a number of raw time steps (rounded up
 * to whole records); any DatasetSpec field may be overridden by a param of the same name.
 */
export function specFromParams(params: Readonly<Record<string, unknown>>): DatasetSpec {
  const spec: DatasetSpec = { ...DEFAULT_SPEC };
  for (const key of Object.keys(DEFAULT_SPEC) as (keyof DatasetSpec)[]) {
    const v = params[key === 'name' ? 'dataset' : key];
    if (v === undefined) continue;
    if (key === 'name') {
      if (typeof v !== 'string' || v === '')
        throw new Error(`taskac: params.dataset must be a non-empty string`);
      spec.name = v;
    } else {
      const n = typeof v === 'string' ? Number(v) : v;
      if (typeof n !== 'number' || !Number.isFinite(n))
        throw new Error(`taskac: params.${key} must be a number`);
      spec[key] = n;
    }
  }
  const size = params.size;
  if (size !== undefined) {
    const steps = typeof size === 'string' && size in SIZE_PRESETS ? SIZE_PRESETS[size] : Number(size);
    if (steps === undefined || !Number.isFinite(steps) || steps <= 0)
      throw new Error(
        `taskac: params.size "${String(size)}" is neither ${Object.keys(SIZE_PRESETS).join(', ')} nor a number of time steps`,
      );
    spec.nTimes = steps;
  }
  return checkSpec(spec);
}

/** Rounds nTimes up to whole records and checks the averaging plan fits the band. */
export function checkSpec(spec: DatasetSpec): DatasetSpec {
  const per = stepsPerRecord(spec);
  const intFields: (keyof DatasetSpec)[] = [
    'nAntennas',
    'nChannels',
    'nTimes',
    'freqstep',
    'timestep',
    'solintSteps',
    'recordsPerChunk',
    'nSources',
  ];
  for (const f of intFields) {
    const v = spec[f];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1)
      throw new Error(`taskac: ${f} must be a positive integer (got ${String(v)})`);
  }
  if (spec.nAntennas < 4) throw new Error('taskac: nAntennas must be at least 4');
  if (spec.nChannels % spec.freqstep !== 0)
    throw new Error(`taskac: nChannels ${spec.nChannels} is not a multiple of freqstep ${spec.freqstep}`);
  return { ...spec, nTimes: Math.ceil(spec.nTimes / per) * per };
}
