import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FsObjectStore, checkKey } from '../../../src/backends/local/object-store.js';
import { tempDir } from './helpers.js';

describe('FsObjectStore', () => {
  let cleanup = (): void => undefined;
  afterEach(() => cleanup());

  function store(): { s: FsObjectStore; dir: string } {
    const t = tempDir();
    cleanup = t.cleanup;
    return { s: new FsObjectStore(join(t.dir, 'store')), dir: t.dir };
  }

  it('writes, reads (whole and ranges), sizes, lists by prefix and deletes', async () => {
    const { s } = store();
    await s.write('a/x', 'hello world');
    await s.write('a/y/z', Buffer.from([1, 2, 3]));
    await s.write('b', 'other');
    expect((await s.read('a/x')).toString()).toBe('hello world');
    expect((await s.read('a/x', { start: 6, end: 11 })).toString()).toBe('world');
    expect(await s.size('a/y/z')).toBe(3);
    expect(await s.list('a/')).toEqual([
      { key: 'a/x', bytes: 11 },
      { key: 'a/y/z', bytes: 3 },
    ]);
    expect((await s.list('')).map((o) => o.key)).toEqual(['a/x', 'a/y/z', 'b']);
    expect((await s.list('a/y')).map((o) => o.key)).toEqual(['a/y/z']);
    await s.delete('a/x');
    expect(await s.exists('a/x')).toBe(false);
    expect(await s.list('nothing/')).toEqual([]);
  });

  it.each([
    ['..', 'a ".." segment'],
    ['../outside', 'a ".." segment'],
    ['a/../../outside', 'a ".." segment'],
    ['/etc/passwd', 'absolute'],
    ['C:/x', 'absolute'],
    ['a\\..\\..\\x', 'backslash'],
    ['a\0b', 'NUL'],
    ['', 'empty'],
    ['a//b', 'empty segment'],
    ['./a', '"." segment'],
    ['a/', 'ends with'],
  ])('refuses the escaping or malformed key %j', async (key, why) => {
    const { s, dir } = store();
    expect(() => checkKey(key)).toThrow(why);
    await expect(s.write(key, 'x')).rejects.toThrow(why);
    await expect(s.read(key)).rejects.toThrow(why);
    await expect(s.delete(key)).rejects.toThrow(why);
    expect(existsSync(join(dir, 'outside'))).toBe(false);
  });

  it('refuses an escaping list prefix', async () => {
    const { s } = store();
    await expect(s.list('../')).rejects.toThrow('".." segment');
  });
});
