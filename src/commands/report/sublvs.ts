/**
 * How LVs use each other, as LVM2 sees it after reading the metadata: the areas of every segment
 * (PV extents, or another LV: raid images, mirror legs, pool data, cache and integrity origins), the
 * raid metadata areas, and the sub-LVs a segment names by setting (mirror log, pool metadata, ...).
 * From these come the LV kinds LVM2 keeps as status flags after import (RAID_IMAGE, THIN_POOL_DATA,
 * CACHE_ORIGIN, ...), which lv_attr, lv_role, lv_layout, lv_parent and the device columns report.
 *
 * Segment types lvmkit has no codec for (raid, mirror, thin, cache, integrity, vdo, writecache) keep
 * their settings in `seg.body`; their areas are read from there ("raids", "mirrors", "pool", ...).
 */
import type { ConfigItem } from '../../metadata/config-tree.js';
import type { PhysicalVolume, Segment, SegmentArea, VolumeGroup } from '../../model/types.js';
import type { LvCtx, SegCtx, VgCtx } from './rows.js';
import { baseSegtype } from '../../model/segment-codec.js';

export type LvKind =
  | 'RAID' | 'RAID_IMAGE' | 'RAID_META'
  | 'MIRROR' | 'MIRRORED' | 'MIRROR_IMAGE' | 'MIRROR_LOG' | 'PVMOVE'
  | 'THIN_VOLUME' | 'THIN_POOL' | 'THIN_POOL_DATA' | 'THIN_POOL_METADATA' | 'EXTERNAL_ORIGIN'
  | 'CACHE' | 'CACHE_POOL' | 'CACHE_POOL_DATA' | 'CACHE_POOL_METADATA' | 'CACHE_ORIGIN' | 'CACHE_VOL'
  | 'WRITECACHE' | 'WRITECACHE_ORIGIN'
  | 'INTEGRITY' | 'INTEGRITY_ORIGIN' | 'INTEGRITY_METADATA'
  | 'VDO' | 'VDO_POOL' | 'VDO_POOL_DATA'
  | 'VIRTUAL' | 'POOL_METADATA_SPARE' | 'UNKNOWN_SEGMENTS';

/** Areas of one segment: data areas (what `devices` lists) and raid metadata areas. */
export interface SegAreas { data: SegmentArea[]; meta: SegmentArea[] }

/** Segment types LVM2 2.03 knows; any other is an "unknown" segment (lv_attr char 7 'u'). */
const KNOWN_TYPES = new Set([
  'striped', 'linear', 'mirror', 'snapshot', 'error', 'zero', 'free', 'thin', 'thin-pool', 'cache', 'cache-pool',
  'writecache', 'integrity', 'vdo', 'vdo-pool',
]);

/** Segment type without "+FLAGS". */
export function typeOf(seg: Segment): string {
  return baseSegtype(seg.type);
}

export function isRaid(t: string): boolean { return t.startsWith('raid'); }
export function isRaid10(t: string): boolean { return t.startsWith('raid10'); }
export function isRaid0(t: string): boolean { return t === 'raid0' || t === 'raid0_meta'; }

/** Parity devices of a segment type (segtype->parity_devs): raid4/5: 1, raid6: 2, others 0. */
export function parityDevs(t: string): number {
  if (t.startsWith('raid4') || t.startsWith('raid5')) return 1;
  if (t.startsWith('raid6')) return 2;
  return 0;
}

/** raid4/5/6/10: the raid levels LVM2 can reshape (segtype_is_reshapable_raid). */
export function isReshapableRaid(t: string): boolean {
  return t.startsWith('raid4') || t.startsWith('raid5') || t.startsWith('raid6') || isRaid10(t);
}

/** Segment types whose areas are mirrored copies (SEG_AREAS_MIRRORED). */
function isMirroredType(t: string): boolean { return t === 'mirror' || t === 'raid1' || isRaid10(t); }

