/**
 * A dump that fails leaves no file that looks complete: with the k-th read of the images failing (EIO,
 * every k), on a full disk (a small tmpfs mounted for the test: ENOSPC) and into /dev/full, `dump` fails
 * with one clear error (the device and offset; "no space left on device" for a full disk), leaves nothing
 * at OUT (or the old OUT unchanged), and leaves no temp file. LVs that were dumped completely before the
 * failure (--outdir) are whole. The images are read by the sample images made by real LVM2.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultInjector } from '../../src/devices/faulty-device.js';
import { LvmkitError } from '../../src/errors.js';
import { copyDevice, dumpCommand } from '../../src/commands/dump.js';
import { MemoryDevice } from '../../src/devices/memory-device.js';
import type { BlockDevice } from '../../src/devices/block-device.js';
import { extractSample, makeTempDir, removeDir, SAMPLES_DIR } from '../helpers/images.js';
import { expectOneLineError, hashes, runCli } from '../cli/cli-harness.js';
import { allAvailable, describeWith, toolsAvailable, type Availability } from '../helpers/lvm2.js';

let dir: string;
let pv0: string;
let pv1: string;

/** LV sizes and checksums recorded when the samples were made (scripts/make-samples.sh, real LVM2). */
const lvSha = new Map<string, { size: number; sha: string }>();

beforeAll(() => {
  dir = makeTempDir('lvmkit-dumpfaults-');
  pv0 = extractSample('sample-pv0', dir);
  pv1 = extractSample('sample-pv1', dir);
  for (const line of readFileSync(join(SAMPLES_DIR, 'sample.lv-sha256.txt'), 'utf8').split('\n')) {
    const m = /^LV (\S+) (\d+) ([0-9a-f]{64})$/.exec(line.trim());
    if (m) lvSha.set(m[1], { size: Number(m[2]), sha: m[3] });
  }
});
afterAll(() => removeDir(dir));

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('dump with a read failing with EIO at any point', () => {
  for (const lv of ['lin', 'str']) {
    it(`sample/${lv}: every k fails with one error naming the device and offset, and leaves no file`, async () => {
      const out = makeTempDir('lvmkit-dumpout-');
      const unhandled: unknown[] = [];
      const onUnhandled = (e: unknown) => { unhandled.push(e); };
      process.on('unhandledRejection', onUnhandled);
      try {
        const before = hashes([pv0, pv1]);
        const target = join(out, `${lv}.img`);
        const run = (wrap?: FaultInjector['wrap']) =>
          dumpCommand({ devices: [pv0, pv1], name: `sample/${lv}`, output: target, blockSize: 1024 * 1024, wrapDevice: wrap });
        const counter = new FaultInjector();
        await run(counter.wrap);
        expect(sha(readFileSync(target))).toBe(lvSha.get(`sample/${lv}`)!.sha);
        expect(counter.log.every((e) => e.op === 'read')).toBe(true);
        const n = counter.count;
        expect(n).toBeGreaterThan(4);
        // An old OUT must stay as it was after a failed dump.
        writeFileSync(target, 'the old file\n');
        for (let k = 1; k <= n; k++) {
          const inj = new FaultInjector({ failAt: k });
          let err: unknown;
          try { await run(inj.wrap); } catch (e) { err = e; }
          await new Promise((ok) => setTimeout(ok, 0));
          const failed = inj.log.find((e) => e.failed)!;
          expect(failed, `k=${k}`).toBeDefined();
          expect(err, `k=${k}: the dump did not fail`).toBeInstanceOf(LvmkitError);
          expect((err as LvmkitError).message).toBe(`${failed.device}: read failed at offset ${failed.offset}: EIO`);
          expect(readdirSync(out), `k=${k}: files left`).toEqual([`${lv}.img`]);
          expect(readFileSync(target, 'utf8'), `k=${k}`).toBe('the old file\n');
          expect(unhandled, `k=${k}: unhandled rejections`).toEqual([]);
        }
        expect(hashes([pv0, pv1])).toEqual(before);
      } finally {
        process.off('unhandledRejection', onUnhandled);
        removeDir(out);
      }
    });
  }
});

