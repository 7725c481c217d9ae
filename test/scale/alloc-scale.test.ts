/**
 * The allocator at scale: a PV of thousands of free areas.
 * - Work is counted (reads and writes of the free areas' `start` and `count`): taking n extents from n
 *   free areas is n rounds of the allocator, and each round must cost O(log n), not a walk and a new sort
 *   of every area (which made it quadratic). The count may grow no more than n log n does.
 * - Real LVM2 allocates on the same fragmented VG (written to a loop device by lvmkit in one commit):
 *   lvcreate -l 100%FREE over 2,000 one-extent areas and lvextend of an LV over them give the same
 *   segments as lvmkit's lvcreate and lvextend on a copy of the image.
 */
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allocateExtents, buildPvMaps, type FreeArea, type PvMap } from '../../src/alloc/index.js';
import { AreaList } from '../../src/alloc/area-list.js';
import { commitVg } from '../../src/commands/commit.js';
import { lvcreateCommand } from '../../src/commands/lvcreate.js';
import { lvresizeCommand } from '../../src/commands/lvresize.js';
import { scanDevices } from '../../src/commands/scan.js';
import type { VolumeGroup } from '../../src/model/types.js';
import { describeInterop, itInterop, LoopLab } from '../helpers/lvm2.js';
import { fragmentedVg, linearSegment, makeLv } from './scale-model.js';

/** Free-space maps of `vg` whose areas count every read and write of their `start` and `count`. */
function countingMaps(vg: VolumeGroup): { maps: PvMap[]; touches: () => number } {
  let n = 0;
  const maps = buildPvMaps(vg);
  for (const m of maps) {
    for (const a of m.areas) {
      let start = a.start;
      let count = a.count;
      Object.defineProperties(a, {
        start: { get: () => { n++; return start; }, set: (v: number) => { n++; start = v; }, enumerable: true },
        count: { get: () => { n++; return count; }, set: (v: number) => { n++; count = v; }, enumerable: true },
      });
    }
  }
  return { maps, touches: () => n };
}

const nlogn = (n: number) => n * Math.log2(n);

describe('allocation over thousands of free areas', () => {
  const SMALL = 1000;
  const LARGE = 8000;

  function takeAll(n: number) {
    const vg = fragmentedVg(n);
    const { maps, touches } = countingMaps(vg);
    const got = allocateExtents({ lvName: 'all', extents: n, stripes: 1, policy: 'normal', maps });
    return { got, touches: touches() };
  }

  it('takes n one-extent areas in n rounds whose work grows no faster than n log n', () => {
    const small = takeAll(SMALL);
    const large = takeAll(LARGE);
    // Every free area once, in PE order (as real LVM2 does: see the interop test below).
    expect(large.got.extents).toBe(LARGE);
    expect(large.got.pieces.map((p) => p.areas[0].pe)).toEqual(Array.from({ length: LARGE }, (_, i) => 2 * i + 1));
    expect(large.got.pieces.every((p) => p.extents === 1)).toBe(true);
    // A walk of every area per round would give a ratio of about (LARGE / SMALL)^2 = 64.
    expect(large.touches / small.touches).toBeLessThanOrEqual(nlogn(LARGE) / nlogn(SMALL));
    expect(large.touches).toBeLessThan(40 * nlogn(LARGE));
  });

  it('extends an LV over n free areas (cling to its PV) with the same bound', () => {
    const extend = (n: number) => {
      const vg = fragmentedVg(n);
      const lv = vg.lvs[0];
      const { maps, touches } = countingMaps(vg);
      const got = allocateExtents({ lvName: lv.name, extents: n, stripes: 1, policy: 'normal', maps,
        prevSegment: lv.segments[0], firstSegment: lv.segments[0] });
      return { got, touches: touches() };
    };
    const small = extend(SMALL);
    const large = extend(LARGE);
    expect(large.got.extents).toBe(LARGE);
    expect(new Set(large.got.pieces.map((p) => p.areas[0].pe)).size).toBe(LARGE);
    expect(large.touches / small.touches).toBeLessThanOrEqual(nlogn(LARGE) / nlogn(SMALL));
  });

  it('takes 2 stripes from two fragmented PVs area by area with the same bound', () => {
    const striped = (n: number) => {
      const a = fragmentedVg(n);
      const b = fragmentedVg(n);
      // Two PVs, each with n free one-extent areas.
      const pv1 = { ...b.pvs[0], key: 'pv1', id: `${b.pvs[0].id.slice(0, -1)}x` };
      a.pvs.push(pv1);
      for (const lv of b.lvs) a.lvs.push(makeLv(`b${lv.name}`, a.lvs.length, [linearSegment(0, 1, pv1, lv.segments[0].areas[0].kind === 'pv' ? lv.segments[0].areas[0].pe : 0)]));
      const { maps, touches } = countingMaps(a);
      const got = allocateExtents({ lvName: 'st', extents: 2 * n, stripes: 2, policy: 'normal', maps });
      return { got, touches: touches() };
    };
    const small = striped(SMALL);
    const large = striped(LARGE);
    expect(large.got.extents).toBe(2 * LARGE);
    for (const p of large.got.pieces) expect(p.areas.map((x) => x.pv.key).sort()).toEqual(['pv0', 'pv1']);
    expect(large.touches / small.touches).toBeLessThanOrEqual(nlogn(LARGE) / nlogn(SMALL));
  });
});

