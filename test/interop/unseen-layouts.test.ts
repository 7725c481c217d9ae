/**
 * Layouts real LVM2 makes that the other tests do not: 1 KiB and 16 GiB extents, odd data alignments and
 * label sectors, a stripe size larger than the extent, names with every allowed character, and VGs after
 * vgsplit, vgmerge, pvchange --uuid, vgchange --uuid, vgrename and lvrename. lvmkit's reports must equal
 * LVM2's field by field (and the default tables line for line, in LVM2's order); its tables must be the ones
 * worked out from LVM2's segment report; its dumps must equal what GRUB reads from the same image files;
 * `lvmkit metadata --flavour file` must be LVM2's vgcfgbackup text.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import CRC32 from 'crc-32';
import { afterAll, beforeAll, expect } from 'vitest';
import {
  allAvailable, describeWith, itInterop, lvm2Available, LoopLab, runProgram, toolsAvailable, type LabDevice,
} from '../helpers/lvm2.js';
import { lvmkitRows, sortRows, LV_FIELDS, PV_FIELDS, SEG_FIELDS, VG_FIELDS, type Row } from '../helpers/report-compare.js';
import { pseudoRandomBytes, runCli } from '../cli/cli-harness.js';

type Kind = 'pvs' | 'vgs' | 'lvs';
interface Case { kind: Kind; fields: string; segments?: boolean; all?: boolean }
const ALL_CASES: Case[] = [
  { kind: 'pvs', fields: `${PV_FIELDS},pv_ba_start,pv_ba_size` }, { kind: 'vgs', fields: VG_FIELDS },
  { kind: 'lvs', fields: `${LV_FIELDS},lv_permissions`, all: true }, { kind: 'lvs', fields: SEG_FIELDS, segments: true, all: true },
  { kind: 'pvs', fields: 'pv_name,pvseg_start,pvseg_size,lv_name', segments: true },
];

async function expectSameRows(lab: LoopLab, devs: LabDevice[], cases: Case[] = ALL_CASES): Promise<void> {
  for (const c of cases) {
    const args = ['-o', c.fields, ...(c.segments ? ['--segments'] : []), ...(c.all ? ['-a'] : [])];
    const real = JSON.parse(lab.toImageNames(JSON.stringify(lab.report(c.kind, args, { devices: devs.map((d) => d.dev) })))) as Row[];
    const ours = await lvmkitRows(c.kind, devs.map((d) => d.image), { options: c.fields, segments: c.segments, all: c.all });
    expect(sortRows(ours), `${c.kind}${c.segments ? ' --segments' : ''}`).toEqual(sortRows(real));
  }
}

/**
 * The default `lvs`/`vgs` tables, in order (LVM2 sorts them by VG and LV name). With `|` as separator so that
 * the width of device names does not matter; lv_attr chars 5-6 normalised (no device-mapper on this host).
 */
function expectSameTable(lab: LoopLab, devs: LabDevice[], verb: 'lvs' | 'vgs', args: string[] = []): void {
  const real = lab.lvm(verb, ['--separator', '|', ...args], { devices: devs.map((d) => d.dev) });
  const ours = runCli([verb, '--devices', devs.map((d) => d.image).join(','), '--separator', '|', ...args]);
  expect(ours.code).toBe(real.code);
  const norm = (s: string) => s.replace(/^(\s*[^|]*\|[^|]*\|[-a-zA-Z]{4})XX/gm, '$1--');
  expect(ours.stdout, `${verb} ${args.join(' ')}`).toBe(norm(lab.toImageNames(real.stdout)));
}

