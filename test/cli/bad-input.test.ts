/**
 * The CLI on bad input, end to end (node dist/cli.js): images that are not PVs, truncated PVs, damaged labels,
 * metadata area headers and texts, unparseable or inconsistent metadata, a VG with a PV missing, and bad
 * arguments. Every failure must be ONE "lvmkit: " line on stderr naming the file and the offset or line:column
 * and what was expected, with a non-zero exit and no stack trace; lvmkit must never change an image it reads.
 * The PVs are made by real LVM2 on loop devices; the damage is done to copies of their image files.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeInterop, itInterop, LoopLab, type LabDevice } from '../helpers/lvm2.js';
import { createSparseImage } from '../helpers/images.js';
import {
  expectOneLineError, ImageSurgeon, lineColumn, pseudoRandomBytes, runCli, runCliReadOnly, stderrLines,
} from './cli-harness.js';

const MDA0 = 4096; // default pvcreate: metadata area 0 at 4 KiB, 1020 KiB long, pe_start 1 MiB
const VERBS = ['pvs', 'vgs', 'lvs', 'metadata'] as const;

/** Every reading verb on `images`: each must fail the same way, and none may change the images. */
function expectAllVerbsFail(images: string[], ...patterns: Array<RegExp | string>): string[] {
  return VERBS.map((verb) => expectOneLineError(runCliReadOnly([verb, '--devices', images.join(',')], images), ...patterns));
}

describe('bad arguments (no LVM2 needed)', () => {
  it('no --devices: exit 3 (LVM2 EINVALID_CMD_LINE), one line saying how to name images', () => {
    for (const verb of ['pvs', 'vgs', 'lvs', 'metadata']) {
      const line = expectOneLineError(runCli([verb]), /no devices given/, '--devices');
      expect(line).toMatch(/^lvmkit: /);
      expect(runCli([verb]).code).toBe(3);
    }
  });

  it('a nonexistent image path: one line naming the path', () => {
    const missing = join('test', 'cli', 'no-such-image.img');
    const r = runCli(['lvs', '--devices', missing]);
    expectOneLineError(r, missing, /cannot open|no such file/i);
    expect(r.code).toBe(5);
  });

  it('an unknown option: one line (no second usage line), exit 3 as LVM2', () => {
    const r = runCli(['lvs', '--bogus', '--devices', 'x.img']);
    expectOneLineError(r, /bogus/);
    expect(r.code).toBe(3);
  });

  it('an unknown command: one line naming it', () => {
    expectOneLineError(runCli(['frobnicate']), /frobnicate/);
  });
});

