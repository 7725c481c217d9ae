/**
 * Report contexts: per-VG facts computed once (extent counts, PV allocation, LV relations) and the
 * row objects the field getters read. One row carries whatever objects its report type needs:
 * a PV row has pvc, an LV row lvc, a segment row lvc + segc, a PV-segment row pvc + pvseg (+ its LV segment).
 */
import type { LogicalVolume, PhysicalVolume, Segment, VolumeGroup } from '../../model/types.js';
import { baseSegtype, segmentSetting } from '../../model/segment-codec.js';
import type { ReportOrphanPv, ReportPvDevice, ReportVg } from './types.js';
import { classifyLvs, segAreas, subLvNames, type LvKind } from './sublvs.js';

export interface VgCtx {
  rv: ReportVg;
  vg: VolumeGroup;
  extentBytes: number;
  pvs: PvCtx[];
  pvById: Map<string, PvCtx>;
  lvs: LvCtx[];
  lvByName: Map<string, LvCtx>;
  extentCount: number;
  freeCount: number;
  missingPvCount: number;
  lvCount: number;
  snapCount: number;
}

export interface PvCtx {
  vgc?: VgCtx;
  pv?: PhysicalVolume;
  orphan?: ReportOrphanPv;
  device?: ReportPvDevice;
  /** Name shown: the device's, or "[unknown]" for a missing PV. */
  name: string;
  missing: boolean;
  allocExtents: number;
  /** Allocated ranges on this PV, filled by buildVgCtx. */
  used: { pe: number; len: number; segc: SegCtx }[];
}

export interface SnapshotLink { snapshotLv: LvCtx; origin: string; cow: string; merging: boolean; chunkSize?: number }

export interface LvCtx {
  vgc: VgCtx;
  lv: LogicalVolume;
  visible: boolean;
  /** "[name]" for hidden LVs, as LVM2 prints lv_name. */
  displayName: string;
  extents: number;
  /** Set when this LV is the COW store of an old-style snapshot. */
  cowOf?: SnapshotLink;
  /** LVM2's internal "snapshotN" LV holding an old-style snapshot's segment: never a report row, even with -a. */
  snapshotHolder?: boolean;
  /** Snapshots whose origin is this LV. */
  snapshots: SnapshotLink[];
  /** LVs whose segments use this LV as an area or as a named sub-LV (pool, metadata, ...). */
  parent?: LvCtx;
  partial?: boolean;
  /** What LVM2 knows this LV as after import (RAID_IMAGE, THIN_POOL_DATA, ...): see sublvs.ts. */
  kinds: Set<LvKind>;
  /** Segments of other LVs using this LV (LVM2's segs_using_this_lv), in metadata order. */
  users: SegCtx[];
  /** Thin LVs using this LV as their external origin. */
  externalCount: number;
}

export interface SegCtx { lvc: LvCtx; seg: Segment; baseType: string }

export interface PvSegCtx { pvc: PvCtx; start: number; size: number; segc?: SegCtx }

export interface Row { vgc?: VgCtx; pvc?: PvCtx; lvc?: LvCtx; segc?: SegCtx; pvseg?: PvSegCtx }

// ---------- segment helpers ----------

/** Segment type without "+FLAGS". */
export function baseSegType(seg: Segment): string {
  return baseSegtype(seg.type);
}

/** A scalar setting from the segment's type-specific items (string or number), if present. */
export const segBody = segmentSetting;

export function isRaidType(t: string): boolean { return t.startsWith('raid'); }

/** Extents each area of a segment covers. */
export function areaLength(seg: Segment, baseType: string): number {
  const n = seg.areas.length;
  if (n === 0) return 0;
  if (baseType === 'striped' || baseType === 'raid0' || baseType === 'raid0_meta') return seg.extentCount / n;
  if (isRaidType(baseType)) {
    const parity = parityChunks(baseType) ?? 0;
    return baseType === 'raid1' ? seg.extentCount : seg.extentCount / Math.max(1, n - parity);
  }
  return seg.extentCount;
}

/** Parity chunks of a raid level (raid4/5: 1, raid6: 2), undefined for the others. */
export function parityChunks(t: string): number | undefined {
  if (t.startsWith('raid4') || t.startsWith('raid5')) return 1;
  if (t.startsWith('raid6')) return 2;
  return undefined;
}

/** Names of LVs a segment refers to by setting (pools, metadata, logs, origins). */
const LV_REF_KEYS = ['pool', 'metadata', 'data', 'mirror_log', 'cache_pool', 'origin', 'vdo_pool', 'thin_pool', 'cow_store', 'merging_store'];

// ---------- building ----------

function hasWord(list: string[], w: string): boolean { return list.includes(w); }

function pvMissing(pv: PhysicalVolume, dev: ReportPvDevice | undefined): boolean {
  return !dev || hasWord(pv.flags, 'MISSING') || hasWord(pv.status, 'MISSING');
}

function makePvCtx(vgc: VgCtx, pv: PhysicalVolume): PvCtx {
  const device = vgc.rv.devices.get(pv.id);
  const ctx: PvCtx = { vgc, pv, name: device ? device.name : '[unknown]', missing: pvMissing(pv, device), allocExtents: 0, used: [] };
  if (device) ctx.device = device;
  return ctx;
}

export function orphanPvCtx(o: ReportOrphanPv): PvCtx {
  return { orphan: o, name: o.name, device: { name: o.name, size: o.size }, missing: false, allocExtents: 0, used: [] };
}

function makeLvCtx(vgc: VgCtx, lv: LogicalVolume): LvCtx {
  const extents = lv.segments.reduce((s, g) => s + g.extentCount, 0);
  return { vgc, lv, visible: hasWord(lv.status, 'VISIBLE'), displayName: lv.name, extents, snapshots: [], kinds: new Set(), users: [], externalCount: 0 };
}

