/**
 * creation_time values that JS Date cannot hold (found by the fuzzer: lv_time printed "NaN-NaN-NaN"):
 * lvmkit's lv_time must be what real LVM2 prints for the same metadata (restored with vgcfgrestore on
 * loop devices of the sample images): nothing for 0, the year as glibc computes it past JS Date's range.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportCommand } from '../../src/commands/reporting.js';
import { formatLvmTime } from '../../src/model/local-time.js';
import { extractSample } from '../helpers/images.js';
import { LoopLab, describeInterop, itInterop } from '../helpers/lvm2.js';

// Up to 2^53 - 1: larger values are refused by lvmkit's model ("creation_time = N is out of range"),
// where LVM2 reads them (as u64) and prints years up to 2^31 (see the report of this work).
const VALUES = [0, 1795307104, 8.64e12 - 1, 8.64e12, 8.64e12 + 1, 1e15, 9007199254740991];

describe('formatLvmTime', () => {
  it('never shows NaN, for any number', () => {
    for (const v of [...VALUES, -1, 8.64e12, -8.64e12 - 1, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 1e300, NaN, Infinity]) {
      expect(formatLvmTime(v)).not.toMatch(/NaN|undefined|Infinity/);
    }
  });
});

describeInterop('lv_time of far creation times, beside real LVM2', () => {
  let lab: LoopLab;
  beforeAll(() => { lab = new LoopLab(); });
  afterAll(() => lab?.cleanup());

  itInterop('the same text as LVM2 for each value', async () => {
    const pv0 = extractSample('sample-pv0', lab.dir);
    const pv1 = extractSample('sample-pv1', lab.dir);
    lab.attach(pv0);
    lab.attach(pv1);
    const backup = lab.vgcfgbackup('sample');
    for (const v of VALUES) {
      const file = join(lab.dir, `t${v}.vg`);
      // lin's creation_time (the first LV's) becomes v.
      writeFileSync(file, backup.replace(/(\t\t\tcreation_time = )\d+/, `$1${v}`));
      expect(readFileSync(file, 'utf8')).toContain(`creation_time = ${v}`);
      lab.lvm('vgcfgrestore', ['-f', file, 'sample']);
      const real = lab.lvm('lvs', ['--noheadings', '-o', 'lv_time', 'sample/lin']).stdout.trim();
      const ours = (await reportCommand('lvs', { devices: [pv0, pv1], options: 'lv_time', noheadings: true, names: ['sample/lin'] })).stdout.trim();
      expect(ours, `creation_time = ${v}`).toBe(real);
    }
  });
});
