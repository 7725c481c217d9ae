/**
 * `lvmkit inspect` and `lvmkit metadata` end to end (node dist/cli.js) against real LVM2: the label, headers,
 * metadata areas, checksums and seqno that `inspect` shows equal what `pvck --dump headers` prints; the current
 * text that `metadata` prints equals `pvck --dump metadata`; `metadata --all` lists the older versions still in
 * the circular buffers, `--seqno N` prints one in which a since-removed LV still exists (and real vgcfgrestore
 * brings the LV back from it), and `--flavour file` prints a file real vgcfgrestore accepts.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { describeInterop, itInterop, LoopLab, runProgram, type LabDevice } from '../helpers/lvm2.js';
import { parseConfigSimple, type SimpleSection } from '../helpers/images.js';
import { lvmCrc } from '../../src/format/index.js';
import { ImageSurgeon, runCli, runCliReadOnly, stderrLines } from './cli-harness.js';

type Dump = Map<string, string>;

/** `pvck --dump headers DEV` as key -> value ("label_header.crc" -> "0xf294e40", "mda_header_1 at" -> "4096"). */
function pvckHeaders(lab: LoopLab, dev: string): { keys: Dump; texts: Array<{ at: number; crc: number; vg: string; seqno: number }> } {
  // `pvck --devices X X` fails in 2.03.16: run it plainly, isolated by the lab's LVM_SYSTEM_DIR.
  const env = { ...process.env, LVM_SUPPRESS_FD_WARNINGS: '1', LC_ALL: 'C', LVM_SYSTEM_DIR: join(lab.dir, 'lvm-system') };
  const out = runProgram('pvck', ['--dump', 'headers', dev], { env }).stdout;
  const keys: Dump = new Map();
  const texts: Array<{ at: number; crc: number; vg: string; seqno: number }> = [];
  for (const raw of out.split('\n')) {
    const line = raw.trim();
    const t = /^metadata text at (\d+) crc (0x[0-9a-f]+) # vgname (\S+) seqno (\d+)/.exec(line);
    if (t) { texts.push({ at: Number(t[1]), crc: Number(t[2]), vg: t[3], seqno: Number(t[4]) }); continue; }
    const at = /^(\S+) at (\d+)/.exec(line);
    if (at) { keys.set(`${at[1]} at`, at[2]); continue; }
    const kv = /^(\S+) (\S+)/.exec(line);
    if (kv) keys.set(kv[1], kv[2]);
  }
  return { keys, texts };
}

/** The text `pvck --dump metadata DEV` extracts (between its "---" lines). */
function pvckMetadata(lab: LoopLab, dev: string): string {
  const env = { ...process.env, LVM_SUPPRESS_FD_WARNINGS: '1', LC_ALL: 'C', LVM_SYSTEM_DIR: join(lab.dir, 'lvm-system') };
  const out = runProgram('pvck', ['--dump', 'metadata', dev], { env }).stdout;
  const start = out.indexOf('  ---\n') + '  ---\n'.length;
  const end = out.lastIndexOf('\n  ---\n');
  expect(start).toBeGreaterThan(5);
  expect(end).toBeGreaterThan(start);
  return out.slice(start, end);
}

interface InspectJson {
  name: string;
  size: number;
  label?: { sector: number; offset: number; crc: string; computedCrc: string; crcOk: boolean; pvUuid: string; deviceSize: number;
    dataAreas: Array<{ offset: number; size: number }>; metadataAreas: Array<{ offset: number; size: number }> };
  mdas: Array<{ index: number; offset: number; size: number; headerCrc?: string; headerCrcOk: boolean; magicOk: boolean; version?: number; start?: number;
    slots: Array<{ offset: number; size: number; checksum: string; flags: number }>;
    text?: { deviceOffset: number; size: number; checksumOk: boolean; computed?: string; vgName?: string; seqno?: number };
    error?: string }>;
  error?: string;
}

