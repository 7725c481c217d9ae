/**
 * Old-style snapshots, made by real LVM2 with the real kernel (test/fixtures/snapshot): lvmkit must read
 * them, report them as LVM2 does (the internal snapshotN LVs are never rows, not even with -a; the COW LV
 * is a visible "s" LV; the origin is "o"), and write their metadata back in LVM2's order.
 */
import { afterAll, beforeEach, expect } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { describeInterop, itInterop, LoopLab } from '../helpers/lvm2.js';
import { compareReports, LV_FIELDS, PV_FIELDS, SEG_FIELDS, VG_FIELDS } from '../helpers/report-compare.js';
import { REPO_ROOT } from '../helpers/images.js';
import { scanDevices } from '../../src/commands/scan.js';
import { commitVg } from '../../src/commands/commit.js';

const FIXTURE = join(REPO_ROOT, 'test', 'fixtures', 'snapshot', 'snapshot-vm.img.gz');

describeInterop('old-style snapshots made by the real kernel', () => {
  // One lab per test: both attach a copy of the same PV (same UUID), which LVM2 must not see twice.
  const labs: LoopLab[] = [];
  let lab: LoopLab;
  beforeEach(() => { lab = new LoopLab(); labs.push(lab); });
  afterAll(() => { for (const l of labs) l.cleanup(); });

  function attachFixture(name: string) {
    const image = join(lab.dir, name);
    writeFileSync(image, gunzipSync(readFileSync(FIXTURE)));
    const dev = lab.attach(image);
    const vg = lab.vgName();
    lab.lvm('vgrename', ['snapvg', vg]);   // a random VG name, written by real LVM2
    return { dev, vg };
  }

  itInterop('reports equal LVM2 (lvs, lvs -a, segments, pvs segments, vgs snap_count)', async () => {
    const { dev, vg } = attachFixture('snap.img');
    await compareReports(lab, [dev], vg, [
      { kind: 'pvs', fields: PV_FIELDS }, { kind: 'vgs', fields: VG_FIELDS },
      { kind: 'lvs', fields: `${LV_FIELDS},origin,origin_size,snap_percent` },
      { kind: 'lvs', fields: `${LV_FIELDS},origin`, all: true },
      { kind: 'lvs', fields: SEG_FIELDS, segments: true, all: true },
      { kind: 'pvs', fields: 'pv_name,pvseg_start,pvseg_size,lv_name,segtype', segments: true },
    ]);
  });

  itInterop('lvmkit writes the metadata back in LVM2\'s LV order, and LVM2 reads it', async () => {
    const { dev, vg } = attachFixture('snap2.img');
    const before = lab.vgcfgbackup(vg);
    const scan = await scanDevices([dev.image], { write: true });
    try {
      const sv = scan.vgs[0];
      sv.vg.seqno += 1;
      await commitVg(sv.vg, [...sv.pvs.values()], { description: 'lvmkit test' });
    } finally {
      await scan.close();
    }
    lab.lvm('vgck', [vg]);
    const after = lab.vgcfgbackup(vg);
    const lvOrder = (text: string) => [...text.slice(text.indexOf('\tlogical_volumes {')).matchAll(/^\t\t(\S+) \{$/gm)].map((m) => m[1]);
    expect(lvOrder(after)).toEqual(lvOrder(before));
    expect(lvOrder(before)).toEqual(['a', 'b', 'snap', 'c', 'snap2', 'snapshot0', 'snapshot1']);
  });
});
