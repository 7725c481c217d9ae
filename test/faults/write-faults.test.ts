/**
 * Write faults: real writing commands (lvcreate, lvextend, vgextend with a blank image, vgchange --addtag,
 * vgreduce, pvcreate, load) run on images made by real LVM2 with the k-th device operation (read, write
 * or sync) failing with EIO, for EVERY k the command performs. Each run must fail with one LvmkitError
 * EDEVICE_IO naming the device and the offset of the failed operation (a write error is never swallowed);
 * afterwards lvmkit and real LVM2 (vgs, lvs, vgck) read the VG with the old or the new metadata, the same
 * one, with every LV; the data of an existing LV and every image the command is not meant to write are
 * byte-identical; and from the old metadata the command can be run again and completes.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { describeInterop, itInterop, LoopLab, type LabDevice } from '../helpers/lvm2.js';
import { fillPattern, MiB } from '../helpers/images.js';
import { FaultInjector } from '../../src/devices/faulty-device.js';
import type { BlockDevice } from '../../src/devices/block-device.js';
import { LvmkitError } from '../../src/errors.js';
import { scanDevices } from '../../src/commands/scan.js';
import { lvcreateCommand } from '../../src/commands/lvcreate.js';
import { lvresizeCommand } from '../../src/commands/lvresize.js';
import { vgextendCommand } from '../../src/commands/vgextend.js';
import { vgchangeCommand } from '../../src/commands/vgchange.js';
import { vgreduceCommand } from '../../src/commands/vgreduce.js';
import { pvcreateCommand } from '../../src/commands/pvcreate.js';
import { loadCommand } from '../../src/commands/load.js';

type Wrap = (dev: BlockDevice) => BlockDevice;

interface VgView { seqno: number; pvs: number; lvs: string[]; tags: string[] }

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const shaFile = (f: string) => sha(readFileSync(f));

async function lvmkitView(imgs: string[], vg: string): Promise<VgView> {
  const scan = await scanDevices(imgs);
  try {
    const found = scan.vgs.find((v) => v.vg.name === vg);
    if (!found) throw new Error(`lvmkit does not find VG ${vg}: ${scan.errors.map((e) => e.message).join('; ')}`);
    const lvs = found.vg.lvs.map((l) => `${l.name}:${l.segments.reduce((n, s) => n + s.extentCount, 0) * found.vg.extentSize * 512}`).sort();
    return { seqno: found.vg.seqno, pvs: found.vg.pvs.length, lvs, tags: [...found.vg.tags].sort() };
  } finally {
    await scan.close();
  }
}

function lvm2View(lab: LoopLab, vg: string): VgView {
  const v = lab.report('vgs', ['-o', 'vg_seqno,pv_count,vg_tags', vg])[0];
  const lvs = lab.report('lvs', ['-o', 'lv_name,lv_size', vg]).map((r) => `${r.lv_name}:${r.lv_size}`).sort();
  return { seqno: Number(v.vg_seqno), pvs: Number(v.pv_count), lvs, tags: v.vg_tags ? v.vg_tags.split(',').sort() : [] };
}

/** Run `run` and return what it threw (undefined when it succeeded). */
async function failure(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
    return undefined;
  } catch (e) {
    return e;
  }
}

