/**
 * `lvmkit dump VG/LV -o OUT` and `lvmkit dump VG --outdir DIR`: the bytes of LVs, read through the
 * userspace mapper, into files (or stdout). A file is written under a temporary name in its directory and
 * renamed at the end (after an fsync with `sync`), so a failed dump never leaves a file that looks complete.
 * `sparse` leaves all-zero 4 KiB blocks as holes; `partial` maps extents on missing PVs to zeros and lists
 * them. Reads run in libuv's thread pool while the previous block is written (to a regular file:
 * synchronously, in pieces of WRITE_PIECE bytes, so the calling thread is the writer). Node-only.
 */
import { writeSync, writevSync } from 'node:fs';
import { lstat, mkdir, open, realpath, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { LvmkitError } from '../errors.js';
import type { BlockDevice } from '../devices/block-device.js';
import type { CompiledLv, MissingRange } from '../dm/table.js';
import { compileLv } from '../dm/table.js';
import { DEFAULT_MAX_IO, DmMapper } from '../dm/mapper.js';
import type { LogicalVolume } from '../model/types.js';
import { findVg } from './change.js';
import type { CommandOutput } from './output.js';
import type { Progress } from './progress.js';
import { scanDevices, type ScanOptions } from './scan.js';
import { compileOptions, findLv, parseLvName } from './table.js';

export const DUMP_BLOCK = 8 * 1024 * 1024;
/** The first block: small, so that the writer starts soon; each next block is twice as large, up to blockSize. */
const FIRST_BLOCK = 1024 * 1024;
const SPARSE_BLOCK = 4096;

export interface DumpCommandOptions {
  devices: string[];
  deviceNames?: string[];
  /** VG/LV, or VG (with outdir). */
  name: string;
  /** Output file, or "-" for `stdout`. */
  output?: string;
  /** Directory for DIR/LV.img. */
  outdir?: string;
  sparse?: boolean;
  /**
   * fsync each output file before it gets its name (as `dd conv=fsync`): then OUT is on the disk even after
   * a power cut. Without it the bytes may still be in the page cache when the command ends, as with cp or cat;
   * a full disk is still reported (write() fails), and a failed dump still leaves nothing at OUT.
   */
  sync?: boolean;
  /** Dump what exists when PVs are missing, zeros for the rest. */
  partial?: boolean;
  /** Where "-" writes (default process.stdout). */
  stdout?: NodeJS.WritableStream;
  /** A progress reporter per LV (e.g. progressBar). */
  progress?: (label: string, total: number) => Progress;
  /** Bytes per read (default 8 MiB). */
  blockSize?: number;
  /** Wrap each opened image (fault injection in tests: see ScanOptions.wrapDevice). */
  wrapDevice?: ScanOptions['wrapDevice'];
}

export interface DumpedLv {
  lv: string;
  /** The file written ("-" for stdout). */
  path: string;
  bytes: number;
  missing: MissingRange[];
}

export interface DumpResult extends CommandOutput {
  dumped: DumpedLv[];
}

/** Where one block of the copy goes: `views` (in order) hold the bytes from `pos` on. */
export type Sink = (views: Uint8Array[], pos: number) => Promise<void>;

export interface CopyOptions {
  blockSize?: number;
  progress?: Progress;
  /** The sink needs each block as one contiguous view (default: views of stripes as read, no copy). */
  contiguous?: boolean;
}

/**
 * Copy all of `src` to `sink` in blocks of `blockSize` bytes, reading the next block while the previous
 * one is written (two buffers, reused: memory does not grow with the size of `src`). From a mapper, a
 * block comes as views of one large read per stripe (no copy), in the LV's byte order.
 * The first block is small (the writer starts early), the next ones twice as large, up to blockSize. The
 * next block's read is queued before the sink is called: a sink that writes synchronously (dump's sink
 * for regular files, see regularFileSink) then writes while the read runs in libuv's thread pool.
 */
export async function copyDevice(src: BlockDevice, sink: Sink, o: CopyOptions = {}): Promise<void> {
  const size = src.size;
  if (size === 0) return;
  const bs = Math.min(o.blockSize ?? DUMP_BLOCK, size);
  // Not zero-filled (a calloc of this size may memset it): every byte is read into before it is used.
  const bufs = [new Uint8Array(Buffer.allocUnsafeSlow(bs).buffer, 0, bs), new Uint8Array(Buffer.allocUnsafeSlow(bs).buffer, 0, bs)];
  const gather = !o.contiguous && src instanceof DmMapper ? src : undefined;
  // A read or write in flight may fail while the other is awaited: mark it handled at once (it is awaited,
  // and its error thrown, later), or Node reports an unhandled rejection and the CLI dies with a stack trace.
  const readBlock = (pos: number, space: Uint8Array): Promise<Uint8Array[]> =>
    handled(gather ? gather.readv(pos, space) : src.readInto(pos, space).then(() => [space]));
  let i = 0;
  let pos = 0;
  let want = Math.min(bs, FIRST_BLOCK);
  let n = Math.min(want, size);
  let reading: Promise<Uint8Array[]> | undefined = readBlock(0, bufs[0].subarray(0, n));
  let writing: Promise<void> | undefined;
  try {
    while (pos < size) {
      const views: Uint8Array[] = await reading!;
      await writing;
      writing = undefined;
      const next = pos + n;
      want = Math.min(bs, want * 2);
      n = Math.min(want, size - next);
      reading = next < size ? readBlock(next, bufs[1 - i].subarray(0, n)) : undefined;
      writing = handled(sink(views, pos));
      pos = next;
      i = 1 - i;
      o.progress?.update(pos);
    }
    await writing;
  } catch (e) {
    await Promise.allSettled([reading, writing]);
    throw e;
  }
}

/** `p`, marked as handled so that its rejection before it is awaited is no unhandled rejection. */
export function handled<T>(p: Promise<T>): Promise<T> {
  p.catch(() => {});
  return p;
}

const ZERO = new Uint8Array(SPARSE_BLOCK);

function isZero(b: Uint8Array): boolean {
  return Buffer.compare(b, b.length === SPARSE_BLOCK ? ZERO : ZERO.subarray(0, b.length)) === 0;
}

/** An errno as shown in messages, spelled out for the ones a user can act on (a full disk above all). */
export function describeErrno(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOSPC': return 'ENOSPC (no space left on device)';
    case 'EDQUOT': return 'EDQUOT (disk quota exceeded)';
    case 'EFBIG': return 'EFBIG (file too large)';
    case 'EROFS': return 'EROFS (read-only file system)';
    case undefined: return (e as Error).message;
    default: return code;
  }
}