// ---------- reading settings of codec-less segment types ----------

function setting(items: ConfigItem[], key: string): ConfigItem | undefined {
  for (const it of items) if (it.kind === 'setting' && it.key === key) return it;
  return undefined;
}

/** A string setting of the segment (body or extra), e.g. a sub-LV name. */
export function segString(seg: Segment, key: string): string | undefined {
  const it = setting(seg.body, key) ?? setting(seg.extra, key);
  return it?.kind === 'setting' && typeof it.value === 'string' ? it.value : undefined;
}

/** A list setting of the segment (body or extra). */
function segList(seg: Segment, key: string): unknown[] | undefined {
  const it = setting(seg.body, key) ?? setting(seg.extra, key);
  return it?.kind === 'setting' && Array.isArray(it.value) ? (it.value as unknown[]) : undefined;
}

const pvKeyMaps = new WeakMap<VolumeGroup, Map<string, PhysicalVolume>>();

function pvByKey(vg: VolumeGroup, key: string): PhysicalVolume | undefined {
  let m = pvKeyMaps.get(vg);
  if (!m) { m = new Map(vg.pvs.map((p) => [p.key, p])); pvKeyMaps.set(vg, m); }
  return m.get(key);
}

const lvArea = (lvName: string, le = 0): SegmentArea => ({ kind: 'lv', lvName, le });

function areasFromRefs(seg: Segment, key: string): SegmentArea[] {
  const name = segString(seg, key);
  return name === undefined ? [] : [lvArea(name)];
}

const areaCache = new WeakMap<Segment, SegAreas>();

/** The areas of a segment, as LVM2 holds them after import (seg_type/seg_lv/seg_metalv). */
export function segAreas(vg: VolumeGroup, seg: Segment): SegAreas {
  const cached = areaCache.get(seg);
  if (cached) return cached;
  const out = computeAreas(vg, seg);
  areaCache.set(seg, out);
  return out;
}

function computeAreas(vg: VolumeGroup, seg: Segment): SegAreas {
  const t = typeOf(seg);
  const none: SegmentArea[] = [];
  if (isRaid(t)) {
    // raid0 without metadata LVs lists its images in "raid0_lvs"; the other levels pair (rmeta, rimage) in "raids".
    const list = t === 'raid0' ? segList(seg, 'raid0_lvs') ?? segList(seg, 'raids') : segList(seg, 'raids');
    if (!list) return { data: seg.areas.filter((a) => a.kind !== 'lv' || !a.lvName.includes('_rmeta_')), meta: seg.areas.filter((a) => a.kind === 'lv' && a.lvName.includes('_rmeta_')) };
    const names = list.filter((v): v is string => typeof v === 'string');
    if (t === 'raid0') return { data: names.map((n) => lvArea(n)), meta: none };
    const data: SegmentArea[] = [];
    const meta: SegmentArea[] = [];
    for (let i = 0; i + 1 < names.length; i += 2) { meta.push(lvArea(names[i]!)); data.push(lvArea(names[i + 1]!)); }
    return { data, meta };
  }
  if (t === 'mirror') {
    const list = segList(seg, 'mirrors');
    if (!list) return { data: seg.areas, meta: none };
    const data: SegmentArea[] = [];
    for (let i = 0; i + 1 < list.length; i += 2) {
      const name = list[i];
      const ext = list[i + 1];
      if (typeof name !== 'string') continue;
      const n = typeof ext === 'number' ? ext : typeof ext === 'bigint' ? Number(ext) : 0;
      const pv = pvByKey(vg, name);
      data.push(pv ? { kind: 'pv', pv, pe: n } : lvArea(name, n));
    }
    return { data, meta: none };
  }
  switch (t) {
    case 'thin-pool': return { data: areasFromRefs(seg, 'pool'), meta: none };
    case 'cache-pool': case 'vdo-pool': return { data: areasFromRefs(seg, 'data'), meta: none };
    case 'cache': case 'integrity': case 'writecache': return { data: areasFromRefs(seg, 'origin'), meta: none };
    case 'vdo': return { data: areasFromRefs(seg, 'vdo_pool'), meta: none };
    default: return { data: seg.areas, meta: none };
  }
}

