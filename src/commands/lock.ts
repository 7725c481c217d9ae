/**
 * The writers' lock: one lvmkit writer at a time per image file. A lock is a file created exclusively
 * (O_EXCL) in a per-user lock directory under the system's temp directory, named after the image's
 * device and inode numbers, so two paths to the same file (links, ../) share one lock, and images in
 * read-only directories can be locked too. A lock left by a process that no longer exists is stale
 * and is taken over. Node-only (like devices/file-device.ts).
 * For tests of concurrent writers: env LVMKIT_PAUSE_AFTER_LOCK_MS=n makes a writer hold its locks for n ms
 * (a synchronous sleep right after taking them) before it reads anything. Off by default.
 */
import { closeSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LvmkitError } from '../errors.js';

export interface LockSet {
  /** Remove every lock file taken. Safe to call twice. */
  release(): void;
}

/** Where lock files live (override with env LVMKIT_LOCK_DIR). */
export function lockDirectory(): string {
  return process.env.LVMKIT_LOCK_DIR ?? join(tmpdir(), `lvmkit-locks-${process.getuid?.() ?? 'user'}`);
}

function lockFileFor(path: string): string {
  let st;
  try {
    st = statSync(path, { bigint: true });
  } catch (e) {
    throw new LvmkitError('EDEVICE_OPEN', `${path}: cannot open: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, { file: path, cause: e });
  }
  return join(lockDirectory(), `${st.dev.toString(16)}-${st.ino.toString(16)}.lock`);
}

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function takeOne(path: string, file: string): void {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, `${process.pid}\n${path}\n`);
      closeSync(fd);
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    let holder = NaN;
    try {
      holder = Number.parseInt(readFileSync(file, 'utf8').split('\n')[0], 10);
    } catch { /* removed meanwhile: retry */ continue; }
    if (holder === process.pid || alive(holder)) {
      throw new LvmkitError('ELOCKED',
        `${path}: in use by another lvmkit writer (pid ${holder}, lock ${file}); nothing was changed: try again when it has finished`,
        { file: path });
    }
    try { unlinkSync(file); } catch { /* someone else removed the stale lock */ }
  }
  throw new LvmkitError('ELOCKED', `${path}: could not take the lock ${file}; nothing was changed`, { file: path });
}

/** Lock every image of `paths` (all or none), in a fixed order. */
export function lockImages(paths: string[]): LockSet {
  mkdirSync(lockDirectory(), { recursive: true, mode: 0o700 });
  const files = [...new Map(paths.map((p) => [lockFileFor(p), p])).entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const taken: string[] = [];
  const release = () => {
    for (const f of taken.splice(0)) {
      try { unlinkSync(f); } catch { /* already gone */ }
    }
  };
  try {
    for (const [file, path] of files) {
      takeOne(path, file);
      taken.push(file);
    }
  } catch (e) {
    release();
    throw e;
  }
  const pause = Number(process.env.LVMKIT_PAUSE_AFTER_LOCK_MS ?? 0);
  if (pause > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, pause);
  return { release };
}
