/**
 * Segment report values that depend on the segment's areas and sub-LVs (see sublvs.ts): devices and
 * extent ranges (PV extents or whole sub-LVs), stripe and copy counts, parity, reshape space, chunk
 * size, and the cache and thin pool settings a cache or thin segment shows from its pool.
 */
import type { Segment, SegmentArea } from '../../model/types.js';
import type { SegCtx } from './rows.js';
import { areaLength, segBody } from './rows.js';
import { isRaid10, isReshapableRaid, parityDevs, segAreas, segString, typeOf } from './sublvs.js';

interface AreaView { name: string; hidden: boolean; start: number; len: number }

function view(s: SegCtx, a: SegmentArea, pvLen: number): AreaView {
  const vgc = s.lvc.vgc;
  if (a.kind === 'pv') return { name: vgc.pvById.get(a.pv.id)?.name ?? '[unknown]', hidden: false, start: a.pe, len: pvLen };
  const sub = vgc.lvByName.get(a.lvName);
  return { name: a.lvName, hidden: sub ? !sub.visible : false, start: a.le, len: sub ? sub.extents : 0 };
}

function dataViews(s: SegCtx): AreaView[] {
  const len = areaLength(s.seg, s.baseType);
  return segAreas(s.lvc.vgc.vg, s.seg).data.map((a) => view(s, a, len));
}

/** Raid metadata areas; none for the raid's own sub-LVs (as LVM2's _format_pvsegs). */
function metaViews(s: SegCtx): AreaView[] {
  const k = s.lvc.kinds;
  if (k.has('RAID_IMAGE') || k.has('RAID_META')) return [];
  return segAreas(s.lvc.vgc.vg, s.seg).meta.map((a) => view(s, a, 0));
}

const devices = (as: AreaView[]): string[] => as.map((a) => `${a.name}(${a.start})`);
/** `markHidden`: hidden LVs in [brackets] (seg_le_ranges, seg_metadata_le_ranges; report/mark_hidden_devices=1). */
const ranges = (as: AreaView[], markHidden: boolean): string[] =>
  as.map((a) => `${markHidden && a.hidden ? `[${a.name}]` : a.name}:${a.start}-${a.start + a.len - 1}`);

export const segDevices = (s: SegCtx): string[] => devices(dataViews(s));
export const segMetadataDevices = (s: SegCtx): string[] => devices(metaViews(s));
export const segPeRanges = (s: SegCtx): string => ranges(dataViews(s), false).join(' ');
export const segLeRanges = (s: SegCtx): string[] => ranges(dataViews(s), true);
export const segMetadataLeRanges = (s: SegCtx): string[] => ranges(metaViews(s), true);

// ---------- counts ----------

const areaCount = (s: SegCtx): number => segAreas(s.lvc.vgc.vg, s.seg).data.length;

/** stripes: the segment's area count (images of a raid, legs of a mirror). */
export const segStripes = areaCount;

/** data_copies: from the metadata, else as LVM2 derives it (raid1: every image, raid10: 2, others parity + 1). */
export function segDataCopies(s: SegCtx): number | null {
  // The free space of a PV (pvs --segments) is a segment without copies.
  return s.baseType === 'free' ? null : dataCopiesOf(s.seg, areaCount(s));
}

function dataCopiesOf(seg: Segment, areas: number): number {
  const v = segBody(seg, 'data_copies');
  if (typeof v === 'number' && v > 0) return v;
  const t = typeOf(seg);
  if (isRaid10(t)) return 2;
  if (t === 'raid1') return areas;
  return parityDevs(t) + 1;
}

/** data_stripes: areas not freed by a reshape, less parity (raid10: divided by the copies). */
export function segDataStripes(s: SegCtx): number {
  const data = segAreas(s.lvc.vgc.vg, s.seg).data;
  let used = data.length;
  for (let i = data.length - 1; used > 0 && i > 0; i--) {
    const a = data[i]!;
    if (a.kind === 'lv' && s.lvc.vgc.lvByName.get(a.lvName)?.lv.status.includes('REMOVE_AFTER_RESHAPE')) used--;
    else break;
  }
  let stripes = used - parityDevs(s.baseType);
  if (isRaid10(s.baseType)) stripes = Math.floor(stripes / (segDataCopies(s) ?? 1));
  return stripes;
}

/** parity_chunks: parity devices, or copies - 1; one more when every area is itself redundant. */
export function segParityChunks(s: SegCtx): number | null {
  // LVM2 computes copies - 1 in 32 bits: the free space of a PV, with no copies, shows 4294967295.
  let parity = parityDevs(s.baseType) || ((segDataCopies(s) ?? 0) - 1) >>> 0;
  if (parity === 0) return null;
  const data = segAreas(s.lvc.vgc.vg, s.seg).data;
  let resilient = 0;
  for (const a of data) {
    if (a.kind !== 'lv') continue;
    const sub = s.lvc.vgc.lvByName.get(a.lvName);
    const f = sub?.lv.segments[0];
    if (f && (parityDevs(typeOf(f)) > 0 || dataCopiesOf(f, segAreas(s.lvc.vgc.vg, f).data.length) > 1)) resilient++;
  }
  if (resilient > 0 && resilient === data.length) parity++;
  return parity;
}

