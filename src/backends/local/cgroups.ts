/**
 * Per-worker cgroups, v2 or v1 as this machine mounts them (found in /proc/self/mounts at run
 * time). A worker's group caps its memory (the kernel OOM-kills past it, and counts the kill) and
 * its CPU share (CFS quota per period: vcpu 0.5 = 50 ms of CPU per 100 ms), and gives the
 * accounting the backend reports: peak memory, OOM kills, CPU time and throttling.
 *
 * Groups live under `<controller root>/rightsizer/<owner pid>.<owner start time>-<n>`, so a later
 * rightsizer can tell groups of a dead owner (kill -9) from those of a live one and reap them.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isAlive, processStartTime } from './proc.js';

export type CgroupMode = 'cgroup-v1' | 'cgroup-v2';
export type IsolationMode = CgroupMode | 'rlimit-watchdog';

/** The parent folders worker groups are made in, one per controller hierarchy used. */
export interface CgroupSupport {
  mode: CgroupMode;
  /** v1: memory, cpu and (when mounted apart) cpuacct parents; v2: the one unified parent. */
  memoryParent: string;
  cpuParent: string;
  cpuacctParent: string | null;
}

export interface CgroupLimits {
  memoryBytes: number;
  vcpu: number;
}

export interface CgroupStats {
  oomKills: number;
  /** Peak memory charged to the group; null where the kernel does not report it (v2 < 5.19). */
  peakBytes: number | null;
  cpuUsageMs: number | null;
  nrThrottled: number | null;
  throttledMs: number | null;
}

/** CFS period: the kernel's default, 100 ms; the quota is vcpu × period. */
const CFS_PERIOD_US = 100_000;
/** The kernel refuses quotas under 1 ms. */
const CFS_MIN_QUOTA_US = 1_000;
const GROUP_ROOT = 'rightsizer';

interface Mount {
  type: string;
  dir: string;
  options: string[];
}

function mounts(): Mount[] {
  try {
    return readFileSync('/proc/self/mounts', 'utf8')
      .split('\n')
      .map((l) => l.split(' '))
      .filter((f) => f.length >= 4)
      .map((f) => ({ type: f[2]!, dir: f[1]!.replace(/\\040/g, ' '), options: f[3]!.split(',') }));
  } catch {
    return [];
  }
}

/** Whether we may make groups under `dir`: try to create (and keep) the rightsizer parent. */
function ensureParent(dir: string): string | null {
  const parent = join(dir, GROUP_ROOT);
  try {
    mkdirSync(parent, { recursive: true });
    return existsSync(join(parent, 'cgroup.procs')) ? parent : null;
  } catch {
    return null;
  }
}

/**
 * The cgroup hierarchy this process may use for workers, or null (absent, read-only, or not
 * root). v2 is preferred when its memory and cpu controllers are available.
 */
export function detectCgroups(): CgroupSupport | null {
  const all = mounts();
  for (const m of all.filter((x) => x.type === 'cgroup2')) {
    const v2 = detectV2(m.dir);
    if (v2) return v2;
  }
  const v1 = (controller: string): string | null =>
    all.find((m) => m.type === 'cgroup' && m.options.includes(controller))?.dir ?? null;
  const memDir = v1('memory');
  const cpuDir = v1('cpu');
  if (!memDir || !cpuDir) return null;
  if (!existsSync(join(memDir, 'memory.limit_in_bytes')) || !existsSync(join(cpuDir, 'cpu.cfs_quota_us')))
    return null;
  const memoryParent = ensureParent(memDir);
  const cpuParent = ensureParent(cpuDir);
  if (!memoryParent || !cpuParent) return null;
  const acctDir = v1('cpuacct');
  const cpuacctParent = acctDir === null || acctDir === cpuDir ? null : ensureParent(acctDir);
  return { mode: 'cgroup-v1', memoryParent, cpuParent, cpuacctParent };
}

