/**
 * Platform lookup: the catalog, plus the user's `rightsizer.platform/v1` files, which add
 * platforms or override catalog entries by id.
 */
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { inputError } from '../core/errors.js';
import { yamlSyntaxError } from '../core/yaml-error.js';
import { PlatformSchema, type Platform } from '../core/types.js';
import { formatZodError } from '../core/zod-issue.js';
import { CATALOG } from './catalog.js';
import { allowedSizes } from './resources.js';

export class PlatformRegistry {
  private readonly byId = new Map<string, Platform>();

  constructor(extra: readonly Platform[] = []) {
    for (const input of CATALOG) this.byId.set(input.id, PlatformSchema.parse(input));
    for (const p of extra) this.byId.set(p.id, p);
  }

  ids(): string[] {
    return [...this.byId.keys()];
  }

  get(id: string, what = '--platform'): Platform {
    const p = this.byId.get(id);
    if (!p) throw inputError(`${what}: unknown platform "${id}"`, `valid: ${this.ids().join(', ')}`);
    return p;
  }

  /** Several ids separated by commas, in the order given; an id given twice is planned once. */
  getList(ids: string, what = '--platform'): Platform[] {
    const list = [
      ...new Set(
        ids
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      ),
    ];
    if (list.length === 0)
      throw inputError(
        `${what}: "${ids}" names no platform`,
        `give one or more of ${this.ids().join(', ')}, comma-separated`,
      );
    return list.map((id) => this.get(id, what));
  }

  static withFiles(paths: readonly string[]): PlatformRegistry {
    return new PlatformRegistry(paths.flatMap(loadPlatformFile));
  }
}

/** A YAML file with one or more `rightsizer.platform/v1` documents (or a list of them). */
export function loadPlatformFile(path: string): Platform[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw inputError(
      `${path}: cannot read the platform file`,
      'give a YAML file with schema rightsizer.platform/v1',
    );
  }
  const out: Platform[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw inputError(yamlSyntaxError(doc.errors[0]!, path));
    const value: unknown = doc.toJS();
    if (value == null) continue;
    for (const [i, item] of (Array.isArray(value) ? value : [value]).entries()) {
      const parsed = PlatformSchema.safeParse(item);
      const where = Array.isArray(value) ? `[${i}]` : '';
      if (!parsed.success) {
        throw inputError(
          `${path}${where}: ${formatZodError(parsed.error)}`,
          'see "Platform files" in the README',
        );
      }
      if (allowedSizes(parsed.data).length === 0)
        throw inputError(
          `${path}${where}: platform ${parsed.data.id} allows no (memory, vCPU) size`,
          'check memoryMB, cpu.vcpu and the MB-per-vCPU bounds against each other',
        );
      out.push(parsed.data);
    }
  }
  if (out.length === 0)
    throw inputError(`${path}: no platform in the file`, 'expected schema rightsizer.platform/v1');
  return out;
}
