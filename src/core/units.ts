import { inputError } from './errors.js';

/** Pricing convention of every FaaS platform: 1 GB = 1024 MB. */
export const MB_PER_GB = 1024;
export const BYTES_PER_MB = 1024 * 1024;

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/;
const DURATION_FACTOR: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** "60s" → 60000; "250ms", "2m", "1.5h"; a bare number is milliseconds. */
export function parseDurationMs(text: string, what = 'duration'): number {
  const m = DURATION.exec(text.trim());
  if (!m) throw inputError(`${what}: cannot read "${text}"`, 'use a number with ms, s, m or h, e.g. 60s');
  return Number(m[1]) * DURATION_FACTOR[m[2] ?? 'ms']!;
}

const BYTES = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb|tb|kib|mib|gib|tib)?$/i;
const BYTES_FACTOR: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
};

/** "2GiB" → 2147483648, "500MB" → 5e8; a bare number is bytes. */
export function parseBytes(text: string, what = 'size'): number {
  const m = BYTES.exec(text.trim());
  if (!m)
    throw inputError(
      `${what}: cannot read "${text}"`,
      'use a number of bytes, or with KB, MB, GB, KiB, MiB, GiB',
    );
  return Math.round(Number(m[1]) * BYTES_FACTOR[(m[2] ?? 'b').toLowerCase()]!);
}

/** "$0.05", "0.05", "0.05USD" → 0.05 */
export function parseUSD(text: string, what = 'budget'): number {
  const m = /^\$?(\d+(?:\.\d+)?(?:e-?\d+)?)\s*(usd)?$/i.exec(text.trim());
  if (!m) throw inputError(`${what}: cannot read "${text}"`, 'use dollars, e.g. 0.05 or $0.05');
  return Number(m[1]);
}
