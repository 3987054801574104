/**
 * The `grid` design: exactly the configs the user lists (`--configs "w=4,m=1024;w=8,m=2048"`),
 * each resolved on the platform (vCPU derived where the platform ties it to memory).
 */
import { inputError } from '../core/errors.js';
import type { Platform, ResolvedConfig } from '../core/types.js';
import { resolveConfig } from '../platforms/index.js';

const ALIASES: Record<string, 'workers' | 'memoryMB' | 'vcpu'> = {
  w: 'workers',
  workers: 'workers',
  m: 'memoryMB',
  mem: 'memoryMB',
  memory: 'memoryMB',
  memorymb: 'memoryMB',
  c: 'vcpu',
  cpu: 'vcpu',
  vcpu: 'vcpu',
};

/** Parses `w=4,m=1024;w=8,m=2048,vcpu=1` (configs separated by `;`). */
export function parseConfigList(text: string): { workers: number; memoryMB: number; vcpu?: number }[] {
  const out: { workers: number; memoryMB: number; vcpu?: number }[] = [];
  for (const part of text
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const fields: Partial<Record<'workers' | 'memoryMB' | 'vcpu', number>> = {};
    for (const kv of part.split(',')) {
      const [k, v] = kv.split('=').map((x) => x.trim());
      const name = k === undefined ? undefined : ALIASES[k.toLowerCase()];
      const n = Number(v);
      if (!name || v === undefined || !Number.isFinite(n) || n <= 0)
        throw inputError(
          `--configs: cannot read "${kv}" in "${part}"`,
          'use "w=4,m=1024;w=8,m=2048" (workers, memoryMB[, vcpu])',
        );
      fields[name] = n;
    }
    if (fields.workers === undefined || fields.memoryMB === undefined || !Number.isInteger(fields.workers))
      throw inputError(
        `--configs: "${part}" needs an integer w (workers) and m (memoryMB)`,
        'e.g. "w=4,m=1024"',
      );
    out.push({
      workers: fields.workers,
      memoryMB: fields.memoryMB,
      ...(fields.vcpu !== undefined ? { vcpu: fields.vcpu } : {}),
    });
  }
  if (out.length === 0) throw inputError('--configs: no config given', 'e.g. "w=4,m=1024;w=8,m=2048"');
  return out;
}

export function gridDesign(
  platform: Platform,
  configs: readonly { workers: number; memoryMB: number; vcpu?: number }[],
): ResolvedConfig[] {
  return configs.map((c) => resolveConfig(platform, c));
}
