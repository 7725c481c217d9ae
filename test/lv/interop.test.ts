/**
 * The LV verbs against real LVM2, both ways: lvmkit changes a VG LVM2 made, and after every write real
 * LVM2's vgck and pvck pass and its pvs/vgs/lvs (--segments) reports equal lvmkit's; then LVM2 changes the
 * VG again and lvmkit reads and changes the result. Data in an LV survives lvmkit's changes of other LVs
 * (checked by reading the PEs directly and through GRUB's independent LVM reader).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { afterAll, beforeAll, expect } from 'vitest';
import { describeInterop, itInterop, LoopLab, runProgram, type LabDevice } from '../helpers/lvm2.js';
import { compareReports } from '../helpers/report-compare.js';
import { pseudoRandomBytes } from '../cli/cli-harness.js';
import { lvmkit, realChecks } from './twins.js';

function ok(args: string[]): string {
  const r = lvmkit(args);
  expect(r.code, `lvmkit ${args.join(' ')}\n${r.stdout}${r.stderr}`).toBe(0);
  return r.stdout;
}

function seqno(lab: LoopLab, vg: string, devs: LabDevice[]): number {
  return Number(lab.report('vgs', ['-o', 'vg_seqno', vg], { devices: devs.map((d) => d.dev) })[0].vg_seqno);
}

/** PE ranges of an LV as LVM2 reports them: [image, byte offset, byte length] per area. */
function lvAreas(lab: LoopLab, vg: string, lv: string, devs: LabDevice[]): Array<[string, number, number]> {
  const devices = devs.map((d) => d.dev);
  const es = Number(lab.report('vgs', ['-o', 'vg_extent_size', vg], { devices })[0].vg_extent_size);
  const peStart = new Map(lab.report('pvs', ['-o', 'pv_name,pe_start'], { devices }).map((r) => [r.pv_name, Number(r.pe_start)]));
  const out: Array<[string, number, number]> = [];
  for (const r of lab.report('lvs', ['--segments', '-o', 'seg_pe_ranges', `${vg}/${lv}`], { devices })) {
    for (const s of r.seg_pe_ranges.trim().split(/\s+/)) {
      const m = /^(\/dev\/\S+):(\d+)-(\d+)$/.exec(s)!;
      out.push([lab.imageOf(m[1])!.image, peStart.get(m[1])! + Number(m[2]) * es, (Number(m[3]) - Number(m[2]) + 1) * es]);
    }
  }
  return out;
}

function rangesHash(areas: Array<[string, number, number]>): string {
  const h = createHash('sha256');
  for (const [img, off, len] of areas) {
    const fd = openSync(img, 'r');
    try {
      const b = Buffer.alloc(len);
      readSync(fd, b, 0, len, off);
      h.update(b);
    } finally { closeSync(fd); }
  }
  return h.digest('hex');
}

function fillRanges(areas: Array<[string, number, number]>, seed: number): void {
  for (const [img, off, len] of areas) {
    const fd = openSync(img, 'r+');
    try { writeSync(fd, pseudoRandomBytes(len, seed++), 0, len, off); } finally { closeSync(fd); }
  }
}

function grubCrc(images: string[], vg: string, lv: string, sectors: number): string | undefined {
  if (spawnSync('grub-fstest', ['--help'], { stdio: 'ignore' }).status !== 0) return undefined;
  return runProgram('grub-fstest', ['-c', String(images.length), ...images, 'crc', `(lvm/${vg}-${lv})0+${sectors}`]).stdout.trim();
}