describeInterop('allocation over 2,000 free areas, beside real LVM2', () => {
  const N = 2000;
  const TAIL = 8;
  let lab: LoopLab;
  let img: string;
  let dev: string;
  let vgName: string;

  beforeAll(async () => {
    lab = new LoopLab();
    // 1 MiB extents: 2N + TAIL extents after a 4 MiB metadata area (the text of 2,000 LVs is ~0.5 MiB).
    img = lab.image('frag.img', (2 * N + TAIL + 8) * 1024 * 1024);
    dev = lab.attach(img).dev;
    vgName = lab.vgName();
    lab.pvcreate([dev], ['--metadatasize', '4m']);
    lab.vgcreate(vgName, [dev], ['-s', '1m']);
    // lvmkit writes the fragmented VG in one commit (2,000 lvcreates would take minutes).
    const scan = await scanDevices([img], { write: true });
    try {
      const sv = scan.vgs[0];
      const vg = sv.vg;
      const pv = vg.pvs[0];
      const tail = pv.peCount - 2 * N;
      expect(tail).toBeGreaterThanOrEqual(TAIL);
      for (let i = 0; i < N; i++) vg.lvs.push(makeLv(`lv${i}`, i, [linearSegment(0, 1, pv, 2 * i)]));
      vg.lvs.push(makeLv('tail', N, [linearSegment(0, tail, pv, 2 * N)]));
      vg.seqno += 1;
      await commitVg(vg, [...sv.pvs.values()], { description: 'lvmkit test: fragmented VG' });
    } finally {
      await scan.close();
    }
  }, 120_000);
  afterAll(() => lab?.cleanup());

  /** Real LVM2's PE ranges of VG/LV, segment by segment ("1-1", ...). */
  const realRanges = (lv: string): string[] => lab.report('lvs', ['--segments', '-o', 'seg_pe_ranges', `${vgName}/${lv}`])
    .map((r) => r.seg_pe_ranges.replace(/^.*:/, ''));
  const ownRanges = (segs: Array<{ areas: Array<{ kind: string; pe?: number }>; extentCount: number }>): string[] =>
    segs.map((s) => { const pe = (s.areas[0] as { pe: number }).pe; return `${pe}-${pe + s.extentCount - 1}`; });

  itInterop('lvcreate -l 100%FREE: the same 2,000 segments as LVM2', async () => {
    const copy = join(lab.dir, 'frag-create.img');
    copyFileSync(img, copy);
    lab.lvcreate(vgName, ['-l', '100%FREE', '-n', 'all']);
    const real = realRanges('all');
    expect(real).toHaveLength(N);
    const own = await lvcreateCommand({ devices: [copy], vg: vgName, name: 'all', extents: '100%FREE', zero: false, host: 'test', time: 1795300000 });
    expect(ownRanges(own.lv.segments)).toEqual(real);
    lab.lvm('lvremove', ['-y', `${vgName}/all`]);
  }, 300_000);

  itInterop('lvextend of an LV over 1,000 of the free areas: the same segments as LVM2', async () => {
    const copy = join(lab.dir, 'frag-extend.img');
    copyFileSync(img, copy);
    lab.lvm('lvextend', ['--driverloaded', 'n', '-l', `+${N / 2}`, `${vgName}/lv${N / 2}`]);
    const real = realRanges(`lv${N / 2}`);
    const own = await lvresizeCommand({ devices: [copy], lv: `${vgName}/lv${N / 2}`, mode: 'extend', extents: `+${N / 2}` });
    expect(own.lv.segments.reduce((n, s) => n + s.extentCount, 0)).toBe(N / 2 + 1);
    expect(ownRanges(own.lv.segments)).toEqual(real);
  }, 300_000);
});

describe('AreaList (a PV\'s sorted free areas during an allocation)', () => {
  it('keeps LVM2\'s order through 20,000 removals and re-insertions at the head, the tail and inside', () => {
    const pv = fragmentedVg(1).pvs[0];
    let x = 7;
    const rnd = (n: number) => { x = (x * 1103515245 + 12345) >>> 0; return (x >>> 8) % n; };
    const areas: FreeArea[] = Array.from({ length: 20_000 }, (_, i) => ({ pv, start: 3 * i, count: 1 + rnd(50) }));
    const order = (a: FreeArea, b: FreeArea) => b.count - a.count || a.start - b.start;
    const reference = [...areas].sort(order);
    const list = new AreaList([...reference]);
    for (let k = 0; k < 20_000; k++) {
      const i = k % 3 === 0 ? 0 : k % 3 === 1 ? reference.length - 1 : rnd(reference.length);
      const a = reference[i];
      list.remove(a);
      reference.splice(i, 1);
      a.count -= 1;
      if (a.count > 0) {
        list.insert(a);
        reference.push(a);
        reference.sort(order);
      }
      if (!reference.length) break;
    }
    expect(list.length).toBe(reference.length);
    expect(list.toArray()).toEqual(reference);
    expect([...list]).toEqual(reference);
    expect(list.at(0)).toBe(reference[0]);
  });
});
