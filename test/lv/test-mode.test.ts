/**
 * --test on every LV verb: exit 0, every image byte-identical, LVM2's messages for what would be done (the
 * same lines real LVM2 prints with --test), and the TEST MODE notice with what would have been written.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { describeInterop, itInterop, LoopLab, type LabDevice } from '../helpers/lvm2.js';
import { lvmkitReadOnly } from './twins.js';

const CASES: Array<[verb: string, ...args: string[]]> = [
  ['lvcreate', '-n', 'new', '-L', '2.5M', '%vg'],
  ['lvcreate', '-n', 'st', '-i', '2', '-l', '3', '--addtag', 'a', '%vg'],
  ['lvextend', '-l', '+4', '%vg/base'],
  ['lvextend', '-l', '+100%FREE', '%vg/base'],
  ['lvreduce', '-l', '-2', '%vg/base'],
  ['lvresize', '-L', '3M', '%vg/base'],
  ['lvremove', '%vg/base'],
  ['lvrename', '%vg', 'base', 'renamed'],
  ['lvchange', '--addtag', 'x', '%vg/base'],
];

describeInterop('--test on the LV verbs writes nothing and says what would change', () => {
  let lab: LoopLab;
  let disks: LabDevice[];
  let images: string[];
  let vg: string;
  beforeAll(() => {
    lab = new LoopLab();
    disks = ['t1', 't2'].map((n) => lab.disk(`${n}.img`, '32M'));
    images = disks.map((d) => d.image);
    vg = lab.vgName();
    lab.pvcreate(disks.map((d) => d.dev));
    lab.vgcreate(vg, disks.map((d) => d.dev), ['-s', '1m']);
    lab.lvcreate(vg, ['-n', 'base', '-l', '6']);
  });
  afterAll(() => lab?.cleanup());

  for (const [verb, ...args] of CASES) {
    itInterop(`${verb} ${args.join(' ')} --test`, () => {
      const a = args.map((s) => s.replace(/%vg/g, vg));
      const ours = lvmkitReadOnly([verb, ...a, '--test', '--devices', images.join(',')], images);
      expect(ours.code, ours.stderr).toBe(0);
      expect(ours.stderr).toContain('TEST MODE: Metadata will NOT be updated');
      expect(ours.stderr).toMatch(new RegExp(`would write VG ${vg} metadata seqno 3 `));
      const extra = verb === 'lvcreate' ? ['--driverloaded', 'n', '-an', '-Zn', '-y'] : ['--driverloaded', 'n', '-y'];
      const real = lab.lvm(verb, [...extra, '-t', ...a]);
      expect(ours.stdout).toBe(real.stdout);
      expect(lab.report('vgs', ['-o', 'vg_seqno', vg])[0].vg_seqno).toBe('2');
    });
  }
});
