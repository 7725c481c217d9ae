/**
 * The userspace device mapper: runs a table (sorted targets) as a BlockDevice, the role the kernel's
 * device-mapper plays. The target of an offset is found by binary search; a request spanning targets is
 * split at target ends, and each target splits it further across stripe chunks (one large I/O per stripe).
 * Adjacent linear targets that are contiguous on one device are joined into one. Requests are cut into
 * pieces of at most `maxIo` bytes, so memory stays bounded whatever the size of the device or request.
 */
import { LvmkitError } from '../errors.js';
import type { BlockDevice } from '../devices/block-device.js';
import { checkAccess } from '../devices/range.js';
import { SECTOR, type IoContext, type Scratch, type Target } from '../segtypes/target.js';
import { linearTarget } from '../segtypes/striped.js';

export interface MapperOptions {
  /** Largest single piece of I/O, in bytes (default 8 MiB). */
  maxIo?: number;
  readOnly?: boolean;
}

export const DEFAULT_MAX_IO = 8 * 1024 * 1024;

/** One buffer per request in flight, reused by the next request. */
class ScratchPool {
  private free: Uint8Array[] = [];
  take(): Scratch & { buf?: Uint8Array } {
    const pool = this;
    const s: Scratch & { buf?: Uint8Array } = {
      get(size: number) {
        if (!s.buf || s.buf.length < size) s.buf = pool.free.pop();
        if (!s.buf || s.buf.length < size) s.buf = new Uint8Array(size);
        return s.buf;
      },
    };
    return s;
  }
  give(s: { buf?: Uint8Array }): void {
    if (s.buf && this.free.length < 4) this.free.push(s.buf);
    s.buf = undefined;
  }
}

export class DmMapper implements BlockDevice {
  readonly size: number;
  readonly readOnly: boolean;
  readonly maxIo: number;
  /** The targets as given (the table). */
  readonly targets: readonly Target[];
  /** Targets as run (adjacent contiguous linear targets joined). */
  private readonly run: Target[];
  /**
   * Byte start of each target of `run`, for the binary search (a plain array: a VG of 10,000 LVs makes
   * 10,000 mappers, and a typed array each costs more to make and collect than the search gains).
   */
  private readonly starts: number[];
  private readonly pool = new ScratchPool();

  constructor(readonly name: string, targets: readonly Target[], options: MapperOptions = {}) {
    const sorted = [...targets].sort((a, b) => a.start - b.start);
    this.targets = sorted;
    this.size = checkTable(name, sorted);
    this.maxIo = Math.max(SECTOR, Math.floor((options.maxIo ?? DEFAULT_MAX_IO) / SECTOR) * SECTOR);
    this.readOnly = options.readOnly ?? false;
    this.run = joinLinear(sorted);
    this.starts = this.run.map((t) => t.start * SECTOR);
  }

