/**
 * `lvs -a` on the advanced-LV fixtures (test/fixtures/advanced: raid1, mirror, raid5, thin, snapshot,
 * raid1+integrity, dm-cache, made by real LVM2 with the real kernel) against lvs-in-vm.txt, what LVM2
 * printed in that VM. Runs without root or LVM2: the row order (hidden LVs sorted without their brackets),
 * segment types, sizes, attributes and devices (sub-LVs as name(extent)) must be LVM2's.
 * The VM's LVs were active: lv_attr chars 5-6 (state, open) are '--' offline, and raid/mirror images that
 * the active kernel reported in sync ('i') are 'I' offline (LVM2 prints 'I' too when it cannot ask the kernel).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { createSparseImage, makeTempDir, removeDir, REPO_ROOT } from '../helpers/images.js';
import { reportCommand } from '../../src/commands/reporting.js';

const DIR = join(REPO_ROOT, 'test', 'fixtures', 'advanced');

interface VmRow { lv: string; type: string; size: string; attr: string; devices: string }

/** The `== lvs` table of lvs-in-vm.txt: LV, Type, LSize, Attr, Devices (+ kernel percentages, ignored). */
function vmRows(): VmRow[] {
  const lines = readFileSync(join(DIR, 'lvs-in-vm.txt'), 'utf8').split('\n');
  const head = lines.findIndex((l) => /^\s+LV\s+Type\s+LSize\s+Attr\s+Devices/.test(l));
  const devStart = lines[head]!.indexOf('Devices');
  const devEnd = lines[head]!.indexOf('Cpy%Sync');
  const rows: VmRow[] = [];
  for (const l of lines.slice(head + 1)) {
    if (!l.startsWith('  ') || l.startsWith('==')) break;
    const [lv, type, size, attr] = l.trim().split(/\s+/);
    rows.push({ lv: lv!, type: type!, size: size!, attr: attr!, devices: l.slice(devStart, devEnd).trim() });
  }
  return rows;
}

/** What LVM2 prints for the same LV when nothing is active. */
function offlineAttr(attr: string): string {
  return (attr[0] === 'i' ? 'I' : attr[0]) + attr.slice(1, 4) + '--' + attr.slice(6);
}

describe('lvs -a on raid, mirror, thin, cache, integrity and snapshot LVs made by the real kernel', () => {
  let tmp: string;
  let images: string[];

  beforeAll(() => {
    tmp = makeTempDir('lvmkit-adv-');
    images = ['a', 'b', 'c'].map((x) => {
      const out = join(tmp, `${x}.img`);
      const data = gunzipSync(readFileSync(join(DIR, `adv-${x}.img.gz`)));
      createSparseImage(out, data.length);
      const fd = openSync(out, 'r+');
      try {
        const head = data.subarray(0, 1024 * 1024);   // the label and metadata area; the rest is zeros
        writeSync(fd, head, 0, head.length, 0);
      } finally {
        closeSync(fd);
      }
      return out;
    });
  });
  afterAll(() => removeDir(tmp));

  it('rows, order, types, sizes, attributes and devices are what LVM2 printed in the VM', async () => {
    const expected = vmRows();
    expect(expected).toHaveLength(39);   // 38 LVs, lvol0_pmspare in two segments
    const out = await reportCommand('lvs', {
      devices: images, deviceNames: ['/dev/vda', '/dev/vdb', '/dev/vdc'], all: true, reportformat: 'json',
      options: 'lv_name,segtype,lv_size,lv_attr,devices',
    });
    const rows = (JSON.parse(out.stdout) as { report: [{ lv: Record<string, string>[] }] }).report[0].lv;
    expect(rows.map((r) => ({ lv: r.lv_name, type: r.segtype, size: r.lv_size!.trim(), attr: r.lv_attr, devices: r.devices })))
      .toEqual(expected.map((r) => ({ ...r, attr: offlineAttr(r.attr) })));
  });

  it('the text table has LVM2\'s columns and widths for these rows', async () => {
    const out = await reportCommand('lvs', {
      devices: images, deviceNames: ['/dev/vda', '/dev/vdb', '/dev/vdc'], all: true,
      options: 'lv_name,segtype,lv_size,lv_attr,devices',
    });
    const vm = readFileSync(join(DIR, 'lvs-in-vm.txt'), 'utf8').split('\n');
    const head = vm.findIndex((l) => /^\s+LV\s+Type\s+LSize\s+Attr\s+Devices/.test(l));
    const devEnd = vm[head]!.indexOf('Cpy%Sync');
    // The VM printed three more (kernel) columns: compare the first five, cut where the sixth starts.
    const cut = (l: string): string => l.slice(0, devEnd - 1);
    const ours = out.stdout.trimEnd().split('\n');
    const want = vm.slice(head, head + 40).map(cut).map((l, i) => (i === 0 ? l : l.replace(/^(\s+\S+\s+\S+\s+\S+\s+)(\S{10})/, (_m, pre: string, attr: string) => pre + offlineAttr(attr))));
    expect(ours.map((l) => l.trimEnd())).toEqual(want.map((l) => l.trimEnd()));
  });
});