// A Map, not an object: segment types come from the metadata and may be "constructor" or "__proto__".
const SEG_REF_KEYS = new Map<string, string[]>([
  ['mirror', ['mirror_log']], ['thin-pool', ['metadata']], ['cache-pool', ['metadata']], ['cache', ['cache_pool']],
  ['integrity', ['meta_dev']], ['writecache', ['writecache']], ['thin', ['thin_pool']],
]);

/** Sub-LVs a segment names by setting, besides its areas (logs, pool metadata, pools, ...). */
function segRefs(seg: Segment): string[] {
  const out: string[] = [];
  for (const k of SEG_REF_KEYS.get(typeOf(seg)) ?? []) { const v = segString(seg, k); if (v !== undefined) out.push(v); }
  return out;
}

/** Every sub-LV of an LV's segments (areas, metadata areas, named sub-LVs): what makes an LV partial. */
export function subLvNames(vg: VolumeGroup, seg: Segment): string[] {
  const a = segAreas(vg, seg);
  const names: string[] = [];
  for (const x of [...a.data, ...a.meta]) if (x.kind === 'lv') names.push(x.lvName);
  names.push(...segRefs(seg));
  return names;
}

// ---------- classifying ----------

/** Segments already recorded as users of an LV (a segment naming the same LV twice counts once). */
const recorded = new WeakMap<LvCtx, Set<Segment>>();

/** Record that `user` uses the LV named `name` (segs_using_this_lv); returns that LV. */
function use(vgc: VgCtx, name: string | undefined, user: SegCtx): LvCtx | undefined {
  const lvc = name === undefined ? undefined : vgc.lvByName.get(name);
  if (!lvc || lvc === user.lvc) return undefined;
  let segs = recorded.get(lvc);
  if (!segs) { segs = new Set(); recorded.set(lvc, segs); }
  if (!segs.has(user.seg)) { segs.add(user.seg); lvc.users.push(user); }
  return lvc;
}

function mark(vgc: VgCtx, name: string | undefined, kind: LvKind, user: SegCtx): LvCtx | undefined {
  const lvc = use(vgc, name, user);
  lvc?.kinds.add(kind);
  return lvc;
}

function lvAreaNames(as: SegmentArea[]): string[] {
  return as.flatMap((a) => (a.kind === 'lv' ? [a.lvName] : []));
}

