/**
 * Models for the scale tests: VGs of many LVs, LVs of many segments, PVs of many free areas, built in
 * memory (the allocator and the table compiler take models; the interop test commits them to an image).
 */
import { formatUuid } from '../../src/format/uuid.js';
import type { LogicalVolume, PhysicalVolume, Segment, VolumeGroup } from '../../src/model/types.js';

/** A LVM2-style UUID made from `seed` (deterministic: the tests compare runs). */
export function seededUuid(seed: number): string {
  const abc = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  let s = '';
  let x = (seed * 2654435761) >>> 0;
  for (let i = 0; i < 32; i++) { x = (x * 1103515245 + 12345) >>> 0; s += abc[(x >>> 16) % 62]; }
  return formatUuid(s);
}

export function makePv(i: number, peCount: number, peStart = 2048): PhysicalVolume {
  return { key: `pv${i}`, id: seededUuid(1000 + i), deviceHint: `/dev/scale${i}`, status: ['ALLOCATABLE'], flags: [], tags: [],
    devSize: peStart + peCount * 8, peStart, peCount, extra: [] };
}

export function linearSegment(startExtent: number, extentCount: number, pv: PhysicalVolume, pe: number): Segment {
  return { startExtent, extentCount, type: 'striped', tags: [], areas: [{ kind: 'pv', pv, pe }], body: [], extra: [] };
}

export function makeLv(name: string, seed: number, segments: Segment[]): LogicalVolume {
  return { name, id: seededUuid(50_000 + seed), status: ['READ', 'WRITE', 'VISIBLE'], flags: [], tags: [],
    creationTime: 1795300000, creationHost: 'scale', segments, extra: [] };
}

export function makeVg(name: string, pvs: PhysicalVolume[], lvs: LogicalVolume[], extentSize = 8): VolumeGroup {
  return { name, id: seededUuid(7), seqno: 1, format: 'lvm2', status: ['RESIZEABLE', 'READ', 'WRITE'], flags: [], tags: [],
    extentSize, maxLv: 0, maxPv: 0, allocationPolicy: 'normal', metadataCopies: 0, extra: [], header: [], lvs, pvs };
}

/**
 * One PV of 2n extents (plus `tail` more, used by an LV "tail"): n LVs of one extent at the even PEs, so
 * the free space is n areas of one extent, at PEs 1, 3, ..., 2n - 1.
 */
export function fragmentedVg(n: number, tail = 0): VolumeGroup {
  const pv = makePv(0, 2 * n + tail);
  const lvs = Array.from({ length: n }, (_, i) => makeLv(`lv${i}`, i, [linearSegment(0, 1, pv, 2 * i)]));
  if (tail) lvs.push(makeLv('tail', n, [linearSegment(0, tail, pv, 2 * n)]));
  return makeVg('frag', [pv], lvs);
}
