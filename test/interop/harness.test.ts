/**
 * Tests of the interop harness itself (test/helpers/lvm2.ts, test/helpers/images.ts): the skip/fail decision,
 * the JSON report parser, the image and partition helpers, and LoopLab against real LVM2 on loop devices.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSparseImage, extractSample, fillPattern, locatePvs, makeTempDir, MiB, parseConfigSimple, parseSize, patternSector, readBytes,
  readLvBytes, readPartitionTable, removeDir, sampleMetadata, samplePath, simpleVg, writeGpt, writeMbr,
} from '../helpers/images.js';
import {
  describeInterop, interopAction, listLoops, LoopLab, parseJsonReport, skipMessage, type PartitionedDisk,
} from '../helpers/lvm2.js';

const ascii = (b: Uint8Array) => new TextDecoder('latin1').decode(b);

describe('interop decision', () => {
  it('runs when available, whatever the environment says', () => {
    expect(interopAction({ ok: true }, { LVMKIT_REQUIRE_INTEROP: '1' })).toBe('run');
    expect(interopAction({ ok: true }, {})).toBe('run');
  });
  it('skips when unavailable and not required', () => {
    expect(interopAction({ ok: false, why: 'not running as root' }, {})).toBe('skip');
    expect(interopAction({ ok: false, why: 'x' }, { LVMKIT_REQUIRE_INTEROP: '0' })).toBe('skip');
  });
  it('fails when unavailable and LVMKIT_REQUIRE_INTEROP=1', () => {
    expect(interopAction({ ok: false, why: 'x' }, { LVMKIT_REQUIRE_INTEROP: '1' })).toBe('fail');
  });
  it('says why it skipped', () => {
    expect(skipMessage({ ok: false, why: 'not running as root' })).toBe('skipped: lvm2/loop unavailable (not running as root)');
  });
});

describe('parseJsonReport', () => {
  it('returns the rows of the first report, values as strings', () => {
    const out = `  {
      "report": [
          {
              "vg": [
                  {"vg_name":"a2vg1", "pv_count":"2", "vg_size":"125829120"},
                  {"vg_name":"b", "pv_count":"1", "vg_size":"0"}
              ]
          }
      ]
  }
`;
    expect(parseJsonReport(out)).toEqual([
      { vg_name: 'a2vg1', pv_count: '2', vg_size: '125829120' },
      { vg_name: 'b', pv_count: '1', vg_size: '0' },
    ]);
  });
  it('rejects output that is not a JSON report', () => {
    expect(() => parseJsonReport('  PV VG Fmt\n')).toThrow(/not JSON/);
  });
});

describe('image helpers', () => {
  let dir: string;
  beforeAll(() => {
    dir = makeTempDir();
  });
  afterAll(() => removeDir(dir));

  it('parses sizes in binary units', () => {
    expect(parseSize('16M')).toBe(16 * MiB);
    expect(parseSize('512k')).toBe(512 * 1024);
    expect(parseSize('8s')).toBe(4096);
    expect(parseSize('2g')).toBe(2 * 1024 * MiB);
    expect(parseSize(4096)).toBe(4096);
    expect(() => parseSize('4x')).toThrow(/cannot parse/);
  });

  it('makes sparse images of exactly the size asked', () => {
    const p = createSparseImage(`${dir}/s.img`, '64M');
    const st = statSync(p);
    expect(st.size).toBe(64 * MiB);
    expect(st.blocks * 512).toBeLessThan(MiB);
  });

  it('pattern sectors name their image and offset', () => {
    const s = patternSector('pv0.img', 1048576);
    expect(s.length).toBe(512);
    expect(ascii(s).startsWith('lvmkit pv0.img @1048576\nlvmkit pv0.img')).toBe(true);
    const p = createSparseImage(`${dir}/pat.img`, '1M');
    fillPattern(p, 'pat.img');
    expect(ascii(readBytes(p, 3 * 512, 30))).toBe('lvmkit pat.img @1536\nlvmkit pa');
  });

  it('writes a GPT with partition 2 as Linux LVM after a 2 MiB partition 1', () => {
    const p = createSparseImage(`${dir}/gpt.img`, '16M');
    const t = writeGpt(p);
    expect(t.map((x) => x.number)).toEqual([1, 2]);
    expect(t[0]).toMatchObject({ offset: MiB, size: 2 * MiB });
    expect(t[1].offset).toBe(3 * MiB);
    expect(t[1].type).toBe('E6D6D379-F507-44C2-A23C-238F2A3DF928'); // Linux LVM GUID
    expect(ascii(readBytes(p, 512, 8))).toBe('EFI PART');
  });

  it('writes an MBR with an extended partition and logical partitions 5 and 6', () => {
    const p = createSparseImage(`${dir}/mbr.img`, '16M');
    const t = writeMbr(p);
    expect(t.map((x) => x.number)).toEqual([1, 2, 5, 6]);
    const [p1, ext, p5, p6] = t;
    expect(ext.type).toBe('5');
    expect(p5.type).toBe('8e');
    expect(p1).toMatchObject({ offset: MiB, size: 2 * MiB });
    expect(p5.size).toBe(8 * MiB);
    expect(p5.offset).toBeGreaterThan(ext.offset);
    expect(p6.offset + p6.size).toBeLessThanOrEqual(ext.offset + ext.size);
    // the MBR signature, and the same table read back
    expect([...readBytes(p, 510, 2)]).toEqual([0x55, 0xaa]);
    expect(readPartitionTable(p)).toEqual(t);
  });
});

describeInterop('LoopLab on real LVM2', () => {
  let lab: LoopLab;
  let vg: string;
  let a: ReturnType<LoopLab['disk']>;
  let b: ReturnType<LoopLab['disk']>;

  beforeAll(() => {
    lab = new LoopLab();
    a = lab.disk('a.img', '16M', { pattern: true });
    b = lab.disk('b.img', '24M');
    vg = lab.vgName();
    lab.pvcreate([a.dev, b.dev]);
    lab.vgcreate(vg, [a.dev, b.dev], ['-s', '1M']);
    lab.lvcreate(vg, ['-n', 'lin', '-L', '3M'], [`${a.dev}:2-4`]);
  });
  afterAll(() => lab?.cleanup());

  it('gives random VG names starting with lk', () => {
    const n = lab.vgName();
    expect(n).toMatch(/^lk[a-z0-9]{8}$/);
    expect(n).not.toBe(vg);
  });

  it('attaches images of the sizes asked to loop devices that it records', () => {
    expect(statSync(a.image).size).toBe(16 * MiB);
    expect(statSync(b.image).size).toBe(24 * MiB);
    expect(a.size).toBe(16 * MiB);
    const loops = listLoops();
    expect(loops.find((l) => l.name === a.dev)?.backFile).toBe(a.image);
    expect(loops.find((l) => l.name === b.dev)?.backFile).toBe(b.image);
    expect(lab.devices).toEqual([a.dev, b.dev]);
  });

  it('sees the VG it created with vgs --devices', () => {
    const rows = lab.report('vgs', ['-o', 'vg_name,pv_count,lv_count,vg_extent_size']);
    expect(rows).toEqual([{ vg_name: vg, pv_count: '2', lv_count: '1', vg_extent_size: String(MiB) }]);
  });

  it('leaves out the devices not passed in --devices (LVM then reports that PV as missing)', () => {
    const r = lab.lvm('pvs', ['--reportformat', 'json', '-o', 'pv_name,vg_name,pv_missing'], { devices: [b.dev] });
    expect(parseJsonReport(r.stdout)).toEqual([
      { pv_name: b.dev, vg_name: vg, pv_missing: '' },
      { pv_name: '[unknown]', vg_name: vg, pv_missing: 'missing' },
    ]);
    expect(r.stderr).toMatch(/Couldn't find device with uuid/);
  });

  it('maps loop devices back to image paths', () => {
    const rows = lab.report('lvs', ['--segments', '-o', 'lv_name,seg_pe_ranges']);
    expect(rows).toEqual([{ lv_name: 'lin', seg_pe_ranges: `${a.dev}:2-4` }]);
    expect(lab.toImageNames(rows[0].seg_pe_ranges)).toBe(`${a.image}:2-4`);
    expect(lab.imageOf(b.dev)?.image).toBe(b.image);
    expect(lab.toImageNames('/dev/loop999999 stays')).toBe('/dev/loop999999 stays');
  });

  it('returns vgcfgbackup text', () => {
    const text = lab.vgcfgbackup(vg);
    expect(text).toContain('contents = "Text Format Volume Group"');
    expect(text).toMatch(new RegExp(`^${vg} \\{`, 'm'));
    expect(text).toContain('lin {');
  });

  it('real pvcreate keeps the pattern outside the label, metadata header and first mda sectors', () => {
    // lvm2-format.md section 0: pvcreate changes bytes 0-2047 and 4096-8191 only.
    expect(ascii(readBytes(a.image, 512, 8))).toBe('LABELONE');
    expect(readBytes(a.image, 2048, 512)).toEqual(patternSector('a.img', 2048));
    expect(readBytes(a.image, MiB, 512)).toEqual(patternSector('a.img', MiB));
  });

  it('reports failures with exit code and stderr when allowed, throws otherwise', () => {
    const r = lab.lvm('vgs', ['lknosuchvg'], { allowFail: true });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/lknosuchvg/);
    expect(() => lab.lvm('vgs', ['lknosuchvg'])).toThrow(/exited/);
  });
});

function checkPartitionedPv(lab: LoopLab, disk: PartitionedDisk, number: number): void {
  expect(disk.pv.partition).toBe(number);
  const entry = disk.table.find((p) => p.number === number);
  expect(disk.pv.offset).toBe(entry?.offset);
  expect(disk.pv.size).toBe(entry?.size);
  const vg = lab.vgName();
  lab.pvcreate([disk.pv.dev]);
  lab.vgcreate(vg, [disk.pv.dev]);
  const pvs = lab.report('pvs', ['-o', 'pv_name,vg_name,dev_size']);
  expect(pvs).toEqual([{ pv_name: disk.pv.dev, vg_name: vg, dev_size: String(entry?.size) }]);
  // The label is in sector 1 of the partition, i.e. at partition offset + 512 of the image file.
  expect(ascii(readBytes(disk.whole.image, disk.pv.offset + 512, 8))).toBe('LABELONE');
  expect(ascii(readBytes(disk.whole.image, 512, 8))).not.toBe('LABELONE');
}

describeInterop('LoopLab partitioned disks', () => {
  it('GPT: a PV in partition 2 (kernel partition nodes)', () => {
    const lab = new LoopLab();
    try {
      const disk = lab.gptDisk('gpt.img', '16M');
      checkPartitionedPv(lab, disk, 2);
      expect(lab.toImageNames(disk.pv.dev)).toBe(`${disk.whole.image}:p2`);
    } finally {
      lab.cleanup();
    }
  });

  it('MBR: a PV in logical partition 5 (kernel partition nodes)', () => {
    const lab = new LoopLab();
    try {
      const disk = lab.mbrDisk('mbr.img', '16M');
      checkPartitionedPv(lab, disk, 5);
      expect(disk.partitions.map((p) => p.partition)).toEqual([1, 5, 6]);
    } finally {
      lab.cleanup();
    }
  });

  it('MBR: a PV in logical partition 5 (losetup -o/--sizelimit slices)', () => {
    const lab = new LoopLab();
    try {
      const disk = lab.mbrDisk('mbr.img', '16M', { mode: 'slices' });
      expect(disk.pv.kind).toBe('slice');
      checkPartitionedPv(lab, disk, 5);
    } finally {
      lab.cleanup();
    }
  });
});

describeInterop('LoopLab cleanup', () => {
  it('removes its VGs, detaches every loop it attached and deletes its directory', () => {
    const lab = new LoopLab();
    const x = lab.disk('x.img', '16M');
    const disk = lab.gptDisk('g.img', '16M');
    const vg = lab.vgName();
    lab.pvcreate([x.dev, disk.pv.dev]);
    lab.vgcreate(vg, [x.dev, disk.pv.dev]);
    lab.lvcreate(vg, ['-n', 'l', '-L', '4M']);
    expect(lab.visibleVgs()).toEqual([vg]);
    const dir = lab.dir;
    expect(listLoops().filter((l) => l.backFile.startsWith(dir)).length).toBe(2);

    lab.cleanup();

    expect(listLoops().filter((l) => l.backFile.startsWith(dir))).toEqual([]);
    expect(existsSync(dir)).toBe(false);
    expect(lab.devices).toEqual([]);
    lab.cleanup(); // twice is harmless
  });

  it('refuses to run lvm without any device (never an unrestricted scan)', () => {
    const lab = new LoopLab();
    try {
      expect(() => lab.lvm('pvs')).toThrow(/no devices/);
    } finally {
      lab.cleanup();
    }
  });
});

// ---------------------------------------------------------------------------------------------
// The samples in samples/ (made by scripts/make-samples.sh)

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** samples/<vg>.lv-sha256.txt -> { "vg/lv": { bytes, sha } } */
function expectedSums(vg: string): Record<string, { bytes: number; sha: string }> {
  const out: Record<string, { bytes: number; sha: string }> = {};
  for (const line of readFileSync(samplePath(`${vg}.lv-sha256.txt`), 'utf8').trim().split('\n')) {
    const [, name, bytes, sha] = line.split(' ');
    out[name] = { bytes: Number(bytes), sha };
  }
  return out;
}