function detectV2(dir: string): CgroupSupport | null {
  let controllers: string[];
  try {
    controllers = readFileSync(join(dir, 'cgroup.controllers'), 'utf8').trim().split(/\s+/);
  } catch {
    return null;
  }
  if (!controllers.includes('memory') || !controllers.includes('cpu')) return null;
  const parent = ensureParent(dir);
  if (!parent) return null;
  try {
    // Controllers reach a child only when every ancestor delegates them (cgroup v2 "no internal
    // processes" rule: our parent holds no processes, only worker groups).
    writeFileSync(join(dir, 'cgroup.subtree_control'), '+memory +cpu');
    writeFileSync(join(parent, 'cgroup.subtree_control'), '+memory +cpu');
  } catch {
    return null;
  }
  return { mode: 'cgroup-v2', memoryParent: parent, cpuParent: parent, cpuacctParent: null };
}

let ownerTag: string | null = null;
let sequence = 0;

/** `<pid>.<start time>`: unique to this process, and recognisable after it is gone. */
function owner(): string {
  ownerTag ??= `${process.pid}.${processStartTime(process.pid) ?? '0'}`;
  return ownerTag;
}

export class WorkerCgroup {
  readonly support: CgroupSupport;
  readonly dirs: string[];
  private readonly memoryDir: string;
  private readonly cpuDir: string;
  private readonly acctDir: string | null;

  private constructor(support: CgroupSupport, name: string) {
    this.support = support;
    this.memoryDir = join(support.memoryParent, name);
    this.cpuDir = join(support.cpuParent, name);
    this.acctDir = support.cpuacctParent ? join(support.cpuacctParent, name) : null;
    this.dirs = [...new Set([this.memoryDir, this.cpuDir, ...(this.acctDir ? [this.acctDir] : [])])];
  }

  static create(support: CgroupSupport, limits: CgroupLimits): WorkerCgroup {
    const g = new WorkerCgroup(support, `${owner()}-${++sequence}`);
    for (const d of g.dirs) mkdirSync(d);
    try {
      g.applyLimits(limits);
    } catch (e) {
      g.removeNow();
      throw e;
    }
    return g;
  }

  private applyLimits({ memoryBytes, vcpu }: CgroupLimits): void {
    const bytes = String(Math.floor(memoryBytes));
    const quota = String(Math.max(CFS_MIN_QUOTA_US, Math.round(vcpu * CFS_PERIOD_US)));
    if (this.support.mode === 'cgroup-v2') {
      writeFileSync(join(this.memoryDir, 'memory.max'), bytes);
      // No swap: a platform's memory limit is a hard wall, not a slowdown.
      tryWrite(join(this.memoryDir, 'memory.swap.max'), '0');
      writeFileSync(join(this.cpuDir, 'cpu.max'), `${quota} ${CFS_PERIOD_US}`);
      return;
    }
    writeFileSync(join(this.memoryDir, 'memory.limit_in_bytes'), bytes);
    // memsw (memory + swap) must be ≥ the memory limit; equal means no swap.
    tryWrite(join(this.memoryDir, 'memory.memsw.limit_in_bytes'), bytes);
    writeFileSync(join(this.cpuDir, 'cpu.cfs_period_us'), String(CFS_PERIOD_US));
    writeFileSync(join(this.cpuDir, 'cpu.cfs_quota_us'), quota);
  }

  /** The cgroup.procs files a process writes its pid to, to join every controller's group. */
  procsFiles(): string[] {
    return this.dirs.map((d) => join(d, 'cgroup.procs'));
  }

  pids(): number[] {
    const pids = new Set<number>();
    for (const d of this.dirs) for (const p of readPids(d)) pids.add(p);
    return [...pids];
  }

  stats(): CgroupStats {
    if (this.support.mode === 'cgroup-v2') {
      const events = keyValues(join(this.memoryDir, 'memory.events'));
      const cpu = keyValues(join(this.cpuDir, 'cpu.stat'));
      const peak = readNumber(join(this.memoryDir, 'memory.peak'));
      return {
        oomKills: events.oom_kill ?? 0,
        peakBytes: peak,
        cpuUsageMs: cpu.usage_usec === undefined ? null : cpu.usage_usec / 1000,
        nrThrottled: cpu.nr_throttled ?? null,
        throttledMs: cpu.throttled_usec === undefined ? null : cpu.throttled_usec / 1000,
      };
    }
    const oom = keyValues(join(this.memoryDir, 'memory.oom_control'));
    const cpu = keyValues(join(this.cpuDir, 'cpu.stat'));
    const usageNs = readNumber(join(this.acctDir ?? this.cpuDir, 'cpuacct.usage'));
    return {
      oomKills: oom.oom_kill ?? 0,
      peakBytes: readNumber(join(this.memoryDir, 'memory.max_usage_in_bytes')),
      cpuUsageMs: usageNs === null ? null : usageNs / 1e6,
      nrThrottled: cpu.nr_throttled ?? null,
      throttledMs: cpu.throttled_time === undefined ? null : cpu.throttled_time / 1e6,
    };
  }

