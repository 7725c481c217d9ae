/** Option values that start with '-', as LVM2 takes them (`lvs -O -lv_size`, `lvreduce -L -1G`). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinDashValues } from '../../cli/argv.js';
import { extractSample, makeTempDir, removeDir } from '../helpers/images.js';
import { runCli } from './cli-harness.js';

describe('joinDashValues', () => {
  it('joins an option and a value starting with "-"', () => {
    expect(joinDashValues(['lvs', '-O', '-lv_size', '--devices', 'a.img'])).toEqual(['lvs', '-O=-lv_size', '--devices', 'a.img']);
    expect(joinDashValues(['lvreduce', '-L', '-1G', 'vg/lv'])).toEqual(['lvreduce', '-L=-1G', 'vg/lv']);
    expect(joinDashValues(['lvresize', '--extents', '-10%VG', 'vg/lv'])).toEqual(['lvresize', '--extents=-10%VG', 'vg/lv']);
    expect(joinDashValues(['lvs', '--sort', '-vg_name,lv_name'])).toEqual(['lvs', '--sort=-vg_name,lv_name']);
  });
  it('splits LVM2\'s one-word y/n options', () => {
    expect(joinDashValues(['pvcreate', '-Zn', 'a.img'])).toEqual(['pvcreate', '-Z', 'n', 'a.img']);
    expect(joinDashValues(['pvchange', '-xy', 'a.img'])).toEqual(['pvchange', '-x', 'y', 'a.img']);
    expect(joinDashValues(['lvs', '-a'])).toEqual(['lvs', '-a']);
  });
  it('leaves options that are followed by another option, or other options, alone', () => {
    expect(joinDashValues(['lvs', '-o', '--devices', 'a.img'])).toEqual(['lvs', '-o', '--devices', 'a.img']);
    expect(joinDashValues(['lvs', '-a', '-O', 'lv_name'])).toEqual(['lvs', '-a', '-O', 'lv_name']);
    expect(joinDashValues(['lvs', '--', '-O', '-x'])).toEqual(['lvs', '--', '-O', '-x']);
    expect(joinDashValues(['dump', '-o', '-', 'vg/lv'])).toEqual(['dump', '-o', '-', 'vg/lv']);
  });
});

describe('the CLI takes such values', () => {
  let dir: string;
  let devs: string;
  beforeAll(() => {
    dir = makeTempDir('lvmkit-argv-');
    devs = `${extractSample('sample-pv0.img.gz', dir)},${extractSample('sample-pv1.img.gz', dir)}`;
  });
  afterAll(() => removeDir(dir));

  it('lvs -O -lv_size sorts by size, largest first (both parsers)', () => {
    for (const env of [{}, { LVMKIT_NO_FAST_PATH: '1' }] as Array<Record<string, string>>) {
      const r = runCli(['lvs', '--devices', devs, '-O', '-lv_size', '-o', 'lv_name', '--noheadings'], { env });
      expect(r.stderr).toBe('');
      expect(r.stdout.split('\n').map((l) => l.trim()).filter(Boolean)).toEqual(['str', 'lin']);
    }
  });
});
