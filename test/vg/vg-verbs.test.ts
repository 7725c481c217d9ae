/**
 * PV and VG verbs against real LVM2, both ways: lvmkit writes (vgcreate, vgextend, vgreduce, vgrename,
 * vgchange, pvchange, pvresize, vgremove, pvremove), then real vgck/pvck pass and LVM2's pvs/vgs/lvs JSON
 * equal lvmkit's; real LVM2 goes on changing the VG (lvcreate, lvextend, vgextend) and lvmkit reads it;
 * lvmkit changes VGs made by real LVM2. Error cases leave every image byte-identical.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, truncateSync } from 'node:fs';
import { afterAll, beforeAll, expect } from 'vitest';
import { describeInterop, itInterop, LoopLab, type LabDevice } from '../helpers/lvm2.js';
import { compareReports } from '../helpers/report-compare.js';
import { expectOneLineError, hashes, runCli, sha256 } from '../cli/cli-harness.js';
import { expectPvckClean, expectVgckClean } from './lvm2-check.js';
import { vgcreateCommand } from '../../src/commands/vgcreate.js';
import { vgextendCommand } from '../../src/commands/vgextend.js';
import { vgreduceCommand } from '../../src/commands/vgreduce.js';
import { vgrenameCommand } from '../../src/commands/vgrename.js';
import { vgchangeCommand } from '../../src/commands/vgchange.js';
import { vgremoveCommand } from '../../src/commands/vgremove.js';
import { pvchangeCommand } from '../../src/commands/pvchange.js';
import { pvresizeCommand } from '../../src/commands/pvresize.js';
import { pvremoveCommand } from '../../src/commands/pvremove.js';
import { pvcreateCommand } from '../../src/commands/pvcreate.js';

const description = 'Write from lvmkit test.';

function checkAll(lab: LoopLab, devs: LabDevice[], vg: string): Promise<void> {
  expectVgckClean(lab, vg);
  for (const d of devs) expectPvckClean(lab, d.dev);
  return compareReports(lab, devs, vg);
}

describeInterop('PV/VG verbs: lvmkit writes, LVM2 agrees and goes on', () => {
  let lab: LoopLab;
  beforeAll(() => { lab = new LoopLab(); });
  afterAll(() => lab?.cleanup());

  itInterop('vgcreate, vgextend, LVM2 lvcreate/lvextend, vgreduce, vgrename, vgchange, pvchange, pvresize, vgremove, pvremove', async () => {
    const imgs = ['a.img', 'b.img', 'c.img'].map((n) => lab.image(n, '64M'));
    const vg = lab.vgName();
    const out = await vgcreateCommand({ vgName: vg, images: imgs.slice(0, 2), extentSize: 1024 * 1024, addTags: ['born'], description });
    expect(out.stdout).toBe(`  Physical volume "${imgs[0]}" successfully created.\n  Physical volume "${imgs[1]}" successfully created.\n  Volume group "${vg}" successfully created\n`);
    const devs = imgs.map((i) => lab.attach(i));
    const [a, b, c] = devs;
    await checkAll(lab, [a, b], vg);
    expect(lab.report('vgs', ['-o', 'vg_seqno,vg_extent_size,vg_tags', vg])).toEqual([{ vg_seqno: '1', vg_extent_size: '1048576', vg_tags: 'born' }]);

    const ext = await vgextendCommand({ vgName: vg, devices: imgs.slice(0, 2), images: [imgs[2]], metadataCopies: 2, description });
    expect(ext.stdout).toContain(`Volume group "${vg}" successfully extended`);
    await checkAll(lab, devs, vg);
    expect(lab.report('pvs', ['-o', 'pv_mda_count', c.dev])).toEqual([{ pv_mda_count: '2' }]);

    // Real LVM2 continues: lvcreate on a and c, lvextend; lvmkit reads it.
    lab.lvcreate(vg, ['-n', 'one', '-L', '10M'], [a.dev]);
    lab.lvcreate(vg, ['-n', 'two', '-L', '6M'], [c.dev]);
    lab.lvm('lvextend', ['--driverloaded', 'n', '-L', '+4M', `${vg}/one`, c.dev]);
    await compareReports(lab, devs, vg);

    const before = hashes(imgs);
    expectOneLineError(runCli(['vgreduce', '--devices', imgs.join(','), vg, imgs[0]]), `Physical volume "${imgs[0]}" still in use`);
    expect(hashes(imgs)).toEqual(before);
    const red = await vgreduceCommand({ vgName: vg, devices: imgs, images: [imgs[1]], description });
    expect(red.stdout).toBe(`  Removed "${imgs[1]}" from volume group "${vg}"\n`);
    await checkAll(lab, [a, c], vg);
    expect(lab.report('pvs', ['-o', 'pv_name,vg_name', b.dev])).toEqual([{ pv_name: b.dev, vg_name: '' }]);

    const vg2 = lab.vgName();
    expect((await vgrenameCommand({ vgName: vg, newName: vg2, devices: imgs, description })).stdout)
      .toBe(`  Volume group "${vg}" successfully renamed to "${vg2}"\n`);
    await vgchangeCommand({ vgName: vg2, devices: imgs, addTags: ['t1', 't2'], delTags: ['born'], alloc: 'cling', resizeable: false, description });
    await pvchangeCommand({ images: [imgs[2]], devices: imgs, addTags: ['pt'], allocatable: false, description });
    await checkAll(lab, [a, c], vg2);
    expect(lab.report('vgs', ['-o', 'vg_tags,vg_attr,vg_allocation_policy', vg2])).toEqual([{ vg_tags: 't1,t2', vg_attr: 'w---l-', vg_allocation_policy: 'cling' }]);
    expect(lab.report('pvs', ['-o', 'pv_tags,pv_attr', c.dev])).toEqual([{ pv_tags: 'pt', pv_attr: 'u--' }]);
    await vgchangeCommand({ vgName: vg2, devices: imgs, resizeable: true, alloc: 'normal', description });
    await pvchangeCommand({ images: [imgs[2]], devices: imgs, delTags: ['pt'], allocatable: true, description });

    // Grow a's image: pvresize; LVM2 then allocates in the new room.
    truncateSync(imgs[0], 96 * 1024 * 1024);
    execFileSync('losetup', ['-c', a.dev]);
    expect((await pvresizeCommand({ images: [imgs[0]], devices: imgs, description })).stdout)
      .toBe(`  Physical volume "${imgs[0]}" changed\n  1 physical volume(s) resized or updated / 0 physical volume(s) not resized\n`);
    await checkAll(lab, [a, c], vg2);
    expect(lab.report('pvs', ['-o', 'pv_pe_count', a.dev])).toEqual([{ pv_pe_count: '95' }]);
    lab.lvcreate(vg2, ['-n', 'big', '-L', '80M'], [a.dev]);
    await compareReports(lab, [a, c], vg2);

    // Real LVM2 vgextend with b again, then lvmkit removes the VG.
    lab.lvm('vgextend', [vg2, b.dev]);
    const noYes = hashes(imgs);
    expectOneLineError(runCli(['vgremove', '--devices', imgs.join(','), vg2]), `Volume group "${vg2}" contains 3 logical volumes`, '-y/--yes');
    expect(hashes(imgs)).toEqual(noYes);
    const rm = await vgremoveCommand({ vgName: vg2, devices: imgs, yes: true });
    expect(rm.stdout).toBe(`  Logical volume "one" successfully removed.\n  Logical volume "two" successfully removed.\n  Logical volume "big" successfully removed.\n  Volume group "${vg2}" successfully removed\n`);
    expect(lab.visibleVgs()).toEqual([]);
    expect(lab.report('pvs', ['-o', 'pv_name,vg_name']).map((r) => r.vg_name)).toEqual(['', '', '']);
    for (const d of devs) expectPvckClean(lab, d.dev);

    const pr = await pvremoveCommand({ images: [imgs[1]], devices: imgs });
    expect(pr.stdout).toBe(`  Labels on physical volume "${imgs[1]}" successfully wiped.\n`);
    expect(lab.report('pvs', ['-o', 'pv_name']).map((r) => r.pv_name).sort()).toEqual([a.dev, c.dev].sort());
  });

  itInterop('twins: vgcreate + vgextend by lvmkit and by LVM2 give the same metadata (ids, names, times aside)', async () => {
    const real = ['tw1.img', 'tw2.img', 'tw3.img'].map((n) => lab.disk(n, '40M'));
    const mine = ['tk1.img', 'tk2.img', 'tk3.img'].map((n) => lab.image(n, '40M'));
    const rv = lab.vgName();
    const kv = lab.vgName();
    lab.pvcreate([real[0].dev]);
    lab.pvcreate([real[1].dev], ['--pvmetadatacopies', '2']);
    lab.vgcreate(rv, [real[0].dev, real[1].dev], ['-s', '2m', '--addtag', 'x']);
    lab.lvm('vgextend', [rv, real[2].dev]);
    await pvcreateCommand({ images: [mine[1]], metadataCopies: 2 });
    await vgcreateCommand({ vgName: kv, images: [mine[0], mine[1]], extentSize: 2 * 1024 * 1024, addTags: ['x'], description });
    await vgextendCommand({ vgName: kv, devices: mine.slice(0, 2), images: [mine[2]], description });
    const { backupText } = await import('../../src/commands/vgcfgbackup.js');
    const { scanDevices } = await import('../../src/commands/scan.js');
    const scan = await scanDevices(mine);
    const ours = backupText(scan.vgs[0]!.vg, 'x');
    await scan.close();
    const norm = (t: string, name: string) => t.split('\n')
      .filter((l) => !/^(# Generated by|description = |creation_host = |creation_time = )/.test(l))
      .map((l) => l.replace(/id = ".*"/, 'id = "ID"').replace(/device = ".*"/, 'device = "DEV"').replace(new RegExp(`^${name} \\{`), 'VG {'))
      .join('\n');
    expect(norm(ours, kv)).toBe(norm(lab.vgcfgbackup(rv), rv));
    lab.lvm('vgremove', ['-ff', '-y', rv]);
  });

  itInterop('vgreduce (on the PV leaving), vgremove and pvremove leave the same bytes as LVM2 (twin copies)', async () => {
    const real = ['v1.img', 'v2.img'].map((n) => lab.disk(n, '32M', { pattern: true }));
    const vg = lab.vgName();
    lab.pvcreate([real[0].dev], ['--pvmetadatacopies', '2']);
    lab.pvcreate([real[1].dev]);
    lab.vgcreate(vg, real.map((x) => x.dev));
    lab.lvm('vgchange', ['--addtag', 'x', vg]);
    const twins = real.map((x) => `${x.image}.twin`);
    real.forEach((x, i) => copyFileSync(x.image, twins[i]));
    // vgreduce: the PV that leaves gets the same label and metadata area header bytes.
    lab.lvm('vgreduce', [vg, real[1].dev]);
    await vgreduceCommand({ vgName: vg, devices: twins, images: [twins[1]], description });
    expect(sha256(twins[1]), 'the PV removed by vgreduce').toBe(sha256(real[1].image));
    lab.lvm('vgextend', [vg, real[1].dev]);
    real.forEach((x, i) => copyFileSync(x.image, twins[i]));
    lab.lvm('vgremove', ['-y', vg]);
    await vgremoveCommand({ vgName: vg, devices: twins });
    real.forEach((x, i) => expect(sha256(twins[i]), `${x.image} after vgremove`).toBe(sha256(x.image)));
    lab.lvm('pvremove', [real[0].dev]);
    await pvremoveCommand({ images: [twins[0]], devices: [twins[0]] });
    expect(sha256(twins[0]), 'after pvremove').toBe(sha256(real[0].image));
  });

  itInterop('pvresize shrinks a PV to its shorter image, never below its allocated extents', async () => {
    const d = lab.disk('shrink.img', '64M');
    const vg = lab.vgName();
    lab.pvcreate([d.dev]);
    lab.vgcreate(vg, [d.dev], ['-s', '1m']);
    lab.lvcreate(vg, ['-n', 'low', '-L', '10M']);
    truncateSync(d.image, 40 * 1024 * 1024);
    execFileSync('losetup', ['-c', d.dev]);
    const r = await pvresizeCommand({ images: [d.image], devices: [d.image], description });
    expect(r.stdout).toContain(`Physical volume "${d.image}" changed`);
    await checkAll(lab, [d], vg);
    expect(lab.report('pvs', ['-o', 'pv_pe_count,pv_size', d.dev])).toEqual([{ pv_pe_count: '39', pv_size: String(39 * 1024 * 1024) }]);
    // As LVM2 2.03.16's pvresize does, dev_size in the metadata is the new size minus pe_start.
    expect(lab.vgcfgbackup(vg)).toContain('dev_size = 79872\t# 39 Megabytes');
    truncateSync(d.image, 8 * 1024 * 1024);
    const before = hashes([d.image]);
    expectOneLineError(runCli(['pvresize', '--devices', d.image, d.image]), `${d.image}: cannot resize to 7 extents as 10 are allocated.`);
    expect(hashes([d.image])).toEqual(before);
    truncateSync(d.image, 40 * 1024 * 1024);
    lab.lvm('vgremove', ['-ff', '-y', vg]);
  });

  itInterop('lvmkit changes a VG that real LVM2 made (2 mdas, no-mda PV, small area)', async () => {
    const d = ['r1.img', 'r2.img', 'r3.img', 'r4.img'].map((n) => lab.disk(n, '48M'));
    const vg = lab.vgName();
    lab.pvcreate([d[0].dev], ['--pvmetadatacopies', '2']);
    lab.pvcreate([d[1].dev], ['--pvmetadatacopies', '0']);
    lab.pvcreate([d[2].dev], ['--metadatasize', '32k', '--dataalignment', '4k']);
    lab.vgcreate(vg, [d[0].dev, d[1].dev, d[2].dev], ['-s', '2m']);
    lab.lvcreate(vg, ['-n', 'x', '-L', '20M']);
    lab.lvcreate(vg, ['-n', 'y', '-l', '100%FREE'], [d[1].dev]);
    const imgs = d.map((x) => x.image);
    await vgextendCommand({ vgName: vg, devices: imgs, images: [imgs[3]], description });
    for (let i = 0; i < 12; i++) await vgchangeCommand({ vgName: vg, devices: imgs, addTags: [`tag${i}`], description });
    await checkAll(lab, d, vg);
    expect(lab.report('vgs', ['-o', 'vg_seqno', vg])).toEqual([{ vg_seqno: String(1 + 2 + 1 + 12) }]);
    lab.lvm('lvextend', ['--driverloaded', 'n', '-l', '+100%FREE', `${vg}/x`, d[3].dev]);
    await compareReports(lab, d, vg);
    lab.lvm('vgremove', ['-ff', '-y', vg]);
  });

  itInterop('errors leave every image byte-identical and say what to do', async () => {
    const d = ['e1.img', 'e2.img', 'e3.img', 'e4.img'].map((n) => lab.disk(n, '32M'));
    const imgs = d.map((x) => x.image);
    const vg = lab.vgName();
    const other = lab.vgName();
    lab.pvcreate([d[0].dev, d[1].dev]);
    lab.pvcreate([d[3].dev], ['--pvmetadatacopies', '0']);
    lab.vgcreate(vg, [d[0].dev, d[3].dev]);
    lab.vgcreate(other, [d[1].dev]);
    await pvcreateCommand({ images: [imgs[2]] });
    const devs = ['--devices', imgs.join(',')];
    const cases: Array<[string[], Array<string | RegExp>]> = [
      [['vgcreate', ...devs, vg, imgs[2]], [`A volume group called ${vg} already exists.`]],
      [['vgcreate', ...devs, 'bad/name', imgs[2]], ['New volume group name "bad/name" is invalid', 'valid set includes']],
      [['vgcreate', ...devs, '-s', '3s', lab.vgName(), imgs[2]], ['Physical Extent size must be a multiple of 128.00 KiB when not a power of 2', 'power of two']],
      [['vgcreate', ...devs, '-s', '0', lab.vgName(), imgs[2]], ['Physical extent size may not be zero']],
      [['vgcreate', ...devs, lab.vgName(), imgs[0]], [`Physical volume '${imgs[0]}' is already in volume group '${vg}'`]],
      [['vgextend', ...devs, vg, imgs[1]], [`Physical volume '${imgs[1]}' is already in volume group '${other}'`]],
      [['vgreduce', ...devs, vg, imgs[0], imgs[3]], [`Can't remove final physical volume "${imgs[3]}" from volume group "${vg}"`]],
      [['vgrename', ...devs, vg, other], [`New volume group "${other}" already exists`]],
      [['vgrename', ...devs, vg, 'a b'], ['New volume group name "a b" is invalid']],
      [['vgchange', ...devs, '--alloc', 'normal', vg], ['Volume group allocation policy is already normal']],
      [['vgchange', ...devs, '-x', 'y', vg], [`Volume group "${vg}" is already resizeable`]],
      [['vgchange', ...devs, '--addtag', 'bad tag', vg], ['Invalid tag', 'valid set includes']],
      [['vgremove', ...devs, 'nosuchvg'], ['Volume group "nosuchvg" not found']],
      [['pvremove', ...devs, imgs[0]], [`PV ${imgs[0]} is used by VG ${vg} so please use vgreduce first.`, 'using --force twice']],
      [['pvcreate', imgs[0]], [`Can't initialize physical volume "${imgs[0]}" of volume group "${vg}" without -ff`]],
      [['pvchange', ...devs, '--addtag', 'x', imgs[2]], ['Unable to change orphan physical volume']],
      [['vgcreate', '--devices', imgs[3], lab.vgName(), imgs[3]], [`Physical volume '${imgs[3]}' is marked as used by a volume group whose metadata is not on the images given`]],
      [['vgextend', '--devices', `${imgs[1]},${imgs[3]}`, other, imgs[3]], [`Physical volume '${imgs[3]}' is marked as used by a volume group`]],
      [['vgreduce', ...devs, vg, imgs[2]], [`Physical volume "${imgs[2]}" not found in volume group "${vg}"`]],
    ];
    for (const [args, patterns] of cases) {
      const before = hashes(imgs);
      expectOneLineError(runCli(args), ...patterns);
      expect(hashes(imgs), args.join(' ')).toEqual(before);
    }
    lab.lvm('vgremove', ['-ff', '-y', vg]);
    lab.lvm('vgremove', ['-ff', '-y', other]);
  });
});