/** A failure of the output file as one clear LvmkitError (errors that already are one pass through). */
function outputError(name: string, what: string, offset: number | undefined, e: unknown): LvmkitError {
  if (e instanceof LvmkitError) return e;
  const at = offset === undefined ? '' : ` at offset ${offset}`;
  return new LvmkitError('EDEVICE_IO', `${name}: ${what} failed${at}: ${describeErrno(e)}`, { file: name, offset, cause: e });
}

/** The part of `views` left after the first `n` bytes of them were written. */
function viewsAfter(views: Uint8Array[], n: number): Uint8Array[] {
  let i = 0;
  while (i < views.length && n >= views[i].length) n -= views[i++].length;
  if (i === views.length) return [];
  return n > 0 ? [views[i].subarray(n), ...views.slice(i + 1)] : views.slice(i);
}

function noProgress(name: string, at: number): LvmkitError {
  return new LvmkitError('EDEVICE_IO', `${name}: write at offset ${at} made no progress`, { file: name, offset: at });
}

/** pwritev of all the views at `pos`, again with the rest while the kernel writes less. */
async function writevAll(fh: FileHandle, name: string, views: Uint8Array[], pos: number): Promise<void> {
  let rest = views;
  let at = pos;
  while (rest.length) {
    let n: number;
    try {
      n = (rest.length === 1 ? await fh.write(rest[0], 0, rest[0].length, at) : await fh.writev(rest, at)).bytesWritten;
    } catch (e) {
      throw outputError(name, 'write', at, e);
    }
    if (n === 0) throw noProgress(name, at);
    at += n;
    rest = viewsAfter(rest, n);
  }
}