describe('parseConfigSimple', () => {
  it('reads sections, arrays, strings with escapes and drops comments', () => {
    const t = parseConfigSimple('a {\n\tb = "x\\"#y"\t# c\n\tl = [\n"pv0", 0,\n"pv1", 4\n]\n\tn = 7\n}\n');
    expect(t).toEqual({ a: { b: 'x"#y', l: ['pv0', 0, 'pv1', 4], n: 7 } });
  });
});

describe('samples', () => {
  let dir: string;
  beforeAll(() => {
    dir = makeTempDir();
  });
  afterAll(() => removeDir(dir));

  it('sample: LV bytes on the two images match the recorded checksums', () => {
    const vg = simpleVg(sampleMetadata('sample'));
    expect(vg.name).toBe('sample');
    const imgs = ['sample-pv0', 'sample-pv1'].map((n) => extractSample(n, dir));
    imgs.forEach((img) => expect(statSync(img).size).toBe(16 * MiB));
    const where = locatePvs(vg, imgs.map((image) => ({ image, offset: 0 })));
    expect(Object.keys(where).sort()).toEqual(['pv0', 'pv1']);
    const sums = expectedSums('sample');
    expect(Object.keys(sums).sort()).toEqual(['sample/lin', 'sample/str']);
    for (const lv of ['lin', 'str']) {
      const bytes = readLvBytes(vg, lv, where);
      expect(bytes.length).toBe(sums[`sample/${lv}`].bytes);
      expect(sha256(bytes)).toBe(sums[`sample/${lv}`].sha);
    }
    // lin holds an ext4 (magic 0xEF53 at byte 1080), str the LV-offset text
    const lin = readLvBytes(vg, 'lin', where);
    expect([lin[1080], lin[1081]]).toEqual([0x53, 0xef]);
    const str = readLvBytes(vg, 'str', where);
    expect(str.subarray(65536 * 3, 65536 * 3 + 512)).toEqual(patternSector('sample/str', 65536 * 3));
  });

  it('samplegpt: the PV is GPT partition 2 and its LVs match the recorded checksums', () => {
    const vg = simpleVg(sampleMetadata('samplegpt'));
    const img = extractSample('sample-gpt', dir);
    expect(statSync(img).size).toBe(16 * MiB);
    const table = readPartitionTable(img);
    expect(table.map((p) => p.number)).toEqual([1, 2]);
    const where = locatePvs(vg, table.map((p) => ({ image: img, offset: p.offset })));
    expect(where.pv0).toEqual({ image: img, offset: table[1].offset });
    const data = vg.lvs.data;
    expect(Object.keys(data).filter((k) => /^segment\d+$/.test(k))).toEqual(['segment1', 'segment2', 'segment3']);
    const sums = expectedSums('samplegpt');
    for (const lv of ['data', 'hole']) {
      expect(sha256(readLvBytes(vg, lv, where))).toBe(sums[`samplegpt/${lv}`].sha);
    }
    // partition 1 still shows the pattern written before partitioning
    expect(readBytes(img, table[0].offset, 512)).toEqual(patternSector('sample-gpt.img', table[0].offset));
  });
});

