/**
 * A BlockDevice over an image file (or a block device node) through node:fs/promises.
 * Positioned reads/writes only, so offsets far past 4 GiB work (exact up to 2^53).
 * This is one of the two files of the core allowed to import Node modules.
 *
 * Crash injection for tests (off by default, costs nothing when off): with env LVMKIT_CRASH_AFTER_WRITES=k
 * the process SIGKILLs itself right after its k-th completed write() to any FileDevice; with env
 * LVMKIT_WRITE_COUNT_FILE=path the number of writes done so far is written to that file after each one.
 * test/crash/ uses both to kill a real command after each of its writes in turn.
 */
import { writeFileSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { LvmkitError } from '../errors.js';
import type { BlockDevice } from './block-device.js';
import { checkAccess } from './range.js';

export interface OpenFileOptions {
  /** Open read-write (default: read-only). */
  write?: boolean;
  /** Name shown to users; defaults to the path. */
  name?: string;
}

export class FileDevice implements BlockDevice {
  private closed = false;

  constructor(
    readonly name: string,
    private readonly handle: FileHandle,
    readonly size: number,
    readonly readOnly: boolean,
  ) {}

  async read(offset: number, length: number): Promise<Uint8Array> {
    const buf = new Uint8Array(length);
    await this.readInto(offset, buf);
    return buf;
  }

  async readInto(offset: number, buf: Uint8Array): Promise<void> {
    checkAccess(this, offset, buf.length, 'read');
    let done = 0;
    while (done < buf.length) {
      const n = await this.io('read', offset + done, () =>
        this.handle.read(buf, done, buf.length - done, offset + done).then((r) => r.bytesRead));
      if (n === 0) {
        throw new LvmkitError('EDEVICE_IO',
          `${this.name}: short read at offset ${offset + done}: expected ${buf.length - done} more bytes, got end of file`,
          { file: this.name, offset: offset + done });
      }
      done += n;
    }
  }

  async write(offset: number, data: Uint8Array): Promise<void> {
    if (this.readOnly) {
      throw new LvmkitError('EDEVICE_IO', `${this.name}: cannot write at offset ${offset}: device is open read-only`,
        { file: this.name, offset });
    }
    checkAccess(this, offset, data.length, 'write');
    let done = 0;
    while (done < data.length) {
      const n = await this.io('write', offset + done, () =>
        this.handle.write(data, done, data.length - done, offset + done).then((r) => r.bytesWritten));
      if (n === 0) {
        throw new LvmkitError('EDEVICE_IO', `${this.name}: write at offset ${offset + done} made no progress`,
          { file: this.name, offset: offset + done });
      }
      done += n;
    }
    afterWrite();
  }

  async sync(): Promise<void> {
    if (!this.readOnly) await this.io('sync', 0, () => this.handle.sync());
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.handle.close();
  }

  private async io<T>(what: string, offset: number, op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? 'error';
      throw new LvmkitError('EDEVICE_IO', `${this.name}: ${what} failed at offset ${offset}: ${code}`,
        { file: this.name, offset, cause: e });
    }
  }
}

let writesDone = 0;

/** The crash-injection hook (see the header comment). */
function afterWrite(): void {
  writesDone++;
  const countFile = process.env.LVMKIT_WRITE_COUNT_FILE;
  if (countFile) writeFileSync(countFile, `${writesDone}\n`);
  const crashAfter = Number(process.env.LVMKIT_CRASH_AFTER_WRITES ?? 0);
  if (crashAfter > 0 && writesDone >= crashAfter) process.kill(process.pid, 'SIGKILL');
}

/** Open an image file (or block device node) as a BlockDevice. Read-only unless `write` is set. */
export async function openFileDevice(path: string, options: OpenFileOptions = {}): Promise<FileDevice> {
  const write = options.write === true;
  const name = options.name ?? path;
  let handle: FileHandle;
  try {
    handle = await open(path, write ? 'r+' : 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw new LvmkitError('EDEVICE_OPEN', `${name}: cannot open${write ? ' for writing' : ''}: ${describeOpenError(code)}`,
      { file: name, cause: e });
  }
  try {
    const st = await handle.stat();
    if (st.isDirectory()) {
      throw new LvmkitError('EDEVICE_OPEN', `${name}: cannot open: is a directory`, { file: name });
    }
    const size = st.isBlockDevice() ? await probeSize(handle) : st.size;
    return new FileDevice(name, handle, size, !write);
  } catch (e) {
    await handle.close();
    throw e;
  }
}

function describeOpenError(code: string): string {
  switch (code) {
    case 'ENOENT': return 'no such file';
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'EISDIR': return 'is a directory';
    case 'EROFS': return 'read-only file system';
    default: return code;
  }
}

/** fstat reports 0 for block devices: find the size by binary search on 1-byte reads. */
async function probeSize(handle: FileHandle): Promise<number> {
  const one = new Uint8Array(1);
  const readable = async (pos: number) => (await handle.read(one, 0, 1, pos)).bytesRead === 1;
  if (!(await readable(0))) return 0;
  let lo = 0; // known readable
  let hi = 1;
  while (await readable(hi)) { lo = hi; hi *= 2; if (hi > Number.MAX_SAFE_INTEGER) break; }
  while (hi - lo > 1) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (await readable(mid)) lo = mid; else hi = mid;
  }
  return lo + 1;
}
