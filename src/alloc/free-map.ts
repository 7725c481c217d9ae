/**
 * Free-space maps for the allocator: for each PV that may receive extents, its free extent ranges, built
 * from the VG model (every PV area of every LV segment is in use) and optionally limited to the ranges
 * of a PV list (`a.img:100-199`). Like LVM2's pv_maps, each PV's free areas are kept largest first
 * (equal sizes in PE order), and the PVs keep the order they were given in (command line, else VG order).
 */
import type { PhysicalVolume, Segment, VolumeGroup } from '../model/types.js';
import { baseSegtype } from '../model/segment-codec.js';

/** A run of free extents on one PV. */
export interface FreeArea {
  pv: PhysicalVolume;
  /** First free PE. */
  start: number;
  /** Number of free PEs. */
  count: number;
}

/** One PV's free areas, largest first. */
export interface PvMap {
  pv: PhysicalVolume;
  areas: FreeArea[];
}

/** Inclusive PE range of a PV list argument. */
export interface PeRange { start: number; end: number }

/** A PV the allocator may use, optionally limited to some PE ranges (none = the whole PV). */
export interface PvSelection {
  pv: PhysicalVolume;
  ranges?: PeRange[];
}

/** Base segment type, without "+FLAGS". */
export function segmentBaseType(seg: Segment): string {
  return baseSegtype(seg.type);
}

/** Extents each area of a segment covers on its PV (striped: extent_count / stripes; mirror images: all). */
export function segmentAreaLength(seg: Segment): number {
  const n = seg.areas.length;
  if (n === 0) return 0;
  const t = segmentBaseType(seg);
  if (t === 'striped' || t === 'raid0' || t === 'raid0_meta') return seg.extentCount / n;
  if (t.startsWith('raid') && t !== 'raid1') {
    const parity = t.startsWith('raid6') ? 2 : t.startsWith('raid4') || t.startsWith('raid5') ? 1 : 0;
    return seg.extentCount / Math.max(1, n - parity);
  }
  return seg.extentCount;
}

/** Keys of segment types lvmkit keeps verbatim that may list PV areas directly (pvmove's mirror, raid). */
const VERBATIM_AREA_KEYS = ['mirrors', 'raids', 'stripes'];

/**
 * PV areas of a segment whose type lvmkit keeps verbatim (its areas are in `body`, e.g. pvmove's
 * `mirrors = ["pv0", 0, "pv1", 0]`), so that the allocator never hands out extents they use.
 */
function verbatimPvAreas(vg: VolumeGroup, seg: Segment): Array<{ pv: PhysicalVolume; pe: number; count: number }> {
  const out: Array<{ pv: PhysicalVolume; pe: number; count: number }> = [];
  for (const it of seg.body) {
    if (it.kind !== 'setting' || !VERBATIM_AREA_KEYS.includes(it.key) || !Array.isArray(it.value)) continue;
    const v = it.value;
    const pairs = Math.floor(v.length / 2);
    const len = segmentAreaLength({ ...seg, areas: new Array(pairs).fill({ kind: 'lv', lvName: '', le: 0 }) });
    for (let i = 0; i + 1 < v.length; i += 2) {
      const pv = vg.pvs.find((p) => p.key === v[i]);
      if (pv && typeof v[i + 1] === 'number') out.push({ pv, pe: v[i + 1] as number, count: len });
    }
  }
  return out;
}

/** Used PE ranges of every PV of the VG, sorted by start. */
export function usedExtents(vg: VolumeGroup): Map<PhysicalVolume, Array<{ start: number; count: number }>> {
  const used = new Map<PhysicalVolume, Array<{ start: number; count: number }>>();
  for (const pv of vg.pvs) used.set(pv, []);
  const add = (pv: PhysicalVolume, start: number, count: number) => {
    let list = used.get(pv);
    if (!list) used.set(pv, (list = []));
    list.push({ start, count });
  };
  for (const lv of vg.lvs) {
    for (const seg of lv.segments) {
      const areas = seg.areas;
      if (!areas.length) {
        for (const a of verbatimPvAreas(vg, seg)) add(a.pv, a.pe, a.count);
        continue;
      }
      const len = segmentAreaLength(seg);
      for (let i = 0; i < areas.length; i++) {
        const a = areas[i]!;
        if (a.kind === 'pv') add(a.pv, a.pe, len);
      }
    }
  }
  for (const list of used.values()) list.sort((x, y) => x.start - y.start);
  return used;
}