describeInterop('CLI on bad input (real LVM2 PVs, damaged copies)', () => {
  let lab: LoopLab;
  let scratch: string;
  let one: LabDevice; // VG vgA: one PV, one metadata area, LV lv1
  let p1: LabDevice; // VG vgB: two PVs, one metadata area each, LVs st (striped over both) and lin (on p2)
  let p2: LabDevice;
  let vgA: string;
  let vgB: string;
  let n = 0;
  const copyOf = (img: string, tag: string) => ImageSurgeon.copy(img, join(scratch, `${tag}-${++n}.img`));

  beforeAll(() => {
    lab = new LoopLab();
    scratch = join(lab.dir, 'scratch');
    mkdirSync(scratch);
    one = lab.disk('one.img', '32M');
    p1 = lab.disk('p1.img', '32M');
    p2 = lab.disk('p2.img', '32M');
    vgA = lab.vgName();
    vgB = lab.vgName();
    lab.pvcreate([one.dev, p1.dev, p2.dev]);
    lab.vgcreate(vgA, [one.dev]);
    lab.lvcreate(vgA, ['-n', 'lv1', '-L', '8M']);
    lab.vgcreate(vgB, [p1.dev, p2.dev]);
    lab.lvcreate(vgB, ['-n', 'st', '-L', '8M', '-i', '2']);
    lab.lvcreate(vgB, ['-n', 'lin', '-L', '4M'], [p2.dev]);
  });
  afterAll(() => lab?.cleanup());

  // --- not a PV

  itInterop('an image of zeros is not a PV', () => {
    const img = createSparseImage(join(scratch, 'zeros.img'), '8M');
    expectAllVerbsFail([img], img, /no LVM2 label in sectors 0-3/);
  });

  itInterop('an image of random bytes is not a PV', () => {
    const img = join(scratch, 'random.img');
    writeFileSync(img, pseudoRandomBytes(1 << 20));
    expectAllVerbsFail([img], img, /no LVM2 label in sectors 0-3/);
  });

  itInterop('an ext4 file system made by mkfs.ext4 is not a PV', () => {
    const img = createSparseImage(join(scratch, 'ext4.img'), '16M');
    execFileSync('mkfs.ext4', ['-q', '-F', img], { stdio: 'ignore' });
    expectAllVerbsFail([img], img, /no LVM2 label in sectors 0-3/);
  });

  // --- truncated PVs

  itInterop('a PV cut to 3 KiB: the metadata area header at 4096 lies past the end', () => {
    const s = copyOf(one.image, 'cut3k');
    s.truncate(3072);
    expectAllVerbsFail([s.path], s.path, `offset ${MDA0}`, /past the end of the device \(3072 bytes\)/);
  });

  itInterop('a PV cut inside its metadata text (before pe_start): the area extends past the end', () => {
    const s = copyOf(one.image, 'cutmda');
    const { textAt } = s.areaText(MDA0);
    const size = textAt + 100;
    s.truncate(size);
    expectAllVerbsFail([s.path], s.path, `offset ${MDA0}`, `past the end of the device (${size} bytes)`);
  });

  // --- label

  itInterop('a bad label CRC (one byte of the pv_header flipped): label offset and both CRCs named', () => {
    const s = copyOf(one.image, 'labelcrc');
    s.flipByte(0x230); // inside pv_uuid, covered by the label CRC (§1.3)
    expectAllVerbsFail([s.path], s.path, /label at offset 512: CRC 0x[0-9a-f]{8} does not match computed 0x[0-9a-f]{8}/);
  });

  // --- metadata area header

  itInterop('a bad metadata area header CRC on the only copy: the VG cannot be read', () => {
    const s = copyOf(one.image, 'mdacrc');
    s.flipByte(MDA0 + 100); // a zero byte after the raw_locn slots: only the CRC is wrong
    const lines = expectAllVerbsFail([s.path], s.path, `metadata area header at offset ${MDA0}`, /CRC 0x[0-9a-f]{8} does not match computed/);
    expect(lines[0]).toMatch(/no readable copy/);
  });

  itInterop('two PVs, one bad metadata area: reports work from the good copy and a warning names the bad one', () => {
    const bad = copyOf(p1.image, 'p1-mdacrc');
    bad.flipByte(MDA0 + 100);
    const good = copyOf(p2.image, 'p2-good');
    const images = [bad.path, good.path];
    const ref = runCli(['lvs', '--devices', [p1.image, p2.image].join(','), vgB]);
    expect(ref.code).toBe(0);
    const r = runCliReadOnly(['lvs', '--devices', images.join(','), vgB], images);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(ref.stdout);
    expect(r.stdout).toMatch(/\bst\b/);
    expect(r.stdout).toMatch(/\blin\b/);
    const warnings = stderrLines(r);
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings.every((l) => l.startsWith('  WARNING: ')), r.stderr).toBe(true);
    expect(warnings.some((l) => l.includes(bad.path) && l.includes(`metadata area header at offset ${MDA0}`))).toBe(true);
    expect(r.stderr).not.toContain(good.path);
  });

  // --- metadata text

  itInterop('a text checksum mismatch (one byte of the text flipped): the text offset is named', () => {
    const s = copyOf(one.image, 'textcrc');
    const { textAt } = s.areaText(MDA0);
    s.flipByte(textAt + 10);
    expectAllVerbsFail([s.path], s.path, `metadata text at offset ${textAt}`, /CRC 0x[0-9a-f]{8} does not match computed 0x[0-9a-f]{8}/);
  });

  itInterop('unparseable text (an unbalanced brace, checksums fixed up): line:column and what was expected', () => {
    const s = copyOf(one.image, 'parse');
    let at = -1;
    const t = s.replaceText(MDA0, (text) => {
      at = text.indexOf('\nseqno = ') + 1;
      return `${text.slice(0, at)}{${text.slice(at + 1)}`; // "{eqno = N": a brace where a name must be
    });
    const { line, column } = lineColumn(t.text, at);
    expect(line).toBeGreaterThan(1);
    expectAllVerbsFail([s.path], s.path, `:${line}:${column}:`, /expected/, '"{"');
  });

  itInterop('text that references an unknown PV ("pv9" in a stripes list): line:column and the name', () => {
    const s = copyOf(one.image, 'pv9');
    const t = s.replaceText(MDA0, (text) => {
      if (!text.includes('"pv0", 0')) throw new Error('no "pv0", 0 in the stripes list');
      return text.replace(/stripes = \[\n"pv0", 0/, 'stripes = [\n"pv9", 0');
    });
    const stripes = lineColumn(t.text, t.text.indexOf('stripes = ['));
    const element = lineColumn(t.text, t.text.indexOf('"pv9"'));
    const lines = expectAllVerbsFail([s.path], s.path, /pv9/);
    const m = /:(\d+):(\d+):/.exec(lines[0]);
    expect(m, lines[0]).not.toBeNull();
    // The position of the "pv9" element itself, or of the stripes setting that holds it.
    expect([`${element.line}:${element.column}`, `${stripes.line}:${stripes.column}`]).toContain(`${m![1]}:${m![2]}`);
  });

  // --- a PV missing

  itInterop('a VG with a PV missing: pvs/vgs/lvs list what is known, mark the PV missing, warn, exit 0 as LVM2', () => {
    const known = [p1];
    const cases: Array<[verb: 'pvs' | 'vgs' | 'lvs', fields: string, extra: string[]]> = [
      ['pvs', 'pv_name,vg_name,pv_attr,pv_size,pv_free,pv_missing,pv_uuid', []],
      ['vgs', 'vg_name,vg_attr,pv_count,lv_count,vg_missing_pv_count,vg_partial,vg_size,vg_free', [vgB]],
      ['lvs', 'lv_name,vg_name,lv_attr,lv_size,devices', [vgB]],
    ];
    for (const [verb, fields, extra] of cases) {
      const args = ['--reportformat', 'json', '--units', 'b', '--nosuffix', '-o', fields, ...extra];
      const real = lab.lvm(verb, args, { devices: known.map((d) => d.dev), allowFail: true });
      const ours = runCliReadOnly([verb, '--devices', known.map((d) => d.image).join(','), ...args], [p1.image]);
      expect(ours.code, ours.stderr).toBe(real.code);
      expect(ours.code).toBe(0);
      const norm = (rows: Array<Record<string, string>>) => rows
        .map((row) => (row.lv_attr ? { ...row, lv_attr: row.lv_attr.slice(0, 4) + '--' + row.lv_attr.slice(6) } : row))
        .map((row) => JSON.stringify(row)).sort();
      const realRows = JSON.parse(lab.toImageNames(real.stdout)).report[0][verb.slice(0, 2)] as Array<Record<string, string>>;
      const ourRows = JSON.parse(ours.stdout).report[0][verb.slice(0, 2)] as Array<Record<string, string>>;
      expect(norm(ourRows), verb).toEqual(norm(realRows));
      // LVM2's warnings (it repeats them; compare the distinct ones), with the device names it shows.
      const warn = (s: string) => [...new Set(s.split('\n').filter((l) => l.includes('WARNING:')).map((l) => l.trim()))].sort();
      expect(warn(ours.stderr), verb).toEqual(warn(real.stderr));
      expect(stderrLines(ours).every((l) => l.startsWith('  WARNING: '))).toBe(true);
    }
    // The markers, spelled out.
    const pvs = runCli(['pvs', '--devices', p1.image, '-o', 'pv_name,pv_attr', '--noheadings']).stdout;
    expect(pvs).toMatch(/\[unknown\]\s+a-m/);
    const vgs = runCli(['vgs', '--devices', p1.image, '-o', 'vg_attr', '--noheadings', vgB]).stdout.trim();
    expect(vgs).toBe('wz-pn-');
    const lvs = runCli(['lvs', '--devices', p1.image, '-o', 'lv_name,lv_attr', '--noheadings', vgB]).stdout;
    expect(lvs).toMatch(/\bst\s+-wi-----p-/);
    expect(lvs).toMatch(/\blin\s+-wi-----p-/);
  });

  // --- bad arguments against LVM2's own behaviour

  itInterop('an unknown field (-o foo): "Unrecognised field: foo" on one line, exit code as LVM2 lvs', () => {
    const real = lab.lvm('lvs', ['-o', 'foo', vgA], { allowFail: true });
    expect(real.stderr).toContain('Unrecognised field: foo');
    const r = runCliReadOnly(['lvs', '--devices', one.image, '-o', 'foo', vgA], [one.image]);
    expectOneLineError(r, /^lvmkit: Unrecognised field: foo$/);
    expect(r.code).toBe(real.code); // 5 (ECMD_FAILED) in LVM2 2.03.16, not 3
  });
});
