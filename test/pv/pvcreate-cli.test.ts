/**
 * pvcreate from the command line: --size makes a sparse image real LVM2 reads as a PV; bad arguments and
 * devices LVM2 refuses are refused in one line naming the file, leaving it unchanged.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectOneLineError, runCli, sha256 } from '../cli/cli-harness.js';
import { createSparseImage, makeTempDir, removeDir } from '../helpers/images.js';
import { describeInterop, itInterop, LoopLab } from '../helpers/lvm2.js';

describe('pvcreate arguments', () => {
  let dir: string;
  beforeAll(() => { dir = makeTempDir('lvmkit-pvcreate-'); });
  afterAll(() => removeDir(dir));

  it('refuses what it cannot do, image unchanged', () => {
    const small = createSparseImage(join(dir, 'small.img'), '1M');
    const ok = createSparseImage(join(dir, 'ok.img'), '16M');
    const h = [sha256(small), sha256(ok)];
    expectOneLineError(runCli(['pvcreate', small]), `Cannot use ${small}: device is too small (pv_min_size)`);
    expectOneLineError(runCli(['pvcreate', '--uuid', '12345-abcde', ok]), "Couldn't read uuid");
    expectOneLineError(runCli(['pvcreate', '--uuid', 'abcdef-1234-5678-9012-3456-7890-ABCDEF', ok, small]), 'Can only set uuid on one volume at once.');
    expectOneLineError(runCli(['pvcreate', '--dataalignment', '1k', '--metadatasize', '10k', ok]), 'Metadata area size too small: 10240 bytes. It must be at least 32768 bytes');
    expectOneLineError(runCli(['pvcreate', join(dir, 'missing.img')]), `${join(dir, 'missing.img')}: cannot open: no such file (pvcreate --size SIZE creates it)`);
    expectOneLineError(runCli(['pvcreate', '--size', '20m', ok]), `${ok} already exists with 16777216 bytes`);
    expect([sha256(small), sha256(ok)]).toEqual(h);
  });
});

describeInterop('pvcreate --size: a sparse image real LVM2 takes as a PV', () => {
  let lab: LoopLab;
  beforeAll(() => { lab = new LoopLab(); });
  afterAll(() => lab?.cleanup());

  itInterop('1 GiB image, two metadata areas', () => {
    const img = join(lab.dir, 'big.img');
    const r = runCli(['pvcreate', '--size', '1G', '--pvmetadatacopies', '2', img]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`  Physical volume "${img}" successfully created.\n`);
    const st = statSync(img);
    expect(st.size).toBe(1024 ** 3);
    expect(st.blocks * 512).toBeLessThan(1024 * 1024);
    const d = lab.attach(img);
    expect(lab.report('pvs', ['-o', 'pv_name,pv_size,pe_start,pv_mda_count,pv_mda_size'])).toEqual([
      { pv_name: d.dev, pv_size: String(1024 ** 3), pe_start: '1048576', pv_mda_count: '2', pv_mda_size: '1044480' },
    ]);
  });
});