/**
 * Largest single write() into a regular output file. Larger writes let the kernel fill the new file's page
 * cache with large folios (up to 2 MiB each), whose allocation can cost many times the copy itself (seen on
 * a 6.x kernel in a VM: a dump's system time from 0.4 s up to 1.6 s per GiB with 1-16 MiB writes, a steady
 * 0.35 s with 64-256 KiB ones; `dd bs=16M` against `dd bs=128k` shows the same).
 */
export const WRITE_PIECE = 256 * 1024;

/** writev at `pos` until all of `views` is written (the kernel may write less than asked). */
function writevSyncAll(fd: number, name: string, views: Uint8Array[], pos: number): void {
  let rest = views;
  let at = pos;
  while (rest.length) {
    let n: number;
    try {
      n = rest.length === 1 ? writeSync(fd, rest[0], 0, rest[0].length, at) : writevSync(fd, rest, at);
    } catch (e) {
      throw outputError(name, 'write', at, e);
    }
    if (n === 0) throw noProgress(name, at);
    at += n;
    rest = viewsAfter(rest, n);
  }
}

/**
 * Write `views` (in order, from `pos` on) with synchronous writes of at most WRITE_PIECE bytes each (small
 * views gathered into one writev): on the calling thread, so no thread-pool round trip per piece, while
 * the copy's next read runs in the pool.
 */
export function writePiecesSync(fd: number, name: string, views: Uint8Array[], pos: number): void {
  let batch: Uint8Array[] = [];
  let bytes = 0;
  let at = pos;
  for (const v of views) {
    for (let off = 0; off < v.length;) {
      const take = Math.min(v.length - off, WRITE_PIECE - bytes);
      batch.push(take === v.length ? v : v.subarray(off, off + take));
      bytes += take;
      off += take;
      if (bytes === WRITE_PIECE) {
        writevSyncAll(fd, name, batch, at);
        at += bytes;
        batch = [];
        bytes = 0;
      }
    }
  }
  if (bytes) writevSyncAll(fd, name, batch, at);
}

/** The sink of a regular output file: synchronous writes in pieces (see WRITE_PIECE); holes with `sparse`. */
function regularFileSink(fh: FileHandle, name: string, sparse: boolean): Sink {
  const fd = fh.fd;
  if (!sparse) return async (views, pos) => writePiecesSync(fd, name, views, pos);
  return async ([buf], pos) => {
    let runStart = -1;
    for (let b = 0; b <= buf.length; b += SPARSE_BLOCK) {
      const zero = b === buf.length || isZero(buf.subarray(b, Math.min(b + SPARSE_BLOCK, buf.length)));
      if (!zero && runStart < 0) runStart = b;
      if (zero && runStart >= 0) {
        writePiecesSync(fd, name, [buf.subarray(runStart, b)], pos + runStart);
        runStart = -1;
      }
    }
  };
}

/** The sink of a device or FIFO written in place: asynchronous writes (a FIFO may block for long). */
function fileSink(fh: FileHandle, name: string): Sink {
  return async (views, pos) => {
    try { await writevAll(fh, name, views, pos); } catch (e) { throw outputError(name, 'write', pos, e); }
  };
}

function streamSink(out: NodeJS.WritableStream): Sink {
  return (views) => new Promise<void>((ok, fail) => {
    const done = (e?: Error | null) => (e ? fail(new LvmkitError('EDEVICE_IO', `stdout: write failed: ${e.message}`, { cause: e })) : ok());
    for (let k = 0; k < views.length - 1; k++) out.write(views[k]);
    out.write(views[views.length - 1], done);
  });
}

