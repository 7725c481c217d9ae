/**
 * The userspace mapper on in-memory PVs: reads and writes at any byte offset and length must equal a
 * byte-by-byte reference mapping (LE -> PE arithmetic written out independently here), requests must be
 * split at target and chunk boundaries, pieces contiguous on a device coalesced into one I/O, and no
 * single I/O may exceed the mapper's bound.
 */
import { describe, expect, it } from 'vitest';
import { MemoryDevice } from '../../src/devices/memory-device.js';
import type { BlockDevice } from '../../src/devices/block-device.js';
import type { LogicalVolume, PhysicalVolume, Segment, VolumeGroup } from '../../src/model/types.js';
import { compileLv, dmName } from '../../src/dm/table.js';
import { DmMapper } from '../../src/dm/mapper.js';
import { formatTable } from '../../src/dm/format.js';
import { stripeRange } from '../../src/segtypes/striped.js';
import { pseudoRandomBytes } from '../cli/cli-harness.js';
import { createDeviceReadStream } from '../../src/dm/stream.js';

const ES = 16; // sectors per extent (8 KiB): small, so chunks and extents interleave often
const PE_START = 8;

/** A device that records every I/O. */
class CountingDevice implements BlockDevice {
  reads: Array<[number, number]> = [];
  writes: Array<[number, number]> = [];
  constructor(readonly inner: MemoryDevice) {}
  get name() { return this.inner.name; }
  get size() { return this.inner.size; }
  get readOnly() { return false; }
  read(o: number, l: number) { this.reads.push([o, l]); return this.inner.read(o, l); }
  readInto(o: number, b: Uint8Array) { this.reads.push([o, b.length]); return this.inner.readInto(o, b); }
  write(o: number, d: Uint8Array) { this.writes.push([o, d.length]); return this.inner.write(o, d); }
  async sync() {}
  async close() {}
}

function pv(key: string, peCount: number): PhysicalVolume {
  return { key, id: `${key}-id`, status: ['ALLOCATABLE'], flags: [], tags: [], peStart: PE_START, peCount, extra: [] };
}

function seg(startExtent: number, extentCount: number, areas: Array<[PhysicalVolume, number]>, stripeSize?: number): Segment {
  return {
    startExtent, extentCount, type: 'striped', tags: [], body: [], extra: [],
    areas: areas.map(([p, pe]) => ({ kind: 'pv' as const, pv: p, pe })), ...(stripeSize ? { stripeSize } : {}),
  };
}

function lv(name: string, segments: Segment[]): LogicalVolume {
  return { name, id: 'abcdef-ghij-klmn-opqr-stuv-wxyz-012345', status: ['READ', 'WRITE', 'VISIBLE'], flags: [], tags: [], segments, extra: [] };
}

function vgOf(pvs: PhysicalVolume[], lvs: LogicalVolume[]): VolumeGroup {
  return {
    name: 'vg-x', id: 'ABCDEF-GHIJ-KLMN-OPQR-STUV-WXYZ-012345', seqno: 1, format: 'lvm2', status: [], flags: [], tags: [],
    extentSize: ES, maxLv: 0, maxPv: 0, allocationPolicy: 'normal', pvs, lvs, extra: [], header: [],
  };
}

/** The reference: where byte x of the LV lives (PV and byte offset), walking the segments by hand. */
function locate(l: LogicalVolume, x: number): { pv: PhysicalVolume; at: number } {
  const eb = ES * 512;
  for (const s of l.segments) {
    const from = s.startExtent * eb;
    const to = from + s.extentCount * eb;
    if (x < from || x >= to) continue;
    const rel = x - from;
    const n = s.areas.length;
    const a = (i: number) => s.areas[i] as { pv: PhysicalVolume; pe: number };
    if (n === 1) return { pv: a(0).pv, at: a(0).pv.peStart * 512 + a(0).pe * eb + rel };
    const c = (s.stripeSize ?? 0) * 512;
    const chunk = Math.floor(rel / c);
    const st = chunk % n;
    const row = Math.floor(chunk / n);
    return { pv: a(st).pv, at: a(st).pv.peStart * 512 + a(st).pe * eb + row * c + (rel % c) };
  }
  throw new Error(`byte ${x} outside the LV`);
}

