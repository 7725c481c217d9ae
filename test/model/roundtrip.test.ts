/**
 * The model against LVM2's own texts: every backup file (vgcfgbackup) and on-disk text that real LVM2
 * wrote, read into the typed model and turned back into text in LVM2's layout, must come out byte-identical.
 * This checks key order, blank lines, comments (file flavour) and that nothing is lost.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/metadata/parse.js';
import { printConfig } from '../../src/metadata/printer.js';
import { vgFromConfig } from '../../src/model/from-config.js';
import { vgToConfig } from '../../src/model/to-config.js';
import { lookupSegtype } from '../../src/segtypes/registry.js';

process.env.TZ = 'UTC'; // the fixtures were written by LVM2 in UTC (LV creation_time comments are local time)

const root = join(import.meta.dirname, '..', '..');
function texts(dir: string, re: RegExp): Array<[string, string]> {
  return readdirSync(join(root, dir)).filter((f) => re.test(f)).map((f) => [`${dir}/${f}`, readFileSync(join(root, dir, f), 'utf8')]);
}
const fileTexts = [
  ...texts('test/fixtures/metadata', /\.vg$/),
  ...texts('test/fixtures/report', /^vg\d\.txt$/),
  ...texts('samples', /\.vg\.txt$/),
];
const rawTexts = texts('test/fixtures/metadata', /\.raw$/);

function roundTrip(text: string, source: string, flavour: 'file' | 'raw'): string {
  const vg = vgFromConfig(parseConfig(text, source), { source, codecs: lookupSegtype, merge: false });
  return printConfig(vgToConfig(vg, { flavour, codecs: lookupSegtype }), { flavour });
}

describe('model round trip of LVM2 backup files (file flavour)', () => {
  it('has fixtures', () => expect(fileTexts.length).toBeGreaterThanOrEqual(5));
  for (const [name, text] of fileTexts) {
    it(name, () => {
      expect(roundTrip(text, name, 'file')).toBe(text);
    });
  }
});

describe('model round trip of LVM2 on-disk texts (raw flavour)', () => {
  it('has fixtures', () => expect(rawTexts.length).toBeGreaterThanOrEqual(3));
  for (const [name, text] of rawTexts) {
    it(name, () => {
      // Raw fixtures are the stored text without its NUL.
      expect(roundTrip(text, name, 'raw')).toBe(text);
    });
  }
});

describe('model semantics', () => {
  const backup = readFileSync(join(root, 'test/fixtures/report/vg1.txt'), 'utf8');

  it('turns a backup file into the on-disk layout: header after the VG, no indentation, no size comments', () => {
    const vg = vgFromConfig(parseConfig(backup, 'vg1.txt'), { codecs: lookupSegtype });
    const raw = printConfig(vgToConfig(vg, { flavour: 'raw', codecs: lookupSegtype }), { flavour: 'raw' });
    expect(raw.startsWith(`${vg.name} {\nid = "${vg.id}"\nseqno = ${vg.seqno}\nformat = "lvm2"\n`)).toBe(true);
    expect(raw).not.toMatch(/^\t/m);
    expect(raw).not.toContain('# informational');
    expect(raw.indexOf('contents = "Text Format Volume Group"')).toBeGreaterThan(raw.lastIndexOf('\n}\n'));
  });

  it('keeps unknown keys, sections and segment types and writes them back unchanged', () => {
    const text = backup
      .replace('\tmax_pv = 0\n', '\tmax_pv = 0\n\tfuture_key = "x"\n\tfuture_section {\n\t\ta = [1, "b"]\n\t}\n')
      .replace(/(\t\t\tsegment1 \{\n\t\t\t\tstart_extent = 0\n\t\t\t\textent_count = (\d+)\t# [^\n]*\n\n\t\t\t\ttype = )"striped"/, '$1"quantum"');
    expect(text).toContain('"quantum"');
    const vg = vgFromConfig(parseConfig(text, 't'), { codecs: lookupSegtype });
    const out = printConfig(vgToConfig(vg, { flavour: 'file', codecs: lookupSegtype }), { flavour: 'file' });
    expect(out).toContain('\tfuture_key = "x"\n\tfuture_section {\n\t\ta = [1, "b"]\n\t}\n');
    expect(out).toContain('type = "quantum"');
    const again = vgFromConfig(parseConfig(out, 'out'), { codecs: lookupSegtype });
    const lv = again.lvs.find((l) => l.segments[0].type === 'quantum')!;
    expect(lv.segments[0].body.map((i) => (i.kind === 'setting' ? i.key : i.kind))).toEqual(['stripe_count', 'stripes']);
  });

  it('merges adjacent segments on the same PV as LVM2 does after reading', () => {
    const two = `v {\nid = "aaaaaa-aaaa-aaaa-aaaa-aaaa-aaaa-aaaaaa"\nseqno = 1\nstatus = ["READ"]\nextent_size = 8192\nmax_lv = 0\nmax_pv = 0\nphysical_volumes {\npv0 {\nid = "bbbbbb-bbbb-bbbb-bbbb-bbbb-bbbb-bbbbbb"\nstatus = ["ALLOCATABLE"]\npe_start = 2048\npe_count = 10\n}\n}\nlogical_volumes {\nmm {\nid = "cccccc-cccc-cccc-cccc-cccc-cccc-cccccc"\nstatus = ["READ", "VISIBLE"]\nsegment_count = 3\nsegment1 {\nstart_extent = 0\nextent_count = 1\ntype = "striped"\nstripe_count = 1\nstripes = ["pv0", 6]\n}\nsegment2 {\nstart_extent = 1\nextent_count = 1\ntype = "striped"\nstripe_count = 1\nstripes = ["pv0", 7]\n}\nsegment3 {\nstart_extent = 2\nextent_count = 1\ntype = "striped"\nstripe_count = 1\nstripes = ["pv0", 2]\n}\n}\n}\n}\ncontents = "Text Format Volume Group"\nversion = 1\n`;
    const vg = vgFromConfig(parseConfig(two, 'two'), { codecs: lookupSegtype });
    expect(vg.lvs[0].segments.map((s) => [s.startExtent, s.extentCount])).toEqual([[0, 2], [2, 1]]);
  });
});
