/**
 * Tables and the mapper at scale:
 * - compileVg of a VG of 10,000 LVs on 64 PVs: each LV's device once, in VG order, with its own table
 *   (devices are gathered in a set, not by a search of the list so far, which made it quadratic);
 * - an LV of 10,000 segments alternating between two PVs: random reads of any length at any offset
 *   through its DmMapper give the bytes of the PVs the segments point at;
 * - the check of a table stays eager when its mapper is made lazily: a gap is refused at compile time;
 * - real LVM2 beside `lvmkit table` on a VG of 10,000 LVs (written to a loop device by lvmkit in one
 *   commit): every LV's table line agrees with LVM2's own segment report (pe_start, seg_pe_ranges), and
 *   naming the VG and one of its LVs prints that LV once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitVg } from '../../src/commands/commit.js';
import { tableCommand } from '../../src/commands/table.js';
import { scanDevices } from '../../src/commands/scan.js';
import { MemoryDevice } from '../../src/devices/memory-device.js';
import { compileLv, compileVg } from '../../src/dm/table.js';
import { formatTable } from '../../src/dm/format.js';
import { isLvmkitError } from '../../src/errors.js';
import type { PhysicalVolume } from '../../src/model/types.js';
import { describeInterop, itInterop, LoopLab } from '../helpers/lvm2.js';
import { linearSegment, makeLv, makePv, makeVg } from './scale-model.js';

/** Byte-for-byte equality (toEqual on megabytes of Uint8Array takes gigabytes of memory). */
const same = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && Buffer.compare(a, b) === 0;

describe('tables of a VG of 10,000 LVs on 64 PVs', () => {
  it('compileVg gives each LV its own device once, in VG order, with its table', () => {
    const pvs = Array.from({ length: 64 }, (_, i) => makePv(i, 400));
    const lvs = Array.from({ length: 10_000 }, (_, i) => makeLv(`lv${i}`, i, [linearSegment(0, 2, pvs[i % 64], 2 * Math.floor(i / 64))]));
    const vg = makeVg('big', pvs, lvs);
    const devs = new Map(pvs.map((p) => [p, new MemoryDevice(new Uint8Array(512), { name: `img${p.key}` })]));
    const out = compileVg(vg, { pvDevice: (pv: PhysicalVolume) => devs.get(pv) });
    expect(out.skipped).toEqual([]);
    expect(out.devices.map((d) => d.name)).toEqual(lvs.map((l) => `big-${l.name}`));
    for (const i of [0, 63, 64, 4097, 9999]) {
      const pv = pvs[i % 64];
      expect(formatTable(out.devices[i])).toBe(`0 16 linear img${pv.key} ${2048 + 2 * Math.floor(i / 64) * 8}\n`);
      expect(out.devices[i].size).toBe(16 * 512);
    }
  });

  it('refuses a table with a gap when compiling, before any mapper is made', () => {
    const pv = makePv(0, 100);
    const lv = makeLv('gappy', 1, [linearSegment(0, 1, pv, 0), linearSegment(2, 1, pv, 5)]);
    const vg = makeVg('g', [pv], [lv]);
    const dev = new MemoryDevice(new Uint8Array(512));
    let err: unknown;
    try { compileLv(vg, lv, { pvDevice: () => dev }); } catch (e) { err = e; }
    expect(isLvmkitError(err) && err.code).toBe('EVALIDATE');
    expect((err as Error).message).toBe('g-gappy: table is not contiguous: target at sector 16 (length 8) where sector 8 was expected');
  });
});

