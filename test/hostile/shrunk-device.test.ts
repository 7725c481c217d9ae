/**
 * An image cut short, so that LV segments point past the PV's end on the device: lvmkit warns in LVM2's
 * words (checked against real LVM2 on a loop device of the same cut image) and reports the VG as LVM2 does.
 */
import { truncateSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportCommand } from '../../src/commands/reporting.js';
import { extractSample, makeTempDir, removeDir } from '../helpers/images.js';
import { LoopLab, describeInterop, itInterop, parseJsonReport } from '../helpers/lvm2.js';

const CUT = 12 * 1024 * 1024;

describe('a PV image cut short', () => {
  let dir: string;
  beforeAll(() => { dir = makeTempDir('lvmkit-shrunk-'); });
  afterAll(() => removeDir(dir));

  it('warns that the device is smaller than its PV, and goes on', async () => {
    const pv0 = extractSample('sample-pv0', dir);
    const pv1 = extractSample('sample-pv1', dir);
    truncateSync(pv0, CUT);
    const out = await reportCommand('lvs', { devices: [pv0, pv1], options: 'lv_name,lv_size', noheadings: true, units: 'm' });
    expect(out.warnings).toEqual([
      `Device ${pv0} has size of ${CUT / 512} sectors which is smaller than corresponding PV size of 32768 sectors. Was device resized?`,
      'One or more devices used as PVs in VG sample have changed sizes.',
    ]);
    expect(out.exitCode ?? 0).toBe(0);
    expect(out.stdout.split('\n').filter(Boolean).map((l) => l.trim().split(/\s+/))).toEqual([['lin', '4.00m'], ['str', '8.00m']]);
  });
});

describeInterop('a PV image cut short, beside real LVM2', () => {
  let lab: LoopLab;
  beforeAll(() => { lab = new LoopLab(); });
  afterAll(() => lab?.cleanup());

  itInterop('the same warnings and the same report as LVM2', async () => {
    const pv0 = extractSample('sample-pv0', lab.dir);
    const pv1 = extractSample('sample-pv1', lab.dir);
    truncateSync(pv0, CUT);
    lab.attach(pv0);
    lab.attach(pv1);
    const fields = 'pv_name,vg_name,pv_size,pv_free,dev_size';
    const real = lab.lvm('pvs', ['--reportformat', 'json', '--units', 'b', '--nosuffix', '-o', fields]);
    const ours = await reportCommand('pvs', { devices: [pv0, pv1], options: fields, reportformat: 'json', units: 'b', nosuffix: true });
    const realWarnings = lab.toImageNames(real.stderr).split('\n').map((l) => l.trim()).filter(Boolean).map((l) => l.replace(/^WARNING: /, ''));
    expect(ours.warnings).toEqual(realWarnings);
    expect(realWarnings).toHaveLength(2);
    // LVM2 sorts by its loop device names: compare the rows in image order.
    const byName = (rows: Array<Record<string, string>>) => [...rows].sort((a, b) => (a.pv_name! < b.pv_name! ? -1 : 1));
    expect(byName(parseJsonReport(ours.stdout))).toEqual(byName(parseJsonReport(lab.toImageNames(real.stdout))));
  });
});

