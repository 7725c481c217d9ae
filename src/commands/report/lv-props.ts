/**
 * LV report values that depend on how LVs use each other (see sublvs.ts): lv_layout and lv_role
 * (LVM2's lv_layout_and_role), lv_parent, origin, ancestors and descendants, lv_modules, the size
 * LVM2 shows for a reshaping raid, and the raid integrity settings.
 */
import type { Segment } from '../../model/types.js';
import type { LvCtx } from './rows.js';
import {
  isCacheType, isMirrorType, isRaid, isRaid0, isRaid10, isRaidType, onlyUser, parityDevs, segAreas, segString, typeOf,
} from './sublvs.js';

const first = (l: LvCtx): Segment | undefined => l.lv.segments[0];
const firstType = (l: LvCtx): string => { const s = first(l); return s ? typeOf(s) : ''; };
const refOf = (l: LvCtx, key: string): LvCtx | undefined => {
  const s = first(l);
  const n = s ? segString(s, key) : undefined;
  return n === undefined ? undefined : l.vgc.lvByName.get(n);
};

// ---------- layout and role ----------

/** Thin LVs whose origin is `l` (lv_is_thin_origin's count). */
function thinSnapshotCount(l: LvCtx): number {
  return l.users.filter((u) => u.baseType === 'thin' && segString(u.seg, 'origin') === l.lv.name).length;
}

function raidLevelNames(t: string): string[] {
  if (isRaid0(t)) return ['raid0'];
  if (t === 'raid1') return ['raid1'];
  if (isRaid10(t)) return ['raid10'];
  if (t.startsWith('raid4')) return ['raid4'];
  if (t.startsWith('raid5')) {
    // "raid5" is LVM2's name for raid5_ls.
    const alg = t === 'raid5' ? 'raid5_ls' : t;
    return ['raid5', ...(['raid5_la', 'raid5_ra', 'raid5_ls', 'raid5_rs'].includes(alg) ? [alg] : [])];
  }
  if (t.startsWith('raid6')) {
    // "raid6" is LVM2's name for raid6_zr.
    const alg = t === 'raid6' ? 'raid6_zr' : t;
    return ['raid6', ...(['raid6_zr', 'raid6_nr', 'raid6_nc'].includes(alg) ? [alg] : [])];
  }
  return [];
}

