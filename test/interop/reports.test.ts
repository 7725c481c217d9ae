/**
 * lvmkit's pvs/vgs/lvs (and lvs --segments) against real LVM2's, field by field, on volumes real LVM2 built on
 * loop devices. lvmkit reads the image files; LVM2 reads the loop devices over them. Device names are mapped
 * (loop -> image path, partition -> image:pN); lv_attr chars 4-5 are "XX" on this host's LVM2 (no device-mapper)
 * and "--" in lvmkit (offline = inactive), so they are normalised.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { describeInterop, itInterop, LoopLab, type LabDevice } from '../helpers/lvm2.js';
import { compareReports, lvmkitRows, sortRows, LV_FIELDS, PV_FIELDS, SEG_FIELDS, VG_FIELDS, type Row } from '../helpers/report-compare.js';
import { reportCommand } from '../../src/commands/reporting.js';

/** Compare the 4 reports of the whole lab with LVM2's. */
function compareAll(lab: LoopLab, devs: LabDevice[], vg?: string): Promise<void> {
  return compareReports(lab, devs, vg);
}

describeInterop('reports equal LVM2 field by field', () => {
  let lab: LoopLab;
  beforeAll(() => { lab = new LoopLab(); });
  afterAll(() => lab?.cleanup());

  itInterop('one PV with a linear LV', async () => {
    const a = lab.disk('one.img', '64M');
    const vg = lab.vgName();
    lab.pvcreate([a.dev]);
    lab.vgcreate(vg, [a.dev]);
    lab.lvcreate(vg, ['-n', 'lv1', '-L', '12M']);
    await compareAll(lab, [a], vg);
    lab.lvm('vgremove', ['-ff', '-y', vg]);
  });

  itInterop('three PVs, an LV spanning two, striped LVs of 2/3/4 stripes with 4K/64K/1M stripes', async () => {
    const d = ['s1.img', 's2.img', 's3.img', 's4.img'].map((n) => lab.disk(n, '64M'));
    const vg = lab.vgName();
    lab.pvcreate(d.map((x) => x.dev));
    lab.vgcreate(vg, d.map((x) => x.dev), ['-s', '1m']);
    lab.lvcreate(vg, ['-n', 'span', '-L', '40M'], [d[0].dev, d[1].dev]);
    lab.lvcreate(vg, ['-n', 'st2', '-i', '2', '-I', '4k', '-L', '8M']);
    lab.lvcreate(vg, ['-n', 'st3', '-i', '3', '-I', '64k', '-L', '9M']);
    lab.lvcreate(vg, ['-n', 'st4', '-i', '4', '-I', '1m', '-L', '16M']);
    await compareAll(lab, d, vg);
    lab.lvm('vgremove', ['-ff', '-y', vg]);
  });

  itInterop('an LV of 5+ segments after interleaved lvextend/lvremove, tags, every allowed name character', async () => {
    const d = ['m1.img', 'm2.img'].map((n) => lab.disk(n, '64M'));
    const vg = `${lab.vgName()}+_.-Z9`;
    lab.pvcreate(d.map((x) => x.dev));
    lab.vgcreate(vg, d.map((x) => x.dev), ['-s', '1m', '--addtag', 'vg_tag+.-/=!:&#', '--addtag', 'Zz9']);
    lab.lvcreate(vg, ['-n', 'grow', '-L', '2M'], [d[0].dev]);
    for (let i = 0; i < 4; i++) {
      lab.lvcreate(vg, ['-n', `gap${i}`, '-L', '1M'], [d[i % 2].dev]);
      lab.lvm('lvextend', ['--driverloaded', 'n', '-L', '+2M', `${vg}/grow`, d[(i + 1) % 2].dev]);
    }
    lab.lvm('lvremove', ['--driverloaded', 'n', '-y', `${vg}/gap1`]);
    lab.lvm('lvextend', ['--driverloaded', 'n', '-L', '+3M', `${vg}/grow`, d[0].dev]);
    lab.lvcreate(vg, ['-n', 'aZ09+_.-x', '-L', '1M', '--addtag', 'lvtag_1', '--addtag', 'A+b.c-d/e=f!g:h&i#j']);
    lab.lvcreate(vg, ['-n', '...', '-L', '1M']);
    const segs = lab.report('lvs', ['--segments', '-o', 'lv_name', `${vg}/grow`]);
    expect(segs.length).toBeGreaterThanOrEqual(5);
    await compareAll(lab, d, vg);
    lab.lvm('vgremove', ['-ff', '-y', vg]);
  });

  itInterop('a PV with two metadata areas and one with none; metadata wrapped in a small area', async () => {
    const two = lab.disk('mda2.img', '64M');
    const none = lab.disk('mda0.img', '64M');
    const small = lab.disk('small.img', '64M');
    const vg = lab.vgName();
    lab.pvcreate([two.dev], ['--pvmetadatacopies', '2']);
    lab.pvcreate([none.dev], ['--pvmetadatacopies', '0']);
    lab.pvcreate([small.dev], ['--metadatasize', '32k', '--dataalignment', '4k']);
    lab.vgcreate(vg, [two.dev, none.dev, small.dev], ['-s', '1m']);
    for (let i = 0; i < 16; i++) lab.lvcreate(vg, ['-n', `w${i}`, '-L', '1M']);
    await compareAll(lab, [two, none, small], vg);
    lab.lvm('vgremove', ['-ff', '-y', vg]);
  });

  itInterop('a PV inside a GPT partition and one inside an MBR logical partition', async () => {
    const gpt = lab.gptDisk('gpt.img', '64M', { mode: 'slices' });
    const mbr = lab.mbrDisk('mbr.img', '64M', { mode: 'slices' });
    const vg = lab.vgName();
    lab.pvcreate([gpt.pv.dev, mbr.pv.dev]);
    lab.vgcreate(vg, [gpt.pv.dev, mbr.pv.dev], ['-s', '1m']);
    lab.lvcreate(vg, ['-n', 'onparts', '-i', '2', '-L', '6M']);
    const devices = [gpt.pv.dev, mbr.pv.dev];
    const real = lab.report('pvs', ['-o', PV_FIELDS], { devices });
    const mapped = JSON.parse(lab.toImageNames(JSON.stringify(real))) as Row[];
    const ours = await lvmkitRows('pvs', [gpt.whole.image, mbr.whole.image], { options: PV_FIELDS });
    expect(sortRows(ours)).toEqual(sortRows(mapped));
    expect(ours.map((r) => r.pv_name).sort()).toEqual([`${gpt.whole.image}:p2`, `${mbr.whole.image}:p5`]);
    const realSeg = JSON.parse(lab.toImageNames(JSON.stringify(lab.report('lvs', ['--segments', '-o', SEG_FIELDS, vg], { devices })))) as Row[];
    const ourSeg = await lvmkitRows('lvs', [gpt.whole.image, mbr.whole.image], { options: SEG_FIELDS, segments: true, names: [vg] });
    expect(sortRows(ourSeg)).toEqual(sortRows(realSeg));
    lab.lvm('vgremove', ['-ff', '-y', vg], { devices });
  });

  itInterop('a VG with 300 LVs', async () => {
    const a = lab.disk('many.img', '400M');
    const vg = lab.vgName();
    lab.pvcreate([a.dev], ['--metadatasize', '4m']);
    lab.vgcreate(vg, [a.dev], ['-s', '1m']);
    // Build the 300 LVs in one vgcfgrestore instead of 300 lvcreates: LVM2 then reports on its own metadata.
    const backup = lab.vgcfgbackup(vg);
    const lvs: string[] = [];
    for (let i = 0; i < 300; i++) {
      lvs.push(`\t\tlv${i} {\n\t\t\tid = "${uuidFor(i)}"\n\t\t\tstatus = ["READ", "WRITE", "VISIBLE"]\n\t\t\tflags = []\n\t\t\tcreation_time = ${1700000000 + i}\n\t\t\tcreation_host = "h${i % 7}"\n\t\t\tsegment_count = 1\n\n\t\t\tsegment1 {\n\t\t\t\tstart_extent = 0\n\t\t\t\textent_count = 1\n\n\t\t\t\ttype = "striped"\n\t\t\t\tstripe_count = 1\n\n\t\t\t\tstripes = [\n\t\t\t\t\t"pv0", ${i}\n\t\t\t\t]\n\t\t\t}\n\t\t}\n`);
    }
    const text = backup.replace(/\n\t}\n\n\n}\n*$/, `\n\t}\n\n\tlogical_volumes {\n\n${lvs.join('\n')}\t}\n\n}\n`);
    expect(text).toContain('lv299 {');
    const file = `${lab.dir}/many.vg`;
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, text);
    lab.lvm('vgcfgrestore', ['-f', file, vg]);
    expect(lab.report('vgs', ['-o', 'lv_count', vg])[0].lv_count).toBe('300');
    await compareAll(lab, [a], vg);
    lab.lvm('vgremove', ['-ff', '-y', vg]);
  });

  itInterop('a VG with a PV missing: reports list what is known and mark the PV missing', async () => {
    const d = ['x1.img', 'x2.img', 'x3.img'].map((n) => lab.disk(n, '64M'));
    const vg = lab.vgName();
    lab.pvcreate(d.map((x) => x.dev));
    lab.vgcreate(vg, d.map((x) => x.dev), ['-s', '1m']);
    lab.lvcreate(vg, ['-n', 'onmissing', '-L', '4M'], [d[1].dev]);
    lab.lvcreate(vg, ['-n', 'striped', '-i', '2', '-L', '4M'], [d[0].dev, d[1].dev]);
    lab.lvcreate(vg, ['-n', 'safe', '-L', '4M'], [d[2].dev]);
    const devices = [d[0].dev, d[2].dev];
    const images = [d[0].image, d[2].image];
    for (const [kind, fields, segments] of [['pvs', PV_FIELDS, false], ['vgs', VG_FIELDS, false], ['lvs', LV_FIELDS, false], ['lvs', SEG_FIELDS, true]] as const) {
      const real = lab.report(kind, ['-o', fields, ...(segments ? ['--segments'] : [])], { devices });
      const mapped = JSON.parse(lab.toImageNames(JSON.stringify(real))) as Row[];
      const out = await reportCommand(kind, { devices: images, reportformat: 'json', units: 'b', nosuffix: true, options: fields, segments });
      expect(out.warnings.join('\n')).toContain(`Couldn't find device with uuid`);
      const ours = Object.values((JSON.parse(out.stdout) as { report: Array<Record<string, Row[]>> }).report[0])[0];
      expect(sortRows(ours), kind).toEqual(sortRows(mapped));
    }
    lab.lvm('vgremove', ['-ff', '-y', vg]);
  });
});

function uuidFor(i: number): string {
  const raw = `LvmkitTest${String(i).padStart(22, '0')}`;
  return [raw.slice(0, 6), raw.slice(6, 10), raw.slice(10, 14), raw.slice(14, 18), raw.slice(18, 22), raw.slice(22, 26), raw.slice(26)].join('-');
}
