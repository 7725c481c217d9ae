/**
 * Sets of images the other tests do not build, against real LVM2 on the same images: two images holding the
 * same PV (a dd copy), a PV image cut below LVM2's pv_min_size, an exported VG, and names that match nothing.
 * lvmkit's rows, warnings, error lines and exit codes must be LVM2's (device names mapped to image paths).
 */
import { copyFileSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { describeInterop, itInterop, LoopLab, type LabDevice } from '../helpers/lvm2.js';
import { lvmkitRows, sortRows, LV_FIELDS, PV_FIELDS, SEG_FIELDS, VG_FIELDS, type Row } from '../helpers/report-compare.js';
import { hashes, runCli, stderrLines } from '../cli/cli-harness.js';
import { reportCommand } from '../../src/commands/reporting.js';

type Kind = 'pvs' | 'vgs' | 'lvs';
interface Case { kind: Kind; fields: string; segments?: boolean; all?: boolean }
const ALL_CASES: Case[] = [
  { kind: 'pvs', fields: PV_FIELDS }, { kind: 'vgs', fields: VG_FIELDS },
  { kind: 'lvs', fields: LV_FIELDS, all: true }, { kind: 'lvs', fields: SEG_FIELDS, segments: true, all: true },
  { kind: 'pvs', fields: 'pv_name,pvseg_start,pvseg_size,lv_name', segments: true },
];

async function expectSameRows(lab: LoopLab, devices: string[], images: string[], cases: Case[] = ALL_CASES): Promise<void> {
  for (const c of cases) {
    const args = ['-o', c.fields, ...(c.segments ? ['--segments'] : []), ...(c.all ? ['-a'] : [])];
    const real = JSON.parse(lab.toImageNames(JSON.stringify(lab.report(c.kind, args, { devices })))) as Row[];
    const ours = await lvmkitRows(c.kind, images, { options: c.fields, segments: c.segments, all: c.all });
    expect(sortRows(ours), `${c.kind}${c.segments ? ' --segments' : ''}`).toEqual(sortRows(real));
  }
}

/** LVM2's stderr lines (noise of this kernel dropped), trimmed, loop devices renamed to image paths. */
function lines(lab: LoopLab, stderr: string): string[] {
  return lab.toImageNames(stderr).split('\n').map((l) => l.trim()).filter(Boolean);
}

describeInterop('images LVM2 sees in its own way: copies, tiny devices, exported VGs, unknown names', () => {
  let lab: LoopLab;
  beforeAll(() => { lab = new LoopLab(); });
  afterAll(() => lab?.cleanup());

  /** Three PVs in a VG with a linear and a striped LV. */
  function threePvVg(prefix: string): { vg: string; devs: LabDevice[] } {
    const devs = ['a', 'b', 'c'].map((x) => lab.disk(`${prefix}-${x}.img`, '40M'));
    lab.pvcreate(devs.map((d) => d.dev));
    const vg = lab.vgName();
    lab.vgcreate(vg, devs.map((d) => d.dev), ['-s', '1m']);
    lab.lvcreate(vg, ['-n', 'lin', '-L', '8M'], [devs[0]!.dev]);
    lab.lvcreate(vg, ['-n', 'st', '-i', '3', '-I', '64k', '-L', '12M']);
    return { vg, devs };
  }

  itInterop('a dd copy of a PV image: the copy is in no report, LVM2\'s two warnings, and no change is written', async () => {
    const { vg, devs } = threePvVg('dup');
    const copy = join(lab.dir, 'dup-copy.img');
    copyFileSync(devs[1]!.image, copy);
    const c = lab.attach(copy);
    const all = [...devs, c];
    const real = lab.lvm('pvs', ['-o', 'pv_name'], { devices: all.map((d) => d.dev) });
    expect(lines(lab, real.stderr).some((l) => /^WARNING: Not using device \S+ for PV \S+\.$/.test(l))).toBe(true);
    await expectSameRows(lab, all.map((d) => d.dev), all.map((d) => d.image));
    // lvmkit keeps the first image named (LVM2's last resort: "device was seen first").
    const images = all.map((d) => d.image);
    const out = await reportCommand('pvs', { devices: images, options: 'pv_name' });
    const uuid = lab.report('pvs', ['-o', 'pv_uuid'], { devices: [devs[1]!.dev] })[0]!.pv_uuid;
    expect(out.warnings).toEqual([
      `Not using device ${copy} for PV ${uuid}.`,
      `PV ${uuid} prefers device ${devs[1]!.image} because device was seen first.`,
    ]);
    // Writing is refused, in LVM2's words (LVM2 refuses too).
    const lvm2 = lab.lvm('lvcreate', ['--driverloaded', 'n', '-an', '-Zn', '-y', '-n', 'new', '-L', '4M', vg], { devices: all.map((d) => d.dev), allowFail: true });
    expect(lvm2.code).not.toBe(0);
    expect(lines(lab, lvm2.stderr)).toContain(`Cannot update volume group ${vg} with duplicate PV devices.`);
    const before = hashes(images);
    const r = runCli(['lvcreate', '-n', 'new', '-L', '4M', vg, '--devices', images.join(',')]);
    expect(r.code).toBe(5);
    expect(stderrLines(r).at(-1)).toBe(`lvmkit: Cannot update volume group ${vg} with duplicate PV devices (${copy} holds PV ${uuid}, as ${devs[1]!.image} does).`);
    expect(hashes(images)).toEqual(before);
    lab.detach(c);
  });

  itInterop('a PV image cut below pv_min_size (2 MiB) is missing, as LVM2 sees it; at 2 MiB it is still used', async () => {
    const { vg, devs } = threePvVg('cut');
    const [a, b] = devs as [LabDevice, LabDevice];
    let c = devs[2]!;
    const uuid = lab.report('pvs', ['-o', 'pv_uuid'], { devices: [c.dev] })[0]!.pv_uuid;
    for (const [size, missing] of [[2048 * 1024, false], [2047 * 1024, true]] as const) {
      lab.detach(c);
      truncateSync(c.image, size);
      c = lab.attach(c.image);
      const devices = [a.dev, b.dev, c.dev];
      const images = [a.image, b.image, c.image];
      expect(lab.report('vgs', ['-o', 'vg_missing_pv_count', vg], { devices })[0]!.vg_missing_pv_count).toBe(missing ? '1' : '0');
      await expectSameRows(lab, devices, images);
      const out = await reportCommand('vgs', { devices: images, options: 'vg_name' });
      expect(out.warnings.includes(`Couldn't find device with uuid ${uuid}.`), out.warnings.join('\n')).toBe(missing);
    }
  });

  itInterop('an exported VG: lvs leaves its LVs out, naming it is LVM2\'s error (exit 5); pvs and vgs still show it', async () => {
    const x = lab.disk('exp-x.img', '24M');
    const y = lab.disk('exp-y.img', '24M');
    lab.pvcreate([x.dev, y.dev]);
    const vx = lab.vgName();
    const vy = lab.vgName();
    lab.vgcreate(vx, [x.dev], ['-s', '1m']);
    lab.vgcreate(vy, [y.dev], ['-s', '1m']);
    lab.lvcreate(vx, ['-n', 'x1', '-L', '2M']);
    lab.lvcreate(vy, ['-n', 'y1', '-L', '2M']);
    lab.lvm('vgexport', [vx], { devices: [x.dev, y.dev] });
    const devices = [x.dev, y.dev];
    const images = [x.image, y.image];
    await expectSameRows(lab, devices, images, [...ALL_CASES, { kind: 'vgs', fields: 'vg_name,lv_name,vg_exported' }, { kind: 'pvs', fields: 'pv_name,lv_name,pv_exported' }]);
    for (const names of [[vx], [`${vx}/x1`], [vx, `${vy}/y1`]]) {
      const real = lab.lvm('lvs', ['--noheadings', '-o', 'lv_name', ...names], { devices, allowFail: true });
      const ours = runCli(['lvs', '--devices', images.join(','), '--noheadings', '-o', 'lv_name', ...names]);
      expect(ours.code, names.join(' ')).toBe(real.code);
      expect(real.code).toBe(5);
      expect(stderrLines(ours).map((l) => l.trim())).toEqual(lines(lab, real.stderr));
      expect(ours.stdout).toBe(real.stdout);
    }
    lab.lvm('vgimport', [vx], { devices });
  });

  itInterop('two VGs of one name (disks of two machines): both reported, the name is skipped as LVM2 skips it', async () => {
    const p = lab.disk('same-p.img', '20M');
    const q = lab.disk('same-q.img', '24M');
    const vg = lab.vgName();
    // Each VG made while LVM2 sees only its own disk.
    for (const [d, n] of [[p, '2'], [q, '3']] as const) {
      lab.pvcreate([d.dev], [], { devices: [d.dev] });
      lab.vgcreate(vg, [d.dev], ['-s', '1m'], { devices: [d.dev] });
      lab.lvcreate(vg, ['-n', 'one', '-l', n], [], { devices: [d.dev] });
    }
    const devices = [p.dev, q.dev];
    const images = [p.image, q.image];
    await expectSameRows(lab, devices, images);
    const real = lab.lvm('vgs', ['-o', 'vg_uuid'], { devices });
    const uuids = lab.report('vgs', ['-o', 'vg_uuid'], { devices }).map((r) => r.vg_uuid!);
    expect(uuids).toHaveLength(2);
    const shared = lines(lab, real.stderr).find((l) => l.startsWith('WARNING: VG name'));
    expect(shared).toMatch(new RegExp(`^WARNING: VG name ${vg} is used by VGs \\S+ and \\S+\\.$`));
    const out = await reportCommand('vgs', { devices: images, options: 'vg_uuid' });
    const ours = out.warnings.find((w) => w.startsWith('VG name'))!;
    for (const u of uuids) expect(ours).toContain(u);
    // Naming it: LVM2 skips it with an error (exit 5); lvmkit does the same.
    for (const [verb, args] of [['lvs', [vg]], ['vgs', [vg]], ['lvs', [`${vg}/one`]]] as const) {
      const r = lab.lvm(verb, ['--noheadings', ...args], { devices, allowFail: true });
      const k = runCli([verb, '--devices', images.join(','), '--noheadings', ...args]);
      expect(r.code).toBe(5);
      expect(k.code).toBe(5);
      expect(k.stdout).toBe(r.stdout);
      expect(lines(lab, r.stderr)).toContain(`Multiple VGs found with the same name: skipping ${vg}`);
      expect(stderrLines(k).map((l) => l.trim())).toContain(`Multiple VGs found with the same name: skipping ${vg}`);
    }
    const change = lab.lvm('lvchange', ['--driverloaded', 'n', '--addtag', 't', `${vg}/one`], { devices, allowFail: true });
    expect(change.code).toBe(5);
    expect(lines(lab, change.stderr)).toContain(`Multiple VGs found with the same name: skipping ${vg}`);
    const before = hashes(images);
    for (const args of [['lvchange', '--addtag', 't', `${vg}/one`], ['dump', `${vg}/one`, '-o', join(lab.dir, 'one.out')], ['table', `${vg}/one`]]) {
      const k = runCli([...args, '--devices', images.join(',')]);
      expect(k.code, args.join(' ')).toBe(5);
      expect(stderrLines(k).at(-1)).toMatch(new RegExp(`^lvmkit: Multiple VGs found with the same name: skipping ${vg} \\(VG UUIDs `));
    }
    expect(hashes(images)).toEqual(before);
  });

  itInterop('names that match nothing: LVM2\'s error lines without "WARNING:", exit 5, the rest still reported', async () => {
    const z = lab.disk('nf-z.img', '24M');
    lab.pvcreate([z.dev]);
    const vz = lab.vgName();
    lab.vgcreate(vz, [z.dev], ['-s', '1m']);
    lab.lvcreate(vz, ['-n', 'z1', '-L', '2M']);
    for (const [verb, names] of [['lvs', ['nosuchvg']], ['lvs', [`${vz}/nolv`, `${vz}/z1`]], ['vgs', [vz, 'nosuchvg']], ['lvs', ['nosuchvg', vz]]] as const) {
      const real = lab.lvm(verb, ['--noheadings', '-o', verb === 'lvs' ? 'lv_name' : 'vg_name', ...names], { devices: [z.dev], allowFail: true });
      const ours = runCli([verb, '--devices', z.image, '--noheadings', '-o', verb === 'lvs' ? 'lv_name' : 'vg_name', ...names]);
      expect(real.code).toBe(5);
      expect(ours.code, `${verb} ${names.join(' ')}`).toBe(5);
      expect(stderrLines(ours).map((l) => l.trim())).toEqual(lines(lab, real.stderr));
      expect(ours.stdout).toBe(real.stdout);
    }
  });
});