/** The table lines of every LV of `vg`, worked out from LVM2's own reports (`name: start len target args`). */
function tablesFromLvm2(lab: LoopLab, vg: string, devs: LabDevice[]): string[] {
  const devices = devs.map((d) => d.dev);
  const es = Number(lab.report('vgs', ['-o', 'vg_extent_size', vg], { devices })[0]!.vg_extent_size) / 512;
  const peStart = new Map(lab.report('pvs', ['-o', 'pv_name,pe_start'], { devices }).map((r) => [r.pv_name, Number(r.pe_start) / 512]));
  const rows = lab.report('lvs', ['--segments', '-o', 'lv_name,seg_start_pe,seg_size_pe,seg_pe_ranges,stripes,stripe_size', vg], { devices });
  return rows.map((r) => {
    const ranges = r.seg_pe_ranges!.trim().split(/\s+/).map((s) => {
      const m = /^(\/dev\/\S+):(\d+)-(\d+)$/.exec(s)!;
      return `${lab.imageOf(m[1]!)!.image} ${peStart.get(m[1]!)! + Number(m[2]) * es}`;
    });
    const dm = `${vg.replace(/-/g, '--')}-${r.lv_name!.replace(/-/g, '--')}`;
    const head = `${dm}: ${Number(r.seg_start_pe) * es} ${Number(r.seg_size_pe) * es}`;
    const n = Number(r.stripes);
    return n === 1 ? `${head} linear ${ranges[0]}` : `${head} striped ${n} ${Number(r.stripe_size) / 512} ${ranges.join(' ')}`;
  }).sort();
}

function ourTables(devs: LabDevice[], vg: string): string[] {
  const r = runCli(['table', vg, '--devices', devs.map((d) => d.image).join(',')]);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.split('\n').filter(Boolean).sort();
}