  /** SIGKILLs every process in the group, children that left the process group included. */
  async kill(): Promise<void> {
    await killGroupDirs(this.dirs, this.support.mode);
  }

  /** Kills what is left, then removes the group's folders. */
  async remove(): Promise<void> {
    await this.kill();
    for (let attempt = 0; attempt < 50; attempt++) {
      if (this.removeNow()) return;
      await sleep(20);
    }
  }

  /** Removes the empty folders; false while the kernel still holds a process in them. */
  private removeNow(): boolean {
    let done = true;
    for (const d of this.dirs) {
      try {
        rmdirSync(d);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') done = false;
      }
    }
    return done;
  }
}

async function killGroupDirs(dirs: readonly string[], mode: CgroupMode): Promise<void> {
  if (mode === 'cgroup-v2') for (const d of dirs) tryWrite(join(d, 'cgroup.kill'), '1');
  // Repeat: a process may fork between reading cgroup.procs and the kill.
  for (let attempt = 0; attempt < 100; attempt++) {
    const pids = new Set(dirs.flatMap(readPids));
    if (pids.size === 0) return;
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    await sleep(10);
  }
}

/**
 * Kills and removes worker groups whose owner is gone (a rightsizer killed with -9 cannot clean
 * up after itself). Groups of live owners — other rightsizer processes — are left alone.
 * Returns how many groups were reaped.
 */
export async function reapStaleCgroups(support: CgroupSupport): Promise<number> {
  const parents = [
    ...new Set([
      support.memoryParent,
      support.cpuParent,
      ...(support.cpuacctParent ? [support.cpuacctParent] : []),
    ]),
  ];
  const stale = new Set<string>();
  for (const parent of parents) {
    let names: string[];
    try {
      names = readdirSync(parent, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => e.name);
    } catch {
      continue;
    }
    for (const name of names) {
      const m = /^(\d+)\.(\d+)-\d+$/.exec(name);
      if (!m) continue;
      const pid = Number(m[1]);
      if (!isAlive(pid) || processStartTime(pid) !== m[2]) stale.add(name);
    }
  }
  for (const name of stale) {
    const dirs = parents.map((p) => join(p, name)).filter((d) => existsSync(d));
    await killGroupDirs(dirs, support.mode);
    for (let attempt = 0; attempt < 50; attempt++) {
      let left = 0;
      for (const d of dirs) {
        try {
          rmdirSync(d);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'ENOENT') left++;
        }
      }
      if (left === 0) break;
      await sleep(20);
    }
  }
  return stale.size;
}

function readPids(dir: string): number[] {
  try {
    return readFileSync(join(dir, 'cgroup.procs'), 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map(Number);
  } catch {
    return [];
  }
}

function readNumber(path: string): number | null {
  try {
    const n = Number(readFileSync(path, 'utf8').trim());
    return Number.isFinite(n) ? n : null;
  } catch {
    return null;
  }
}

/** "key value" lines (memory.events, cpu.stat, memory.oom_control) as numbers. */
function keyValues(path: string): Record<string, number | undefined> {
  const out: Record<string, number | undefined> = {};
  try {
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      const [k, v] = line.trim().split(/\s+/);
      if (k && v !== undefined && Number.isFinite(Number(v))) out[k] = Number(v);
    }
  } catch {
    // Missing file: no counters.
  }
  return out;
}

function tryWrite(path: string, value: string): void {
  try {
    writeFileSync(path, value);
  } catch {
    // Optional knob (no swap accounting, older kernel): the limit that matters is already set.
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