describe('an LV of 10,000 segments', () => {
  it('reads of any length at any offset give the bytes of the segments\' PVs', async () => {
    const SEGS = 10_000;
    const EXTENT = 4096;
    const PE_START = 2048; // sectors
    const pvs = [makePv(0, SEGS), makePv(1, SEGS)];
    // Segment k on PV k % 2 at PE k: never contiguous with the one before, so nothing is joined.
    const lv = makeLv('long', 1, Array.from({ length: SEGS }, (_, k) => linearSegment(k, 1, pvs[k % 2], k)));
    const vg = makeVg('m', pvs, [lv], EXTENT / 512);
    const bytes = pvs.map((_, p) => {
      const b = new Uint8Array(PE_START * 512 + SEGS * EXTENT);
      const words = new Uint32Array(b.buffer);
      for (let i = 0; i < words.length; i++) words[i] = (i * 2654435761 + p * 977) >>> 0;
      return b;
    });
    const devs = bytes.map((b, p) => new MemoryDevice(b, { name: `pv${p}` }));
    const mapper = compileLv(vg, lv, { pvDevice: (pv) => devs[pvs.indexOf(pv)] }).device.mapper;
    expect(mapper.size).toBe(SEGS * EXTENT);
    const expected = (off: number, len: number): Uint8Array => {
      const out = new Uint8Array(len);
      for (let i = 0; i < len; i++) {
        const k = Math.floor((off + i) / EXTENT);
        out[i] = bytes[k % 2][PE_START * 512 + k * EXTENT + ((off + i) % EXTENT)];
      }
      return out;
    };
    let x = 99;
    const rnd = (n: number) => { x = (x * 1103515245 + 12345) >>> 0; return x % n; };
    for (let r = 0; r < 2000; r++) {
      const len = 1 + rnd(3 * EXTENT);
      const off = rnd(mapper.size - len + 1);
      if (!same(await mapper.read(off, len), expected(off, len))) expect.fail(`read of ${len} bytes at offset ${off} differs`);
    }
    // The very end, and one read across every segment.
    expect(same(await mapper.read(mapper.size - 7, 7), expected(mapper.size - 7, 7))).toBe(true);
    expect(same(await mapper.read(0, mapper.size), expected(0, mapper.size))).toBe(true);
  });
});

describeInterop('table of a VG of 10,000 LVs, beside real LVM2', () => {
  const N = 10_000;
  let lab: LoopLab;
  let img: string;
  let vgName: string;

  beforeAll(async () => {
    lab = new LoopLab();
    // 64 KiB extents, LVs of one extent with a free extent after each, an 8 MiB metadata area (the text of
    // 10,000 LVs is ~2.7 MiB).
    img = lab.image('many.img', (2 * N + 256) * 64 * 1024);
    const dev = lab.attach(img).dev;
    vgName = lab.vgName();
    lab.pvcreate([dev], ['--metadatasize', '8m']);
    lab.vgcreate(vgName, [dev], ['-s', '64k']);
    const scan = await scanDevices([img], { write: true });
    try {
      const sv = scan.vgs[0];
      const pv = sv.vg.pvs[0];
      for (let i = 0; i < N; i++) sv.vg.lvs.push(makeLv(`lv${i}`, i, [linearSegment(0, 1, pv, 2 * i)]));
      sv.vg.seqno += 1;
      await commitVg(sv.vg, [...sv.pvs.values()], { description: 'lvmkit test: 10,000 LVs' });
    } finally {
      await scan.close();
    }
  }, 120_000);
  afterAll(() => lab?.cleanup());

  itInterop('every table line agrees with LVM2\'s segment report; an LV named twice is printed once', async () => {
    const rows = lab.report('lvs', ['--segments', '-o', 'lv_name,seg_start,seg_size,seg_pe_ranges', vgName]);
    expect(rows).toHaveLength(N);
    const peStart = Number(lab.report('pvs', ['-o', 'pe_start'])[0].pe_start) / 512;
    const es = 64 * 2; // sectors
    const want = new Map(rows.map((r) => {
      const pe = Number(r.seg_pe_ranges.replace(/^.*:/, '').split('-')[0]);
      const line = `${Number(r.seg_start) / 512} ${Number(r.seg_size) / 512} linear ${img} ${peStart + pe * es}`;
      return [`${vgName}-${r.lv_name}`, line];
    }));
    const out = await tableCommand({ devices: [img], names: [vgName, `${vgName}/lv5`] });
    expect(out.exitCode).toBe(0);
    const lines = out.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(N);
    const got = new Map(lines.map((l) => { const i = l.indexOf(': '); return [l.slice(0, i), l.slice(i + 2)]; }));
    expect(got.size).toBe(N);
    expect(got).toEqual(want);
  }, 300_000);
});
