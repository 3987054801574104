/** Flag parsers: each names its flag and what would be valid, for a one-line exit-2 error. */
import { inputError } from '../core/errors.js';
import { MAX_BYTES } from '../core/schemas.js';
import { parseBytes } from '../core/units.js';

export function parseIntFlag(flag: string, min = 0, max = Number.MAX_SAFE_INTEGER) {
  return (text: string): number => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < min || n > max)
      throw inputError(
        `${flag}: "${text}" is ${Number.isInteger(n) ? 'out of range' : 'not an integer'}`,
        `give an integer from ${min} to ${max}`,
      );
    return n;
  };
}

export function parseNumberFlag(flag: string, min: number, max: number) {
  return (text: string): number => {
    const n = Number(text);
    if (!Number.isFinite(n) || n < min || n > max)
      throw inputError(
        `${flag}: "${text}" is ${Number.isFinite(n) ? 'out of range' : 'not a number'}`,
        `give a number from ${min} to ${max}`,
      );
    return n;
  };
}

export function parseBytesFlag(flag: string) {
  return (text: string): number => {
    const bytes = parseBytes(text, flag);
    // An input of 0 bytes has no partition to size: the models would fall back to what was profiled.
    if (!(bytes > 0))
      throw inputError(`${flag}: ${text} is no input size`, 'give a size above 0, e.g. 10GiB');
    if (bytes > MAX_BYTES)
      throw inputError(
        `${flag}: ${text} is more than an exabyte`,
        'check the unit: bytes, or a suffix such as GiB',
      );
    return bytes;
  };
}

/** `--percentile 95`: 50…99, or the mean when absent. */
export const parsePercentile = parseIntFlag('--percentile', 50, 99);

/** `--confidence 0.9` or `90`. */
export function parseConfidence(text: string): number {
  const n = Number(text);
  const p = n > 1 ? n / 100 : n;
  if (!Number.isFinite(p) || p < 0.5 || p >= 1)
    throw inputError(
      `--confidence: "${text}" is ${Number.isFinite(p) ? 'out of range' : 'not a number'}`,
      'give a probability of at least 0.5 and below 1, e.g. 0.9 (or a percentage, e.g. 90)',
    );
  return p;
}

/** `workers=8,memoryMB=1024[,vcpu=0.5]` */
export function parseConfigFlag(text: string): { workers: number; memoryMB: number; vcpu?: number } {
  const fields = new Map<string, number>();
  for (const part of text.split(',')) {
    const [k, v] = part.split('=').map((x) => x.trim());
    const n = Number(v);
    if (
      !k ||
      v === undefined ||
      !Number.isFinite(n) ||
      n <= 0 ||
      !['workers', 'memoryMB', 'vcpu'].includes(k)
    )
      throw inputError(
        `--config: cannot read "${part}"`,
        'use workers=N,memoryMB=M[,vcpu=V], e.g. workers=8,memoryMB=1024',
      );
    if (fields.has(k))
      throw inputError(
        `--config: ${k} is given twice in "${text}"`,
        'give each of workers, memoryMB, vcpu once',
      );
    fields.set(k, n);
  }
  const workers = fields.get('workers');
  const memoryMB = fields.get('memoryMB');
  if (workers === undefined || memoryMB === undefined || !Number.isInteger(workers))
    throw inputError(
      `--config: "${text}" needs an integer workers and a memoryMB`,
      'e.g. workers=8,memoryMB=1024',
    );
  const vcpu = fields.get('vcpu');
  return vcpu === undefined ? { workers, memoryMB } : { workers, memoryMB, vcpu };
}

/** Repeatable flag collector for commander. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
