/**
 * `lvmkit load VG/LV -i IN` (or `-i -` for stdin): write a file's bytes into an LV through the userspace
 * mapper, e.g. a filesystem image made elsewhere with `mkfs.ext4 -d`. The images are opened read-write
 * only here, under the writers' lock; input larger than the LV is refused before anything is written
 * (for stdin, as soon as the excess arrives). Bytes of the LV past the end of the input are left as they
 * were. Node-only.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { LvmkitError } from '../errors.js';
import { compileLv } from '../dm/table.js';
import { TEST_MODE_NOTICE, withWritableScan, type WriteOptions } from './change.js';
import { handled } from './dump.js';
import { findVg } from './change.js';
import type { CommandOutput } from './output.js';
import type { Progress } from './progress.js';
import { compileOptions, findLv, parseLvName } from './table.js';

export const LOAD_BLOCK = 4 * 1024 * 1024;

export interface LoadCommandOptions {
  devices: string[];
  deviceNames?: string[];
  /** VG/LV */
  name: string;
  /** Input file, or "-" for `stdin`. */
  input: string;
  /** Where "-" reads (default process.stdin). */
  stdin?: AsyncIterable<Uint8Array | string>;
  progress?: (label: string, total: number) => Progress;
  blockSize?: number;
  /** Wrap each opened image (fault injection in tests: see WriteOptions.wrapDevice). */
  wrapDevice?: WriteOptions['wrapDevice'];
  /** --test: check everything (the LV, the input's size) and say what would be written; write nothing. */
  test?: boolean;
}

export interface LoadResult extends CommandOutput {
  /** Bytes written into the LV. */
  bytes: number;
  lvSize: number;
}

function tooLarge(input: string, what: string, label: string, lvSize: number, written: number): LvmkitError {
  return new LvmkitError('EARGS', `${input}: input is ${what} bytes, larger than LV ${label} (${lvSize} bytes): ${written ? `only the first ${written} bytes of the LV were written` : 'nothing was written'}`);
}

export async function loadCommand(o: LoadCommandOptions): Promise<LoadResult> {
  const { vg: vgName, lv: lvName } = parseLvName(o.name);
  if (lvName === undefined) throw new LvmkitError('EARGS', `load needs one LV: VG/LV (got "${o.name}")`);
  if (!o.input) throw new LvmkitError('EARGS', 'name the input: -i FILE or -i - (stdin)');
  let fh: FileHandle | undefined;
  let inputSize: number | undefined;
  if (o.input !== '-') {
    try {
      fh = await open(o.input, 'r');
    } catch (e) {
      throw new LvmkitError('EDEVICE_OPEN', `${o.input}: cannot open: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file: o.input, cause: e });
    }
    const st = await fh.stat();
    if (st.isDirectory()) { await fh.close(); throw new LvmkitError('EARGS', `${o.input}: is a directory`); }
    if (st.isFile()) inputSize = st.size;
  }
  try {
    return await withWritableScan({ devices: o.devices, deviceNames: o.deviceNames, wrapDevice: o.wrapDevice, test: o.test }, async (scan) => {
      const sv = findVg(scan, vgName);
      const lv = findLv(sv, lvName);
      const label = `${sv.vg.name}/${lv.name}`;
      if (!lv.status.includes('WRITE')) throw new LvmkitError('EIN_USE', `LV ${label} is read-only (permission r): nothing was written`);
      const c = compileLv(sv.vg, lv, compileOptions(sv, {}));
      const dev = c.device.mapper;
      const lvSize = dev.size;
      if (inputSize !== undefined && inputSize > lvSize) throw tooLarge(o.input, String(inputSize), label, lvSize, 0);
      if (o.test) {
        const what = inputSize !== undefined ? `${inputSize} bytes of ${o.input}` : `${o.input === '-' ? 'stdin' : o.input} (up to ${lvSize} bytes)`;
        return {
          stdout: '', bytes: 0, lvSize,
          warnings: [TEST_MODE_NOTICE, `Test mode: would write ${what} into LV ${label} (${lvSize} bytes), from its first byte`],
        };
      }
      const progress = o.progress?.(label, inputSize ?? lvSize);
      let written = 0;
      try {
        if (fh) written = await loadFromFile(fh, dev, lvSize, o, progress, label);
        else written = await loadFromStream(o.stdin ?? (process.stdin as AsyncIterable<Uint8Array>), dev, lvSize, o, progress, label);
      } catch (e) {
        // Flush what was written before the failure, but report the failure itself.
        await dev.sync().catch(() => {});
        throw e;
      } finally {
        progress?.finish();
      }
      // A failed flush is a failed load: the bytes may not be on the disk.
      await dev.sync();
      return { stdout: '', warnings: [...scan.warnings], bytes: written, lvSize };
    });
  } finally {
    await fh?.close();
  }
}

async function loadFromFile(fh: FileHandle, dev: { write(o: number, d: Uint8Array): Promise<void> }, lvSize: number,
  o: LoadCommandOptions, progress: Progress | undefined, label: string): Promise<number> {
  const bs = o.blockSize ?? LOAD_BLOCK;
  const bufs = [new Uint8Array(bs), new Uint8Array(bs)];
  let i = 0;
  let pos = 0;
  let writing: Promise<void> | undefined;
  try {
    for (;;) {
      const buf = bufs[i];
      let n = 0;
      while (n < bs) {
        const { bytesRead } = await fh.read(buf, n, bs - n, pos + n);
        if (bytesRead === 0) break;
        n += bytesRead;
      }
      await writing;
      writing = undefined;
      if (n === 0) break;
      if (pos + n > lvSize) throw tooLarge(o.input, `more than ${lvSize}`, label, lvSize, pos);
      // Marked handled now: it may fail while the next block is read (awaited, and thrown, below).
      writing = handled(dev.write(pos, n === bs ? buf : buf.subarray(0, n)));
      pos += n;
      i = 1 - i;
      progress?.update(pos);
      if (n < bs) break;
    }
    await writing;
  } catch (e) {
    await Promise.allSettled([writing]);
    throw e;
  }
  return pos;
}

async function loadFromStream(input: AsyncIterable<Uint8Array | string>, dev: { write(o: number, d: Uint8Array): Promise<void> }, lvSize: number,
  o: LoadCommandOptions, progress: Progress | undefined, label: string): Promise<number> {
  const bs = o.blockSize ?? LOAD_BLOCK;
  const buf = new Uint8Array(bs);
  let fill = 0;
  let pos = 0;
  const flush = async () => {
    if (!fill) return;
    if (pos + fill > lvSize) throw tooLarge(o.input === '-' ? 'stdin' : o.input, `more than ${lvSize}`, label, lvSize, pos);
    await dev.write(pos, buf.subarray(0, fill));
    pos += fill;
    fill = 0;
    progress?.update(pos);
  };
  for await (const piece of input) {
    const data = typeof piece === 'string' ? new TextEncoder().encode(piece) : piece;
    let off = 0;
    while (off < data.length) {
      const take = Math.min(bs - fill, data.length - off);
      buf.set(data.subarray(off, off + take), fill);
      fill += take;
      off += take;
      if (fill === bs || pos + fill > lvSize) await flush();
    }
  }
  await flush();
  return pos;
}
