/**
 * Attribute strings pv_attr (3 chars), vg_attr (6), lv_attr (10), as LVM2 2.03.16 prints them
 * (format reference §10.3). Offline, every LV is reported as not active: chars [4] and [5] are '-'.
 */
import type { LvCtx, PvCtx, VgCtx } from './rows.js';
import { baseSegType, segBody } from './rows.js';
import { isCacheType, isMirrorType, isPoolMetadata, isRaidType, segAreas } from './sublvs.js';

// A Map, not an object: a policy read from metadata may be "constructor" or "__proto__".
const POLICY_CHAR = new Map<string, string>([
  ['contiguous', 'c'], ['cling', 'l'], ['cling_by_tags', 't'], ['normal', 'n'], ['anywhere', 'a'], ['inherit', 'i'],
]);

/** The policy LVM2 uses: `policy` when it is one LVM2 knows, else `fallback` (as LVM2 reads an unknown one). */
export function effectivePolicy(policy: string | undefined, fallback: string): string {
  return policy !== undefined && POLICY_CHAR.has(policy) ? policy : fallback;
}

/** An unrecognised policy counts as the default, as LVM2 reads it ("Ignoring unrecognised allocation policy"). */
export function policyChar(policy: string | undefined, fallback: string): string {
  return POLICY_CHAR.get(policy ?? fallback) ?? POLICY_CHAR.get(fallback) ?? '-';
}

export function pvAttr(pvc: PvCtx): string {
  if (pvc.orphan) return pvc.orphan.extUsed ? 'u--' : '---';
  const pv = pvc.pv!;
  const vg = pvc.vgc!.vg;
  const alloc = pv.status.includes('ALLOCATABLE') ? 'a' : 'u';
  const exported = vg.status.includes('EXPORTED') || pv.status.includes('EXPORTED') ? 'x' : '-';
  return alloc + exported + (pvc.missing ? 'm' : '-');
}

export function vgAttr(vgc: VgCtx): string {
  const vg = vgc.vg;
  const st = vg.status;
  const writeable = st.includes('WRITE') || vg.flags.includes('WRITE_LOCKED');
  return (writeable ? 'w' : 'r') +
    (st.includes('RESIZEABLE') ? 'z' : '-') +
    (st.includes('EXPORTED') ? 'x' : '-') +
    (vgc.missingPvCount > 0 ? 'p' : '-') +
    policyChar(vg.allocationPolicy, 'normal') +
    (st.includes('CLUSTERED') ? 'c' : vg.lockType === 'sanlock' || vg.lockType === 'dlm' ? 's' : '-');
}

/** Segment types of an LV's segments. */
export function lvTypes(lvc: LvCtx): Set<string> {
  const t = new Set<string>();
  const segs = lvc.lv.segments;
  for (const s of segs) t.add(baseSegType(s));
  return t;
}

/** LVM2's lv_is_origin: an old-style snapshot origin; merging when one of its snapshots merges. */
function originChar(lvc: LvCtx): string | undefined {
  if (lvc.snapshots.length > 0) return lvc.snapshots.some((s) => s.merging) ? 'O' : 'o';
  if (lvc.kinds.has('EXTERNAL_ORIGIN')) return 'o';
  return undefined;
}

/** lv_attr char 1, in the order of LVM2's lv_attr_dup (the first match wins). Offline, images are never in sync. */
function volumeTypeChar(lvc: LvCtx): string {
  const st = lvc.lv.status;
  const k = lvc.kinds;
  if (k.has('PVMOVE')) return 'p';
  if (st.includes('CONVERTING')) return 'c';
  const origin = originChar(lvc);
  if (origin) return origin;
  if (isPoolMetadata(lvc) || k.has('POOL_METADATA_SPARE') || k.has('RAID_META') || k.has('INTEGRITY_METADATA')) return 'e';
  if (isCacheType(lvc) || k.has('WRITECACHE')) return 'C';
  if (k.has('INTEGRITY')) return 'g';
  if (k.has('RAID')) return st.includes('NOTSYNCED') ? 'R' : 'r';
  if (k.has('MIRROR')) return st.includes('NOTSYNCED') ? 'M' : 'm';
  if (k.has('THIN_VOLUME')) return 'V';
  if (k.has('VDO_POOL')) return 'd';
  if (k.has('VDO_POOL_DATA')) return 'D';
  if (k.has('VIRTUAL')) return 'v';
  if (k.has('THIN_POOL')) return 't';
  if (k.has('THIN_POOL_DATA')) return 'T';
  if (k.has('MIRROR_IMAGE') || k.has('RAID_IMAGE')) return 'I';
  if (k.has('MIRROR_LOG')) return 'l';
  if (lvc.cowOf) return lvc.cowOf.merging ? 'S' : 's';
  if (k.has('CACHE_ORIGIN') || k.has('WRITECACHE_ORIGIN')) return 'o';
  return '-';
}

