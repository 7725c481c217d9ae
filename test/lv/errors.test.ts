/**
 * LV verbs refusing what cannot be done: each case leaves every image byte-identical, prints one
 * "lvmkit: " line saying what is wrong (and what to do instead), and real LVM2 refuses the same command -
 * where lvmkit uses LVM2's wording, with the same message.
 */
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { describeInterop, itInterop, LoopLab, type LabDevice } from '../helpers/lvm2.js';
import { expectOneLineError } from '../cli/cli-harness.js';
import { lvmkitReadOnly } from './twins.js';

interface ErrCase {
  what: string;
  verb: string;
  /** %vg = the VG, @N = image/device N. */
  args: string[];
  patterns: Array<string | RegExp>;
  /** lvmkit's line (after "lvmkit: ") equals LVM2's error line. */
  sameAsLvm2?: boolean;
  /** LVM2 has no such refusal (lvmkit-only limit): do not run LVM2. */
  lvmkitOnly?: boolean;
  exitCode?: number;
}

const CASES: ErrCase[] = [
  { what: 'not enough free space (lvcreate)', verb: 'lvcreate', args: ['-n', 'x', '-l', '500', '%vg'], patterns: [/has insufficient free space \(105 extents\): 500 required\./], sameAsLvm2: true },
  { what: 'not enough free space (lvextend)', verb: 'lvextend', args: ['-l', '+500', '%vg/base'], patterns: ['500 extents needed, but only 105 available'], sameAsLvm2: true },
  { what: 'not enough free space in the PV ranges given', verb: 'lvcreate', args: ['-n', 'x', '-l', '30', '%vg', '@1:0-20'], patterns: ['Insufficient free space: 30 extents needed, but only 21 available'], sameAsLvm2: true },
  { what: 'bad characters in a name', verb: 'lvcreate', args: ['-n', 'a@b', '-l', '1', '%vg'], patterns: ['"a@b" is invalid', 'valid set includes'], exitCode: 3 },
  { what: 'reserved name', verb: 'lvcreate', args: ['-n', 'snapshot1', '-l', '1', '%vg'], patterns: ['Names starting "snapshot" are reserved. Please choose a different LV name.'], sameAsLvm2: true, exitCode: 3 },
  { what: 'duplicate name (lvcreate)', verb: 'lvcreate', args: ['-n', 'base', '-l', '1', '%vg'], patterns: [/Logical Volume "base" already exists in volume group/], sameAsLvm2: true },
  { what: 'duplicate name (lvrename)', verb: 'lvrename', args: ['%vg', 'base', 'two'], patterns: [/Logical Volume "two" already exists in volume group/], sameAsLvm2: true },
  { what: 'bad new name (lvrename)', verb: 'lvrename', args: ['%vg', 'base', 'a@b'], patterns: ['New logical volume name "a@b" is invalid'], exitCode: 3 },
  { what: 'more stripes than PVs', verb: 'lvcreate', args: ['-n', 'x', '-i', '4', '-l', '8', '%vg'], patterns: ['Number of stripes (4) must not exceed number of physical volumes (3)'], sameAsLvm2: true },
  { what: 'stripe size not a power of two', verb: 'lvcreate', args: ['-n', 'x', '-i', '2', '-I', '3k', '-l', '8', '%vg'], patterns: ['Invalid stripe size 3.00 KiB.', 'power of two'], exitCode: 3 },
  { what: 'reducing below one extent', verb: 'lvreduce', args: ['-l', '-100', '%vg/base'], patterns: [/Unable to reduce \S+\/base below 1 extent\./], sameAsLvm2: true },
  { what: 'reducing to 0 extents', verb: 'lvreduce', args: ['-l', '0', '%vg/base'], patterns: ['--extents may not be zero.'], exitCode: 3 },
  { what: 'reducing to size 0', verb: 'lvreduce', args: ['-L', '0', '%vg/base'], patterns: ['--size may not be zero.'], exitCode: 3 },
  { what: 'lvextend to a smaller size', verb: 'lvextend', args: ['-l', '5', '%vg/base'], patterns: ['New size given (5 extents) not larger than existing size (10 extents)'], sameAsLvm2: true },
  { what: 'lvreduce to a larger size', verb: 'lvreduce', args: ['-l', '50', '%vg/base'], patterns: ['New size given (50 extents) not less than existing size (10 extents)'], sameAsLvm2: true },
  { what: 'the same size', verb: 'lvresize', args: ['-l', '10', '%vg/base'], patterns: ['New size (10 extents) matches existing size (10 extents).'], sameAsLvm2: true },
  { what: 'contiguous space that is not there', verb: 'lvextend', args: ['-l', '+2', '--alloc', 'contiguous', '%vg/base'], patterns: ['Insufficient suitable contiguous allocatable extents for logical volume base: 2 more required'], sameAsLvm2: true },
  { what: 'unknown LV (lvextend)', verb: 'lvextend', args: ['-l', '+1', '%vg/nolv'], patterns: [/Logical volume nolv not found in volume group \S+\./], sameAsLvm2: true },
  { what: 'unknown LV (lvremove)', verb: 'lvremove', args: ['%vg/nolv'], patterns: [/Failed to find logical volume "\S+\/nolv"/], sameAsLvm2: true },
  { what: 'unknown LV (lvrename)', verb: 'lvrename', args: ['%vg', 'nolv', 'zz'], patterns: [/Existing logical volume "nolv" not found in volume group/], sameAsLvm2: true },
  { what: 'unknown LV (lvchange)', verb: 'lvchange', args: ['--addtag', 'x', '%vg/nolv'], patterns: [/Failed to find logical volume "\S+\/nolv"/], sameAsLvm2: true },
  { what: 'unknown VG', verb: 'lvcreate', args: ['-n', 'x', '-l', '1', 'novg'], patterns: [/^lvmkit: Volume group "novg" not found/] },
  { what: 'an allocation policy the LV already has', verb: 'lvchange', args: ['--alloc', 'normal', '%vg/base'], patterns: [/Allocation policy of logical volume \S+\/base is already normal\./], sameAsLvm2: true },
  { what: 'a VG/LV where lvcreate wants a VG', verb: 'lvcreate', args: ['-l', '1', '%vg/x'], patterns: ['Volume group name expected (no slash)'], exitCode: 3 },
  { what: 'bad tag', verb: 'lvchange', args: ['--addtag', 'a b', '%vg/base'], patterns: ['Invalid argument for --addtag: a b'], exitCode: 3 },
  { what: 'neither size nor extents', verb: 'lvcreate', args: ['-n', 'x', '%vg'], patterns: ['-L SIZE or -l EXTENTS'], exitCode: 3 },
  { what: 'a PV that is not in the VG', verb: 'lvcreate', args: ['-n', 'x', '-l', '1', '%vg', 'elsewhere.img'], patterns: ['Physical Volume "elsewhere.img" not found in Volume Group'], lvmkitOnly: true, exitCode: 3 },
  { what: 'resizing a filesystem', verb: 'lvextend', args: ['-r', '-l', '+1', '%vg/base'], patterns: ['does not resize filesystems'], lvmkitOnly: true },
];