/** lv_layout and lv_role as LVM2's lv_layout_and_role builds them (role starts with public or private). */
export function layoutAndRole(l: LvCtx): { layout: string[]; role: string[] } {
  const k = l.kinds;
  const layout: string[] = [];
  const role: string[] = [];
  const addUnique = (list: string[], ...xs: string[]): void => { for (const x of xs) if (!list.includes(x)) list.push(x); };
  let pub = true;

  if (isMirrorType(l) || k.has('PVMOVE')) {
    if (k.has('MIRROR_IMAGE')) { role.push('mirror', 'image'); pub = false; } else if (k.has('MIRROR_LOG')) {
      role.push('mirror', 'log');
      if (k.has('MIRRORED')) layout.push('mirror');
      pub = false;
    } else if (k.has('PVMOVE')) { role.push('pvmove'); layout.push('mirror'); pub = false; } else layout.push('mirror');
  }
  if (isRaidType(l)) {
    if (k.has('RAID_IMAGE')) { role.push('raid', 'image'); pub = false; } else if (k.has('RAID_META')) {
      role.push('raid', 'metadata'); pub = false;
    } else if (k.has('PVMOVE')) { role.push('pvmove'); layout.push('raid'); pub = false; } else {
      layout.push('raid', ...raidLevelNames(firstType(l)));
    }
  }
  if (k.has('THIN_POOL') || k.has('THIN_VOLUME') || k.has('THIN_POOL_DATA') || k.has('THIN_POOL_METADATA') || k.has('EXTERNAL_ORIGIN')) {
    if (k.has('THIN_POOL_METADATA')) { role.push('thin', 'pool', 'metadata'); pub = false; } else if (k.has('THIN_POOL_DATA')) {
      role.push('thin', 'pool', 'data'); pub = false;
    } else {
      if (k.has('THIN_VOLUME')) {
        layout.push('thin', 'sparse');
        const snaps = thinSnapshotCount(l);
        if (snaps > 0) { addUnique(role, 'origin'); role.push('thinorigin'); if (snaps > 1) role.push('multithinorigin'); }
        // A thin LV made from another thin LV or from an external origin is a thin snapshot.
        if (refOf(l, 'origin') || refOf(l, 'external_origin')) { addUnique(role, 'snapshot'); role.push('thinsnapshot'); }
      } else if (k.has('THIN_POOL')) { layout.push('thin', 'pool'); pub = false; }
      if (k.has('EXTERNAL_ORIGIN')) {
        addUnique(role, 'origin'); role.push('extthinorigin');
        if (l.externalCount > 1) role.push('multiextthinorigin');
      }
    }
  }
  if (isCacheType(l) || k.has('CACHE_ORIGIN')) {
    if (k.has('CACHE_POOL_METADATA')) { role.push('cache', 'pool', 'metadata'); pub = false; } else if (k.has('CACHE_POOL_DATA')) {
      role.push('cache', 'pool', 'data');
      if (k.has('CACHE')) layout.push('cache');
      pub = false;
    } else if (k.has('CACHE_ORIGIN')) {
      addUnique(role, 'cache', 'origin'); role.push('cacheorigin');
      if (k.has('CACHE')) layout.push('cache');
      pub = false;
    } else if (k.has('CACHE_VOL')) {
      // A cachevol: of a writecache or of a cache.
      layout.push(l.users.some((u) => u.baseType === 'writecache') ? 'writecache' : 'cache', 'cachevol');
      pub = false;
    } else if (k.has('CACHE')) layout.push('cache');
    else if (k.has('CACHE_POOL')) { layout.push('cache', 'pool'); pub = false; }
  }
  if (k.has('WRITECACHE') || k.has('WRITECACHE_ORIGIN')) {
    if (k.has('WRITECACHE_ORIGIN')) { addUnique(role, 'writecache', 'origin'); role.push('writecacheorigin'); pub = false; } else layout.push('writecache');
  }
  if (k.has('INTEGRITY') || k.has('INTEGRITY_ORIGIN') || k.has('INTEGRITY_METADATA')) {
    if (k.has('INTEGRITY_METADATA')) { role.push('integrity', 'metadata'); pub = false; } else if (k.has('INTEGRITY_ORIGIN')) {
      addUnique(role, 'integrity', 'origin'); role.push('integrityorigin'); pub = false;
    } else layout.push('integrity');
  }
  if (k.has('VDO') || k.has('VDO_POOL') || k.has('VDO_POOL_DATA')) {
    if (k.has('VDO_POOL')) { layout.push('vdo', 'pool'); pub = false; } else if (k.has('VDO_POOL_DATA')) {
      role.push('vdo', 'pool', 'data'); pub = false;
    } else layout.push('vdo', 'sparse');
  }
  if (k.has('POOL_METADATA_SPARE')) { role.push('pool', 'spare'); pub = false; }
  if (l.snapshots.length > 0) {
    addUnique(role, 'origin'); role.push('thickorigin');
    if (k.has('VIRTUAL') && !k.has('THIN_VOLUME')) { layout.push('virtual'); pub = false; }
    if (l.snapshots.length > 1) role.push('multithickorigin');
  } else if (l.cowOf) { addUnique(role, 'snapshot'); role.push('thicksnapshot'); }

  if (layout.length === 0) {
    let linear = false, striped = false;
    for (const s of l.lv.segments) {
      if (typeOf(s) !== 'striped') continue;
      if (s.areas.length === 1) linear = true; else striped = true;
    }
    if (linear) layout.push('linear');
    if (striped) layout.push('striped');
    if (!linear && !striped) layout.push('unknown');
  }
  role.unshift(pub ? 'public' : 'private');
  return { layout, role };
}