function setup() {
  const pvs = [pv('pv0', 64), pv('pv1', 64), pv('pv2', 64), pv('pv3', 64)];
  const mem = new Map(pvs.map((p, i) => [p, new CountingDevice(new MemoryDevice(pseudoRandomBytes((PE_START + p.peCount * ES) * 512, 7 + i), { name: `${p.key}.img` }))]));
  // Mixed: linear, 3 stripes x 4 sectors (2 KiB), linear continuing on the same PV (join), 4 stripes x 8 sectors, 2 stripes x 16.
  const mixed = lv('mixed', [
    seg(0, 3, [[pvs[0], 0]]),
    seg(3, 6, [[pvs[1], 0], [pvs[2], 0], [pvs[3], 0]], 4),
    seg(9, 2, [[pvs[0], 3]]),
    seg(11, 2, [[pvs[0], 10]]),
    seg(13, 8, [[pvs[0], 20], [pvs[1], 10], [pvs[2], 10], [pvs[3], 10]], 8),
    seg(21, 4, [[pvs[3], 40], [pvs[2], 40]], 16),
  ]);
  const vg = vgOf(pvs, [mixed]);
  const c = compileLv(vg, mixed, { pvDevice: (p) => mem.get(p) });
  return { vg, mixed, mem, c, pvs };
}

/** Byte-array equality that is fast on large arrays and names the first differing byte. */
function expectSame(got: Uint8Array, want: Uint8Array, what = ''): void {
  expect(got.length, what).toBe(want.length);
  if (Buffer.compare(got, want) === 0) return;
  let i = 0;
  while (got[i] === want[i]) i++;
  expect.fail(`${what}: first difference at byte ${i}: got ${got[i]}, expected ${want[i]}`);
}

const located = new WeakMap<LogicalVolume, Array<{ pv: PhysicalVolume; at: number }>>();

/** The LV's bytes [off, off+len) read byte by byte through `locate` (positions computed once per LV). */
function reference(l: LogicalVolume, mem: Map<PhysicalVolume, CountingDevice>, off: number, len: number): Uint8Array {
  let map = located.get(l);
  if (!map) {
    const size = l.segments.reduce((n, s) => n + s.extentCount, 0) * ES * 512;
    map = Array.from({ length: size }, (_, x) => locate(l, x));
    located.set(l, map);
  }
  const out = new Uint8Array(len);
  for (let i = 0; i < len; i++) {
    const { pv: p, at } = map[off + i];
    out[i] = mem.get(p)!.inner.bytes[at];
  }
  return out;
}

describe('stripeRange', () => {
  it('gives, per stripe, the one device range a request touches', () => {
    // 3 stripes, chunk 10: bytes 5..44 -> chunks 0(5-9) 1 2 3 4(40-44)
    expect(stripeRange(5, 45, 0, 3, 10)).toEqual({ start: 5, length: 15 }); // chunk0 5..9, chunk3 row1 10..19
    expect(stripeRange(5, 45, 1, 3, 10)).toEqual({ start: 0, length: 15 }); // chunk1 0..9, chunk4 row1 10..14
    expect(stripeRange(5, 45, 2, 3, 10)).toEqual({ start: 0, length: 10 }); // chunk2
    expect(stripeRange(12, 18, 0, 3, 10).length).toBe(0); // bytes 12..17 are all in chunk 1
  });
});

