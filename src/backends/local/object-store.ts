/**
 * The local backend's object store: a folder (by default `<workflow dir>/.rightsizer/store/`)
 * where a key is a relative, `/`-separated path. Keys come from user stage code, so a key that
 * could reach outside the root (`..`, absolute, backslash, NUL, empty segments) is refused
 * before any file is touched — the store must never become a way to write anywhere on disk.
 */
import { mkdir, open, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { RightsizerError } from '../../core/errors.js';

export interface ObjectInfo {
  key: string;
  bytes: number;
}

/** A byte range of an object, `end` exclusive. */
export interface ByteRange {
  start: number;
  end: number;
}

/** The folder a workflow's local objects live in. */
export function defaultStoreRoot(workflowDir: string): string {
  return join(workflowDir, '.rightsizer', 'store');
}

/** Throws unless `key` is a plain relative path that stays inside the store. */
export function checkKey(key: string): void {
  const bad = (why: string): never => {
    throw new RightsizerError(
      'input',
      `object key ${JSON.stringify(key)}: ${why}`,
      'use a relative key like "out/part-0"',
    );
  };
  if (typeof key !== 'string' || key.length === 0) bad('is empty');
  if (key.includes('\0')) bad('contains NUL');
  // A backslash is a separator on Windows and an odd character everywhere else: refuse both readings.
  if (key.includes('\\')) bad('contains a backslash');
  if (key.startsWith('/')) bad('is absolute');
  if (/^[A-Za-z]:/.test(key)) bad('is absolute');
  for (const part of key.split('/')) {
    if (part === '..' || part === '.') bad(`has a "${part}" segment`);
  }
  if (key.endsWith('/')) bad('ends with "/"');
  if (key.split('/').includes('')) bad('has an empty segment');
}

/** A key prefix may be empty or end in "/"; otherwise the same rules as a key. */
function checkPrefix(prefix: string): void {
  if (prefix === '') return;
  checkKey(prefix.endsWith('/') ? prefix.slice(0, -1) : prefix);
}

export class FsObjectStore {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  /** The file behind a key; refuses keys that leave the root, and checks the result once more. */
  pathOf(key: string): string {
    checkKey(key);
    const path = resolve(this.root, ...key.split('/'));
    if (!path.startsWith(this.root + sep))
      throw new RightsizerError('input', `object key ${JSON.stringify(key)}: escapes the store`);
    return path;
  }

  async read(key: string, range?: ByteRange): Promise<Buffer> {
    const path = this.pathOf(key);
    if (!range) {
      const fh = await open(path, 'r');
      try {
        return await fh.readFile();
      } finally {
        await fh.close();
      }
    }
    const length = Math.max(0, range.end - range.start);
    const fh = await open(path, 'r');
    try {
      const buf = Buffer.allocUnsafe(length);
      let got = 0;
      while (got < length) {
        const { bytesRead } = await fh.read(buf, got, length - got, range.start + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      return got === length ? buf : buf.subarray(0, got);
    } finally {
      await fh.close();
    }
  }

  /** Writes atomically (temp file + rename), so a reader never sees half an object. */
  async write(key: string, data: Uint8Array | string): Promise<number> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    const tmp = `${path}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
    await writeFile(tmp, data);
    await rename(tmp, path);
    return typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength;
  }

  async size(key: string): Promise<number> {
    return (await stat(this.pathOf(key))).size;
  }

  async exists(key: string): Promise<boolean> {
    try {
      return (await stat(this.pathOf(key))).isFile();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw e;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  /** Every object whose key starts with `prefix`, sorted by key, with its size. */
  async list(prefix = ''): Promise<ObjectInfo[]> {
    checkPrefix(prefix);
    // Walk only the deepest folder the prefix names, not the whole store.
    const slash = prefix.lastIndexOf('/');
    const dirKey = slash < 0 ? '' : prefix.slice(0, slash);
    const out: ObjectInfo[] = [];
    const walk = async (dir: string, keyDir: string): Promise<void> => {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw e;
      }
      for (const entry of entries) {
        const key = keyDir === '' ? entry.name : `${keyDir}/${entry.name}`;
        if (entry.isDirectory()) await walk(join(dir, entry.name), key);
        else if (entry.isFile() && key.startsWith(prefix) && !entry.name.includes('.tmp-'))
          out.push({ key, bytes: (await stat(join(dir, entry.name))).size });
      }
    };
    await walk(dirKey === '' ? this.root : join(this.root, ...dirKey.split('/')), dirKey);
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /** Removes every object under `prefix` (a non-empty prefix ending in "/"). */
  async deletePrefix(prefix: string): Promise<void> {
    if (!prefix.endsWith('/'))
      throw new RightsizerError('input', `deletePrefix: "${prefix}" must end with "/"`);
    checkPrefix(prefix);
    await rm(join(this.root, ...prefix.slice(0, -1).split('/')), { recursive: true, force: true });
  }
}
