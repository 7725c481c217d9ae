/**
 * Crash safety: real lvmkit commands (vgchange --addtag, vgextend with a new image, vgreduce, lvcreate) are
 * killed (SIGKILL, by the LVMKIT_CRASH_AFTER_WRITES hook of devices/file-device.ts) right after their k-th
 * write, for every k from 1 to the number of writes they do. After each kill, lvmkit and real LVM2 (vgs, lvs,
 * vgck) read the VG with the old or the new seqno, the same one, with every LV present and the data of an
 * existing LV unchanged; then the command is re-run and completes (from the old version), or the state is
 * already the one a complete run gives (from the new version).
 */
import { copyFileSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, expect } from 'vitest';
import { describeInterop, itInterop, LoopLab, type LabDevice } from '../helpers/lvm2.js';
import { fillPattern } from '../helpers/images.js';
import { scanDevices } from '../../src/commands/scan.js';
import { lockDirectory } from '../../src/commands/lock.js';
import { runCliEnv } from './cli-env.js';

interface VgView { seqno: number; pvs: number; lvs: string[]; tags: string[] }

async function lvmkitView(imgs: string[], vg: string): Promise<VgView> {
  const scan = await scanDevices(imgs);
  try {
    const found = scan.vgs.find((v) => v.vg.name === vg);
    if (!found) throw new Error(`lvmkit does not find VG ${vg}: ${scan.errors.map((e) => e.message).join('; ')}`);
    return { seqno: found.vg.seqno, pvs: found.vg.pvs.length, lvs: found.vg.lvs.map((l) => l.name).sort(), tags: [...found.vg.tags].sort() };
  } finally {
    await scan.close();
  }
}

function lvm2View(lab: LoopLab, vg: string): VgView {
  const v = lab.report('vgs', ['-o', 'vg_seqno,pv_count,vg_tags', vg])[0];
  const lvs = lab.report('lvs', ['-o', 'lv_name', vg]).map((r) => r.lv_name).sort();
  return { seqno: Number(v.vg_seqno), pvs: Number(v.pv_count), lvs, tags: v.vg_tags ? v.vg_tags.split(',').sort() : [] };
}

function sha(buf: Uint8Array): string {
  return createHash('sha256').update(buf).digest('hex');
}

describeInterop('killing the writer after each of its writes', () => {
  let lab: LoopLab;
  let d: LabDevice[];
  let imgs: string[];
  let snaps: string[];
  let vg: string;
  /** Bytes of LV "keep" (on the first PV, extents 0..1 after pe_start 1 MiB, 4 MiB extents). */
  const keepData = () => sha(readFileSync(imgs[0]).subarray(1024 * 1024, 9 * 1024 * 1024));
  let keepSha: string;

  beforeAll(() => {
    lab = new LoopLab();
    d = ['k1.img', 'k2.img', 'k3.img', 'k4.img'].map((n) => lab.disk(n, '32M', { pattern: true }));
    imgs = d.map((x) => x.image);
    vg = lab.vgName();
    lab.pvcreate([d[0].dev, d[1].dev, d[2].dev]);
    lab.vgcreate(vg, [d[0].dev, d[1].dev, d[2].dev]);
    lab.lvcreate(vg, ['-n', 'keep', '-L', '8M'], [d[0].dev]);
    lab.lvcreate(vg, ['-n', 'other', '-L', '4M'], [d[1].dev]);
    fillPattern(imgs[0], 'keep-data', 1024 * 1024, 8 * 1024 * 1024);
    keepSha = keepData();
    snaps = imgs.map((i) => `${i}.snap`);
    imgs.forEach((img, i) => copyFileSync(img, snaps[i]));
  });
  afterAll(() => {
    // A kill after the last write leaves the killed writer's lock files behind (stale, taken over by the next
    // writer): remove the ones of these images.
    for (const img of imgs ?? []) {
      const st = statSync(img, { bigint: true });
      rmSync(join(lockDirectory(), `${st.dev.toString(16)}-${st.ino.toString(16)}.lock`), { force: true });
    }
    lab?.cleanup();
  });

  const restore = () => snaps.forEach((s, i) => copyFileSync(s, imgs[i]));

  const commands: Array<[string, () => string[]]> = [
    ['vgchange --addtag', () => ['vgchange', '--devices', imgs.join(','), '--addtag', 'crashtag', vg]],
    ['vgextend with an image that is not a PV yet', () => ['vgextend', '--devices', imgs.join(','), vg, imgs[3]]],
    ['vgreduce of an unused PV', () => ['vgreduce', '--devices', imgs.join(','), vg, imgs[2]]],
    ['lvcreate', () => ['lvcreate', '--devices', imgs.join(','), '-L', '8m', '-n', 'fresh', vg]],
  ];

  for (const [name, argsOf] of commands) {
    itInterop(name, async () => {
      restore();
      const args = argsOf();
      const old = await lvmkitView(imgs, vg);
      const countFile = `${lab.dir}/writes`;
      const full = runCliEnv(args, { LVMKIT_WRITE_COUNT_FILE: countFile });
      expect(full.code, full.stderr).toBe(0);
      const writes = Number(readFileSync(countFile, 'utf8'));
      expect(writes).toBeGreaterThanOrEqual(4);
      const complete = await lvmkitView(imgs, vg);
      expect(complete.seqno).toBe(old.seqno + 1);
      for (let k = 1; k <= writes; k++) {
        restore();
        const r = runCliEnv(args, { LVMKIT_CRASH_AFTER_WRITES: String(k) });
        expect(r.signal, `k=${k}: ${r.stderr}`).toBe('SIGKILL');
        const ours = await lvmkitView(imgs, vg);
        const theirs = lvm2View(lab, vg);
        expect([old.seqno, old.seqno + 1], `k=${k}`).toContain(ours.seqno);
        expect(theirs, `k=${k}: LVM2 reads what lvmkit reads`).toEqual(ours);
        expect(ours, `k=${k}`).toEqual(ours.seqno === old.seqno ? old : complete);
        for (const lv of old.lvs) expect(ours.lvs).toContain(lv);
        expect(lab.lvm('vgck', [vg], { allowFail: true }).code, `k=${k}: vgck`).toBe(0);
        expect(keepData(), `k=${k}: data of LV keep`).toBe(keepSha);
        if (ours.seqno === old.seqno) {
          const again = runCliEnv(args, {});
          expect(again.code, `k=${k} re-run: ${again.stderr}`).toBe(0);
          expect(await lvmkitView(imgs, vg), `k=${k} re-run`).toEqual(complete);
          expect(lvm2View(lab, vg)).toEqual(complete);
        }
      }
    }, 300_000);
  }
});