describeInterop('samples seen by real LVM2', () => {
  it('sample: vgck passes and lvs reports the segments of sample.vg.txt', () => {
    const lab = new LoopLab();
    try {
      const a = lab.attach(lab.sample('sample-pv0'));
      const b = lab.attach(lab.sample('sample-pv1'));
      lab.lvm('vgck', ['sample']);
      const segs = lab.report('lvs', ['--segments', '-o', 'lv_name,segtype,seg_start_pe,seg_size_pe,stripes,seg_pe_ranges', 'sample']);
      const names = lab.toImageNames(JSON.stringify(segs));
      expect(JSON.parse(names)).toEqual([
        { lv_name: 'lin', segtype: 'linear', seg_start_pe: '0', seg_size_pe: '4', stripes: '1', seg_pe_ranges: `${a.image}:0-3` },
        { lv_name: 'str', segtype: 'striped', seg_start_pe: '0', seg_size_pe: '8', stripes: '2', seg_pe_ranges: `${a.image}:4-7 ${b.image}:0-3` },
      ]);
      // Same VG text as recorded, apart from the header lines and the device hints.
      const strip = (t: string) => t.replace(/^(#|description|creation_time|creation_host).*$/gm, '').replace(/device = "[^"]*"/g, 'device = ""');
      expect(strip(lab.vgcfgbackup('sample'))).toBe(strip(sampleMetadata('sample')));
    } finally {
      lab.cleanup();
    }
  });

  it('samplegpt: real LVM2 finds the PV in partition 2 and the 3-segment LV', () => {
    const lab = new LoopLab();
    try {
      const disk = lab.attachPartitioned(lab.sample('sample-gpt'), 2);
      lab.lvm('vgck', ['samplegpt']);
      const segs = lab.report('lvs', ['--segments', '-o', 'lv_name,seg_start_pe,seg_pe_ranges', 'samplegpt']);
      expect(segs).toEqual([
        { lv_name: 'data', seg_start_pe: '0', seg_pe_ranges: `${disk.pv.dev}:4-5` },
        { lv_name: 'data', seg_start_pe: '2', seg_pe_ranges: `${disk.pv.dev}:0-1` },
        { lv_name: 'data', seg_start_pe: '4', seg_pe_ranges: `${disk.pv.dev}:7-9` },
        { lv_name: 'hole', seg_start_pe: '0', seg_pe_ranges: `${disk.pv.dev}:6-6` },
      ]);
    } finally {
      lab.cleanup();
    }
  });
});
