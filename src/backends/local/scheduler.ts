/**
 * Admission of workers onto this machine: the vCPU shares of running workers sum to at most its
 * cores, and their memory limits to at most its RAM minus a margin. A worker that does not fit
 * waits, first come first served (no overtaking, so a large worker is never starved by small
 * ones) — these waits are the waves a run's makespan shows. A worker larger than the whole
 * machine runs alone.
 */
import { availableParallelism, totalmem } from 'node:os';
import { BYTES_PER_MB } from '../../core/units.js';

export interface Resources {
  vcpu: number;
  memoryMB: number;
}

/** RAM kept for the host, rightsizer itself and the page cache: 10 %, at least 512 MB. */
export function hostCapacity(): Resources {
  const ramMB = totalmem() / BYTES_PER_MB;
  return { vcpu: availableParallelism(), memoryMB: ramMB - Math.max(512, 0.1 * ramMB) };
}

interface Waiter {
  need: Resources;
  grant: (release: () => void) => void;
  reject: (reason: unknown) => void;
}

export class ResourcePool {
  readonly capacity: Resources;
  private used: Resources = { vcpu: 0, memoryMB: 0 };
  private running = 0;
  private readonly queue: Waiter[] = [];

  constructor(capacity: Resources = hostCapacity()) {
    this.capacity = capacity;
  }

  /** How many workers of this size run at once. */
  slots(size: Resources): number {
    return Math.max(
      1,
      Math.min(
        Math.floor(this.capacity.vcpu / size.vcpu + 1e-9),
        Math.floor(this.capacity.memoryMB / size.memoryMB),
      ),
    );
  }

  /** Resolves with a release function once the worker fits; rejects if `signal` aborts first. */
  acquire(size: Resources, signal?: AbortSignal): Promise<() => void> {
    const need = {
      vcpu: Math.min(size.vcpu, this.capacity.vcpu),
      memoryMB: Math.min(size.memoryMB, this.capacity.memoryMB),
    };
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { need, grant: resolve, reject };
      if (signal) {
        if (signal.aborted) return reject(signal.reason);
        signal.addEventListener(
          'abort',
          () => {
            const i = this.queue.indexOf(waiter);
            if (i >= 0) {
              this.queue.splice(i, 1);
              reject(signal.reason);
            }
          },
          { once: true },
        );
      }
      this.queue.push(waiter);
      this.pump();
    });
  }

  private fits(need: Resources): boolean {
    if (this.running === 0) return true;
    return (
      this.used.vcpu + need.vcpu <= this.capacity.vcpu + 1e-9 &&
      this.used.memoryMB + need.memoryMB <= this.capacity.memoryMB + 1e-9
    );
  }

  private pump(): void {
    while (this.queue.length > 0 && this.fits(this.queue[0]!.need)) {
      const w = this.queue.shift()!;
      this.used = { vcpu: this.used.vcpu + w.need.vcpu, memoryMB: this.used.memoryMB + w.need.memoryMB };
      this.running++;
      let released = false;
      w.grant(() => {
        if (released) return;
        released = true;
        this.used = { vcpu: this.used.vcpu - w.need.vcpu, memoryMB: this.used.memoryMB - w.need.memoryMB };
        this.running--;
        this.pump();
      });
    }
  }
}