// ---------- relations ----------

/** lv_parent: the LV whose only segment uses this mirror/raid/pool sub-LV. */
export function lvParent(l: LvCtx): LvCtx | undefined {
  if (l.visible) return undefined;
  const k = l.kinds;
  const sub = k.has('MIRROR_IMAGE') || k.has('MIRROR_LOG') || k.has('RAID_IMAGE') || k.has('RAID_META') ||
    k.has('CACHE_POOL_DATA') || k.has('CACHE_POOL_METADATA') || k.has('THIN_POOL_DATA') || k.has('THIN_POOL_METADATA');
  return sub ? onlyUser(l)?.lvc : undefined;
}

/** lv_origin_lv: a snapshot's origin, a cache's or integrity/writecache layer's origin, a thin LV's origin. */
export function lvOrigin(l: LvCtx): LvCtx | undefined {
  if (l.cowOf) return l.vgc.lvByName.get(l.cowOf.origin);
  const k = l.kinds;
  if (k.has('CACHE') || k.has('WRITECACHE') || k.has('INTEGRITY')) return refOf(l, 'origin');
  if (k.has('THIN_VOLUME')) return refOf(l, 'origin') ?? refOf(l, 'external_origin');
  return undefined;
}

/** origin_size in extents: a snapshot's origin, a thin LV's external origin, or an origin itself. */
export function originSizeExtents(l: LvCtx): number | undefined {
  if (l.cowOf) return l.vgc.lvByName.get(l.cowOf.origin)?.extents;
  if (l.kinds.has('THIN_VOLUME')) { const ext = refOf(l, 'external_origin'); if (ext) return ext.extents; }
  if (l.snapshots.length > 0) return l.extents;
  return undefined;
}

/** lv_ancestors: origins up the chain (old-style snapshot -> origin, thin snapshot -> origin or external origin). */
export function ancestors(l: LvCtx): string[] {
  const out: string[] = [];
  const seen = new Set<LvCtx>([l]);
  let cur: LvCtx | undefined = l;
  while (cur) {
    let next: LvCtx | undefined;
    if (cur.cowOf) next = cur.vgc.lvByName.get(cur.cowOf.origin);
    else if (cur.kinds.has('THIN_VOLUME')) next = refOf(cur, 'origin') ?? refOf(cur, 'external_origin');
    if (!next || seen.has(next)) break;
    seen.add(next);
    out.push(next.lv.name);
    cur = next;
  }
  return out;
}

/** lv_descendants: snapshots of an origin (depth first), or thin LVs made from this one. */
export function descendants(l: LvCtx): string[] {
  const out: string[] = [];
  const seen = new Set<LvCtx>([l]);
  const visit = (cur: LvCtx): void => {
    if (cur.snapshots.length > 0) {
      for (const s of cur.snapshots) {
        const cow = cur.vgc.lvByName.get(s.cow);
        if (!cow || seen.has(cow)) continue;
        seen.add(cow); out.push(cow.lv.name); visit(cow);
      }
      return;
    }
    for (const u of cur.users) {
      if (!u.lvc.kinds.has('THIN_VOLUME') || seen.has(u.lvc)) continue;
      const s = first(u.lvc);
      if (!s || (segString(s, 'origin') !== cur.lv.name && segString(s, 'external_origin') !== cur.lv.name)) continue;
      seen.add(u.lvc); out.push(u.lvc.lv.name); visit(u.lvc);
    }
  };
  visit(l);
  return out;
}

// ---------- modules ----------