/** The LV name as a file name inside `dir`, or an error when it could land anywhere else. */
export function outdirPath(dir: string, lvName: string): string {
  if (!lvName || lvName === '.' || lvName === '..' || /[/\\\0]/.test(lvName) || lvName.startsWith('.')) {
    throw new LvmkitError('EARGS', `LV name "${lvName}" cannot be used as a file name in ${dir}: refusing to write outside the directory`);
  }
  const root = resolve(dir);
  const path = resolve(root, `${lvName}.img`);
  if (dirname(path) !== root) throw new LvmkitError('EARGS', `LV name "${lvName}" would be written outside ${dir}: refusing`);
  return path;
}

/** Dump one compiled LV into `path` (temp file + rename), or into an existing device/FIFO in place. */
async function dumpToPath(c: CompiledLv, label: string, path: string, o: DumpCommandOptions, followLink: boolean): Promise<void> {
  let final = path;
  try {
    const l = await lstat(path);
    if (l.isSymbolicLink() && followLink) final = await realpath(path);
    const st = await stat(final).catch(() => undefined);
    if (st && st.isDirectory()) throw new LvmkitError('EARGS', `${path}: is a directory (use --outdir to dump into a directory)`);
    if (st && !st.isFile() && !(l.isSymbolicLink() && !followLink)) {
      // A block or character device, or a FIFO: write in place.
      if (o.sparse) throw new LvmkitError('EARGS', `${path}: --sparse needs a regular output file`);
      const fh = await openOut(final, st.isBlockDevice() ? 'r+' : 'w');
      try {
        await copyWithProgress(c, label, fileSink(fh, path), o);
        if (st.isBlockDevice()) await fh.sync().catch((e: unknown) => { throw outputError(path, 'sync', undefined, e); });
      } finally {
        await fh.close();
      }
      return;
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const tmp = join(dirname(final), `.${basename(final)}.lvmkit-${process.pid}-${tmpSuffix()}.tmp`);
  const fh = await openOut(tmp, 'wx');
  let ok = false;
  try {
    await copyWithProgress(c, label, regularFileSink(fh, path, !!o.sparse), o);
    if (o.sparse) await fh.truncate(c.device.size).catch((e: unknown) => { throw outputError(path, 'truncate', c.device.size, e); });
    // --sync: on the disk before the rename, so OUT never names a file with bytes missing even after a
    // power cut (and a write-back error shows up here at the latest).
    if (o.sync) await fh.sync().catch((e: unknown) => { throw outputError(path, 'sync', undefined, e); });
    await fh.close().catch((e: unknown) => { throw outputError(path, 'close', undefined, e); });
    await rename(tmp, final).catch((e: unknown) => { throw outputError(path, 'rename', undefined, e); });
    ok = true;
  } finally {
    if (!ok) {
      await fh.close().catch(() => {});
      await unlink(tmp).catch(() => {});
    }
  }
}

/**
 * 8 random hex digits for a temporary name (opened with O_EXCL, so a clash fails and never overwrites).
 * Math.random, not node:crypto: loading crypto costs the CLI milliseconds of start-up for nothing.
 */
function tmpSuffix(): string {
  return Math.floor(Math.random() * 0x100000000).toString(16).padStart(8, '0');
}

async function openOut(path: string, flags: string): Promise<FileHandle> {
  try {
    return await open(path, flags, 0o644);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw new LvmkitError('EDEVICE_OPEN', `${path}: cannot open for writing: ${code === 'error' ? code : describeErrno(e)}`, { file: path, cause: e });
  }
}

async function copyWithProgress(c: CompiledLv, label: string, sink: Sink, o: DumpCommandOptions): Promise<void> {
  const progress = o.progress?.(label, c.device.size);
  try {
    await copyDevice(c.device.mapper, sink, { blockSize: o.blockSize, progress, contiguous: !!o.sparse });
  } finally {
    progress?.finish();
  }
}

/** The missing ranges of a partial dump, one line each. */
export function describeMissing(vgName: string, lvName: string, m: MissingRange): string {
  const where = `${m.pv.id} (last written to ${m.pv.deviceHint ?? '[unknown]'})`;
  const range = `bytes ${m.start}-${m.end - 1} (sectors ${m.start / 512}-${m.end / 512 - 1})`;
  if (m.stripe) {
    return `${vgName}/${lvName}: stripe ${m.stripe.index + 1} of ${m.stripe.count} of ${range} (chunk ${m.stripe.index + 1} of every ${m.stripe.count} chunks of ${m.stripe.chunk} bytes) is on missing PV ${where}: written as zeros`;
  }
  return `${vgName}/${lvName}: ${range} are on missing PV ${where}: written as zeros`;
}

export async function dumpCommand(o: DumpCommandOptions): Promise<DumpResult> {
  const { vg: vgName, lv: lvName } = parseLvName(o.name);
  if (o.output !== undefined && o.outdir !== undefined) throw new LvmkitError('EARGS', 'give either -o/--output or --outdir, not both');
  if (lvName === undefined && o.outdir === undefined) throw new LvmkitError('EARGS', `dump of a whole VG (${vgName}) needs --outdir DIR (one file per LV: DIR/LV.img)`);
  if (lvName !== undefined && o.output === undefined && o.outdir === undefined) throw new LvmkitError('EARGS', `name the output: -o FILE, -o - (stdout) or --outdir DIR`);
  if (o.sparse && o.output === '-') throw new LvmkitError('EARGS', '--sparse needs an output file, not stdout');
  if (o.outdir !== undefined) {
    let st = await stat(o.outdir).catch(() => undefined);
    if (!st) {
      // A missing DIR is made (its parent must exist); an existing non-directory is refused.
      await mkdir(o.outdir).catch((e: NodeJS.ErrnoException) => {
        throw new LvmkitError('EARGS', `--outdir ${o.outdir}: cannot create the directory: ${e.code ?? e.message}`);
      });
      st = await stat(o.outdir);
    }
    if (!st.isDirectory()) throw new LvmkitError('EARGS', `--outdir ${o.outdir}: not a directory`);
  }
  const scan = await scanDevices(o.devices, { deviceNames: o.deviceNames, wrapDevice: o.wrapDevice });
  try {
    const sv = findVg(scan, vgName);
    const lvs: LogicalVolume[] = lvName !== undefined ? [findLv(sv, lvName)] : sv.vg.lvs.filter((l) => l.status.includes('VISIBLE'));
    const warnings = [...scan.warnings];
    const dumped: DumpedLv[] = [];
    const cache = new Map<string, CompiledLv>();
    let exitCode = 0;
    const compiled: CompiledLv[] = [];
    for (const lv of lvs) {
      try {
        // The mapper's largest I/O is the copy's block: one read per stripe and block.
        const mapper = { maxIo: Math.max(DEFAULT_MAX_IO, o.blockSize ?? DUMP_BLOCK) };
        compiled.push(compileLv(sv.vg, lv, compileOptions(sv, { partial: o.partial, filler: 'zero', mapper }), cache));
      } catch (e) {
        // A VG dump goes on with the other LVs (and fails at the end), as LVM2 does with several LVs.
        if (lvName !== undefined || !(e instanceof LvmkitError) || (e.code !== 'EUNSUPPORTED' && e.code !== 'EMISSING_PV')) throw e;
        warnings.push(e.message);
        exitCode = 5;
      }
    }
    if (o.outdir !== undefined) for (const c of compiled) outdirPath(o.outdir, c.lv.name);
    for (const c of compiled) {
      const label = `${sv.vg.name}/${c.lv.name}`;
      for (const m of c.missing) warnings.push(describeMissing(sv.vg.name, c.lv.name, m));
      if (o.output === '-') {
        await copyWithProgress(c, label, streamSink(o.stdout ?? process.stdout), o);
        dumped.push({ lv: label, path: '-', bytes: c.device.size, missing: c.missing });
      } else {
        const path = o.outdir !== undefined ? outdirPath(o.outdir, c.lv.name) : o.output!;
        await dumpToPath(c, label, path, o, o.outdir === undefined);
        dumped.push({ lv: label, path, bytes: c.device.size, missing: c.missing });
      }
    }
    if (o.partial && compiled.some((c) => c.missing.length)) warnings.unshift('PARTIAL MODE. Incomplete logical volumes will be processed.');
    return { stdout: '', warnings, dumped, exitCode };
  } finally {
    await scan.close();
  }
}