/** lv_attr char 7: the kind of target the LV (or the LV it belongs to) maps to. */
function targetTypeChar(lvc: LvCtx): string {
  const k = lvc.kinds;
  if (k.has('THIN_POOL') || k.has('THIN_VOLUME')) return 't';
  if (k.has('CACHE_POOL') || k.has('CACHE_VOL') || k.has('CACHE') || k.has('CACHE_ORIGIN') ||
    k.has('WRITECACHE') || k.has('WRITECACHE_ORIGIN')) return 'C';
  if (isRaidType(lvc)) return 'r';
  if (isMirrorType(lvc) || k.has('PVMOVE')) return 'm';
  if (lvc.cowOf || lvc.snapshots.length > 0) return 's';
  if (k.has('UNKNOWN_SEGMENTS')) return 'u';
  if (k.has('VIRTUAL')) return 'v';
  return '-';
}

function zeroChar(lvc: LvCtx): string {
  const seg = lvc.lv.segments[0];
  if (!seg) return '-';
  const t = baseSegType(seg);
  if (t === 'thin-pool') return segBody(seg, 'zero_new_blocks') === 1 ? 'z' : '-';
  if (t === 'thin') {
    const pool = lvc.vgc.lvByName.get(String(segBody(seg, 'thin_pool') ?? ''));
    const pseg = pool?.lv.segments[0];
    return pseg && segBody(pseg, 'zero_new_blocks') === 1 ? 'z' : '-';
  }
  return '-';
}

/**
 * lv_attr char 9. What LVM2 learns from the kernel (raid refresh/mismatches, pool and cache states) is
 * unknown offline; raid images report write-mostly and images freed by a reshape from the metadata.
 */
function healthChar(lvc: LvCtx): string {
  if (lvc.partial) return 'p';
  if (!isRaidType(lvc)) return '-';
  if (lvc.kinds.has('RAID')) return raidImagesRemovedAfterReshape(lvc) ? 'R' : '-';
  if (lvc.lv.status.includes('WRITEMOSTLY')) return 'w';
  if (lvc.lv.status.includes('REMOVE_AFTER_RESHAPE')) return 'R';
  return '-';
}

/** A raid LV one of whose images (after the first) a reshape freed and must be removed. */
function raidImagesRemovedAfterReshape(lvc: LvCtx): boolean {
  const seg = lvc.lv.segments[0];
  if (!seg) return false;
  const data = segAreas(lvc.vgc.vg, seg).data;
  for (let i = data.length - 1; i > 0; i--) {
    const a = data[i]!;
    if (a.kind === 'lv' && lvc.vgc.lvByName.get(a.lvName)?.lv.status.includes('REMOVE_AFTER_RESHAPE')) return true;
  }
  return false;
}

export function lvAttr(lvc: LvCtx): string {
  const lv = lvc.lv;
  // The free space of a PV (pvs --segments) has an LV without a name: blank, as LVM2 prints it.
  if (lv.name === '') return '';
  const st = lv.status;
  const perm = st.includes('PVMOVE') ? '-' : st.includes('WRITE') || lv.flags.includes('WRITE_LOCKED') ? 'w'
    : st.includes('READ') ? 'r' : '-';
  let policy = policyChar(lv.allocationPolicy, 'inherit');
  if (st.includes('LOCKED') || st.includes('PVMOVE')) policy = policy.toUpperCase();
  return volumeTypeChar(lvc) + perm + policy +
    (st.includes('FIXED_MINOR') ? 'm' : '-') +
    '--' +
    targetTypeChar(lvc) + zeroChar(lvc) + healthChar(lvc) +
    (lv.flags.includes('ACTIVATION_SKIP') ? 'k' : '-');
}
