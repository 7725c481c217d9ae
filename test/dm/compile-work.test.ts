/**
 * How much work the table compiler does, counted (never timed): compileVg of a VG of 10,000 LVs asks for
 * each PV's device once, not once per area; LVs on LVs are found through an index, not by a search of the
 * VG's LV list per reference (which made a VG of n LVs on n sub-LVs quadratic); a stack of LVs on LVs
 * deeper than MAX_LV_STACK is refused with lvmkit's typed error, not recursed into until the stack
 * overflows (hostile metadata can chain thousands of LVs).
 */
import { describe, expect, it } from 'vitest';
import { MemoryDevice } from '../../src/devices/memory-device.js';
import { compileVg, MAX_LV_STACK } from '../../src/dm/table.js';
import { formatTable } from '../../src/dm/format.js';
import type { LogicalVolume, PhysicalVolume, Segment } from '../../src/model/types.js';
import { linearSegment, makeLv, makePv, makeVg } from '../scale/scale-model.js';

/** A segment of `extentCount` extents at LE `startExtent` on extents `le`... of LV `lvName`. */
function onLv(startExtent: number, extentCount: number, lvName: string, le: number): Segment {
  return { startExtent, extentCount, type: 'striped', tags: [], areas: [{ kind: 'lv', lvName, le }], body: [], extra: [] };
}

/** `lvs` behind a proxy that counts reads of its elements (by index or by iteration). */
function counted(lvs: LogicalVolume[]): { lvs: LogicalVolume[]; reads: () => number } {
  let reads = 0;
  const proxy = new Proxy(lvs, {
    get(target, key, receiver) {
      if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
      return Reflect.get(target, key, receiver);
    },
  });
  return { lvs: proxy, reads: () => reads };
}

describe('work of compileVg, counted', () => {
  it('asks for each PV\'s device once in a VG of 10,000 LVs on 64 PVs', () => {
    const pvs = Array.from({ length: 64 }, (_, i) => makePv(i, 400));
    const lvs = Array.from({ length: 10_000 }, (_, i) => makeLv(`lv${i}`, i, [linearSegment(0, 2, pvs[i % 64], 2 * Math.floor(i / 64))]));
    const devs = new Map(pvs.map((p) => [p, new MemoryDevice(new Uint8Array(512), { name: `img${p.key}` })]));
    const asked = new Map<PhysicalVolume, number>();
    const out = compileVg(makeVg('big', pvs, lvs), { pvDevice: (pv) => { asked.set(pv, (asked.get(pv) ?? 0) + 1); return devs.get(pv); } });
    expect(out.devices).toHaveLength(10_000);
    expect(asked.size).toBe(64);
    expect(Math.max(...asked.values())).toBe(1);
    // Every area of a PV shares that PV's device.
    expect(out.devices[0].targets[0].areas[0].device).toBe(out.devices[64].targets[0].areas[0].device);
    expect(formatTable(out.devices[4097])).toBe(`0 16 linear img${pvs[4097 % 64].key} ${2048 + 2 * Math.floor(4097 / 64) * 8}\n`);
  });

  it('finds sub-LVs through an index: n LVs on n sub-LVs read the LV list O(n) times, each device listed once', () => {
    const n = 2000;
    const pv = makePv(0, 2 * n);
    // top<i> (2 extents) stands on sub<i> from its LE 1 on; sub<i> is on PE 3i..3i+2 of the PV.
    const subs = Array.from({ length: n }, (_, i) => makeLv(`sub${i}`, i, [linearSegment(0, 3, pv, 3 * i)]));
    const tops = Array.from({ length: n }, (_, i) => makeLv(`top${i}`, n + i, [onLv(0, 2, `sub${i}`, 1)]));
    // Tops first: each sub-LV is compiled for its top, then met again in the VG's list.
    const { lvs, reads } = counted([...tops, ...subs]);
    const dev = new MemoryDevice(new Uint8Array(512), { name: 'pv.img' });
    const out = compileVg(makeVg('st', [pv], lvs), { pvDevice: () => dev });
    expect(out.skipped).toEqual([]);
    expect(out.lvs).toHaveLength(2 * n);
    // Sub-LV before its user, each once; the sub-LVs met later add nothing.
    expect(out.devices.map((d) => d.name)).toEqual(tops.flatMap((_, i) => [`st-sub${i}`, `st-top${i}`]));
    expect(new Set(out.devices).size).toBe(2 * n);
    const i = 1234;
    expect(formatTable(out.devices[2 * i])).toBe(`0 24 linear pv.img ${2048 + 3 * i * 8}\n`);
    expect(formatTable(out.devices[2 * i + 1])).toBe(`0 16 linear /dev/mapper/st-sub${i} 8\n`);
    expect(out.lvs[i].devices.map((d) => d.name)).toEqual([`st-sub${i}`, `st-top${i}`]);
    // A search of the list per reference reads it n^2 / 2 times (2,000,000 here).
    expect(reads()).toBeLessThan(10 * n);
  });

  it('refuses LVs stacked deeper than MAX_LV_STACK with a typed error, and maps the ones below', () => {
    const n = 5000;
    const pv = makePv(0, 10);
    // chain<i> stands on chain<i+1>; the last one is on the PV.
    const lvs = Array.from({ length: n }, (_, i) => makeLv(`chain${i}`, i,
      [i === n - 1 ? linearSegment(0, 1, pv, 0) : onLv(0, 1, `chain${i + 1}`, 0)]));
    const dev = new MemoryDevice(new Uint8Array(512), { name: 'pv.img' });
    const out = compileVg(makeVg('deep', [pv], lvs), { pvDevice: () => dev });
    // chain<i> is mapped when at most MAX_LV_STACK LVs stand below it.
    const mapped = MAX_LV_STACK + 1;
    expect(out.lvs.map((c) => c.lv.name)).toEqual(lvs.slice(n - mapped).map((l) => l.name));
    expect(out.devices).toHaveLength(mapped);
    expect(out.skipped).toHaveLength(n - mapped);
    expect(out.skipped[0].error.code).toBe('EUNSUPPORTED');
    expect(out.skipped[0].error.message).toBe(`LV deep/chain${MAX_LV_STACK + 1}: stack of LVs on LVs deeper than ${MAX_LV_STACK}`);
    expect(out.skipped[n - mapped - 1].error.message).toBe(`LV deep/chain${n - 1}: stack of LVs on LVs deeper than ${MAX_LV_STACK}`);
  });
});
