import { describe, expect, it } from 'vitest';
import {
  PlatformRegistry,
  allowedSizes,
  allowedWorkers,
  isAllowedSize,
  resolveVcpu,
} from '../../src/platforms/index.js';
import { loadPlatformFile } from '../../src/platforms/index.js';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { platformYaml } from '../fixtures/platform-file.js';

const registry = new PlatformRegistry();

describe('platform resources', () => {
  it('AWS Lambda offers every MB from 128 to 10,240 with 1 vCPU per 1,769 MB', () => {
    const p = registry.get('aws-lambda-x86');
    const sizes = allowedSizes(p);
    expect(sizes).toHaveLength(10_113);
    expect(sizes[0]).toEqual({ memoryMB: 128, vcpu: 128 / 1769 });
    expect(resolveVcpu(p, 3009)).toBeCloseTo(3009 / 1769, 12);
    expect(isAllowedSize(p, 3009, 3009 / 1769)).toBe(true);
    expect(isAllowedSize(p, 127, 0.1)).toBe(false);
    expect(allowedWorkers(p)).toHaveLength(1000);
  });

  it('narrows by the stage space: ranges, lists and maxWorkers', () => {
    const p = registry.get('aws-lambda-x86');
    expect(allowedSizes(p, { memoryMB: { min: 1000, max: 1009 } }).map((s) => s.memoryMB)).toEqual([
      1000, 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009,
    ]);
    expect(allowedSizes(p, { memoryMB: [512, 2048] }).map((s) => s.memoryMB)).toEqual([512, 2048]);
    // A listed size beyond the platform's range is not one it can run.
    expect(allowedSizes(p, { memoryMB: [100, 2048, 20_000] }).map((s) => s.memoryMB)).toEqual([2048]);
    // …nor one a platform that lists its sizes does not list.
    const listed = { ...p, memoryMB: [512, 1024, 2048] };
    expect(allowedSizes(listed, { memoryMB: [768, 1024] }).map((s) => s.memoryMB)).toEqual([1024]);
    expect(allowedWorkers(p, { workers: { min: 4, max: 8 } })).toEqual([4, 5, 6, 7, 8]);
    expect(allowedWorkers(p, { workers: [16, 4, 8] }, 8)).toEqual([4, 8]);
    expect(allowedWorkers(p, undefined, 1)).toEqual([1]);
  });

  it('Cloud Run pairs follow its minimums (memory > 4 GiB needs 2 vCPU, < 1 vCPU caps memory at 512 MiB)', () => {
    const p = registry.get('gcp-cloud-run');
    const sizes = allowedSizes(p);
    expect(sizes.some((s) => s.memoryMB === 8192 && s.vcpu === 1)).toBe(false);
    expect(sizes.some((s) => s.memoryMB === 8192 && s.vcpu === 2)).toBe(true);
    expect(sizes.some((s) => s.vcpu < 1 && s.memoryMB > 512)).toBe(false);
    expect(resolveVcpu(p, 512)).toBe(0.25);
  });

  it('k8s keeps memory per vCPU within its bounds', () => {
    const p = registry.get('k8s');
    for (const s of allowedSizes(p)) {
      expect(s.memoryMB / s.vcpu).toBeGreaterThanOrEqual(1024);
      expect(s.memoryMB / s.vcpu).toBeLessThanOrEqual(6.5 * 1024);
    }
  });

  it('every built-in platform lists each memory value once', () => {
    for (const id of registry.ids()) {
      const m = registry.get(id).memoryMB;
      if (Array.isArray(m)) expect(new Set(m).size, id).toBe(m.length);
    }
  });

  it('a platform file adds a platform and reports a bad field with its path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rs-platform-'));
    const good = join(dir, 'good.yaml');
    writeFileSync(good, platformYaml('my-faas'));
    const [p] = loadPlatformFile(good);
    expect(p!.id).toBe('my-faas');
    expect(allowedSizes(p!)).toHaveLength(16);
    expect(PlatformRegistry.withFiles([good]).get('my-faas').prices.perRequest).toBe(0);
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'id: x\ndate: d\nsources: [s]\nmemoryMB: { min: 128 }\n');
    expect(() => loadPlatformFile(bad)).toThrow(/bad\.yaml: memoryMB/);
    // Fields that each parse but offer nothing together are refused at load, not at planning.
    const text = readFileSync(good, 'utf8');
    const inverted = join(dir, 'inverted.yaml');
    writeFileSync(inverted, text.replace('min: 256, max: 4096', 'min: 4096, max: 256'));
    expect(() => loadPlatformFile(inverted)).toThrow(/inverted\.yaml: memoryMB: min must not exceed max/);
    const empty = join(dir, 'empty.yaml');
    writeFileSync(
      empty,
      text.replace(
        'cpu: { kind: proportional, mbPerVcpu: 1024 }',
        'cpu: { kind: independent, vcpu: [8], minMBPerVcpu: 1024 }',
      ),
    );
    expect(() => loadPlatformFile(empty)).toThrow(
      /empty\.yaml: platform my-faas allows no \(memory, vCPU\) size/,
    );
    expect(() => registry.get('nope')).toThrow(
      expect.objectContaining({
        message: '--platform: unknown platform "nope"',
        hint: expect.stringMatching(/aws-lambda-x86/),
      }),
    );
  });
});