describe('DmMapper', () => {
  it('compiles the table LVM2 would load (dmsetup syntax)', () => {
    const { c } = setup();
    expect(c.device.name).toBe(dmName('vg-x', 'mixed'));
    expect(c.device.name).toBe('vg--x-mixed');
    expect(formatTable(c.device)).toBe([
      `0 48 linear pv0.img ${PE_START}`,
      `48 96 striped 3 4 pv1.img ${PE_START} pv2.img ${PE_START} pv3.img ${PE_START}`,
      `144 32 linear pv0.img ${PE_START + 3 * ES}`,
      `176 32 linear pv0.img ${PE_START + 10 * ES}`,
      `208 128 striped 4 8 pv0.img ${PE_START + 20 * ES} pv1.img ${PE_START + 10 * ES} pv2.img ${PE_START + 10 * ES} pv3.img ${PE_START + 10 * ES}`,
      `336 64 striped 2 16 pv3.img ${PE_START + 40 * ES} pv2.img ${PE_START + 40 * ES}`,
      '',
    ].join('\n'));
  });

  it('reads any byte range like the reference mapping', async () => {
    const { c, mixed, mem } = setup();
    const size = c.device.size;
    expect(size).toBe(25 * ES * 512);
    expectSame(await c.device.mapper.read(0, size), reference(mixed, mem, 0, size), 'whole LV');
    const rnd = pseudoRandomBytes(4000, 99);
    for (let i = 0; i < 400; i += 2) {
      const off = ((rnd[i] << 8) | rnd[i + 1]) * 3 % size;
      const len = Math.min(size - off, ((rnd[i + 2] << 8) | rnd[i + 3]) % 30000);
      expectSame(await c.device.mapper.read(off, len), reference(mixed, mem, off, len), `read ${len} at ${off}`);
    }
  });

  it('writes at any byte range, spanning targets and chunks, and reads them back', async () => {
    const { c, mixed, mem } = setup();
    const size = c.device.size;
    const m = c.device.mapper;
    for (const [off, len] of [[1, 7], [24575, 2], [48 * 512 - 3, 5000], [100, size - 200], [size - 1, 1], [150 * 512 + 17, 70000]]) {
      const data = pseudoRandomBytes(len, off + 1);
      await m.write(off, data);
      expectSame(await m.read(off, len), data, `read back ${len} at ${off}`);
      expectSame(reference(mixed, mem, off, len), data, `PV bytes of ${len} at ${off}`);
    }
  });

  it('issues one I/O per stripe for a large striped read, and one for physically contiguous linear targets', async () => {
    const { c, mem, pvs } = setup();
    for (const d of mem.values()) d.reads = [];
    // Segment 5 (4 stripes x 4 KiB, 64 KiB at LV byte 208*512): read all of it.
    await c.device.mapper.read(208 * 512, 128 * 512);
    expect([...mem.values()].map((d) => d.reads)).toEqual(pvs.map((p, i) => [[(PE_START + (i === 0 ? 20 : 10) * ES) * 512, 32 * 512]]));
    for (const d of mem.values()) d.reads = [];
    // Targets 3 and 4 (PE 3-4 and 10-11 of pv0) are not contiguous; targets 1 and 3? no. Join: 144..208 covers PE 3,4 then 10,11.
    await c.device.mapper.read(144 * 512, 64 * 512);
    expect(mem.get(pvs[0])!.reads).toEqual([[(PE_START + 3 * ES) * 512, 32 * 512], [(PE_START + 10 * ES) * 512, 32 * 512]]);
  });

  it('joins adjacent linear targets that continue on the same device into one I/O', async () => {
    const p = pv('pv0', 32);
    const dev = new CountingDevice(new MemoryDevice(pseudoRandomBytes((PE_START + 32 * ES) * 512, 3), { name: 'a.img' }));
    const l = lv('two', [seg(0, 2, [[p, 5]]), seg(2, 3, [[p, 7]])]);
    const c = compileLv(vgOf([p], [l]), l, { pvDevice: () => dev });
    expect(c.device.targets).toHaveLength(2); // the table keeps LVM2's two targets
    await c.device.mapper.read(100, 4 * ES * 512);
    expect(dev.reads).toEqual([[(PE_START + 5 * ES) * 512 + 100, 4 * ES * 512]]);
  });

  it('never issues an I/O larger than maxIo, whatever the request', async () => {
    const { vg, mixed, mem } = setup();
    const c = compileLv(vg, mixed, { pvDevice: (p) => mem.get(p), mapper: { maxIo: 4096 } });
    for (const d of mem.values()) d.reads = [];
    const all = await c.device.mapper.read(0, c.device.size);
    expectSame(all, reference(mixed, mem, 0, c.device.size), 'whole LV');
    const sizes = [...mem.values()].flatMap((d) => d.reads.map((r) => r[1]));
    expect(Math.max(...sizes)).toBeLessThanOrEqual(4096);
  });

  it('finds targets by binary search in a table of many targets', async () => {
    const p = pv('pv0', 5000);
    const dev = new MemoryDevice(pseudoRandomBytes((PE_START + 5000 * ES) * 512, 5), { name: 'a.img' });
    // 2000 one-extent segments in reverse PE order (no two contiguous).
    const segs = Array.from({ length: 2000 }, (_, i) => seg(i, 1, [[p, 4000 - 2 * i]]));
    const l = lv('many', segs);
    const c = compileLv(vgOf([p], [l]), l, { pvDevice: () => dev });
    for (const le of [0, 1, 999, 1000, 1998, 1999]) {
      const got = await c.device.mapper.read(le * ES * 512 + 5, 10);
      const at = (PE_START + (4000 - 2 * le) * ES) * 512 + 5;
      expect(got).toEqual(dev.bytes.subarray(at, at + 10));
      expect(c.device.mapper.targetAt(le * ES * 512 + 5).start).toBe(le * ES);
    }
  });

  it('refuses access past the end and tables with gaps', async () => {
    const { c } = setup();
    await expect(c.device.mapper.read(c.device.size - 1, 2)).rejects.toMatchObject({ code: 'EDEVICE_RANGE' });
    const t = c.device.targets;
    expect(() => new DmMapper('x', [t[0], t[2]])).toThrow(/not contiguous/);
  });
});