describeInterop('LV verbs: lvmkit writes, real LVM2 checks and reads; and back', () => {
  let lab: LoopLab;
  beforeAll(() => { lab = new LoopLab(); });
  afterAll(() => lab?.cleanup());

  itInterop('every LV verb on a VG LVM2 made: vgck/pvck pass and the reports equal after each write', async () => {
    const disks = ['i1', 'i2', 'i3'].map((n) => lab.disk(`${n}.img`, '48M'));
    const devs = disks.map((d) => d.dev);
    const images = disks.map((d) => d.image);
    const vg = lab.vgName();
    lab.pvcreate(devs, [], { devices: devs });
    lab.vgcreate(vg, devs, ['-s', '1m'], { devices: devs });
    lab.lvcreate(vg, ['-n', 'base', '-L', '8M'], [], { devices: devs });
    const D = ['--devices', images.join(',')];
    const steps: string[][] = [
      ['lvcreate', '-n', 'a', '-L', '6M', vg],
      ['lvcreate', '-n', 's', '-i', '2', '-I', '128k', '-l', '8', '--addtag', 't1', vg],
      ['lvextend', '-l', '+4', `${vg}/a`],
      ['lvreduce', '-l', '-2', `${vg}/a`],
      ['lvresize', '-L', '12M', `${vg}/a`],
      ['lvrename', vg, 'a', 'b'],
      ['lvchange', '--addtag', 'x', '--deltag', 't1', `${vg}/s`],
      ['lvcreate', '-n', 'c', '-l', '100%FREE', vg, `${images[2]}:10-20`],
      ['lvremove', `${vg}/c`],
      ['lvcreate', '-n', 'pol', '-l', '2', '--alloc', 'cling', vg],
      ['lvchange', '--alloc', 'anywhere', '--addtag', 'p', `${vg}/pol`],
      ['lvcreate', '-n', 'rel', '-l', '1', vg, 'i2.img:30-30'], // a PV named by the end of its path
    ];
    for (const s of steps) {
      const before = seqno(lab, vg, disks);
      ok([...s, ...D]);
      expect(seqno(lab, vg, disks), s.join(' ')).toBe(before + 1);
      realChecks(lab, vg, images, disks);
      await compareReports(lab, disks, vg);
    }
    expect(lab.report('lvs', ['--segments', '-o', 'seg_pe_ranges', `${vg}/rel`], { devices: devs })[0].seg_pe_ranges).toBe(`${disks[1].dev}:30-30`);
    const row = lab.report('lvs', ['-o', 'lv_name,lv_tags,seg_count', vg], { devices: devs }).find((r) => r.lv_name === 's')!;
    expect(row.lv_tags).toBe('x');
    // LVM2 goes on from lvmkit's metadata; lvmkit reads and changes what LVM2 wrote.
    lab.lvm('lvextend', ['--driverloaded', 'n', '-l', '+3', `${vg}/b`], { devices: devs });
    lab.lvcreate(vg, ['-n', 'fromlvm', '-l', '5'], [], { devices: devs });
    await compareReports(lab, disks, vg);
    ok(['lvextend', '-l', '+2', `${vg}/fromlvm`, ...D]);
    ok(['lvremove', `${vg}/base`, ...D]);
    ok(['lvcreate', '-n', 'again', '-l', '3', vg, ...D]);
    realChecks(lab, vg, images, disks);
    await compareReports(lab, disks, vg);
    lab.lvm('lvremove', ['--driverloaded', 'n', '-y', `${vg}/again`], { devices: devs });
    await compareReports(lab, disks, vg);
  }, 180_000);

  itInterop('data in an LV survives lvextend / lvreduce-then-extend / lvcreate / lvremove of other LVs', async () => {
    const disks = ['d1', 'd2'].map((n) => lab.disk(`${n}.img`, '40M'));
    const devs = disks.map((d) => d.dev);
    const images = disks.map((d) => d.image);
    const vg = lab.vgName();
    lab.pvcreate(devs, [], { devices: devs });
    lab.vgcreate(vg, devs, ['-s', '1m'], { devices: devs });
    const D = ['--devices', images.join(',')];
    ok(['lvcreate', '-n', 'other', '-l', '3', vg, ...D]);
    ok(['lvcreate', '-n', 'data', '-i', '2', '-l', '10', vg, ...D]);
    ok(['lvcreate', '-n', 'lin', '-l', '6', vg, ...D]);
    const dataAreas = lvAreas(lab, vg, 'data', disks);
    const linAreas = lvAreas(lab, vg, 'lin', disks);
    fillRanges(dataAreas, 7);
    fillRanges(linAreas, 99);
    const dataHash = rangesHash(dataAreas);
    const linHash = rangesHash(linAreas);
    const sectors = 10 * 2048;
    const crcData = grubCrc(images, vg, 'data', sectors);
    const crcLin = grubCrc(images, vg, 'lin', 4 * 2048);
    for (const s of [
      ['lvextend', '-l', '+10', `${vg}/other`],
      ['lvreduce', '-l', '-8', `${vg}/other`],
      ['lvextend', '-l', '+5', `${vg}/other`],
      ['lvcreate', '-n', 'tmp', '-l', '100%FREE', vg],
      ['lvremove', `${vg}/tmp`],
      ['lvcreate', '-n', 'tmp2', '-l', '4', vg],
      ['lvextend', '-l', '+4', `${vg}/data`],
      ['lvreduce', '-l', '-2', `${vg}/lin`],
      ['lvextend', '-l', '+2', `${vg}/lin`],
    ]) {
      ok([...s, ...D]);
      expect(rangesHash(dataAreas), `data PEs after ${s.join(' ')}`).toBe(dataHash);
    }
    // lin was cut by 2 extents and grown again: its first 4 extents are unchanged.
    expect(rangesHash(lvAreas(lab, vg, 'lin', disks).map(([i, o]) => [i, o, 4 * 1048576] as [string, number, number]))).toBe(
      rangesHash(linAreas.map(([i, o]) => [i, o, 4 * 1048576] as [string, number, number])));
    // lvreduce then lvextend by the same amount puts lin back on the same PEs (contiguous to its last
    // segment, as LVM2 does), and lvextend zeroes nothing: all of lin's bytes are back.
    expect(lvAreas(lab, vg, 'lin', disks)).toEqual(linAreas);
    expect(rangesHash(linAreas)).toBe(linHash);
    realChecks(lab, vg, images, disks);
    if (crcData !== undefined) {
      expect(grubCrc(images, vg, 'data', sectors)).toBe(crcData);
      expect(grubCrc(images, vg, 'lin', 4 * 2048)).toBe(crcLin);
    }
  }, 180_000);

  itInterop('lvcreate zeroes the first 4 KiB of the new LV (as LVM2 does), and nothing with -Z n', async () => {
    const disk = lab.disk('z1.img', '24M');
    const vg = lab.vgName();
    lab.pvcreate([disk.dev], [], { devices: [disk.dev] });
    lab.vgcreate(vg, [disk.dev], ['-s', '1m'], { devices: [disk.dev] });
    const peStart = Number(lab.report('pvs', ['-o', 'pe_start', disk.dev], { devices: [disk.dev] })[0].pe_start);
    const fd = openSync(disk.image, 'r+');
    try { writeSync(fd, Buffer.alloc(8 * 1048576, 0xab), 0, 8 * 1048576, peStart); } finally { closeSync(fd); }
    const D = ['--devices', disk.image];
    ok(['lvcreate', '-n', 'z', '-l', '2', vg, ...D]);
    ok(['lvcreate', '-n', 'nz', '-l', '2', '-Z', 'n', vg, ...D]);
    const read = (at: number, len: number) => {
      const b = Buffer.alloc(len);
      const f = openSync(disk.image, 'r');
      try { readSync(f, b, 0, len, at); } finally { closeSync(f); }
      return b;
    };
    const [z] = lvAreas(lab, vg, 'z', [disk]);
    const [nz] = lvAreas(lab, vg, 'nz', [disk]);
    expect(read(z[1], 4096).every((x) => x === 0)).toBe(true);
    expect(read(z[1] + 4096, 4096).every((x) => x === 0xab)).toBe(true);
    expect(read(nz[1], 8192).every((x) => x === 0xab)).toBe(true);
    realChecks(lab, vg, [disk.image], [disk]);
  }, 60_000);
});