/** Set every LV's kinds and its users (the segments that use it), as LVM2's import does. */
export function classifyLvs(vgc: VgCtx): void {
  const vg = vgc.vg;
  for (const lvc of vgc.lvs) {
    if (lvc.lv.status.includes('PVMOVE')) lvc.kinds.add('PVMOVE');
    // A cache volume (cachevol) of a cache or writecache carries the CACHE_VOL flag in the metadata.
    if (lvc.lv.flags.includes('CACHE_VOL') || lvc.lv.status.includes('CACHE_VOL')) lvc.kinds.add('CACHE_VOL');
    if (!lvc.visible && lvc.lv.name.includes('_pmspare')) lvc.kinds.add('POOL_METADATA_SPARE');
  }
  for (const lvc of vgc.lvs) {
    for (const seg of lvc.lv.segments) {
      const t = typeOf(seg);
      const user: SegCtx = { lvc, seg, baseType: t };
      const { data, meta } = segAreas(vg, seg);
      const add = (k: LvKind): void => { lvc.kinds.add(k); };
      if (!KNOWN_TYPES.has(t) && !isRaid(t)) add('UNKNOWN_SEGMENTS');
      if (isMirroredType(t)) add('MIRRORED');
      if (t === 'error' || t === 'zero' || t === 'thin' || t === 'vdo') add('VIRTUAL');
      if (isRaid(t)) {
        add('RAID');
        for (const n of lvAreaNames(data)) mark(vgc, n, 'RAID_IMAGE', user);
        for (const n of lvAreaNames(meta)) mark(vgc, n, 'RAID_META', user);
        continue;
      }
      switch (t) {
        case 'mirror':
          add('MIRROR');
          for (const n of lvAreaNames(data)) mark(vgc, n, 'MIRROR_IMAGE', user);
          mark(vgc, segString(seg, 'mirror_log'), 'MIRROR_LOG', user);
          break;
        case 'thin-pool':
          add('THIN_POOL');
          mark(vgc, segString(seg, 'pool'), 'THIN_POOL_DATA', user);
          mark(vgc, segString(seg, 'metadata'), 'THIN_POOL_METADATA', user);
          break;
        case 'thin': {
          add('THIN_VOLUME');
          use(vgc, segString(seg, 'thin_pool'), user);
          use(vgc, segString(seg, 'origin'), user);
          const ext = mark(vgc, segString(seg, 'external_origin'), 'EXTERNAL_ORIGIN', user);
          if (ext) ext.externalCount++;
          break;
        }
        case 'cache-pool':
          add('CACHE_POOL');
          mark(vgc, segString(seg, 'data'), 'CACHE_POOL_DATA', user);
          mark(vgc, segString(seg, 'metadata'), 'CACHE_POOL_METADATA', user);
          break;
        case 'cache': {
          add('CACHE');
          mark(vgc, segString(seg, 'origin'), 'CACHE_ORIGIN', user);
          use(vgc, segString(seg, 'cache_pool'), user);
          break;
        }
        case 'writecache':
          add('WRITECACHE');
          mark(vgc, segString(seg, 'origin'), 'WRITECACHE_ORIGIN', user);
          use(vgc, segString(seg, 'writecache'), user);
          break;
        case 'integrity':
          add('INTEGRITY');
          mark(vgc, segString(seg, 'origin'), 'INTEGRITY_ORIGIN', user);
          mark(vgc, segString(seg, 'meta_dev'), 'INTEGRITY_METADATA', user);
          break;
        case 'vdo':
          add('VDO');
          for (const n of lvAreaNames(data)) mark(vgc, n, 'VDO_POOL', user);
          break;
        case 'vdo-pool':
          add('VDO_POOL');
          mark(vgc, segString(seg, 'data'), 'VDO_POOL_DATA', user);
          break;
        default:
          for (const n of lvAreaNames(data)) use(vgc, n, user);
      }
    }
  }
}

/** lv_is_raid_type: a raid LV or one of its images or metadata LVs. */
export function isRaidType(l: LvCtx): boolean {
  return l.kinds.has('RAID') || l.kinds.has('RAID_IMAGE') || l.kinds.has('RAID_META');
}

/** lv_is_mirror_type: a mirror LV, a mirror leg or a mirror log. */
export function isMirrorType(l: LvCtx): boolean {
  return l.kinds.has('MIRROR') || l.kinds.has('MIRROR_IMAGE') || l.kinds.has('MIRROR_LOG');
}

/** lv_is_cache_type. */
export function isCacheType(l: LvCtx): boolean {
  const k = l.kinds;
  return k.has('CACHE') || k.has('CACHE_POOL') || k.has('CACHE_POOL_DATA') || k.has('CACHE_POOL_METADATA') || k.has('CACHE_VOL');
}

/** lv_is_pool_metadata: thin or cache pool metadata. */
export function isPoolMetadata(l: LvCtx): boolean {
  return l.kinds.has('THIN_POOL_METADATA') || l.kinds.has('CACHE_POOL_METADATA');
}

/** The only segment using an LV (get_only_segment_using_this_lv), or undefined. */
export function onlyUser(l: LvCtx): SegCtx | undefined {
  return l.users.length === 1 ? l.users[0] : undefined;
}