function fill(args: string[], vg: string, dev: (n: number) => string): string[] {
  return args.map((a) => a.replace(/%vg/g, vg).replace(/^@(\d)/, (_, n: string) => dev(Number(n))));
}

describeInterop('LV verbs refuse, change nothing, and say why', () => {
  let lab: LoopLab;
  let disks: LabDevice[];
  let images: string[];
  let vg: string;
  beforeAll(() => {
    lab = new LoopLab();
    disks = ['e1', 'e2', 'e3'].map((n) => lab.disk(`${n}.img`, '40M'));
    images = disks.map((d) => d.image);
    vg = lab.vgName();
    lab.pvcreate(disks.map((d) => d.dev));
    lab.vgcreate(vg, disks.map((d) => d.dev), ['-s', '1m']);
    lab.lvcreate(vg, ['-n', 'base', '-l', '10', '--alloc', 'normal']);
    lab.lvcreate(vg, ['-n', 'two', '-l', '2']);
  });
  afterAll(() => lab?.cleanup());

  describe('each case', () => {
    for (const c of CASES) {
      itInterop(c.what, () => {
        const ours = lvmkitReadOnly([c.verb, ...fill(c.args, vg, (n) => images[n]), '--devices', images.join(',')], images);
        const line = expectOneLineError(ours, ...c.patterns);
        if (c.exitCode !== undefined) expect(ours.code).toBe(c.exitCode);
        if (c.lvmkitOnly) return;
        const extra = c.verb === 'lvcreate' ? ['--driverloaded', 'n', '-an', '-Zn', '-y'] : ['--driverloaded', 'n', '-y'];
        const real = lab.lvm(c.verb, [...extra, ...fill(c.args, vg, (n) => disks[n].dev)], { allowFail: true });
        expect(real.code, `LVM2 accepted ${c.verb} ${c.args.join(' ')}`).not.toBe(0);
        if (c.sameAsLvm2) {
          const lvm2Lines = real.stderr.split('\n').map((l) => l.trim()).filter(Boolean);
          expect(lvm2Lines).toContain(line.slice('lvmkit: '.length));
        }
      });
    }
  });
});
