/**
 * Hostile metadata texts, each case its own test with the exact error (or the exact correct result):
 * names that are Object.prototype members, deep nesting, huge strings, numbers past 2^64 and negative
 * counts, extent_size 0, stripe_count 0 or larger than the stripes list, segments past a PV's end,
 * a million segments. The texts are the real vgcfgbackup text of the sample VG (made by LVM2) edited.
 */
import { describe, expect, it } from 'vitest';
import { LvmkitError } from '../../src/errors.js';
import { parseConfig } from '../../src/metadata/parse.js';
import { printConfig } from '../../src/metadata/printer.js';
import type { ConfigDocument, ConfigItem, ConfigSection } from '../../src/metadata/config-tree.js';
import { vgToConfig } from '../../src/model/to-config.js';
import { lookupSegtype } from '../../src/segtypes/registry.js';
import { lineColumn } from '../cli/cli-harness.js';
import { SAMPLE_TEXT, SOURCE, edit, editFirst, issues, readVg, report, rows } from './helpers.js';

/** The LvmkitError `fn` throws (fails the test when it throws anything else or nothing). */
function errorOf(fn: () => unknown): LvmkitError {
  try {
    fn();
  } catch (e) {
    if (e instanceof LvmkitError) return e;
    throw new Error(`expected an LvmkitError, got ${String(e)}`);
  }
  throw new Error('expected an LvmkitError, nothing was thrown');
}

/** "hostile.vg:L:C" of the first occurrence of `needle` in `text`. */
function at(text: string, needle: string): string {
  const i = text.indexOf(needle);
  if (i < 0) throw new Error(`${needle} not in text`);
  const { line, column } = lineColumn(text, i);
  return `${SOURCE}:${line}:${column}`;
}

const PV0 = 'JCZ9VF-padd-82m8-72gK-YVeO-nCkr-YPypCQ';