/**
 * The segment reshape_len/reshape_len_le report on: a reshapable raid's, or the first segment of an image of
 * one (found, as LVM2 does, by the LV name before the first '_').
 */
function reshapableSeg(s: SegCtx): SegCtx | undefined {
  if (isReshapableRaid(s.baseType)) return s;
  if (!s.lvc.kinds.has('RAID_IMAGE') || s.seg.startExtent !== 0) return undefined;
  const name = s.lvc.lv.name;
  let p = name.indexOf('_');
  if (p >= 0 && name.slice(p).includes('_dup_')) p = name.indexOf('_', p + 5);
  if (p < 0) return undefined;
  const top = s.lvc.vgc.lvByName.get(name.slice(0, p))?.lv.segments[0];
  return top && isReshapableRaid(typeOf(top)) ? s : undefined;
}

/** reshape_len_le: reshape space in extents, over all areas. */
export function segReshapeLe(s: SegCtx): number | null {
  const r = reshapableSeg(s);
  return r ? (r.seg.reshapeCount ?? 0) * areaCount(r) : null;
}

// ---------- sizes and pool settings ----------

/** stripe_size in bytes (striped and raid segments). */
export function segStripeSize(s: SegCtx): number {
  if (s.seg.stripeSize !== undefined) return s.seg.stripeSize * 512;
  const v = segBody(s.seg, 'stripe_size');
  return typeof v === 'number' ? v * 512 : 0;
}

/** The first segment of the pool a cache segment uses (cache settings are reported from there). */
function cachePoolSeg(s: SegCtx): Segment | undefined {
  const name = segString(s.seg, 'cache_pool');
  return name === undefined ? undefined : s.lvc.vgc.lvByName.get(name)?.lv.segments[0];
}

/** chunk_size in bytes: a snapshot's, a pool's, or a cache's pool's. */
export function segChunkSize(s: SegCtx): number {
  const sectors = (seg: Segment | undefined): number => {
    const v = seg ? segBody(seg, 'chunk_size') : undefined;
    return typeof v === 'number' ? v * 512 : 0;
  };
  if (s.lvc.cowOf) return (s.lvc.cowOf.chunkSize ?? 0) * 512;
  if (s.baseType === 'thin-pool' || s.baseType === 'cache-pool') return sectors(s.seg);
  if (s.baseType === 'cache') {
    const pool = cachePoolSeg(s);
    // A cache volume (cachevol) keeps the chunk size in the cache segment itself.
    return pool && typeOf(pool) === 'cache-pool' ? sectors(pool) : sectors(s.seg);
  }
  return 0;
}

/** The segment cache settings come from: a cache-pool's own, a cache's pool (or the cache itself with a cachevol). */
function cacheSettingsSeg(s: SegCtx): Segment | undefined {
  if (s.baseType === 'cache-pool') return s.seg;
  if (s.baseType !== 'cache') return undefined;
  const pool = cachePoolSeg(s);
  return pool && typeOf(pool) === 'cache-pool' ? pool : s.seg;
}

export function segCacheMode(s: SegCtx): string {
  const seg = cacheSettingsSeg(s);
  const v = seg ? segBody(seg, 'cache_mode') : undefined;
  return v === undefined ? '' : String(v);
}

export function segCachePolicy(s: SegCtx): string {
  const seg = cacheSettingsSeg(s);
  const v = seg ? segBody(seg, 'policy') : undefined;
  return v === undefined ? '' : String(v);
}

export function segCacheMetadataFormat(s: SegCtx): number | null {
  const seg = cacheSettingsSeg(s);
  const v = seg ? segBody(seg, 'metadata_format') : undefined;
  return v === 1 || v === 2 ? v : null;
}

/** discards of a thin pool, shown by its thin LVs too. */
export function segDiscards(s: SegCtx): string {
  let seg: Segment | undefined = s.seg;
  if (s.baseType === 'thin') {
    const pool = segString(s.seg, 'thin_pool');
    seg = pool === undefined ? undefined : s.lvc.vgc.lvByName.get(pool)?.lv.segments[0];
  }
  if (!seg || typeOf(seg) !== 'thin-pool') return '';
  const v = segBody(seg, 'discards');
  return v === undefined ? 'passdown' : String(v);
}

/** raid_* LV settings (write behind, recovery rates): shown only when set, for raid LVs and their images. */
export function raidSetting(s: Segment | undefined, isRaidLv: boolean, key: string): number | null {
  if (!s || !isRaidLv) return null;
  const v = segBody(s, key);
  return typeof v === 'number' && v !== 0 ? v : null;
}