/** Free PE runs of one PV in PE order, optionally only inside `ranges`. */
export function freeRuns(pv: PhysicalVolume, used: Array<{ start: number; count: number }>, ranges?: PeRange[]): Array<{ start: number; count: number }> {
  const runs: Array<{ start: number; count: number }> = [];
  let at = 0;
  for (const u of used) {
    if (u.start > at) runs.push({ start: at, count: u.start - at });
    at = Math.max(at, u.start + u.count);
  }
  if (pv.peCount > at) runs.push({ start: at, count: pv.peCount - at });
  if (!ranges) return runs;
  // Intersect with the union of the ranges.
  const allowed = mergeRanges(ranges.map((r) => ({ start: Math.max(0, r.start), end: Math.min(pv.peCount - 1, r.end) })).filter((r) => r.end >= r.start));
  const out: Array<{ start: number; count: number }> = [];
  for (const f of runs) {
    for (const r of allowed) {
      const s = Math.max(f.start, r.start);
      const e = Math.min(f.start + f.count - 1, r.end);
      if (e >= s) out.push({ start: s, count: e - s + 1 });
    }
  }
  return out.sort((x, y) => x.start - y.start);
}

function mergeRanges(ranges: PeRange[]): PeRange[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  const out: PeRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.start <= last.end + 1) last.end = Math.max(last.end, r.end);
    else out.push({ ...r });
  }
  return out;
}

/** Largest first; equal sizes in PE order (LVM2 inserts an area before the first smaller one). */
export function sortAreas(areas: FreeArea[]): void {
  areas.sort(compareAreas);
}

/** The order of a PV's free areas: largest first, equal sizes in PE order. */
export function compareAreas(a: FreeArea, b: FreeArea): number {
  return b.count - a.count || a.start - b.start;
}

/** Is `pv` one LVM2 may allocate from (ALLOCATABLE status, not missing)? */
export function isAllocatable(pv: PhysicalVolume): boolean {
  return pv.status.includes('ALLOCATABLE') && !pv.flags.includes('MISSING');
}

/**
 * Free-space maps for an allocation: every allocatable PV of the VG in VG order, or the selected PVs in the
 * order given (a PV named twice keeps its first place, its ranges are joined). PVs without free space are
 * left out.
 */
export function buildPvMaps(vg: VolumeGroup, selection?: PvSelection[]): PvMap[] {
  const used = usedExtents(vg);
  const order: PhysicalVolume[] = [];
  const ranges = new Map<PhysicalVolume, PeRange[] | undefined>();
  if (selection) {
    for (const s of selection) {
      if (!ranges.has(s.pv)) { order.push(s.pv); ranges.set(s.pv, s.ranges ? [...s.ranges] : undefined); continue; }
      const have = ranges.get(s.pv);
      // A whole-PV mention wins over ranges.
      ranges.set(s.pv, have && s.ranges ? [...have, ...s.ranges] : undefined);
    }
  } else {
    order.push(...vg.pvs);
  }
  const maps: PvMap[] = [];
  for (const pv of order) {
    if (!isAllocatable(pv)) continue;
    const runs = freeRuns(pv, used.get(pv) ?? [], ranges.get(pv));
    if (!runs.length) continue;
    const areas: FreeArea[] = new Array(runs.length);
    for (let i = 0; i < runs.length; i++) areas[i] = { pv, start: runs[i]!.start, count: runs[i]!.count };
    sortAreas(areas);
    maps.push({ pv, areas });
  }
  return maps;
}

/** Total free extents in the maps. */
export function mapsFreeExtents(maps: PvMap[]): number {
  return maps.reduce((n, m) => n + m.areas.reduce((k, a) => k + a.count, 0), 0);
}

/** Free extents of the whole VG (allocatable or not, as LVM2's vg_free_count). */
export function vgFreeExtents(vg: VolumeGroup): number {
  const used = usedExtents(vg);
  let free = 0;
  for (const pv of vg.pvs) free += freeRuns(pv, used.get(pv) ?? []).reduce((n, r) => n + r.count, 0);
  return free;
}