describe('names that are members of Object.prototype', () => {
  it('__proto__, constructor and toString as section and key names parse as plain names', () => {
    const doc = parseConfig('__proto__ {\nconstructor = 1\ntoString = "x"\n__proto__ = [1, 2]\n}\nconstructor {\nhasOwnProperty {\n}\n}\n', SOURCE);
    const strip = (items: ConfigItem[]): unknown[] => items.map((c) =>
      c.kind === 'section' ? { section: c.name, children: strip(c.children) } : c.kind === 'setting' ? { key: c.key, value: c.value } : c.text);
    expect(strip(doc.children)).toEqual([
      { section: '__proto__', children: [{ key: 'constructor', value: 1 }, { key: 'toString', value: 'x' }, { key: '__proto__', value: [1, 2] }] },
      { section: 'constructor', children: [{ section: 'hasOwnProperty', children: [] }] },
    ]);
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).constructor).toBe(Object);
  });

  it('a VG named __proto__ is read and reported', () => {
    const vg = readVg(edit(SAMPLE_TEXT, /^sample \{$/m, '__proto__ {'));
    expect(vg.name).toBe('__proto__');
    expect(issues(vg).filter((i) => i.severity === 'error')).toEqual([]);
    expect(rows(report(vg, { kind: 'vgs', noheadings: true, fields: 'vg_name,pv_count,lv_count,vg_attr' })))
      .toEqual([['__proto__', '2', '2', 'wz--n-']]);
  });

  it('LVs named constructor and toString, PVs keyed __proto__ and constructor', () => {
    let t = edit(SAMPLE_TEXT, /^\t\tlin \{$/m, '\t\tconstructor {');
    t = edit(t, /^\t\tstr \{$/m, '\t\ttoString {');
    t = edit(t, /^\t\tpv0 \{$/m, '\t\t__proto__ {').replaceAll('"pv0"', '"__proto__"');
    t = edit(t, /^\t\tpv1 \{$/m, '\t\tconstructor {').replaceAll('"pv1"', '"constructor"');
    const vg = readVg(t);
    expect(vg.pvs.map((p) => p.key)).toEqual(['__proto__', 'constructor']);
    expect(vg.lvs.map((l) => l.name)).toEqual(['constructor', 'toString']);
    expect(issues(vg).filter((i) => i.severity === 'error')).toEqual([]);
    expect(rows(report(vg, { kind: 'lvs', segments: true, noheadings: true, fields: 'lv_name,segtype,devices' })))
      .toEqual([['constructor', 'linear', '/dev/__proto__(0)'], ['toString', 'striped', '/dev/__proto__(4),/dev/constructor(0)']]);
    expect(rows(report(vg, { kind: 'pvs', noheadings: true, fields: 'pv_name,pv_used', units: 'm', nosuffix: true })))
      .toEqual([['/dev/__proto__', '8.00'], ['/dev/constructor', '4.00']]);
  });

  it('segment types __proto__, constructor and toString are kept verbatim and every report field works', () => {
    let t = SAMPLE_TEXT.replace('type = "striped"', 'type = "__proto__"');
    t = t.replace('type = "striped"', 'type = "constructor"');
    const vg = readVg(t);
    expect(vg.lvs.map((l) => l.segments[0].type)).toEqual(['__proto__', 'constructor']);
    expect(rows(report(vg, { kind: 'lvs', noheadings: true, fields: 'lv_name,segtype,lv_attr' })))
      // 'u': LVM2's target type character for a segment type it does not know.
      .toEqual([['lin', '__proto__', '-wi---u---'], ['str', 'constructor', '-wi---u---']]);
    for (const kind of ['lvs', 'vgs', 'pvs'] as const) {
      expect(() => report(vg, { kind, fields: kind === 'lvs' ? 'lv_all' : kind === 'vgs' ? 'vg_all' : 'pv_all' })).not.toThrow();
      expect(report(vg, { kind, fields: kind === 'lvs' ? 'lv_all' : kind === 'vgs' ? 'vg_all' : 'pv_all', reportFormat: 'json' })).toContain('"report"');
    }
    const segs = report(vg, { kind: 'lvs', segments: true, fields: 'seg_all', reportFormat: 'json' });
    expect(JSON.parse(segs).report[0].seg.map((s: Record<string, string>) => s.segtype)).toEqual(['__proto__', 'constructor']);
    const toStr = readVg(SAMPLE_TEXT.replace('type = "striped"', 'type = "toString"'));
    expect(rows(report(toStr, { kind: 'lvs', noheadings: true, fields: 'lv_name,segtype,lv_modules' })))
      .toEqual([['lin', 'toString'], ['str', 'striped']]);
  });

  it('allocation policies __proto__ and constructor are read as LVM2 reads an unknown policy (the default, with a warning)', () => {
    let t = edit(SAMPLE_TEXT, '\tmetadata_copies = 0\n', '\tmetadata_copies = 0\n\tallocation_policy = "__proto__"\n');
    t = edit(t, '\t\t\tcreation_host = "lvmkit-samples"\n\t\t\tsegment_count = 1\n\n\t\t\tsegment1 {\n\t\t\t\tstart_extent = 0\n\t\t\t\textent_count = 4',
      '\t\t\tcreation_host = "lvmkit-samples"\n\t\t\tallocation_policy = "constructor"\n\t\t\tsegment_count = 1\n\n\t\t\tsegment1 {\n\t\t\t\tstart_extent = 0\n\t\t\t\textent_count = 4');
    const vg = readVg(t);
    expect(issues(vg)).toEqual([
      { severity: 'warning', code: 'policy', message: 'Ignoring unrecognised allocation policy __proto__ for VG sample' },
      { severity: 'warning', code: 'policy', message: 'Ignoring unrecognised allocation policy constructor for LV sample/lin.' },
    ]);
    expect(rows(report(vg, { kind: 'lvs', noheadings: true, fields: 'lv_name,lv_attr,lv_allocation_policy' })))
      .toEqual([['lin', '-wi-------', 'inherit'], ['str', '-wi-------', 'inherit']]);
    expect(rows(report(vg, { kind: 'vgs', noheadings: true, fields: 'vg_attr,vg_allocation_policy' }))).toEqual([['wz--n-', 'normal']]);
  });

  it('an unknown key __proto__ in an LV is kept and written back', () => {
    const t = edit(SAMPLE_TEXT, '\t\t\tcreation_host = "lvmkit-samples"\n\t\t\tsegment_count = 1\n\n\t\t\tsegment1 {\n\t\t\t\tstart_extent = 0\n\t\t\t\textent_count = 8',
      '\t\t\tcreation_host = "lvmkit-samples"\n\t\t\t__proto__ = "polluted"\n\t\t\tconstructor = 7\n\t\t\tsegment_count = 1\n\n\t\t\tsegment1 {\n\t\t\t\tstart_extent = 0\n\t\t\t\textent_count = 8');
    const vg = readVg(t);
    const str = vg.lvs[1];
    expect(str.extra.map((c) => (c.kind === 'setting' ? [c.key, c.value] : c.kind))).toEqual([['__proto__', 'polluted'], ['constructor', 7]]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const back = printConfig(vgToConfig(vg, { flavour: 'file', codecs: lookupSegtype }), { flavour: 'file' });
    expect(back).toContain('\t\t\t__proto__ = "polluted"\n\t\t\tconstructor = 7\n');
  });
});

describe('nesting 10,000 deep', () => {
  const DEPTH = 10_000;
  const depthOf = (doc: ConfigDocument | ConfigSection): number => {
    let d = 0;
    let cur: ConfigDocument | ConfigSection = doc;
    for (;;) {
      const next = cur.children.find((c): c is ConfigSection => c.kind === 'section');
      if (!next) return d;
      d++;
      cur = next;
    }
  };

  it('parses without using the call stack', () => {
    const doc = parseConfig('a {\n'.repeat(DEPTH) + 'x = 1\n' + '}\n'.repeat(DEPTH), SOURCE);
    expect(depthOf(doc)).toBe(DEPTH);
  });

  it('unclosed: names the innermost open section', () => {
    const e = errorOf(() => parseConfig('a {\n'.repeat(DEPTH), SOURCE));
    expect(e.code).toBe('EPARSE');
    expect(e.message).toBe(`${SOURCE}:${DEPTH + 1}:1: expected "}" to close section "a" opened at line ${DEPTH} column 1, found end of input`);
  });

  it('a 10,000-deep unknown section inside the VG is kept by the model', () => {
    const t = edit(SAMPLE_TEXT, '\tmetadata_copies = 0\n', '\tmetadata_copies = 0\n' + 'deep {\n'.repeat(DEPTH) + '}\n'.repeat(DEPTH));
    const vg = readVg(t);
    expect(vg.extra).toHaveLength(1);
    expect(depthOf({ kind: 'document', children: vg.extra })).toBe(DEPTH);
    expect(rows(report(vg, { kind: 'lvs', noheadings: true, fields: 'lv_name' }))).toEqual([['lin'], ['str']]);
  });

  it('10,000 closing braces too many: the first one is refused where it stands', () => {
    const e = errorOf(() => parseConfig('x = 1\n' + '}\n'.repeat(DEPTH), SOURCE));
    expect(e.message).toBe(`${SOURCE}:2:1: expected a key, a section name or end of input, found "}" (no section is open)`);
  });

  it('10,000 nested [ is refused at the second [', () => {
    const e = errorOf(() => parseConfig('x = ' + '['.repeat(DEPTH), SOURCE));
    expect(e.code).toBe('EPARSE');
    expect(e.message).toMatch(new RegExp(`^${SOURCE}:1:6: expected .*"\\]".*, found "\\["$`));
  });
});

describe('a 100 MB string', () => {
  const HUGE = 100 * 1024 * 1024;

  it('as the description: read, kept whole', () => {
    const big = 'x'.repeat(HUGE);
    const vg = readVg(edit(SAMPLE_TEXT, /^description = ".*"$/m, `description = "${big}"`));
    const d = vg.header.find((c) => c.kind === 'setting' && c.key === 'description');
    expect(d?.kind === 'setting' && typeof d.value === 'string' ? d.value.length : -1).toBe(HUGE);
    expect(vg.lvs.map((l) => l.name)).toEqual(['lin', 'str']);
  });

  it('unterminated: says where it started', () => {
    const text = 'a = "' + 'y'.repeat(HUGE);
    const e = errorOf(() => parseConfig(text, SOURCE));
    expect(e.message).toBe(`${SOURCE}:1:${HUGE + 6}: expected '"' to close the string started at line 1 column 5, found end of input`);
  });

  it('as an LV name: refused by validation, with the name cut short in the message', () => {
    const name = 'n'.repeat(HUGE);
    const vg = readVg(edit(SAMPLE_TEXT, /^\t\tlin \{$/m, `\t\t${name} {`));
    const errs = issues(vg).filter((i) => i.severity === 'error');
    expect(errs).toHaveLength(1);
    expect(errs[0].code).toBe('name');
    expect(errs[0].message.length).toBeLessThan(HUGE);
  });
});

describe('control characters and long text quoted in messages', () => {
  it('a value holding a newline is quoted with an escape: the error stays on one line', () => {
    const t = edit(SAMPLE_TEXT, 'contents = "Text Format Volume Group"', 'contents = "Text Format Vol\nume Group"');
    const e = errorOf(() => readVg(t));
    expect(e.message).toBe(`${at(t, 'contents')}: contents: expected "Text Format Volume Group", found string "Text Format Vol\\nume Group"`);
  });

  it('a 1 MB value in an error is cut, saying how long it was', () => {
    const big = 'z'.repeat(1 << 20);
    const t = edit(SAMPLE_TEXT, 'seqno = 3', `seqno = "${big}"`);
    const e = errorOf(() => readVg(t));
    expect(e.message).toBe(`${at(t, 'seqno')}: VG sample: seqno: expected an integer, found string "${'z'.repeat(32)}...(${1 << 20} characters)"`);
  });

  it('a PV key with a tab and a newline, named by a segment that does not exist', () => {
    const t = SAMPLE_TEXT.replace('"pv0", 0', '"p\tv\n9", 0');
    const e = errorOf(() => readVg(t));
    expect(e.message).toBe(`${at(t, 'stripes')}: LV lin segment1: couldn't find volume 'p\\tv\\n9' for segment (not a PV of this VG, nor an LV)`);
  });
});

describe('numbers past 2^64 and negative counts', () => {
  it('seqno 2^64: the parser refuses it, naming line:column', () => {
    const t = edit(SAMPLE_TEXT, 'seqno = 3', 'seqno = 18446744073709551616');
    const e = errorOf(() => readVg(t));
    expect(e.code).toBe('EPARSE');
    expect(e.message).toBe(`${at(t, '18446744073709551616')}: expected an integer in the signed 64-bit range, found 18446744073709551616`);
  });

  it('2^63 is refused, 2^63-1 parses but is out of range for seqno (u32)', () => {
    const t1 = edit(SAMPLE_TEXT, 'seqno = 3', 'seqno = 9223372036854775808');
    expect(errorOf(() => readVg(t1)).message).toBe(`${at(t1, '9223372036854775808')}: expected an integer in the signed 64-bit range, found 9223372036854775808`);
    const t2 = edit(SAMPLE_TEXT, 'seqno = 3', 'seqno = 9223372036854775807');
    const e = errorOf(() => readVg(t2));
    expect(e.code).toBe('EMETADATA');
    expect(e.message).toBe(`${at(t2, 'seqno')}: VG sample: seqno = 9223372036854775807 is out of range`);
  });

  it('a 1,000-digit number is refused without converting it', () => {
    const digits = '9'.repeat(1000);
    const t = edit(SAMPLE_TEXT, 'seqno = 3', `seqno = ${digits}`);
    expect(errorOf(() => readVg(t)).message).toBe(`${at(t, digits)}: expected an integer in the signed 64-bit range, found ${digits}`);
  });

  it('pe_start past 2^53 (exact numbers end there) is out of range', () => {
    const t = editFirst(SAMPLE_TEXT, 'pe_start = 2048', 'pe_start = 9007199254740993');
    const e = errorOf(() => readVg(t));
    expect(e.message).toBe(`${at(t, 'pe_start = 9007199254740993')}: PV pv0: pe_start = 9007199254740993 is out of range`);
  });

  for (const [key, where, what] of [
    ['pe_count', '\t\t\tpe_count = 15', 'PV pv0'],
    ['segment_count', '\t\t\tsegment_count = 1', 'LV lin'],
    ['extent_count', '\t\t\t\textent_count = 4', 'LV lin segment1'],
    ['stripe_count', '\t\t\t\tstripe_count = 1', 'LV lin segment1'],
    ['start_extent', '\t\t\t\tstart_extent = 0', 'LV lin segment1'],
    ['extent_size', '\textent_size = 2048', 'VG sample'],
  ] as const) {
    it(`${key} = -1 is out of range`, () => {
      const t = SAMPLE_TEXT.replace(where, where.replace(/= \d+/, '= -1'));
      expect(t).not.toBe(SAMPLE_TEXT);
      const e = errorOf(() => readVg(t));
      expect(e.code).toBe('EMETADATA');
      expect(e.message).toBe(`${at(t, `${key} = -1`)}: ${what}: ${key} = -1 is out of range (0..4294967295)`);
    });
  }

  it('an extent number of 2^32 in a stripes list is refused', () => {
    const t = SAMPLE_TEXT.replace('"pv0", 0', '"pv0", 4294967296');
    const e = errorOf(() => readVg(t));
    expect(e.message).toBe(`${at(t, 'stripes')}: LV lin segment1: stripes[1]: expected an extent number, found number 4294967296`);
  });
});

describe('extent_size 0, stripe_count 0 or larger than the stripes list, segments past a PV end', () => {
  it('extent_size 0 is refused by validation', () => {
    const vg = readVg(edit(SAMPLE_TEXT, 'extent_size = 2048', 'extent_size = 0'));
    expect(issues(vg)).toEqual([{ severity: 'error', code: 'extent-size', message: 'VG sample: extent_size is 0' }]);
  });

  it('stripe_count 0', () => {
    const t = edit(SAMPLE_TEXT, 'stripe_count = 1', 'stripe_count = 0');
    const e = errorOf(() => readVg(t));
    expect(e.message).toBe(`${at(t, 'stripes = [')}: LV lin segment1: zero areas not allowed (stripe_count is 0)`);
  });

  it('stripe_count 3 with 2 stripes listed', () => {
    const t = edit(SAMPLE_TEXT, 'stripe_count = 2', 'stripe_count = 3');
    const e = errorOf(() => readVg(t));
    const i = t.indexOf('stripes = [', t.indexOf('stripe_count = 3'));
    const { line, column } = lineColumn(t, i);
    expect(e.message).toBe(`${SOURCE}:${line}:${column}: LV str segment1: incorrect number of areas: stripes has 2 pairs for stripe_count 3`);
  });

  it('stripe_count 4294967295 with 2 stripes listed (no allocation of that many areas)', () => {
    const t = edit(SAMPLE_TEXT, 'stripe_count = 2', 'stripe_count = 4294967295');
    expect(errorOf(() => readVg(t)).message).toMatch(/LV str segment1: incorrect number of areas: stripes has 2 pairs for stripe_count 4294967295$/);
  });

  it('a stripes list with a name but no extent', () => {
    const t = edit(SAMPLE_TEXT, '"pv0", 4,\n\t\t\t\t\t"pv1", 0', '"pv0", 4,\n\t\t\t\t\t"pv1"');
    expect(errorOf(() => readVg(t)).message).toMatch(/LV str segment1: missing offset in areas array: stripes has 3 values, expected pairs of \(name, first extent\)$/);
  });

  it('a segment past the end of its PV', () => {
    const vg = readVg(edit(SAMPLE_TEXT, '"pv0", 0', '"pv0", 14'));
    expect(issues(vg).filter((i) => i.severity === 'error').map((i) => i.message)).toEqual([
      `LV sample/lin segment at extent 0: extents 14-17 on pv0 (${PV0}) lie outside its 15 extents`,
    ]);
  });

  it('a segment at the last u32 extent', () => {
    const vg = readVg(edit(SAMPLE_TEXT, '"pv0", 0', '"pv0", 4294967295'));
    expect(issues(vg).filter((i) => i.severity === 'error').map((i) => i.message)).toEqual([
      `LV sample/lin segment at extent 0: extents 4294967295-4294967298 on pv0 (${PV0}) lie outside its 15 extents`,
    ]);
  });

  it('two LVs that are each other\'s areas (a cycle) are reported without recursing forever', () => {
    // lin's segment is striped over lin itself and str; str over lin and str.
    let t = SAMPLE_TEXT.replace('stripe_count = 1\t# linear\n\n\t\t\t\tstripes = [\n\t\t\t\t\t"pv0", 0\n\t\t\t\t]',
      'stripe_count = 2\n\t\t\t\tstripe_size = 128\n\n\t\t\t\tstripes = [\n\t\t\t\t\t"str", 0,\n\t\t\t\t\t"lin", 0\n\t\t\t\t]');
    t = t.replace('"pv0", 4,\n\t\t\t\t\t"pv1", 0', '"lin", 0,\n\t\t\t\t\t"str", 0');
    const vg = readVg(t);
    expect(vg.lvs.map((l) => l.segments[0].areas.map((a) => (a.kind === 'lv' ? a.lvName : a.pv.key)))).toEqual([['str', 'lin'], ['lin', 'str']]);
    expect(rows(report(vg, { kind: 'lvs', noheadings: true, fields: 'lv_name,lv_attr,devices' })))
      .toEqual([['lin', '-wi-------', 'str(0),lin(0)'], ['str', '-wi-------', 'lin(0),str(0)']]);
  });
});

describe('a million segments', () => {
  it('an LV of 1,000,000 one-extent segments on consecutive extents is read and merged into one', () => {
    const N = 1_000_000;
    const parts: string[] = [];
    for (let i = 0; i < N; i++) parts.push(`s${i}{start_extent=${i}\nextent_count=1\ntype="striped"\nstripe_count=1\nstripes=["pv0",${i}]}\n`);
    let t = editFirst(SAMPLE_TEXT, 'pe_count = 15\t# 15 Megabytes', `pe_count = ${N}`);
    t = t.replace(/\t\tlin \{[\s\S]*?\n\t\t\}\n\n\t\tstr \{[\s\S]*?\n\t\t\}\n/, `\t\tbig {\nid = "OARkBH-6T8j-HGU4-27x8-fEra-k7D5-HepQod"\nstatus = ["READ", "WRITE", "VISIBLE"]\nsegment_count = ${N}\n${parts.join('')}}\n`);
    parts.length = 0;
    const vg = readVg(t);
    expect(vg.lvs).toHaveLength(1);
    expect(vg.lvs[0].segments.map((s) => [s.startExtent, s.extentCount])).toEqual([[0, N]]);
    expect(issues(vg).filter((i) => i.severity === 'error')).toEqual([]);
    expect(rows(report(vg, { kind: 'lvs', noheadings: true, fields: 'lv_name,seg_count,lv_size', units: 'm', nosuffix: true })))
      .toEqual([['big', '1', String((N).toFixed(2))]]);
  }, 120_000);
});
