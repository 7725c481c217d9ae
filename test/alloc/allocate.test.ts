/**
 * The allocator on hand-built VG models, against placements observed on real LVM2 2.03.16 (PVs of 40, 40
 * and 60 MiB with 1 MiB extents have 39, 39 and 59 extents; the expected ranges are what `lvs --segments`
 * showed for the same requests), plus the PV-list and -l argument parsers.
 */
import { describe, expect, it } from 'vitest';
import { allocateExtents, buildPvMaps, mapsFreeExtents, parsePvArg, resolvePolicy, type Policy, type PvSelection } from '../../src/alloc/index.js';
import { parseExtentsArg, percentOfExtents } from '../../src/commands/extents-arg.js';
import type { LogicalVolume, PhysicalVolume, VolumeGroup } from '../../src/model/types.js';

function pv(key: string, peCount: number): PhysicalVolume {
  return { key, id: `${key}-id`, status: ['ALLOCATABLE'], flags: [], tags: [], peStart: 2048, peCount, extra: [] };
}

function vgOf(pvs: PhysicalVolume[]): VolumeGroup {
  return {
    name: 'vg', id: 'vg-id', seqno: 1, format: 'lvm2', status: ['READ', 'WRITE', 'RESIZEABLE'], flags: [], tags: [],
    extentSize: 2048, maxLv: 0, maxPv: 0, allocationPolicy: 'normal', pvs, lvs: [], extra: [], header: [],
  };
}

/** Allocate and record as a new linear/striped LV; returns "pv:start-end" ranges per piece, LVM2 style. */
function create(vg: VolumeGroup, name: string, extents: number, o: { stripes?: number; policy?: Policy; pvs?: PvSelection[] } = {}): string[] {
  const stripes = o.stripes ?? 1;
  const got = allocateExtents({ lvName: name, extents, stripes, policy: o.policy ?? 'normal', maps: buildPvMaps(vg, o.pvs) });
  const lv: LogicalVolume = { name, id: name, status: ['READ', 'WRITE', 'VISIBLE'], flags: [], tags: [], segments: [], extra: [] };
  let le = 0;
  for (const p of got.pieces) {
    lv.segments.push({ startExtent: le, extentCount: p.extents * stripes, type: 'striped', tags: [], body: [], extra: [],
      areas: p.areas.map((a) => ({ kind: 'pv', pv: a.pv, pe: a.pe })) });
    le += p.extents * stripes;
  }
  vg.lvs.push(lv);
  return got.pieces.map((p) => p.areas.map((a) => `${a.pv.key}:${a.pe}-${a.pe + p.extents - 1}`).join(' '));
}

