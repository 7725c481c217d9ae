/**
 * Validation of VG metadata, each problem named: what LVM2 refuses when it reads (segment_count that
 * disagrees, gaps/overlaps inside an LV, areas naming an unknown PV) is refused by the builder with
 * line:column; semantic problems (extents outside a PV, two LVs on the same extents, bad names) are
 * reported by validateVg.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/metadata/parse.js';
import { vgFromConfig } from '../../src/model/from-config.js';
import { validateVg } from '../../src/model/validate.js';
import { lookupSegtype } from '../../src/segtypes/registry.js';
import { LvmkitError } from '../../src/errors.js';

const U = (c: string) => `${c.repeat(6)}-${c.repeat(4)}-${c.repeat(4)}-${c.repeat(4)}-${c.repeat(4)}-${c.repeat(4)}-${c.repeat(6)}`;

function seg(n: number, start: number, count: number, stripes: string, extra = ''): string {
  return `segment${n} {\nstart_extent = ${start}\nextent_count = ${count}\n\ntype = "striped"\nstripe_count = ${stripes.split(',').length / 2}\n${extra}\nstripes = [${stripes}]\n}\n`;
}
function lv(name: string, segs: string[], count = segs.length): string {
  return `${name} {\nid = "${U('L')}"\nstatus = ["READ", "WRITE", "VISIBLE"]\nflags = []\nsegment_count = ${count}\n\n${segs.join('')}}\n`;
}
function vgText(lvs: string[], vgName = 'vg1'): string {
  return `${vgName} {\nid = "${U('V')}"\nseqno = 3\nformat = "lvm2"\nstatus = ["RESIZEABLE", "READ", "WRITE"]\nflags = []\nextent_size = 8192\nmax_lv = 0\nmax_pv = 0\nmetadata_copies = 0\n\nphysical_volumes {\n\npv0 {\nid = "${U('a')}"\ndevice = "/dev/x"\n\nstatus = ["ALLOCATABLE"]\nflags = []\ndev_size = 131072\npe_start = 2048\npe_count = 15\n}\n\npv1 {\nid = "${U('b')}"\ndevice = "/dev/y"\n\nstatus = ["ALLOCATABLE"]\nflags = []\ndev_size = 131072\npe_start = 2048\npe_count = 15\n}\n}\n\nlogical_volumes {\n\n${lvs.join('\n')}}\n\n}\ncontents = "Text Format Volume Group"\nversion = 1\n`;
}
const build = (t: string) => vgFromConfig(parseConfig(t, 'vg.txt'), { source: 'vg.txt', codecs: lookupSegtype });
function buildError(t: string): LvmkitError {
  try { build(t); } catch (e) { if (e instanceof LvmkitError) return e; throw e; }
  throw new Error('expected an error');
}

describe('metadata that LVM2 refuses on reading', () => {
  it('accepts a well-formed VG', () => {
    const vg = build(vgText([lv('a', [seg(1, 0, 2, '"pv0", 0')]), lv('b', [seg(1, 0, 4, '"pv0", 2, "pv1", 0', 'stripe_size = 128\n')])]));
    expect(validateVg(vg)).toEqual([]);
  });
  it('segment_count that disagrees with the segments', () => {
    const e = buildError(vgText([lv('a', [seg(1, 0, 2, '"pv0", 0')], 2)]));
    expect(e.code).toBe('EMETADATA');
    expect(e.message).toMatch(/^vg\.txt:\d+:1: LV a: segment_count 2 and actual number of segments 1 disagree$/);
  });
  it('a gap inside an LV', () => {
    const e = buildError(vgText([lv('a', [seg(1, 0, 2, '"pv0", 0'), seg(2, 3, 1, '"pv0", 5')])]));
    expect(e.message).toMatch(/LV a: segment segment2 starts at extent 3, expected 2/);
  });
  it('an overlap inside an LV', () => {
    const e = buildError(vgText([lv('a', [seg(1, 0, 2, '"pv0", 0'), seg(2, 1, 1, '"pv0", 5')])]));
    expect(e.message).toMatch(/LV a: segment segment2 starts at extent 1, expected 2/);
  });
  it('a stripe naming an unknown PV, with line:column', () => {
    const text = vgText([lv('a', [seg(1, 0, 2, '"pv7", 0')])]);
    const e = buildError(text);
    const line = text.slice(0, text.indexOf('stripes = ["pv7"')).split('\n').length;
    expect(e.message).toBe(`vg.txt:${line}:1: LV a segment1: couldn't find volume 'pv7' for segment (not a PV of this VG, nor an LV)`);
  });
  it('stripes that do not match stripe_count', () => {
    const t = vgText([lv('a', [seg(1, 0, 2, '"pv0", 0')])]).replace('stripe_count = 1', 'stripe_count = 2\nstripe_size = 128');
    expect(buildError(t).message).toMatch(/incorrect number of areas: stripes has 1 pairs for stripe_count 2/);
  });
  it('missing required keys and wrong types', () => {
    expect(buildError(vgText([]).replace('extent_size = 8192\n', '')).message).toMatch(/VG vg1: missing required setting "extent_size"/);
    expect(buildError(vgText([]).replace('pe_count = 15', 'pe_count = "15"')).message).toMatch(/PV pv0: pe_count: expected an integer, found string "15"/);
    expect(buildError(vgText([]).replace('version = 1', 'version = 2')).message).toMatch(/unrecognised version number 2/);
  });
});

describe('validateVg', () => {
  it('segments outside a PV\'s extents', () => {
    const vg = build(vgText([lv('a', [seg(1, 0, 3, '"pv1", 13')])]));
    expect(validateVg(vg).map((i) => i.message)).toEqual([
      `LV vg1/a segment at extent 0: extents 13-15 on pv1 (${U('b')}) lie outside its 15 extents`,
    ]);
  });
  it('two LVs on the same extents', () => {
    const vg = build(vgText([lv('a', [seg(1, 0, 4, '"pv0", 0')]), lv('b', [seg(1, 0, 2, '"pv0", 3')])]));
    const issues = validateVg(vg);
    expect(issues).toHaveLength(1);
    expect(issues[0].code).toBe('pv-overlap');
    expect(issues[0].message).toBe(`VG vg1: LV a and LV b both use extents 3-3 of pv0 (${U('a')})`);
  });
  it('an overlap hidden behind a long allocation is still found', () => {
    const vg = build(vgText([lv('big', [seg(1, 0, 10, '"pv0", 0')]), lv('s1', [seg(1, 0, 1, '"pv0", 2')]), lv('s2', [seg(1, 0, 1, '"pv0", 8')])]));
    expect(validateVg(vg).filter((i) => i.code === 'pv-overlap')).toHaveLength(2);
  });
  it('bad and reserved names', () => {
    expect(validateVg(build(vgText([lv('snapshot1', [seg(1, 0, 1, '"pv0", 0')])]))).map((i) => i.message))
      .toEqual(['LV vg1/snapshot1: names starting "snapshot" are reserved']);
    expect(validateVg(build(vgText([lv('a_rimage_0x', [seg(1, 0, 1, '"pv0", 0')])]))).map((i) => i.code)).toEqual(['name']);
    expect(validateVg(build(vgText([], 'bad%name'))).map((i) => i.message)).toEqual(['VG bad%name: name "bad%name" contains invalid character, valid set includes: [a-zA-Z0-9.-_+]']);
  });
  it('extent_count not a multiple of stripe_count', () => {
    const vg = build(vgText([lv('a', [seg(1, 0, 3, '"pv0", 0, "pv1", 0', 'stripe_size = 128\n')])]));
    expect(validateVg(vg).map((i) => i.code)).toEqual(['stripes']);
  });
});
