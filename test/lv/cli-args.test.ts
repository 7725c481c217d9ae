/**
 * LVM2's glued option spellings (-an, -Zn, -L5M, -i2) and signed values for the LV verbs, rewritten into
 * forms yargs reads the same way (rewriteLvArgv, for the CLI to apply before yargs).
 */
import { describe, expect, it } from 'vitest';
import { rewriteLvArgv } from '../../cli/argv.js';

describe('rewriteLvArgv', () => {
  it('splits values glued to value-taking short options of lvcreate', () => {
    expect(rewriteLvArgv(['lvcreate', '-an', '-Zn', '-L5M', '-i2', '-I64k', '-nlv0', 'vg']))
      .toEqual(['lvcreate', '-a=n', '-Z=n', '-L=5M', '-i=2', '-I=64k', '-n=lv0', 'vg']);
  });
  it('attaches signed values to -L/-l/--size/--extents', () => {
    expect(rewriteLvArgv(['lvreduce', '-L', '-1.5M', 'vg/lv'])).toEqual(['lvreduce', '-L=-1.5M', 'vg/lv']);
    expect(rewriteLvArgv(['lvextend', '--extents', '+100%FREE', 'vg/lv'])).toEqual(['lvextend', '--extents=+100%FREE', 'vg/lv']);
  });
  it('leaves boolean groups, other verbs and everything after -- alone', () => {
    expect(rewriteLvArgv(['lvremove', '-ty', 'vg/lv'])).toEqual(['lvremove', '-ty', 'vg/lv']);
    expect(rewriteLvArgv(['lvcreate', '-ty', '-l', '3', 'vg'])).toEqual(['lvcreate', '-ty', '-l', '3', 'vg']);
    expect(rewriteLvArgv(['pvs', '-an'])).toEqual(['pvs', '-an']);
    expect(rewriteLvArgv(['vgcreate', '-s4m', 'vg', 'a.img'])).toEqual(['vgcreate', '-s=4m', 'vg', 'a.img']);
    expect(rewriteLvArgv(['lvs', '-olv_name', '-O-lv_size'])).toEqual(['lvs', '-o=lv_name', '-O=-lv_size']);
    expect(rewriteLvArgv(['lvcreate', '--', '-an'])).toEqual(['lvcreate', '--', '-an']);
  });
});