describeInterop('a read, write or sync failing with EIO at any point of a writing command', () => {
  let lab: LoopLab;
  /** a0..a2: PVs of VG `vg`; b3: a blank image; o4: the PV of another VG (never to be written). */
  let d: LabDevice[];
  let imgs: string[];
  let snaps: string[];
  let vg: string;
  let vg2: string;
  let input: string;
  /** LV keep: extents 0-1 of a0 (pe_start 1 MiB, 4 MiB extents); LV other: extent 0 of a1. */
  const KEEP = [1 * MiB, 9 * MiB] as const;
  const OTHER = [1 * MiB, 5 * MiB] as const;
  const region = (img: string, [s, e]: readonly [number, number]) => readFileSync(img).subarray(s, e);
  let keepSha: string;

  beforeAll(() => {
    lab = new LoopLab();
    d = ['a0.img', 'a1.img', 'a2.img', 'b3.img', 'o4.img'].map((n) => lab.disk(n, '24M', { pattern: true }));
    imgs = d.map((x) => x.image);
    vg = lab.vgName();
    vg2 = lab.vgName();
    lab.pvcreate([d[0].dev, d[1].dev, d[2].dev, d[4].dev]);
    lab.vgcreate(vg, [d[0].dev, d[1].dev, d[2].dev]);
    lab.vgcreate(vg2, [d[4].dev]);
    lab.lvcreate(vg, ['-n', 'keep', '-L', '8M'], [d[0].dev]);
    lab.lvcreate(vg, ['-n', 'other', '-L', '4M'], [d[1].dev]);
    lab.lvcreate(vg2, ['-n', 'bystander', '-L', '4M']);
    fillPattern(imgs[0], 'keep-data', KEEP[0], KEEP[1] - KEEP[0]);
    keepSha = sha(region(imgs[0], KEEP));
    input = join(lab.dir, 'input.bin');
    const data = new Uint8Array(OTHER[1] - OTHER[0]);
    for (let i = 0; i < data.length; i++) data[i] = (i * 7 + (i >> 12)) & 0xff;
    writeFileSync(input, data);
    snaps = imgs.map((i) => `${i}.snap`);
    imgs.forEach((img, i) => copyFileSync(img, snaps[i]));
  });
  afterAll(() => {
    process.off('unhandledRejection', onUnhandled);
    lab?.cleanup();
  });
  const unhandled: string[] = [];
  const onUnhandled = (e: unknown) => { unhandled.push(String(e)); };
  process.on('unhandledRejection', onUnhandled);

  const restore = () => snaps.forEach((s, i) => copyFileSync(s, imgs[i]));

  interface Case {
    name: string;
    run: (wrap?: Wrap) => Promise<unknown>;
    /** Indices of the images the command may write; every other image must stay byte-identical. */
    writes: number[];
    /** What to check after each failure (default: the VG metadata is the old or the new one). */
    kind?: 'vg' | 'pvcreate' | 'load';
  }
  const all = () => imgs;
  const cases: Case[] = [
    { name: 'lvcreate', writes: [0, 1, 2],
      run: (w) => lvcreateCommand({ devices: all(), vg, name: 'fresh', size: '8m', wrapDevice: w }) },
    { name: 'lvextend', writes: [0, 1, 2],
      run: (w) => lvresizeCommand({ devices: all(), lv: `${vg}/other`, mode: 'extend', size: '+8m', wrapDevice: w }) },
    { name: 'vgextend with a blank image', writes: [0, 1, 2, 3],
      run: (w) => vgextendCommand({ devices: all(), vgName: vg, images: [imgs[3]], description: 'vgextend', wrapDevice: w }) },
    { name: 'vgchange --addtag', writes: [0, 1, 2],
      run: (w) => vgchangeCommand({ devices: all(), vgName: vg, addTags: ['faulttag'], description: 'vgchange', wrapDevice: w }) },
    { name: 'vgreduce of an unused PV', writes: [0, 1, 2],
      run: (w) => vgreduceCommand({ devices: all(), vgName: vg, images: [imgs[2]], description: 'vgreduce', wrapDevice: w }) },
    { name: 'pvcreate of a blank image', writes: [3], kind: 'pvcreate',
      run: (w) => pvcreateCommand({ images: [imgs[3]], wrapDevice: w }) },
    { name: 'load into an LV', writes: [1], kind: 'load',
      run: (w) => loadCommand({ devices: all(), name: `${vg}/other`, input, blockSize: 512 * 1024, wrapDevice: w }) },
  ];

  /** b3 as lvmkit and LVM2 see it: undefined when it is no PV, else its uuid and VG name (orphan: ''). */
  async function pvOfBlank(): Promise<{ lvmkit?: string; lvm2?: string }> {
    let ours: string | undefined;
    const scan = await scanDevices([imgs[3]], { allowUnreadable: true }).catch(() => undefined);
    if (scan) {
      try { ours = scan.pvs[0]?.label.pvUuid.replace(/-/g, ''); } finally { await scan.close(); }
    }
    const r = lab.lvm('pvs', ['--reportformat', 'json', '-o', 'pv_uuid,vg_name', d[3].dev], { allowFail: true });
    let theirs: string | undefined;
    if (r.code === 0) {
      const row = JSON.parse(r.stdout).report[0].pv[0] as { pv_uuid: string; vg_name: string } | undefined;
      if (row) theirs = row.pv_uuid.replace(/-/g, '');
      if (row) expect(row.vg_name, 'the new PV is an orphan').toBe('');
    }
    return { lvmkit: ours, lvm2: theirs };
  }

  for (const c of cases) {
    itInterop(`${c.name}: every k fails with one clear error, and the VG is the old or the new one`, async () => {
      restore();
      const original = imgs.map(shaFile);
      const old = await lvmkitView(imgs, vg);
      const oldLvm2 = lvm2View(lab, vg);
      expect(oldLvm2).toEqual(old);
      // A clean run through a counting injector: succeeds, and tells how many operations the command does.
      const counter = new FaultInjector();
      await c.run(counter.wrap);
      const n = counter.count;
      expect(counter.log.some((e) => e.op === 'write')).toBe(true);
      expect(counter.log.some((e) => e.op === 'sync')).toBe(true);
      const complete = c.kind === 'pvcreate' ? undefined : await lvmkitView(imgs, vg);
      const completeData = c.kind === 'load' ? sha(region(imgs[1], OTHER)) : undefined;
      if (c.kind === undefined) expect(complete!.seqno).toBe(old.seqno + 1);
      const firstWrite = counter.log.findIndex((e) => e.op === 'write') + 1;
      const checked = new Map<string, VgView>();

      for (let k = 1; k <= n; k++) {
        restore();
        const inj = new FaultInjector({ failAt: k });
        const err = await failure(() => c.run(inj.wrap));
        // An operation failing while another is in flight must not surface as an unhandled rejection
        // (the CLI would die with a stack trace): give such a rejection a turn to be reported.
        await new Promise((ok) => setTimeout(ok, 0));
        expect(unhandled, `k=${k}: unhandled rejections`).toEqual([]);
        const failed = inj.log.find((e) => e.failed);
        expect(failed, `k=${k}: the k-th operation was reached`).toBeDefined();
        const what = `k=${k} (${failed!.op} of ${failed!.device} @${failed!.offset})`;
        expect(err, `${what}: the command did not fail`).toBeInstanceOf(LvmkitError);
        const le = err as LvmkitError;
        expect(le.code, `${what}: ${le.message}`).toBe('EDEVICE_IO');
        expect(le.message).toBe(`${failed!.device}: ${failed!.op} failed at offset ${failed!.offset}: EIO`);
        expect(le.file).toBe(failed!.device);
        expect(le.offset).toBe(failed!.offset);

        const now = imgs.map(shaFile);
        for (let i = 0; i < imgs.length; i++) {
          if (!c.writes.includes(i)) expect(now[i], `${what}: ${imgs[i]} must not be written`).toBe(original[i]);
        }
        if (k <= firstWrite) expect(now, `${what}: nothing written before the first write`).toEqual(original);
        expect(sha(region(imgs[0], KEEP)), `${what}: data of LV keep`).toBe(keepSha);

        if (c.kind === 'pvcreate') {
          // The blank image is still no PV (to both), or a complete orphan PV (to both).
          const seen = await pvOfBlank();
          expect(seen.lvm2, `${what}: LVM2 sees what lvmkit sees on the blank image`).toBe(seen.lvmkit);
          // Not a PV yet: pvcreate runs again and completes.
          if (seen.lvmkit === undefined) expect(await failure(() => c.run()), `${what}: re-run`).toBeUndefined();
          continue;
        }

        const ours = await lvmkitView(imgs, vg);
        const key = now.join(',');
        let theirs = checked.get(key);
        if (!theirs) {
          theirs = lvm2View(lab, vg);
          expect(lab.lvm('vgck', [vg], { allowFail: true }).code, `${what}: vgck`).toBe(0);
          checked.set(key, theirs);
        }
        expect(theirs, `${what}: LVM2 reads what lvmkit reads`).toEqual(ours);
        for (const lv of old.lvs) expect(ours.lvs.map((l) => l.split(':')[0]), what).toContain(lv.split(':')[0]);

        if (c.kind === 'load') {
          // Metadata untouched; the LV holds the new bytes up to some block and the old ones after it.
          expect(ours, what).toEqual(old);
          const outside = readFileSync(imgs[1]);
          const snap = readFileSync(snaps[1]);
          expect(sha(outside.subarray(0, OTHER[0])), what).toBe(sha(snap.subarray(0, OTHER[0])));
          expect(sha(outside.subarray(OTHER[1])), what).toBe(sha(snap.subarray(OTHER[1])));
          const lvNow = outside.subarray(OTHER[0], OTHER[1]);
          const newData = readFileSync(input);
          const oldData = snap.subarray(OTHER[0], OTHER[1]);
          let j = 0;
          while (j < lvNow.length && lvNow[j] === newData[j]) j++;
          expect(j % (512 * 1024) === 0 || j === lvNow.length, `${what}: written up to a block boundary (${j})`).toBe(true);
          expect(Buffer.compare(lvNow.subarray(j), oldData.subarray(j)), `${what}: old bytes after the failed block`).toBe(0);
          continue;
        }

        expect([old.seqno, old.seqno + 1], what).toContain(ours.seqno);
        expect(ours, what).toEqual(ours.seqno === old.seqno ? old : complete);
        if (ours.seqno === old.seqno) {
          // From the old version the command runs again and completes.
          expect(await failure(() => c.run()), `${what}: re-run`).toBeUndefined();
          expect(await lvmkitView(imgs, vg), `${what}: re-run`).toEqual(complete);
        }
      }
      if (completeData) {
        restore();
        await c.run();
        expect(sha(region(imgs[1], OTHER))).toBe(completeData);
        expect(completeData).toBe(shaFile(input));
      }
      restore();
    }, 600_000);
  }

  itInterop('a dead disk (every operation after the first failed write fails too): the first failure is the error', async () => {
    for (const c of [cases[0], cases[cases.length - 1]]) {
      restore();
      const counter = new FaultInjector();
      await c.run(counter.wrap);
      const firstWrite = counter.log.findIndex((e) => e.op === 'write') + 1;
      restore();
      const before = imgs.map(shaFile);
      const inj = new FaultInjector({ failAt: firstWrite, sticky: true });
      const err = await failure(() => c.run(inj.wrap));
      const failedOps = inj.log.filter((e) => e.failed);
      const first = failedOps[0]!;
      expect(first.op, c.name).toBe('write');
      expect(err, c.name).toBeInstanceOf(LvmkitError);
      expect((err as LvmkitError).message, c.name).toBe(`${first.device}: write failed at offset ${first.offset}: EIO`);
      // Nothing reached the disk.
      expect(imgs.map(shaFile), c.name).toEqual(before);
    }
    restore();
  }, 120_000);
});