describeWith(allAvailable(lvm2Available(), toolsAvailable('grub-fstest')), 'layouts real LVM2 makes that no other test builds', () => {
  let lab: LoopLab;
  beforeAll(() => { lab = new LoopLab(); });
  afterAll(() => lab?.cleanup());

  itInterop('1 KiB extents, stripes wider than an extent, odd alignments: reports, tables, and dumps equal to GRUB\'s reads', async () => {
    const devs = [['k-a.img', 24], ['k-b.img', 20], ['k-c.img', 17]].map(([name, mib]) => {
      const image = lab.image(String(name), Number(mib) * 1024 * 1024);
      writeFileSync(image, pseudoRandomBytes(Number(mib) * 1024 * 1024, Number(mib)));
      return lab.attach(image);
    });
    const [a, b, c] = devs as [LabDevice, LabDevice, LabDevice];
    lab.pvcreate([a.dev], ['--dataalignment', '64k']);
    lab.pvcreate([b.dev], ['--dataalignmentoffset', '7k']);
    lab.pvcreate([c.dev], ['--labelsector', '3']);
    const vg = lab.vgName();
    lab.vgcreate(vg, devs.map((d) => d.dev), ['-s', '1k']);
    lab.lvcreate(vg, ['-n', 'st3', '-i', '3', '-I', '4k', '-l', '3000']);
    lab.lvcreate(vg, ['-n', 'lin', '-l', '777'], [b.dev]);
    lab.lvcreate(vg, ['-n', 'we-ird+.', '-i', '2', '-I', '64k', '-l', '2048']);
    lab.lvm('lvextend', ['--driverloaded', 'n', '-l', '+1111', `${vg}/lin`]);
    lab.lvm('lvextend', ['--driverloaded', 'n', '-l', '+999', '-i', '1', `${vg}/st3`]);
    // LVM2 capped the 4 KiB stripe at the 1 KiB extent.
    expect(lab.report('lvs', ['--segments', '-o', 'stripe_size', `${vg}/st3`], { devices: devs.map((d) => d.dev) })[0]!.stripe_size).toBe('1024');
    await expectSameRows(lab, devs);
    expect(ourTables(devs, vg)).toEqual(tablesFromLvm2(lab, vg, devs));
    const images = devs.map((d) => d.image);
    for (const lv of ['st3', 'lin', 'we-ird+.']) {
      const size = Number(lab.report('lvs', ['-o', 'lv_size', `${vg}/${lv}`], { devices: devs.map((d) => d.dev) })[0]!.lv_size);
      const out = join(lab.dir, 'lv.out');
      const r = runCli(['dump', `${vg}/${lv}`, '--devices', images.join(','), '-o', out]);
      expect(r.code, r.stderr).toBe(0);
      const data = readFileSync(out);
      expect(data.length).toBe(size);
      const grub = runProgram('grub-fstest', ['-c', String(images.length), ...images, 'crc', `(lvm/${vg}-${lv.replace(/-/g, '--')})0+${size / 512}`]);
      expect(CRC32.buf(data) >>> 0, lv).toBe(Number.parseInt(grub.stdout.trim(), 16) >>> 0);
    }
  });

  itInterop('16 GiB extents on sparse 40 and 33 GiB images: reports and tables', async () => {
    const a = lab.disk('g-a.img', '40G');
    const b = lab.disk('g-b.img', '33G');
    lab.pvcreate([a.dev], ['--labelsector', '0', '--metadatasize', '1000k']);
    lab.pvcreate([b.dev], ['-u', '0123AB-cdef-ghij-klmn-opqr-stuv-wxyz45', '--norestorefile', '--metadatasize', '7k']);
    const vg = lab.vgName();
    lab.vgcreate(vg, [a.dev, b.dev], ['-s', '16g']);
    lab.lvcreate(vg, ['-n', 'big', '-l', '2']);
    lab.lvcreate(vg, ['-n', 'big2', '-l', '1'], [b.dev]);
    await expectSameRows(lab, [a, b]);
    expect(ourTables([a, b], vg)).toEqual(tablesFromLvm2(lab, vg, [a, b]));
  });

  itInterop('after vgsplit, vgmerge, pvchange --uuid, vgchange --uuid, vgrename and lvrename; names sorted as LVM2 sorts them', async () => {
    const devs = ['m-a.img', 'm-b.img', 'm-c.img', 'm-d.img'].map((n) => lab.disk(n, '30M'));
    const [a, b, c, d] = devs as [LabDevice, LabDevice, LabDevice, LabDevice];
    lab.pvcreate(devs.map((x) => x.dev));
    const v1 = `A${lab.vgName()}`;
    const v2 = `a${lab.vgName()}`;
    const v3 = `_${lab.vgName()}`;
    lab.vgcreate(v1, [a.dev, b.dev], ['-s', '1m']);
    lab.vgcreate(v2, [c.dev], ['-s', '1m']);
    lab.vgcreate(v3, [d.dev], ['-s', '1m']);
    for (const n of ['Zed', 'a_b', 'a-b', 'a+b', 'a.b', 'A_', '_x', '9z', '...']) lab.lvcreate(v1, ['-n', n, '-l', '2'], [a.dev]);
    lab.lvcreate(v1, ['-n', 'onb', '-l', '3', '--addtag', 'z9', '--addtag', 'A'], [b.dev]);
    lab.lvcreate(v2, ['-n', 'cc', '-l', '3']);
    const v4 = `S${lab.vgName()}`;
    lab.lvm('vgsplit', [v1, v4, b.dev]);
    lab.lvm('vgmerge', [v3, v2]);
    lab.lvm('pvchange', ['--uuid', c.dev]);
    lab.lvm('vgchange', ['--uuid', v3]);
    lab.lvm('lvrename', ['--driverloaded', 'n', v1, 'Zed', 'renamed-Zed']);
    const v5 = `${v4}-x`;
    lab.lvm('vgrename', [v4, v5]);
    await expectSameRows(lab, devs);
    expectSameTable(lab, devs, 'lvs');
    expectSameTable(lab, devs, 'vgs');
    expectSameTable(lab, devs, 'lvs', ['--segments', '-o', '+devices']);
    expectSameTable(lab, devs, 'lvs', ['-O', 'lv_size,-lv_name']);
    expectSameTable(lab, devs, 'vgs', ['-O', '-vg_name']);
    expect(ourTables(devs, v5)).toEqual(tablesFromLvm2(lab, v5, devs));
  });

  itInterop('zero and error LVs, LVs changed by lvchange, a VG with autoactivation off: reports, tables, dumps', () => {
    const devs = ['f-a.img', 'f-b.img'].map((n) => lab.disk(n, '30M'));
    lab.pvcreate(devs.map((d) => d.dev));
    const vg = lab.vgName();
    lab.vgcreate(vg, devs.map((d) => d.dev), ['-s', '1m']);
    lab.lvcreate(vg, ['-n', 'z', '--type', 'zero', '-L', '5M']);
    lab.lvcreate(vg, ['-n', 'e', '--type', 'error', '-L', '3M']);
    lab.lvcreate(vg, ['-n', 'n1', '-L', '4M']);
    for (const args of [['--setactivationskip', 'y'], ['-p', 'r'], ['-r', '4096'], ['--contiguous', 'y']]) {
      lab.lvm('lvchange', ['--driverloaded', 'n', ...args, `${vg}/n1`]);
    }
    lab.lvm('vgchange', ['--setautoactivation', 'n', vg]);
    lab.lvm('lvchange', ['--driverloaded', 'n', '--setautoactivation', 'n', `${vg}/z`]);
    // LVM2 2.03 shows the LV's own autoactivation setting, whatever the VG's.
    const auto = lab.report('lvs', ['-o', 'lv_name,lv_autoactivation', vg], { devices: devs.map((d) => d.dev) });
    expect(Object.fromEntries(auto.map((r) => [r.lv_name, r.lv_autoactivation]))).toEqual({ e: 'enabled', n1: 'enabled', z: '' });
    return (async () => {
      await expectSameRows(lab, devs, [...ALL_CASES,
        { kind: 'lvs', fields: 'lv_name,lv_attr,lv_autoactivation,lv_skip_activation,lv_read_ahead,lv_permissions,lv_allocation_policy,segtype,lv_layout,lv_role', all: true },
        { kind: 'vgs', fields: 'vg_name,vg_autoactivation,vg_attr' }]);
      const images = devs.map((d) => d.image).join(',');
      expect(ourTables(devs, vg)).toEqual([`${vg}-e: 0 6144 error `, `${vg}-n1: 0 8192 linear ${devs[0]!.image} 2048`, `${vg}-z: 0 10240 zero `]);
      const out = join(lab.dir, 'zero.out');
      expect(runCli(['dump', `${vg}/z`, '--devices', images, '-o', out]).code).toBe(0);
      expect(readFileSync(out).equals(Buffer.alloc(5 * 1024 * 1024))).toBe(true);
      const err = runCli(['dump', `${vg}/e`, '--devices', images, '-o', out]);
      expect(err.code).toBe(5);
      expect(err.stderr).toContain('error target');
    })();
  });

  itInterop('`lvmkit metadata --flavour file` is LVM2\'s vgcfgbackup text (tags, limits, policies, read-only LV, read ahead)', () => {
    const devs = [['t-a.img', '64M'], ['t-b.img', '70M'], ['t-c.img', '50M']].map(([n, s]) => lab.disk(n!, s!));
    const [a, b, c] = devs as [LabDevice, LabDevice, LabDevice];
    lab.pvcreate([a.dev], ['--labelsector', '2']);
    lab.pvcreate([b.dev], ['--pvmetadatacopies', '2']);
    lab.pvcreate([c.dev], ['--pvmetadatacopies', '0']);
    const vg = lab.vgName();
    lab.vgcreate(vg, devs.map((d) => d.dev), ['-s', '2m', '--addtag', 'x+y', '--addtag', 'aa', '-p', '5', '-l', '8', '--alloc', 'anywhere']);
    lab.lvcreate(vg, ['-n', 'na.me+_-', '-l', '3', '-r', '1024', '--addtag', 't1', '--addtag', 'T0', '-p', 'r']);
    lab.lvcreate(vg, ['-n', 'st', '-i', '2', '-I', '8k', '-l', '5', '--alloc', 'contiguous']);
    lab.lvm('lvextend', ['--driverloaded', 'n', '--alloc', 'normal', '-i', '1', '-l', '+3', `${vg}/st`, c.dev]);
    lab.lvm('lvreduce', ['--driverloaded', 'n', '-y', '-l', '-1', `${vg}/st`]);
    lab.lvm('pvchange', ['-x', 'n', '--addtag', 'ptag', a.dev]);
    // The lines that say when and by which command the text was written differ by nature.
    const norm = (t: string) => lab.toImageNames(t)
      .replace(/^(# Generated by ).*$/m, '$1')
      .replace(/^(description = ).*$/m, '$1')
      .replace(/^(creation_time = ).*$/m, '$1');
    const real = lab.vgcfgbackup(vg);
    const ours = runCli(['metadata', vg, '--flavour', 'file', '--devices', devs.map((d) => d.image).join(',')]);
    expect(ours.code, ours.stderr).toBe(0);
    expect(norm(ours.stdout)).toBe(norm(real));
    expect(real).toContain('max_lv = 8');
  });
});