describe('missing PVs', () => {
  it('refuses without partial activation, in LVM2 words', () => {
    const { vg, mixed, mem, pvs } = setup();
    expect(() => compileLv(vg, mixed, { pvDevice: (p) => (p === pvs[2] ? undefined : mem.get(p)) }))
      .toThrow("Refusing activation of partial LV vg-x/mixed.  Use '--activationmode partial' to override.");
  });

  it('points missing areas at VG-LV-missing_<seg>_<area> error devices, as LVM2 does', async () => {
    const { vg, mixed, mem, pvs } = setup();
    const c = compileLv(vg, mixed, { pvDevice: (p) => (p === pvs[2] ? undefined : mem.get(p)), partial: true });
    expect(c.devices.map((d) => d.name)).toEqual(['vg--x-mixed-missing_1_1', 'vg--x-mixed-missing_4_2', 'vg--x-mixed-missing_5_1', 'vg--x-mixed']);
    expect(formatTable(c.devices[0])).toBe('0 96 error \n');
    expect(formatTable(c.device).split('\n')[1]).toBe(`48 96 striped 3 4 pv1.img ${PE_START} /dev/mapper/vg--x-mixed-missing_1_1 0 pv3.img ${PE_START}`);
    // Linear part still reads; a striped range touching the missing stripe fails with an I/O error.
    expectSame(await c.device.mapper.read(0, 1000), reference(mixed, mem, 0, 1000), 'linear part');
    await expect(c.device.mapper.read(48 * 512, 8192)).rejects.toMatchObject({ code: 'EDEVICE_IO' });
    // With the zero filler the missing chunks read as zeros and the rest as it is.
    const z = compileLv(vg, mixed, { pvDevice: (p) => (p === pvs[2] ? undefined : mem.get(p)), partial: true, filler: 'zero' });
    const got = await z.device.mapper.read(0, z.device.size);
    const want = reference(mixed, mem, 0, z.device.size);
    for (let x = 0; x < want.length; x++) if (locate(mixed, x).pv === pvs[2]) want[x] = 0;
    expectSame(got, want, 'zero-filled LV');
    expect(z.missing.map((m) => [m.start, m.end, m.stripe?.index])).toEqual([[48 * 512, 144 * 512, 1], [208 * 512, 336 * 512, 2], [336 * 512, 400 * 512, 1]]);
  });
});

describe('createDeviceReadStream', () => {
  it('streams the LV (or a range of it) in bounded chunks', async () => {
    const { c, mixed, mem } = setup();
    const collect = async (opts: Parameters<typeof createDeviceReadStream>[1]) => {
      const parts: Buffer[] = [];
      for await (const p of createDeviceReadStream(c.device.mapper, opts)) parts.push(p as Buffer);
      return parts;
    };
    const all = await collect({ chunkSize: 10000 });
    expect(Math.max(...all.map((p) => p.length))).toBe(10000);
    expectSame(Buffer.concat(all), reference(mixed, mem, 0, c.device.size), 'whole stream');
    const part = Buffer.concat(await collect({ start: 12345, end: 98765, chunkSize: 4096 }));
    expectSame(part, reference(mixed, mem, 12345, 98765 - 12345), 'range');
  });

  it('ends with the error of a failing read', async () => {
    const { vg, mixed, mem, pvs } = setup();
    const c = compileLv(vg, mixed, { pvDevice: (p) => (p === pvs[1] ? undefined : mem.get(p)), partial: true });
    await expect((async () => { for await (const _ of createDeviceReadStream(c.device.mapper, { chunkSize: 8192 })) { /* drain */ } })())
      .rejects.toMatchObject({ code: 'EDEVICE_IO' });
  });
});

describe('readv (zero-copy reads for dump)', () => {
  it('returns views in LV order whose bytes are the LV\'s, one device read per stripe', async () => {
    const { c, mixed, mem } = setup();
    const space = new Uint8Array(c.device.size);
    for (const d of mem.values()) d.reads = [];
    const views = await c.device.mapper.readv(0, space);
    expectSame(Buffer.concat(views), reference(mixed, mem, 0, c.device.size), 'views');
    // One read per linear target and one per stripe of each striped target (none of these linear targets continue each other).
    const perTarget = [1, 3, 1, 1, 4, 2];
    expect([...mem.values()].reduce((n, d) => n + d.reads.length, 0)).toBe(perTarget.reduce((a, b) => a + b));
  });
});
