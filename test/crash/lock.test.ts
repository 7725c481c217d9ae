/**
 * The writers' lock with real processes: a second lvmkit writer on the same image is refused with a clear
 * one-line message while the first holds the lock (held by a real process paused by
 * LVMKIT_PAUSE_AFTER_LOCK_MS, or by this test through lockImages()), nothing is interleaved, and a lock
 * left by a dead process is taken over.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockDirectory, lockImages } from '../../src/commands/lock.js';
import { scanDevices } from '../../src/commands/scan.js';
import { expectOneLineError, hashes, runCli } from '../cli/cli-harness.js';
import { createSparseImage, makeTempDir, removeDir } from '../helpers/images.js';
import { runCliEnv, startCli } from './cli-env.js';

async function vgState(imgs: string[]): Promise<{ seqno: number; tags: string[] }> {
  const scan = await scanDevices(imgs);
  try {
    const vg = scan.vgs[0]!.vg;
    return { seqno: vg.seqno, tags: vg.tags };
  } finally {
    await scan.close();
  }
}

function lockFileOf(img: string): string {
  const st = statSync(img, { bigint: true });
  return join(lockDirectory(), `${st.dev.toString(16)}-${st.ino.toString(16)}.lock`);
}

describe('one lvmkit writer at a time', () => {
  let dir: string;
  let imgs: string[];
  let devs: string[];
  beforeAll(() => {
    dir = makeTempDir('lvmkit-lock-');
    imgs = ['l1.img', 'l2.img'].map((n) => createSparseImage(join(dir, n), '16M'));
    devs = ['--devices', imgs.join(',')];
    const r = runCli(['vgcreate', 'lklockvg', ...imgs]);
    expect(r.code, r.stderr).toBe(0);
  });
  afterAll(() => removeDir(dir));

  it('a second real process is refused while the first holds the lock; the first completes alone', async () => {
    const start = await vgState(imgs);
    const first = startCli(['vgchange', ...devs, '--addtag', 'first', 'lklockvg'], { LVMKIT_PAUSE_AFTER_LOCK_MS: '4000' });
    for (let i = 0; i < 200 && !existsSync(lockFileOf(imgs[0])); i++) await new Promise((r) => setTimeout(r, 25));
    expect(existsSync(lockFileOf(imgs[0]))).toBe(true);
    const before = hashes(imgs);
    const second = runCli(['vgchange', ...devs, '--addtag', 'second', 'lklockvg']);
    expectOneLineError(second, 'in use by another lvmkit writer', `pid ${first.pid}`, 'nothing was changed', 'try again');
    expect(hashes(imgs)).toEqual(before);
    const r = await first.done;
    expect(r.code, r.stderr).toBe(0);
    expect(await vgState(imgs)).toEqual({ seqno: start.seqno + 1, tags: [...start.tags, 'first'] });
    expect(existsSync(lockFileOf(imgs[0]))).toBe(false);
  }, 30_000);

  it('a lock held through lockImages() refuses every writing verb (same image by another path too)', () => {
    const held = lockImages([imgs[1]]);
    try {
      const before = hashes(imgs);
      const other = join(dir, '..', basename(dir), 'l2.img');
      for (const args of [
        ['vgchange', ...devs, '--addtag', 'x', 'lklockvg'],
        ['vgrename', '--devices', `${imgs[0]},${other}`, 'lklockvg', 'lkother'],
        ['pvcreate', '-ff', imgs[1]],
      ]) {
        expectOneLineError(runCli(args), 'in use by another lvmkit writer', `pid ${process.pid}`);
      }
      expect(hashes(imgs)).toEqual(before);
    } finally {
      held.release();
    }
    expect(runCli(['vgchange', ...devs, '--addtag', 'afterrelease', 'lklockvg']).code).toBe(0);
  });

  it('a stale lock of a dead process is taken over', async () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const pid = Number(dead.stdout);
    expect(pid).toBeGreaterThan(0);
    writeFileSync(lockFileOf(imgs[0]), `${pid}\n${imgs[0]}\n`);
    const start = await vgState(imgs);
    const r = runCliEnv(['vgchange', ...devs, '--addtag', 'stale', 'lklockvg'], {});
    expect(r.code, r.stderr).toBe(0);
    expect((await vgState(imgs)).seqno).toBe(start.seqno + 1);
    expect(readdirSync(lockDirectory()).filter((f) => f === lockFileOf(imgs[0]).split('/').pop())).toEqual([]);
  });
});