describe('copyDevice: a block failing while the next one is in flight', () => {
  /** A device whose reads take a few milliseconds, as a disk's do. */
  const slow = (size: number): BlockDevice => {
    const mem = new MemoryDevice(new Uint8Array(size).fill(7), { name: 'slow.img' });
    return {
      name: mem.name, size: mem.size, readOnly: true,
      read: async (o, l) => { await new Promise((ok) => setTimeout(ok, 5)); return mem.read(o, l); },
      readInto: async (o, b) => { await new Promise((ok) => setTimeout(ok, 5)); return mem.readInto(o, b); },
      write: (o, d) => mem.write(o, d), sync: () => mem.sync(), close: () => mem.close(),
    };
  };

  it('a failed write while the next read runs is the error thrown, and no unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => { unhandled.push(e); };
    process.on('unhandledRejection', onUnhandled);
    try {
      let calls = 0;
      const sink = async (_views: Uint8Array[], pos: number) => {
        calls++;
        throw new LvmkitError('EDEVICE_IO', `out.img: write failed at offset ${pos}: ENOSPC (no space left on device)`);
      };
      await expect(copyDevice(slow(64 * 1024), sink, { blockSize: 16 * 1024 }))
        .rejects.toThrow('out.img: write failed at offset 0: ENOSPC (no space left on device)');
      await new Promise((ok) => setTimeout(ok, 20));
      expect(calls).toBe(1);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

describe('dump into /dev/full', () => {
  it.skipIf(!existsSync('/dev/full'))('fails with one line saying the device is full', () => {
    const r = runCli(['dump', '--devices', `${pv0},${pv1}`, 'sample/lin', '-o', '/dev/full']);
    expectOneLineError(r, '/dev/full: write failed at offset 0: ENOSPC (no space left on device)');
    expect(r.code).toBe(5);
  });
});

function mountAvailable(): Availability {
  if (process.platform !== 'linux') return { ok: false, why: 'not linux' };
  if (process.getuid?.() !== 0) return { ok: false, why: 'not root (a small tmpfs is mounted)' };
  return toolsAvailable('mount', 'umount');
}

describeWith(allAvailable(mountAvailable()), 'dump onto a full disk (a small tmpfs)', () => {
  let mnt: string;
  let mounted = false;
  const mount = (size: string) => {
    const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0755`, 'lvmkit-dumpfull', mnt], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`mount tmpfs failed: ${r.stderr}`);
    mounted = true;
  };
  const umount = () => {
    if (!mounted) return;
    const r = spawnSync('umount', [mnt], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`umount ${mnt} failed: ${r.stderr}`);
    mounted = false;
  };
  beforeAll(() => {
    mnt = join(dir, 'mnt');
    mkdirSync(mnt);
  });
  afterAll(() => umount());

  it('-o OUT: one line saying ENOSPC, exit 5, nothing left at OUT and no temp file', () => {
    mount('2m');
    try {
      const out = join(mnt, 'str.img');
      const before = hashes([pv0, pv1]);
      const r = runCli(['dump', '--devices', `${pv0},${pv1}`, 'sample/str', '-o', out]);
      expectOneLineError(r, new RegExp(`^lvmkit: ${out.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: write failed at offset \\d+: ENOSPC \\(no space left on device\\)$`));
      expect(r.code).toBe(5);
      expect(readdirSync(mnt)).toEqual([]);
      // --sparse writes block by block: the same.
      const s = runCli(['dump', '--devices', `${pv0},${pv1}`, 'sample/str', '-o', out, '--sparse']);
      expectOneLineError(s, 'ENOSPC (no space left on device)', out);
      expect(readdirSync(mnt)).toEqual([]);
      // An older OUT that fits stays as it was.
      writeFileSync(out, 'the old file\n');
      const again = runCli(['dump', '--devices', `${pv0},${pv1}`, 'sample/str', '-o', out]);
      expectOneLineError(again, 'ENOSPC');
      expect(readdirSync(mnt)).toEqual(['str.img']);
      expect(readFileSync(out, 'utf8')).toBe('the old file\n');
      expect(hashes([pv0, pv1])).toEqual(before);
    } finally {
      umount();
    }
  });

  it('--outdir: the LV that fitted is whole, the one that did not is absent', () => {
    mount('6m');
    try {
      const r = runCli(['dump', '--devices', `${pv0},${pv1}`, 'sample', '--outdir', mnt]);
      expectOneLineError(r, `${join(mnt, 'str.img')}: write failed at offset `, 'ENOSPC (no space left on device)');
      expect(r.code).toBe(5);
      expect(readdirSync(mnt)).toEqual(['lin.img']);
      expect(sha(readFileSync(join(mnt, 'lin.img')))).toBe(lvSha.get('sample/lin')!.sha);
      // With room for both, the same command succeeds and both are whole.
      umount();
      mount('16m');
      const ok = runCli(['dump', '--devices', `${pv0},${pv1}`, 'sample', '--outdir', mnt]);
      expect(ok.code, ok.stderr).toBe(0);
      expect(readdirSync(mnt).sort()).toEqual(['lin.img', 'str.img']);
      for (const lv of ['lin', 'str']) expect(sha(readFileSync(join(mnt, `${lv}.img`)))).toBe(lvSha.get(`sample/${lv}`)!.sha);
    } finally {
      umount();
    }
  });
});