  /** Index (in the joined list) of the target holding byte `offset`: binary search. */
  private find(offset: number): number {
    const s = this.starts;
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (s[mid] <= offset) lo = mid; else hi = mid - 1;
    }
    return lo;
  }

  /** The target (as given in the table) holding byte `offset`. */
  targetAt(offset: number): Target {
    let lo = 0;
    let hi = this.targets.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.targets[mid].start * SECTOR <= offset) lo = mid; else hi = mid - 1;
    }
    return this.targets[lo];
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    const buf = new Uint8Array(length);
    await this.readInto(offset, buf);
    return buf;
  }

  readInto(offset: number, buf: Uint8Array): Promise<void> {
    checkAccess(this, offset, buf.length, 'read');
    return this.io(offset, buf, false);
  }

  write(offset: number, data: Uint8Array): Promise<void> {
    if (this.readOnly) {
      throw new LvmkitError('EDEVICE_IO', `${this.name}: cannot write at offset ${offset}: device is read-only`, { file: this.name, offset });
    }
    checkAccess(this, offset, data.length, 'write');
    return this.io(offset, data, true);
  }

  private io(offset: number, buf: Uint8Array, write: boolean): Promise<void> {
    return this.walk(offset, buf, (t, at, piece, ctx) => (write ? t.kind.write(t, at, piece, ctx) : t.kind.read(t, at, piece, ctx)));
  }

  /**
   * Zero-copy read for copying out: the bytes [offset, offset + space.length) are read into `space` (one
   * large read per device and stripe) and returned as views of it in the device's byte order, ready for
   * a gathering write (pwritev). The views are valid until `space` is reused.
   */
  async readv(offset: number, space: Uint8Array): Promise<Uint8Array[]> {
    checkAccess(this, offset, space.length, 'read');
    const out: Uint8Array[] = [];
    await this.walk(offset, space, async (t, at, piece, ctx) => {
      if (t.kind.readv) return t.kind.readv(t, at, piece, out);
      await t.kind.read(t, at, piece, ctx);
      const last = out[out.length - 1];
      // Consecutive pieces that are consecutive in `space` become one view.
      if (last && last.buffer === piece.buffer && last.byteOffset + last.length === piece.byteOffset) {
        out[out.length - 1] = new Uint8Array(piece.buffer, last.byteOffset, last.length + piece.length);
      } else {
        out.push(piece);
      }
    });
    return out;
  }

  /**
   * The bytes [offset, offset + buf.length) piece by piece, in order: each piece lies in one target (found
   * by binary search once, then followed) and is at most maxIo bytes; `fn` gets the target, the offset in
   * it and the piece of `buf`. A scratch buffer from the pool is lent for the whole walk.
   */
  private async walk(offset: number, buf: Uint8Array,
    fn: (t: Target, at: number, piece: Uint8Array, ctx: IoContext) => Promise<void>): Promise<void> {
    const len = buf.length;
    if (len === 0) return;
    const scratch = this.pool.take();
    const ctx: IoContext = { name: this.name, scratch };
    try {
      let done = 0;
      let i = this.find(offset);
      while (done < len) {
        const pos = offset + done;
        let t = this.run[i];
        let tEnd = (t.start + t.length) * SECTOR;
        if (pos >= tEnd) { i++; t = this.run[i]; tEnd = (t.start + t.length) * SECTOR; }
        const n = Math.min(len - done, tEnd - pos, this.maxIo);
        await fn(t, pos - t.start * SECTOR, n === len ? buf : buf.subarray(done, done + n), ctx);
        done += n;
      }
    } finally {
      this.pool.give(scratch);
    }
  }

  /** Sync every device under the table. */
  async sync(): Promise<void> {
    const seen = new Set<BlockDevice>();
    for (const t of this.targets) for (const a of t.areas) seen.add(a.device.io);
    for (const d of seen) await d.sync();
  }

  /** The mapper does not own the devices under it: closing it closes nothing. */
  async close(): Promise<void> {}
}

/**
 * Size in bytes of a table sorted by start, or EVALIDATE when it has a gap, an overlap or an empty target
 * (what the DmMapper constructor checks, for compiling tables without making their mappers yet).
 */
export function checkTable(name: string, sorted: readonly Target[]): number {
  let pos = 0;
  for (const t of sorted) {
    if (t.start !== pos || !(t.length > 0)) {
      throw new LvmkitError('EVALIDATE', `${name}: table is not contiguous: target at sector ${t.start} (length ${t.length}) where sector ${pos} was expected`);
    }
    pos += t.length;
  }
  return pos * SECTOR;
}

/** Adjacent linear targets continuing on the same device are joined: one large I/O across them. */
function joinLinear(targets: Target[]): Target[] {
  const out: Target[] = [];
  for (const t of targets) {
    const prev = out[out.length - 1];
    if (prev && prev.kind === linearTarget && t.kind === linearTarget
        && prev.areas[0].device.io === t.areas[0].device.io
        && prev.areas[0].offset + prev.length === t.areas[0].offset) {
      out[out.length - 1] = { ...prev, length: prev.length + t.length };
    } else {
      out.push(t);
    }
  }
  return out;
}
