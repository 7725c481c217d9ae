/**
 * Report options and layouts of LVM2 the other tests do not use: --binary, --nameprefixes, --unquoted, --rows,
 * a heading longer than its column (LVM2 cuts it when padding), and the order of the fields of lv_all.
 * lvmkit's output must be LVM2's, byte for byte (device names mapped, lv_attr chars 5-6 normalised).
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { describeInterop, itInterop, LoopLab, type LabDevice } from '../helpers/lvm2.js';
import { runCli } from '../cli/cli-harness.js';

describeInterop('report options scripts use: --binary, --nameprefixes, --unquoted, --rows; headings and lv_all order', () => {
  let lab: LoopLab;
  let devs: LabDevice[];
  let vg: string;
  beforeAll(() => {
    lab = new LoopLab();
    devs = ['o-a.img', 'o-b.img'].map((n) => lab.disk(n, '24M'));
    lab.pvcreate(devs.map((d) => d.dev));
    vg = lab.vgName();
    lab.vgcreate(vg, [devs[0]!.dev], ['-s', '1m', '--addtag', 't1', '--addtag', 't2']);
    lab.lvcreate(vg, ['-n', 'x', '-l', '1', '--addtag', 'q']);
    lab.lvcreate(vg, ['-n', 'y', '-l', '2']);
    lab.lvm('lvchange', ['--driverloaded', 'n', '--setactivationskip', 'y', `${vg}/y`]);
    lab.lvm('pvchange', ['-x', 'n', devs[0]!.dev]);
    lab.vgcreate(`${vg}-second`, [devs[1]!.dev], ['-s', '4m']);
  });
  afterAll(() => lab?.cleanup());

  /** The same command through LVM2 and lvmkit: same exit code, same stdout. */
  function same(verb: 'pvs' | 'vgs' | 'lvs', args: string[]): string {
    const real = lab.lvm(verb, args, { devices: devs.map((d) => d.dev) });
    const ours = runCli([verb, '--devices', devs.map((d) => d.image).join(','), ...args]);
    expect(ours.code, ours.stderr).toBe(real.code);
    const norm = lab.toImageNames(real.stdout).replace(/(-wi-)XX(----)/g, '$1--$2');
    expect(ours.stdout, `${verb} ${args.join(' ')}`).toBe(norm);
    return ours.stdout;
  }

  const LV_BIN = 'lv_name,lv_autoactivation,lv_skip_activation,lv_allocation_locked,lv_fixed_minor,lv_merging,lv_converting,lv_initial_image_sync,lv_image_synced,lv_historical';

  itInterop('--binary: 1/0 for binary fields, -1 for unknown (aligned, with a separator, and in JSON)', () => {
    expect(same('lvs', ['--binary', '-o', LV_BIN])).toMatch(/^ {2}y +1 +1 /m);
    same('lvs', ['--binary', '--separator', '|', '-o', LV_BIN]);
    same('lvs', ['--binary', '--reportformat', 'json', '-o', LV_BIN]);
    expect(same('lvs', ['--binary', '--segments', '--noheadings', '-o', 'lv_name,zero'])).toContain('-1');
    // Sorted by UUID: LVM2 sorts PVs by device name, and /dev/loopN sort otherwise than the image paths.
    same('pvs', ['--binary', '--separator', '|', '-O', 'pv_uuid', '-o', 'pv_in_use,pv_allocatable,pv_missing,pv_exported,pv_duplicate']);
    same('vgs', ['--binary', '-o', 'vg_name,vg_extendable,vg_exported,vg_partial,vg_clustered,vg_shared,vg_autoactivation']);
  });

  itInterop('--nameprefixes and --unquoted: LVM2_FIELD=\'value\' rows, headings unpadded', () => {
    expect(same('vgs', ['--nameprefixes', '-o', 'vg_name,vg_size,vg_tags'])).toContain(`LVM2_VG_NAME='${vg}' LVM2_VG_SIZE='23.00m' LVM2_VG_TAGS='t1,t2'`);
    same('vgs', ['--nameprefixes', '--noheadings', '-o', 'vg_name,vg_size,vg_tags']);
    same('lvs', ['--nameprefixes', '--unquoted', '--noheadings', '-o', 'lv_name,lv_size,lv_tags']);
    same('lvs', ['--nameprefixes', '--binary', '--separator', ';', '-o', 'lv_name,lv_skip_activation']);
  });

  itInterop('--rows: one line per field, nothing padded (also with --separator, --aligned, --nameprefixes)', () => {
    expect(same('vgs', ['--rows', '-o', 'vg_name,vg_size,vg_tags,vg_attr'])).toContain(`  VG ${vg} ${vg}-second\n`);
    same('vgs', ['--rows', '--noheadings', '-o', 'vg_name,vg_size']);
    same('vgs', ['--rows', '--separator', '|', '--aligned', '-o', 'vg_name,vg_extent_size']);
    same('lvs', ['--rows', '--nameprefixes', '-o', 'lv_name,lv_size,lv_tags']);
  });

  itInterop('a heading longer than its column is cut when padded ("InitImgSyn"), whole with --separator', () => {
    expect(same('lvs', ['-o', 'lv_name,lv_initial_image_sync,lv_skip_activation'])).toContain('InitImgSyn ');
    expect(same('lvs', ['--separator', '|', '-o', 'lv_name,lv_initial_image_sync'])).toContain('|InitImgSync\n');
    same('lvs', ['--separator', '|', '--aligned', '-o', 'lv_name,lv_initial_image_sync']);
  });

  itInterop('lv_all lists lvmkit\'s fields in LVM2\'s order', () => {
    const keys = (json: string) => Object.keys((JSON.parse(json) as { report: Array<{ lv: Array<Record<string, string>> }> }).report[0]!.lv[0]!);
    const real = keys(lab.lvm('lvs', ['--reportformat', 'json', '-o', 'lv_all'], { devices: devs.map((d) => d.dev) }).stdout);
    const ours = keys(runCli(['lvs', '--devices', devs.map((d) => d.image).join(','), '--reportformat', 'json', '-o', 'lv_all']).stdout);
    expect(ours.length).toBeGreaterThan(60);
    // lvmkit leaves out the fields only the running kernel knows; the others come in LVM2's order.
    expect(ours).toEqual(real.filter((k) => ours.includes(k)));
  });
});