// A Map, not an object: segment types come from the metadata and may be "constructor" or "__proto__".
const MODULES = new Map<string, string[]>([
  ['error', ['error']], ['zero', ['zero']], ['mirror', ['mirror']], ['snapshot', ['snapshot']],
  ['thin-pool', ['thin-pool']], ['thin', ['thin', 'thin-pool']], ['cache', ['cache']], ['cache-pool', ['cache']],
  ['vdo', ['vdo']], ['vdo-pool', ['vdo']], ['writecache', ['writecache']], ['integrity', ['integrity']],
]);

/** lv_modules: kernel targets needed by the LV's segments and, through their areas, by the LVs below (sorted). */
export function lvModules(l: LvCtx): string[] {
  const out = new Set<string>();
  const seen = new Set<Segment>();
  const segModules = (lvc: LvCtx, seg: Segment, depth: number): void => {
    if (seen.has(seg) || depth > 64) return;
    seen.add(seg);
    const t = typeOf(seg);
    if (isRaid(t)) out.add('raid');
    for (const m of MODULES.get(t) ?? []) out.add(m);
    if (lvc.snapshots.length > 0 || lvc.cowOf) out.add('snapshot');
    for (const a of segAreas(lvc.vgc.vg, seg).data) {
      if (a.kind !== 'lv') continue;
      const sub = lvc.vgc.lvByName.get(a.lvName);
      const subSeg = sub?.lv.segments.find((s) => s.startExtent <= a.le && a.le < s.startExtent + s.extentCount);
      if (sub && subSeg) segModules(sub, subSeg, depth + 1);
    }
  };
  for (const seg of l.lv.segments) segModules(l, seg, 0);
  return [...out].sort();
}

// ---------- sizes and raid settings ----------

/** lv_size in extents: a reshaping raid LV does not count its reshape space (LVM2's _lv_size_disp). */
export function lvSizeExtents(l: LvCtx): number {
  const s = first(l);
  if (!s || l.kinds.has('RAID_IMAGE')) return l.extents;
  const areas = segAreas(l.vgc.vg, s).data.length;
  const reshape = s.reshapeCount ?? 0;
  return l.extents - reshape * (areas > 2 ? areas - parityDevs(typeOf(s)) : 1);
}

/** The integrity segment giving a raid LV's (or an integrity image's) integrity settings. */
function integritySeg(l: LvCtx): Segment | undefined {
  const s = first(l);
  if (!s) return undefined;
  if (typeOf(s) === 'integrity') return s;
  if (!l.kinds.has('RAID')) return undefined;
  for (const a of segAreas(l.vgc.vg, s).data) {
    const img = a.kind === 'lv' ? l.vgc.lvByName.get(a.lvName) : undefined;
    const is = img?.lv.segments[0];
    if (is && typeOf(is) === 'integrity') return is;
  }
  return undefined;
}

/** raidintegritymode: "journal" or "bitmap" for a raid LV with integrity and for its integrity images. */
export function raidIntegrityMode(l: LvCtx): string {
  const s = integritySeg(l);
  const mode = s ? segString(s, 'mode') : undefined;
  return mode?.startsWith('J') ? 'journal' : mode?.startsWith('B') ? 'bitmap' : '';
}

/** raidintegrityblocksize in bytes, -1 without integrity. */
export function raidIntegrityBlockSize(l: LvCtx): number {
  const s = integritySeg(l);
  const it = s?.body.find((x) => x.kind === 'setting' && x.key === 'block_size');
  return it?.kind === 'setting' && typeof it.value === 'number' ? it.value : -1;
}

/** writecache_block_size in bytes, -1 for LVs that are not writecache LVs. */
export function writecacheBlockSize(l: LvCtx): number {
  const s = first(l);
  if (!s || typeOf(s) !== 'writecache') return -1;
  const it = s.body.find((x) => x.kind === 'setting' && x.key === 'writecache_block_size');
  return it?.kind === 'setting' && typeof it.value === 'number' ? it.value : -1;
}