interface HistoryRow { vg: string; seqno: number; checksum: number; size: number; status: string; locations: string[] }

function parseHistory(stdout: string): HistoryRow[] {
  const lines = stdout.split('\n').filter(Boolean);
  expect(lines[0]).toMatch(/^\s*VG\s+Seqno\s+Checksum\s+Size\s+Status\s+Location$/);
  return lines.slice(1).map((l) => {
    const m = /^\s*(\S+)\s+(\d+)\s+(0x[0-9a-f]{8})\s+(\d+)\s+(\S+)\s+(.*)$/.exec(l);
    if (!m) throw new Error(`not a history row: ${l}`);
    return { vg: m[1], seqno: Number(m[2]), checksum: Number(m[3]), size: Number(m[4]), status: m[5], locations: m[6].split(', ') };
  });
}

function lvSection(text: string, vg: string, lv: string): SimpleSection | undefined {
  const root = parseConfigSimple(text);
  const lvs = ((root[vg] as SimpleSection).logical_volumes ?? {}) as SimpleSection;
  return lvs[lv] as SimpleSection | undefined;
}

describeInterop('lvmkit inspect and metadata against real LVM2', () => {
  let lab: LoopLab;
  let x: LabDevice; // two PVs, two metadata areas each (--pvmetadatacopies 2)
  let y: LabDevice;
  let vg: string;
  let images: string[];
  /** seqno -> vgcfgbackup text taken right after that commit, for the ones we compare. */
  const backups = new Map<number, string>();
  let goneSeqno = 0;
  let finalSeqno = 0;
  const seqno = () => Number(lab.report('vgs', ['-o', 'vg_seqno', vg])[0].vg_seqno);

  beforeAll(() => {
    lab = new LoopLab();
    x = lab.disk('x.img', '32M');
    y = lab.disk('y.img', '32M');
    images = [x.image, y.image];
    vg = lab.vgName();
    lab.pvcreate([x.dev, y.dev], ['--pvmetadatacopies', '2']);
    lab.vgcreate(vg, [x.dev, y.dev]);
    lab.lvcreate(vg, ['-n', 'keep1', '-L', '4M']);
    lab.lvcreate(vg, ['-n', 'gone', '-L', '8M', '-i', '2', '-I', '64k']);
    goneSeqno = seqno();
    backups.set(goneSeqno, lab.vgcfgbackup(vg));
    lab.lvcreate(vg, ['-n', 'keep2', '-L', '4M'], [y.dev]);
    lab.lvm('lvremove', ['-y', `${vg}/gone`]);
    lab.lvcreate(vg, ['-n', 'keep3', '-L', '4M']);
    finalSeqno = seqno();
  });
  afterAll(() => lab?.cleanup());

  // --- inspect

  itInterop('inspect --json equals pvck --dump headers: label, uuid, sizes, areas, CRCs, text offset and seqno', () => {
    for (const d of [x, y]) {
      const { keys, texts } = pvckHeaders(lab, d.dev);
      const r = runCliReadOnly(['inspect', '--json', d.image], [d.image]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toBe('');
      const [info] = JSON.parse(r.stdout) as InspectJson[];
      const l = info.label!;
      expect(info.name).toBe(d.image);
      expect(l.offset).toBe(Number(keys.get('label_header at')));
      expect(l.sector).toBe(Number(keys.get('label_header.sector')));
      expect(Number(l.crc)).toBe(Number(keys.get('label_header.crc')));
      expect(l.crcOk).toBe(true);
      expect(l.pvUuid.replace(/-/g, '')).toBe(keys.get('pv_header.pv_uuid'));
      expect(l.deviceSize).toBe(Number(keys.get('pv_header.device_size')));
      // disk_locn[0] data area, [1] end, [2] and [3] metadata areas, [4] end.
      expect(l.dataAreas).toEqual([{ offset: Number(keys.get('pv_header.disk_locn[0].offset')), size: Number(keys.get('pv_header.disk_locn[0].size')) }]);
      expect(l.metadataAreas).toEqual([2, 3].map((i) => ({
        offset: Number(keys.get(`pv_header.disk_locn[${i}].offset`)), size: Number(keys.get(`pv_header.disk_locn[${i}].size`)),
      })));
      expect(info.mdas).toHaveLength(2);
      info.mdas.forEach((m, i) => {
        const h = `mda_header_${i + 1}`;
        expect(m.offset).toBe(Number(keys.get(`${h} at`)));
        expect(Number(m.headerCrc)).toBe(Number(keys.get(`${h}.checksum`)));
        expect(m.headerCrcOk && m.magicOk).toBe(true);
        expect(m.version).toBe(Number(keys.get(`${h}.version`)));
        expect(m.start).toBe(Number(keys.get(`${h}.start`)));
        expect(m.size).toBe(Number(keys.get(`${h}.size`)));
        expect(m.slots[0].offset).toBe(Number(keys.get(`${h}.raw_locn[0].offset`)));
        expect(m.slots[0].size).toBe(Number(keys.get(`${h}.raw_locn[0].size`)));
        expect(Number(m.slots[0].checksum)).toBe(Number(keys.get(`${h}.raw_locn[0].checksum`)));
        expect(m.text!.deviceOffset).toBe(texts[i].at);
        expect(Number(m.text!.computed)).toBe(texts[i].crc);
        expect(m.text!.checksumOk).toBe(true);
        expect(m.text!.vgName).toBe(vg);
        expect(m.text!.seqno).toBe(texts[i].seqno);
        expect(m.text!.seqno).toBe(finalSeqno);
      });
    }
  });

  itInterop('inspect (text) shows the same numbers, each with "ok"', () => {
    const { keys, texts } = pvckHeaders(lab, x.dev);
    const r = runCliReadOnly(['inspect', x.image], [x.image]);
    expect(r.code, r.stderr).toBe(0);
    const crc = (k: string) => `0x${Number(keys.get(k)).toString(16).padStart(8, '0')}`;
    expect(r.stdout).toContain(`label: sector 1 (offset 512), crc ${crc('label_header.crc')} ok`);
    expect(r.stdout).toContain(`metadata area 1: offset ${keys.get('pv_header.disk_locn[3].offset')} size ${keys.get('pv_header.disk_locn[3].size')}`);
    expect(r.stdout).toContain(`mda1 at offset ${keys.get('mda_header_2 at')} (${keys.get('mda_header_2.size')} bytes): header crc ${crc('mda_header_2.checksum')} ok`);
    expect(r.stdout).toContain(`text at offset ${texts[0].at}, ${keys.get('mda_header_1.raw_locn[0].size')} bytes: checksum ok, VG ${vg} seqno ${finalSeqno}`);
    expect(r.stdout).not.toContain('BAD');
  });

  itInterop('inspect on a damaged copy: BAD status and the offset of the damage, exit 5', () => {
    const scratch = join(lab.dir, 'inspect-scratch');
    mkdirSync(scratch, { recursive: true });
    const s = ImageSurgeon.copy(x.image, join(scratch, 'x-damaged.img'));
    const clean = JSON.parse(runCli(['inspect', '--json', x.image]).stdout) as InspectJson[];
    const [m0, m1] = clean[0].mdas;
    s.flipByte(m1.offset + 100); // second area's header: CRC no longer matches
    s.flipByte(m0.text!.deviceOffset + 20); // first area's text: checksum no longer matches
    const json = runCliReadOnly(['inspect', '--json', s.path], [s.path]);
    expect(json.code).toBe(5);
    const [info] = JSON.parse(json.stdout) as InspectJson[];
    expect(info.label!.crcOk).toBe(true);
    expect(info.mdas[0].headerCrcOk).toBe(true);
    expect(info.mdas[0].text!.checksumOk).toBe(false);
    expect(info.mdas[0].error).toContain(`metadata text at offset ${m0.text!.deviceOffset}`);
    expect(info.mdas[1].headerCrcOk).toBe(false);
    expect(info.mdas[1].error).toContain(`metadata area header at offset ${m1.offset}`);
    const text = runCliReadOnly(['inspect', s.path], [s.path]);
    expect(text.code).toBe(5);
    expect(text.stdout).toMatch(new RegExp(`text at offset ${m0.text!.deviceOffset}, \\d+ bytes: checksum BAD \\(computed 0x[0-9a-f]{8}\\)`));
    expect(text.stdout).toMatch(new RegExp(`mda1 at offset ${m1.offset} \\(\\d+ bytes\\): header crc 0x[0-9a-f]{8} BAD`));
    expect(text.stderr).not.toContain('    at ');

    const lab2 = ImageSurgeon.copy(x.image, join(scratch, 'x-label.img'));
    lab2.flipByte(0x230);
    const bad = runCliReadOnly(['inspect', lab2.path], [lab2.path]);
    expect(bad.code).toBe(5);
    expect(bad.stdout).toMatch(/label: sector 1 \(offset 512\), crc 0x[0-9a-f]{8} BAD \(computed 0x[0-9a-f]{8}\)/);
  });

  // --- metadata

  itInterop('metadata prints the current text, equal to pvck --dump metadata and to the stored bytes', () => {
    const r = runCliReadOnly(['metadata', '--devices', images.join(',')], images);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(pvckMetadata(lab, x.dev));
    expect(r.stdout).toBe(pvckMetadata(lab, y.dev));
    const stored = new ImageSurgeon(x.image).areaText(4096);
    expect(r.stdout).toBe(stored.text);
    expect(r.stdout).toMatch(new RegExp(`^${vg} \\{\\nid = "[^"]+"\\nseqno = ${finalSeqno}\\n`));
    // Naming the VG gives the same; an unknown VG is one error line.
    expect(runCli(['metadata', '--devices', images.join(','), vg]).stdout).toBe(r.stdout);
    const unknown = runCli(['metadata', '--devices', images.join(','), 'nosuchvg']);
    expect(unknown.code).not.toBe(0);
    expect(stderrLines(unknown)).toEqual([expect.stringMatching(/^lvmkit: .*nosuchvg.*not found/)]);
  });

  itInterop('metadata --all lists every older seqno with status, checksum and locations', () => {
    const r = runCliReadOnly(['metadata', '--all', '--devices', images.join(',')], images);
    expect(r.code, r.stderr).toBe(0);
    const rows = parseHistory(r.stdout);
    expect(rows.map((row) => row.seqno)).toEqual(Array.from({ length: finalSeqno }, (_, i) => finalSeqno - i));
    expect(rows.every((row) => row.vg === vg)).toBe(true);
    expect(rows[0].status).toBe('current');
    expect(rows.slice(1).every((row) => row.status === 'old')).toBe(true);
    // Every version was written to all 4 areas (2 PVs x 2 mdas).
    for (const row of rows) {
      expect(row.locations, `seqno ${row.seqno}`).toHaveLength(4);
      for (const loc of row.locations) expect(loc).toMatch(/^(.+) @(\d+)$/);
      expect(row.locations.filter((l) => l.startsWith(`${x.image} @`))).toHaveLength(2);
      expect(row.locations.filter((l) => l.startsWith(`${y.image} @`))).toHaveLength(2);
    }
    // The current row is where pvck says the committed text is.
    const { texts, keys } = pvckHeaders(lab, x.dev);
    expect(rows[0].locations).toContain(`${x.image} @${texts[0].at}`);
    expect(rows[0].locations).toContain(`${x.image} @${texts[1].at}`);
    expect(rows[0].checksum).toBe(texts[0].crc);
    expect(rows[0].size).toBe(Number(keys.get('mda_header_1.raw_locn[0].size')));
    // Each row's checksum and size are those of the text --seqno prints.
    for (const row of rows) {
      const t = runCli(['metadata', '--devices', images.join(','), '--seqno', String(row.seqno)]);
      expect(t.code, t.stderr).toBe(0);
      const bytes = new TextEncoder().encode(t.stdout + '\0');
      expect(bytes.length, `seqno ${row.seqno}`).toBe(row.size);
      expect(lvmCrc(bytes), `seqno ${row.seqno}`).toBe(row.checksum);
      expect(t.stdout).toMatch(new RegExp(`\\nseqno = ${row.seqno}\\n`));
    }
  });

  itInterop('metadata --seqno N prints a version in which the removed LV still exists, as LVM2 wrote it', () => {
    const current = runCli(['metadata', '--devices', images.join(',')]).stdout;
    expect(lvSection(current, vg, 'gone')).toBeUndefined();
    const r = runCliReadOnly(['metadata', '--devices', images.join(','), '--seqno', String(goneSeqno)], images);
    expect(r.code, r.stderr).toBe(0);
    const gone = lvSection(r.stdout, vg, 'gone');
    expect(gone).toBeDefined();
    const seg = gone!.segment1 as SimpleSection;
    expect(seg.type).toBe('striped');
    expect(seg.stripe_count).toBe(2);
    expect(seg.stripes).toEqual(['pv0', expect.any(Number), 'pv1', expect.any(Number)]);
    // The LV's section equals the one in LVM2's own backup taken right after that commit.
    expect(gone).toEqual(lvSection(backups.get(goneSeqno)!, vg, 'gone'));
    const missing = runCli(['metadata', '--devices', images.join(','), '--seqno', '99999']);
    expect(missing.code).not.toBe(0);
    expect(stderrLines(missing)).toEqual([expect.stringMatching(/^lvmkit: no metadata with seqno 99999/)]);
  });

  itInterop('--flavour file is accepted by vgcfgrestore --test; an old --seqno text restores the removed LV on copies', () => {
    const scratch = join(lab.dir, 'restore-scratch');
    mkdirSync(scratch, { recursive: true });
    const file = join(scratch, 'current.vg');
    const f = runCliReadOnly(['metadata', '--devices', images.join(','), '--flavour', 'file'], images);
    expect(f.code, f.stderr).toBe(0);
    expect(f.stdout).toMatch(/^# Generated by LVM2 version/);
    writeFileSync(file, f.stdout);
    const test = lab.lvm('vgcfgrestore', ['--test', '-f', file, vg], { devices: [x.dev, y.dev], allowFail: true });
    expect(test.code, test.stderr).toBe(0);
    expect(test.stdout + test.stderr).toMatch(/Restored volume group/);

    // Real recovery, on copies of the images attached to loops of their own.
    const cx = ImageSurgeon.copy(x.image, join(scratch, 'cx.img')).path;
    const cy = ImageSurgeon.copy(y.image, join(scratch, 'cy.img')).path;
    const old = join(scratch, `seqno-${goneSeqno}.vg`);
    writeFileSync(old, runCli(['metadata', '--devices', `${cx},${cy}`, '--seqno', String(goneSeqno)]).stdout);
    const copies = [lab.attach(cx).dev, lab.attach(cy).dev];
    lab.lvm('vgcfgrestore', ['-f', old, vg], { devices: copies });
    const lvs = lab.report('lvs', ['-o', 'lv_name', vg], { devices: copies }).map((row) => row.lv_name).sort();
    expect(lvs).toEqual(['gone', 'keep1']);
    const ours = runCli(['lvs', '--devices', `${cx},${cy}`, '-o', 'lv_name', '--noheadings', vg]);
    expect(ours.code, ours.stderr).toBe(0);
    expect(ours.stdout.split('\n').map((s) => s.trim()).filter(Boolean).sort()).toEqual(['gone', 'keep1']);
  });
});