function linkSnapshots(vgc: VgCtx): void {
  for (const lvc of vgc.lvs) {
    const seg = lvc.lv.segments[0];
    if (!seg || baseSegType(seg) !== 'snapshot') continue;
    const merging = segBody(seg, 'merging_store');
    const cow = String(merging ?? segBody(seg, 'cow_store') ?? '');
    const origin = String(segBody(seg, 'origin') ?? '');
    const chunk = segBody(seg, 'chunk_size');
    const link: SnapshotLink = { snapshotLv: lvc, origin, cow, merging: merging !== undefined };
    if (typeof chunk === 'number') link.chunkSize = chunk;
    lvc.visible = false;
    lvc.snapshotHolder = true;
    const cowLv = vgc.lvByName.get(cow);
    if (cowLv) cowLv.cowOf = link;
    vgc.lvByName.get(origin)?.snapshots.push(link);
  }
  for (const lvc of vgc.lvs) {
    if (lvc.cowOf) lvc.visible = vgc.lvByName.get(lvc.cowOf.origin)?.visible ?? true;
  }
}

function linkParents(vgc: VgCtx): void {
  for (const lvc of vgc.lvs) {
    for (const seg of lvc.lv.segments) {
      for (const a of seg.areas) if (a.kind === 'lv') setParent(vgc, a.lvName, lvc);
      for (const k of LV_REF_KEYS) {
        if (k === 'origin' && baseSegType(seg) !== 'cache') continue;
        if (k === 'cow_store' || k === 'merging_store') continue;
        const v = segBody(seg, k);
        if (typeof v === 'string') setParent(vgc, v, lvc);
      }
    }
  }
}

function setParent(vgc: VgCtx, child: string, parent: LvCtx): void {
  const c = vgc.lvByName.get(child);
  if (c && c !== parent && !c.visible && !c.parent) c.parent = parent;
}

function allocate(vgc: VgCtx): void {
  for (const lvc of vgc.lvs) {
    for (const seg of lvc.lv.segments) {
      const baseType = baseSegType(seg);
      const len = areaLength(seg, baseType);
      const segc: SegCtx = { lvc, seg, baseType };
      for (const a of segAreas(vgc.vg, seg).data) {
        if (a.kind !== 'pv') continue;
        const pvc = vgc.pvById.get(a.pv.id);
        if (!pvc) continue;
        pvc.allocExtents += len;
        pvc.used.push({ pe: a.pe, len, segc });
      }
    }
  }
  for (const pvc of vgc.pvs) pvc.used.sort((x, y) => x.pe - y.pe);
}

/** Mark LVs that have an area on a missing PV, directly or through sub-LVs. */
function markPartial(vgc: VgCtx): void {
  const visit = (lvc: LvCtx, depth: number): boolean => {
    if (lvc.partial !== undefined) return lvc.partial;
    if (depth > 64) return false;
    let p = false;
    for (const seg of lvc.lv.segments) {
      for (const a of segAreas(vgc.vg, seg).data) if (a.kind === 'pv') p ||= vgc.pvById.get(a.pv.id)?.missing ?? true;
      for (const n of subLvNames(vgc.vg, seg)) { const sub = vgc.lvByName.get(n); if (sub) p ||= visit(sub, depth + 1); }
    }
    lvc.partial = p;
    return p;
  };
  for (const lvc of vgc.lvs) visit(lvc, 0);
}

export function buildVgCtx(rv: ReportVg): VgCtx {
  const vg = rv.vg;
  const vgc: VgCtx = {
    rv, vg, extentBytes: vg.extentSize * 512, pvs: [], pvById: new Map(), lvs: [], lvByName: new Map(),
    extentCount: 0, freeCount: 0, missingPvCount: 0, lvCount: 0, snapCount: 0,
  };
  for (const pv of vg.pvs) {
    const pvc = makePvCtx(vgc, pv);
    vgc.pvs.push(pvc);
    vgc.pvById.set(pv.id, pvc);
  }
  for (const lv of vg.lvs) {
    const lvc = makeLvCtx(vgc, lv);
    vgc.lvs.push(lvc);
    vgc.lvByName.set(lv.name, lvc);
  }
  linkSnapshots(vgc);
  classifyLvs(vgc);
  for (const lvc of vgc.lvs) if (!lvc.visible) lvc.displayName = `[${lvc.lv.name}]`;
  linkParents(vgc);
  allocate(vgc);
  markPartial(vgc);
  for (const pvc of vgc.pvs) {
    const count = pvc.pv!.peCount;
    vgc.extentCount += count;
    vgc.freeCount += count - pvc.allocExtents;
    if (pvc.missing) vgc.missingPvCount++;
  }
  vgc.lvCount = vgc.lvs.filter((l) => l.visible).length;
  vgc.snapCount = vgc.lvs.filter((l) => l.cowOf !== undefined).length;
  return vgc;
}

/** Physical segments of a PV: allocated areas in PE order with the free gaps between them. */
export function pvSegments(pvc: PvCtx): PvSegCtx[] {
  const total = pvc.pv ? pvc.pv.peCount : 0;
  const out: PvSegCtx[] = [];
  let next = 0;
  for (const u of pvc.used) {
    if (u.pe > next) out.push({ pvc, start: next, size: u.pe - next });
    out.push({ pvc, start: u.pe, size: u.len, segc: u.segc });
    next = Math.max(next, u.pe + u.len);
  }
  if (next < total || out.length === 0) out.push({ pvc, start: next, size: Math.max(0, total - next) });
  return out;
}