describe('allocateExtents (placements seen on real LVM2)', () => {
  it('linear on empty PVs takes the largest area that is needed; a bigger request fills PVs in order', () => {
    const [a, b, c] = [pv('a', 39), pv('b', 39), pv('c', 59)];
    const vg = vgOf([a, b, c]);
    expect(create(vg, 'big', 50)).toEqual(['c:0-49']);
    expect(create(vg, 'big2', 60)).toEqual(['a:0-38', 'b:0-20']);
    expect(create(vg, 's1', 10, { stripes: 2 })).toEqual(['b:21-25 c:50-54']);
  });

  it('a PV list keeps the order given when areas tie; ranges limit the PEs', () => {
    const [a, b, c] = [pv('a', 39), pv('b', 39), pv('c', 39)];
    const vg = vgOf([a, b, c]);
    expect(create(vg, 'o1', 3, { pvs: [{ pv: c }, { pv: b }] })).toEqual(['c:0-2']);
    expect(create(vg, 'o2', 5, { pvs: [{ pv: a, ranges: [{ start: 0, end: 1 }] }, { pv: a, ranges: [{ start: 5, end: 9 }] }] })).toEqual(['a:5-9']);
  });

  it('anywhere puts two stripes on one PV (largest area first); normal refuses that', () => {
    const a = pv('a', 39);
    const vg = vgOf([a, pv('b', 39)]);
    create(vg, 'x', 2, { pvs: [{ pv: a, ranges: [{ start: 0, end: 1 }] }] });
    create(vg, 'y', 5, { pvs: [{ pv: a, ranges: [{ start: 5, end: 9 }] }] });
    expect(create(vg, 'o6', 4, { stripes: 2, policy: 'anywhere', pvs: [{ pv: a }] })).toEqual(['a:10-11 a:2-3']);
    expect(() => create(vg, 'o7', 4, { stripes: 2, pvs: [{ pv: a }] })).toThrow('Insufficient suitable allocatable extents for logical volume o7: 4 more required');
  });

  it('each PV offers its smallest area that holds the request (a 1-PE hole before a 12-PE area)', () => {
    const a = pv('a', 39);
    const vg = vgOf([a, pv('b', 39), pv('c', 39)]);
    create(vg, 'u1', 4, { pvs: [{ pv: a }] });
    create(vg, 'u2', 1, { pvs: [{ pv: a }] }); // a:4 used ...
    vg.lvs = vg.lvs.filter((l) => l.name !== 'u2'); // ... and freed again: a has 4-4 and 5-38 free
    create(vg, 'u3', 22, { pvs: [{ pv: a, ranges: [{ start: 5, end: 26 }] }] }); // a: 4-4, 27-38 free
    create(vg, 'v', 16, { pvs: [{ pv: vg.pvs[1] }] });
    create(vg, 'w', 13, { pvs: [{ pv: vg.pvs[2] }] });
    expect(create(vg, 'o3', 3, { stripes: 3 })).toEqual(['a:4-4 b:16-16 c:13-13']);
  });

  it('fails before allocating anything when the PVs lack space, in LVM2\'s words', () => {
    const vg = vgOf([pv('a', 39)]);
    const maps = buildPvMaps(vg, [{ pv: vg.pvs[0], ranges: [{ start: 0, end: 30 }] }]);
    expect(mapsFreeExtents(maps)).toBe(31);
    expect(() => allocateExtents({ lvName: 'x', extents: 100, stripes: 1, policy: 'normal', maps })).toThrow('Insufficient free space: 100 extents needed, but only 31 available');
    expect(vg.lvs).toHaveLength(0);
  });

  it('contiguous extension fails when the next PE is taken; cling then uses the same PV', () => {
    const a = pv('a', 39);
    const vg = vgOf([a, pv('b', 39)]);
    create(vg, 'ct', 3, { policy: 'contiguous' });
    create(vg, 'blocker', 1);
    const ct = vg.lvs[0];
    const prev = ct.segments[ct.segments.length - 1];
    expect(() => allocateExtents({ lvName: 'ct', extents: 2, stripes: 1, policy: 'contiguous', prevSegment: prev, maps: buildPvMaps(vg) }))
      .toThrow('Insufficient suitable contiguous allocatable extents for logical volume ct: 2 more required');
    const got = allocateExtents({ lvName: 'ct', extents: 2, stripes: 1, policy: 'cling', prevSegment: prev, maps: buildPvMaps(vg) });
    expect(got.pieces.map((p) => `${p.areas[0].pv.key}:${p.areas[0].pe}`)).toEqual(['a:4']);
  });

  it('never hands out PEs that a verbatim-kept segment (pvmove\'s mirror) lists in its body', () => {
    const [a, b] = [pv('a', 39), pv('b', 39)];
    const vg = vgOf([a, b]);
    vg.lvs.push({ name: 'pvmove0', id: 'p', status: ['READ', 'WRITE', 'PVMOVE', 'LOCKED'], flags: [], tags: [], extra: [], segments: [{
      startExtent: 0, extentCount: 5, type: 'mirror', tags: [], areas: [], extra: [],
      body: [{ kind: 'setting', key: 'mirror_count', value: 2 }, { kind: 'setting', key: 'mirrors', value: ['a', 0, 'b', 0] }],
    }] });
    expect(buildPvMaps(vg).map((m) => m.areas.map((x) => `${x.pv.key}:${x.start}+${x.count}`))).toEqual([['a:5+34'], ['b:5+34']]);
    expect(create(vg, 'n', 3)).toEqual(['a:5-7']);
  });

  it('inherit and cling_by_tags resolve as LVM2 uses them', () => {
    expect(resolvePolicy('inherit', 'contiguous')).toBe('contiguous');
    expect(resolvePolicy(undefined, 'inherit')).toBe('normal');
    expect(resolvePolicy('cling_by_tags')).toBe('cling');
  });
});

describe('PV list and -l arguments', () => {
  it('parses PV[:PE[-PE]|:PE+N]... with names that contain ":"', () => {
    expect(parsePvArg('a.img:100-199')).toEqual({ name: 'a.img', ranges: [{ start: 100, end: 199 }] });
    expect(parsePvArg('disk.img:p2:5-9:20+5')).toEqual({ name: 'disk.img:p2', ranges: [{ start: 5, end: 9 }, { start: 20, end: 24 }] });
    expect(parsePvArg('a.img:7')).toEqual({ name: 'a.img', ranges: [{ start: 7, end: 7 }] });
    expect(parsePvArg('a.img:10-').ranges?.[0].end).toBe(Infinity);
    expect(parsePvArg('plain.img')).toEqual({ name: 'plain.img' });
    expect(() => parsePvArg('a.img:9-3')).toThrow(/ends before it starts/);
  });

  it('parses -l forms and rounds percentages as LVM2 does', () => {
    expect(parseExtentsArg('+100%FREE')).toEqual({ sign: '+', value: 100, percent: 'FREE' });
    expect(parseExtentsArg('-3')).toEqual({ sign: '-', value: 3 });
    expect(parseExtentsArg('10%vg')).toEqual({ sign: undefined, value: 10, percent: 'VG' });
    expect(() => parseExtentsArg('3.5')).toThrow(/whole number/);
    expect(() => parseExtentsArg('10%XX')).toThrow(/Invalid argument for --extents/);
    // lvcreate -l 10%VG of 137 extents made 13; lvresize -l 10%VG of 117 made 12.
    expect(percentOfExtents(10, 137, false)).toBe(13);
    expect(percentOfExtents(10, 117, true)).toBe(12);
  });
});
