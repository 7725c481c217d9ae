/**
 * PVs of 16 TiB (sparse image files; 16 TiB - 1 MiB where the file system stops short of 16 TiB), made by
 * real LVM2 on loop devices: lvmkit's pvs / vgs / lvs --segments give the same numbers as LVM2's, in bytes,
 * for sizes far past 2^32 sectors (exact as JS numbers up to 2^53 bytes).
 */
import { closeSync, ftruncateSync, openSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { reportCommand } from '../../src/commands/reporting.js';
import { LoopLab, describeInterop, itInterop, parseJsonReport } from '../helpers/lvm2.js';

const TiB = 2 ** 40;

/** 16 TiB, or 16 TiB - 1 MiB on file systems whose largest file is a little under 16 TiB (ext4). */
function hugeSize(dir: string): number {
  const probe = join(dir, 'probe.img');
  for (const size of [16 * TiB, 16 * TiB - 2 ** 20]) {
    const fd = openSync(probe, 'w');
    try { ftruncateSync(fd, size); return size; } catch { /* EFBIG */ } finally { closeSync(fd); rmSync(probe, { force: true }); }
  }
  throw new Error('this file system cannot hold a sparse file near 16 TiB');
}

describeInterop('16 TiB PVs', () => {
  let lab: LoopLab;
  beforeAll(() => { lab = new LoopLab(); });
  afterAll(() => lab?.cleanup());

  itInterop('pvs, vgs and lvs --segments agree with LVM2 byte for byte', async () => {
    const size = hugeSize(lab.dir);
    const a = lab.disk('huge1.img', size);
    const b = lab.disk('huge2.img', size);
    const vg = lab.vgName();
    lab.pvcreate([a.dev, b.dev]);
    lab.vgcreate(vg, [a.dev, b.dev], ['-s', '64m']);
    lab.lvcreate(vg, ['-n', 'wide', '-i', '2', '-I', '1m', '-L', '6t']);
    lab.lvcreate(vg, ['-n', 'big', '-L', '20t']);
    lab.lvcreate(vg, ['-n', 'rest', '-l', '100%FREE']);
    const images = [a.image, b.image];
    const cases: Array<[kind: 'pvs' | 'vgs' | 'lvs', fields: string, segments: boolean]> = [
      ['pvs', 'pv_name,dev_size,pv_size,pv_free,pv_used,pe_start,pv_pe_count,pv_pe_alloc_count', false],
      ['vgs', 'vg_name,vg_size,vg_free,vg_extent_size,vg_extent_count,vg_free_count', false],
      ['lvs', 'lv_name,lv_size,seg_start,seg_size,seg_start_pe,seg_size_pe,stripes,stripe_size,seg_pe_ranges', true],
    ];
    for (const [kind, fields, segments] of cases) {
      const names = kind === 'pvs' ? [] : [vg];
      const args = ['-o', fields, ...(segments ? ['--segments'] : []), ...names];
      const real = parseJsonReport(lab.toImageNames(lab.lvm(kind, ['--reportformat', 'json', '--units', 'b', '--nosuffix', ...args]).stdout));
      const ours = await reportCommand(kind, { devices: images, options: fields, segments, reportformat: 'json', units: 'b', nosuffix: true, names });
      expect(ours.exitCode ?? 0).toBe(0);
      // LVM2 sorts PVs by its loop device names: compare the rows in a fixed order.
      const sorted = (rows: Array<Record<string, string>>) => [...rows].sort((x, y) => (JSON.stringify(x) < JSON.stringify(y) ? -1 : 1));
      expect(sorted(parseJsonReport(ours.stdout)), `${kind} ${fields}`).toEqual(sorted(real));
    }
    const pv = parseJsonReport((await reportCommand('pvs', { devices: images, options: 'pv_size', reportformat: 'json', units: 'b', nosuffix: true })).stdout);
    expect(Number(pv[0]!.pv_size)).toBeGreaterThan(15.9 * TiB);
  });
});
