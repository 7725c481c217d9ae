/**
 * The table of LVM2 report fields: id, the object it describes (pv/vg/lv/seg/pvseg), its column
 * heading and minimum width as LVM2 2.03.16 prints them, its value kind, and a getter.
 *
 * Values are computed for an offline view: no device-mapper, so every LV is "not active"
 * (percentages empty, kernel numbers -1, lv_attr chars [4],[5] '-').
 */
import type { LvCtx, PvCtx, PvSegCtx, Row, SegCtx, VgCtx } from './rows.js';
import { baseSegType, segBody } from './rows.js';
import { effectivePolicy, lvAttr, pvAttr, vgAttr } from './attrs.js';
import { formatLvmTime } from '../../model/local-time.js';
import { isRaidType as isRaidLvType, segAreas } from './sublvs.js';
import {
  ancestors, descendants, layoutAndRole, lvModules, lvOrigin, lvParent, lvSizeExtents, originSizeExtents,
  raidIntegrityBlockSize, raidIntegrityMode, writecacheBlockSize,
} from './lv-props.js';
import {
  raidSetting, segCacheMetadataFormat, segCacheMode, segCachePolicy, segChunkSize, segDataCopies, segDataStripes,
  segDevices, segDiscards, segLeRanges, segMetadataDevices, segMetadataLeRanges, segParityChunks, segPeRanges,
  segReshapeLe, segStripeSize, segStripes,
} from './seg-props.js';

/** size: bytes (number) or a word ("auto"); num: integer; str; list: joined with ","; bin: the word or ""; pct: percentage. */
export type FieldKind = 'size' | 'num' | 'str' | 'list' | 'bin' | 'pct' | 'time';
export type FieldType = 'pv' | 'vg' | 'lv' | 'seg' | 'pvseg';
/** null = empty value. */
export type FieldValue = string | number | string[] | null;

export interface FieldDef {
  id: string;
  type: FieldType;
  heading: string;
  kind: FieldKind;
  /** Minimum column width (the heading's length counts too). */
  width: number;
  get(row: Row): FieldValue;
  /** The value LVM2 sorts on when it differs from the shown one (e.g. lv_name without the brackets). */
  sort?(row: Row): FieldValue;
}

/** Numeric kinds: JSON numbers in json_std. */
export function isNumeric(kind: FieldKind): boolean {
  return kind === 'size' || kind === 'num' || kind === 'pct';
}

/** Numbers, sizes and binary fields (numbers in LVM2, shown as words) are right-aligned in the basic table. */
export function isRightAligned(kind: FieldKind): boolean {
  return isNumeric(kind) || kind === 'bin';
}

// ---------- small helpers ----------

const onlyIf = (cond: boolean, word: string): string => (cond ? word : '');
const sectorsToBytes = (s: number | undefined): number => (s ?? 0) * 512;

function pvSizeBytes(p: PvCtx): number {
  if (p.orphan) return p.orphan.size;
  const pv = p.pv!;
  if (pv.peCount === 0) return pv.devSize !== undefined ? pv.devSize * 512 : p.device?.size ?? 0;
  return pv.peCount * p.vgc!.extentBytes;
}

function pvFreeBytes(p: PvCtx): number {
  if (p.orphan) return p.orphan.size;
  return (p.pv!.peCount - p.allocExtents) * p.vgc!.extentBytes;
}

const NO_MDA = { count: 0, used: 0, size: 0, free: 0 };

/** Metadata areas of a PV; a missing PV shows zeros, as LVM2 does. */
function mdaOf(p: PvCtx): { count: number; used: number; size: number; free: number } | undefined {
  if (p.orphan) return p.orphan.mda;
  return p.vgc!.rv.mdas?.get(p.pv!.id) ?? (p.missing ? NO_MDA : undefined);
}

function vgMdaTotals(v: VgCtx): { count: number; used: number; size: number | null; free: number | null } | undefined {
  const mdas = v.rv.mdas;
  if (!mdas) return undefined;
  let count = 0, used = 0, size: number | null = null, free: number | null = null;
  for (const p of v.pvs) {
    const m = mdas.get(p.pv!.id);
    if (!m) continue;
    count += m.count;
    used += m.used;
    // LVM2 takes the minimum over the areas in use (ignored ones left out).
    const mSize = m.inUseSize !== undefined ? m.inUseSize : m.used > 0 ? m.size : null;
    const mFree = m.inUseFree !== undefined ? m.inUseFree : m.used > 0 ? m.free : null;
    if (mSize !== null) size = size === null ? mSize : Math.min(size, mSize);
    if (mFree !== null) free = free === null ? mFree : Math.min(free, mFree);
  }
  return { count, used, size, free };
}

/** LVM2's lv_time: empty for 0 and for times localtime cannot represent, any year otherwise. */
function formatLocalTime(seconds: number): string {
  return formatLvmTime(seconds);
}

function dmName(vg: string, lv: string): string {
  return `${vg.replace(/-/g, '--')}-${lv.replace(/-/g, '--')}`;
}

function firstSegType(l: LvCtx): string {
  const s = l.lv.segments[0];
  return s ? baseSegType(s) : '';
}

/** Name of an LV referred to by a setting of the LV's first segment. */
function refLv(l: LvCtx, key: string): LvCtx | undefined {
  const s = l.lv.segments[0];
  const v = s ? segBody(s, key) : undefined;
  return typeof v === 'string' ? l.vgc.lvByName.get(v) : undefined;
}

function segSetting(s: SegCtx, key: string): FieldValue {
  const v = segBody(s.seg, key);
  return v === undefined ? null : v;
}

function segSizeSetting(s: SegCtx, key: string): number {
  const v = segBody(s.seg, key);
  return typeof v === 'number' ? v * 512 : 0;
}

function thinCount(s: SegCtx): number {
  const name = s.lvc.lv.name;
  return s.lvc.vgc.lvs.filter((l) => firstSegType(l) === 'thin' && refLv(l, 'thin_pool')?.lv.name === name).length;
}

function zeroValue(s: SegCtx): string {
  if (s.baseType === 'thin-pool') return onlyIf(segBody(s.seg, 'zero_new_blocks') === 1, 'zero');
  if (s.baseType === 'thin') {
    const pool = refLv(s.lvc, 'thin_pool')?.lv.segments[0];
    return onlyIf(pool !== undefined && segBody(pool, 'zero_new_blocks') === 1, 'zero');
  }
  return 'unknown';
}

// ---------- the table ----------

type G<T> = (x: T) => FieldValue;
const FIELDS: FieldDef[] = [];

function def(type: FieldType, id: string, heading: string, kind: FieldKind, width: number, get: (r: Row) => FieldValue): void {
  FIELDS.push({ id, type, heading, kind, width, get });
}
function pv(id: string, heading: string, kind: FieldKind, width: number, get: G<PvCtx>): void {
  def('pv', id, heading, kind, width, (r) => (r.pvc ? get(r.pvc) : null));
}
/** VG fields; `orphan` is the value shown for PVs that are in no VG. */
function vg(id: string, heading: string, kind: FieldKind, width: number, get: G<VgCtx>, orphan: FieldValue = null): void {
  def('vg', id, heading, kind, width, (r) => (r.vgc ? get(r.vgc) : orphan));
}
function lv(id: string, heading: string, kind: FieldKind, width: number, get: G<LvCtx>): void {
  def('lv', id, heading, kind, width, (r) => (r.lvc ? get(r.lvc) : null));
}
/**
 * An LV field showing another LV's name as lv_name does ([hidden]) and its UUID field; LVM2 sorts
 * such names without the brackets.
 */
function lvRef(id: string, heading: string, pick: (l: LvCtx) => LvCtx | undefined, uuidId?: string, uuidHeading?: string): void {
  const name = (r: Row): LvCtx | undefined => (r.lvc ? pick(r.lvc) : undefined);
  FIELDS.push({
    id, type: 'lv', heading, kind: 'str', width: 0,
    get: (r) => (r.lvc ? name(r)?.displayName ?? '' : null),
    sort: (r) => (r.lvc ? name(r)?.lv.name ?? '' : null),
  });
  if (uuidId) lv(uuidId, uuidHeading!, 'str', 38, (l) => pick(l)?.lv.id ?? '');
}
function seg(id: string, heading: string, kind: FieldKind, width: number, get: G<SegCtx>): void {
  def('seg', id, heading, kind, width, (r) => (r.segc ? get(r.segc) : null));
}
function pvseg(id: string, heading: string, get: G<PvSegCtx>): void {
  def('pvseg', id, heading, 'num', 0, (r) => (r.pvseg ? get(r.pvseg) : null));
}

// LV fields
lv('lv_uuid', 'LV UUID', 'str', 38, (l) => l.lv.id);
FIELDS.push({ id: 'lv_name', type: 'lv', heading: 'LV', kind: 'str', width: 4, get: (r) => (r.lvc ? r.lvc.displayName : null), sort: (r) => (r.lvc ? r.lvc.lv.name : null) });
lv('lv_full_name', 'LV', 'str', 4, (l) => `${l.vgc.vg.name}/${l.lv.name}`);
lv('lv_path', 'Path', 'str', 0, (l) => (l.visible && !l.kinds.has('THIN_POOL') ? `/dev/${l.vgc.vg.name}/${l.lv.name}` : ''));
lv('lv_dm_path', 'DMPath', 'str', 0, (l) => `/dev/mapper/${dmName(l.vgc.vg.name, l.lv.name)}`);
lvRef('lv_parent', 'Parent', lvParent);
lv('lv_layout', 'Layout', 'list', 10, (l) => layoutAndRole(l).layout);
lv('lv_role', 'Role', 'list', 10, (l) => layoutAndRole(l).role);
lv('lv_initial_image_sync', 'InitImgSync', 'bin', 10, (l) =>
  onlyIf((l.kinds.has('RAID') || l.kinds.has('MIRRORED')) && !l.lv.status.includes('NOTSYNCED'), 'initial image sync'));
lv('lv_image_synced', 'ImgSynced', 'bin', 10, () => '');
lv('lv_merging', 'Merging', 'bin', 10, (l) => onlyIf(!!l.cowOf?.merging || l.snapshots.some((s) => s.merging), 'merging'));
lv('lv_converting', 'Converting', 'bin', 0, (l) => onlyIf(l.lv.status.includes('CONVERTING'), 'converting'));
// The free space of a PV (pvs --segments) is an LV without name or policy: LVM2 shows "unknown".
lv('lv_allocation_policy', 'AllocPol', 'str', 10, (l) => (l.lv.name === '' ? 'unknown' : effectivePolicy(l.lv.allocationPolicy, 'inherit')));
lv('lv_allocation_locked', 'AllocLock', 'bin', 10, (l) => onlyIf(l.lv.status.includes('LOCKED'), 'allocation locked'));
lv('lv_fixed_minor', 'FixMin', 'bin', 10, (l) => onlyIf(l.lv.status.includes('FIXED_MINOR'), 'fixed minor'));
lv('lv_skip_activation', 'SkipAct', 'bin', 15, (l) => onlyIf(l.lv.flags.includes('ACTIVATION_SKIP'), 'skip activation'));
// The LV's own flag only: LVM2 2.03 shows "enabled" even when the VG's autoactivation is off (vg_autoactivation).
lv('lv_autoactivation', 'AutoAct', 'bin', 0, (l) => onlyIf(!l.lv.flags.includes('NOAUTOACTIVATE'), 'enabled'));
lv('lv_when_full', 'WhenFull', 'str', 15, (l) =>
  firstSegType(l) === 'thin-pool' ? (l.lv.flags.includes('ERROR_WHEN_FULL') ? 'error' : 'queue') : '');
lv('lv_active', 'Active', 'str', 0, () => '');
lv('lv_active_locally', 'ActLocal', 'bin', 10, () => '');
lv('lv_active_remotely', 'ActRemote', 'bin', 10, () => '');
lv('lv_active_exclusively', 'ActExcl', 'bin', 10, () => '');
lv('lv_major', 'Maj', 'num', 0, (l) => l.lv.major ?? -1);
lv('lv_minor', 'Min', 'num', 0, (l) => l.lv.minor ?? -1);
lv('lv_read_ahead', 'Rahead', 'size', 0, (l) => (l.lv.readAhead === undefined ? 'auto' : l.lv.readAhead < 0 ? 0 : l.lv.readAhead * 512));
lv('lv_size', 'LSize', 'size', 0, (l) => lvSizeExtents(l) * l.vgc.extentBytes);
lv('lv_metadata_size', 'MSize', 'size', 0, (l) => {
  // A cache on a cachevol keeps its metadata inside the cachevol: metadata_len sectors.
  const pool = firstSegType(l) === 'cache' ? refLv(l, 'cache_pool') : undefined;
  const len = pool?.kinds.has('CACHE_VOL') ? segBody(l.lv.segments[0]!, 'metadata_len') : undefined;
  if (typeof len === 'number') return len * 512;
  const m = ['thin-pool', 'cache-pool'].includes(firstSegType(l)) ? refLv(l, 'metadata') : undefined;
  return m ? m.extents * l.vgc.extentBytes : null;
});
lv('seg_count', '#Seg', 'num', 0, (l) => l.lv.segments.length);
lvRef('origin', 'Origin', lvOrigin, 'origin_uuid', 'Origin UUID');
FIELDS.push({
  id: 'origin_size', type: 'lv', heading: 'OSize', kind: 'size', width: 0,
  get: (r) => { const e = r.lvc ? originSizeExtents(r.lvc) : undefined; return e === undefined ? null : e * r.lvc!.vgc.extentBytes; },
  // LVM2 sorts an empty origin size as 0.
  sort: (r) => { const e = r.lvc ? originSizeExtents(r.lvc) : undefined; return e === undefined ? 0 : e * r.lvc!.vgc.extentBytes; },
});
lv('lv_ancestors', 'Ancestors', 'list', 0, ancestors);
lv('lv_full_ancestors', 'FAncestors', 'list', 0, ancestors);
lv('lv_descendants', 'Descendants', 'list', 0, descendants);
lv('lv_full_descendants', 'FDescendants', 'list', 0, descendants);
lv('raid_mismatch_count', 'Mismatches', 'num', 0, () => null);
lv('raid_sync_action', 'SyncAction', 'str', 0, () => '');
lv('raid_write_behind', 'WBehind', 'num', 0, (l) => raidSetting(l.lv.segments[0], isRaidLvType(l), 'writebehind'));
lv('raid_min_recovery_rate', 'MinSync', 'num', 0, (l) => raidSetting(l.lv.segments[0], isRaidLvType(l), 'min_recovery_rate'));
lv('raid_max_recovery_rate', 'MaxSync', 'num', 0, (l) => raidSetting(l.lv.segments[0], isRaidLvType(l), 'max_recovery_rate'));
// LVM2's order (lv_all): MaxSync, IntegMode, IntegBlkSize, (IntegMismatches,) Move ...
lv('raidintegritymode', 'IntegMode', 'str', 0, raidIntegrityMode);
lv('raidintegrityblocksize', 'IntegBlkSize', 'num', 0, raidIntegrityBlockSize);
lv('move_pv', 'Move', 'str', 0, (l) => movePv(l)?.name ?? '');
lv('move_pv_uuid', 'Move UUID', 'str', 38, (l) => movePv(l)?.pv?.id ?? '');
lv('convert_lv', 'Convert', 'str', 0, () => '');
lv('convert_lv_uuid', 'Convert UUID', 'str', 38, () => '');
lvRef('mirror_log', 'Log', (l) => refLv(l, 'mirror_log'), 'mirror_log_uuid', 'Log UUID');
lvRef('data_lv', 'Data', dataLv, 'data_lv_uuid', 'Data UUID');
lvRef('metadata_lv', 'Meta', metaLv, 'metadata_lv_uuid', 'Meta UUID');
lvRef('pool_lv', 'Pool', poolLv, 'pool_lv_uuid', 'Pool UUID');
lv('lv_tags', 'LV Tags', 'list', 0, (l) => sortedTags(l.lv.tags));
lv('lv_profile', 'LProfile', 'str', 0, (l) => l.lv.profile ?? '');
lv('lv_lockargs', 'LLockArgs', 'str', 0, (l) => l.lv.lockArgs ?? '');
lv('lv_time', 'CTime', 'time', 26, (l) => (l.lv.creationTime !== undefined ? formatLocalTime(l.lv.creationTime) : ''));
lv('lv_time_removed', 'RTime', 'time', 26, () => '');
lv('lv_host', 'Host', 'str', 10, (l) => l.lv.creationHost ?? '');
lv('lv_modules', 'Modules', 'list', 0, lvModules);
// LVM2's order (lv_all): ... Modules, Historical, WCacheBlkSize, KMaj ...
lv('lv_historical', 'Historical', 'bin', 0, () => '');
lv('writecache_block_size', 'WCacheBlkSize', 'num', 0, writecacheBlockSize);
lv('lv_kernel_major', 'KMaj', 'num', 0, () => -1);
lv('lv_kernel_minor', 'KMin', 'num', 0, () => -1);
lv('lv_kernel_read_ahead', 'KRahead', 'size', 0, () => '-1');
// Offline an LV is not active: LVM2 says "unknown" for a writeable one (no kernel info), "read-only" for -p r.
lv('lv_permissions', 'LPerms', 'str', 10, (l) => {
  const st = l.lv.status;
  if (st.includes('PVMOVE') || l.lv.name === '') return '';
  if (st.includes('WRITE') || l.lv.flags.includes('WRITE_LOCKED')) return 'unknown';
  return st.includes('READ') ? 'read-only' : 'unknown';
});
lv('data_percent', 'Data%', 'pct', 6, () => null);
lv('snap_percent', 'Snap%', 'pct', 6, () => null);
lv('metadata_percent', 'Meta%', 'pct', 6, () => null);
lv('copy_percent', 'Cpy%Sync', 'pct', 0, () => null);
lv('sync_percent', 'Cpy%Sync', 'pct', 0, () => null);
lv('lv_health_status', 'Health', 'str', 15, (l) =>
  (l.partial ? 'partial' : isRaidLvType(l) && !l.kinds.has('RAID') && l.lv.status.includes('WRITEMOSTLY') ? 'writemostly' : ''));
lv('lv_attr', 'Attr', 'str', 0, lvAttr);

function movePv(l: LvCtx): PvCtx | undefined {
  if (!l.lv.status.includes('PVMOVE')) return undefined;
  const s = l.lv.segments[0];
  const a = s ? segAreas(l.vgc.vg, s).data[0] : undefined;
  return a?.kind === 'pv' ? l.vgc.pvById.get(a.pv.id) : undefined;
}
function dataLv(l: LvCtx): LvCtx | undefined {
  const t = firstSegType(l);
  if (t === 'thin-pool') return refLv(l, 'pool');
  if (t === 'cache-pool' || t === 'vdo-pool') return refLv(l, 'data');
  return undefined;
}
function metaLv(l: LvCtx): LvCtx | undefined {
  return ['thin-pool', 'cache-pool'].includes(firstSegType(l)) ? refLv(l, 'metadata') : undefined;
}
function poolLv(l: LvCtx): LvCtx | undefined {
  const t = firstSegType(l);
  if (t === 'thin') return refLv(l, 'thin_pool');
  if (t === 'cache') return refLv(l, 'cache_pool');
  if (t === 'vdo') return refLv(l, 'vdo_pool');
  if (t === 'writecache') return refLv(l, 'writecache');
  return undefined;
}

// PV label fields
pv('pv_fmt', 'Fmt', 'str', 0, () => 'lvm2');
pv('pv_uuid', 'PV UUID', 'str', 38, (p) => (p.orphan ? p.orphan.uuid : p.pv!.id));
pv('dev_size', 'DevSize', 'size', 0, (p) => (p.missing && !p.orphan ? 0 : p.device?.size ?? 0));
pv('pv_name', 'PV', 'str', 10, (p) => p.name);
pv('pv_mda_free', 'PMdaFree', 'size', 9, (p) => mdaOf(p)?.free ?? null);
pv('pv_mda_size', 'PMdaSize', 'size', 9, (p) => mdaOf(p)?.size ?? null);
pv('pv_ext_vsn', 'PExtVsn', 'num', 0, (p) => (p.orphan ? p.orphan.extVersion : p.device?.extVersion) ?? (p.missing ? null : 2));
// PV fields
pv('pe_start', '1st PE', 'size', 7, (p) => (p.orphan ? p.orphan.peStart : sectorsToBytes(p.pv!.peStart)));
pv('pv_size', 'PSize', 'size', 0, pvSizeBytes);
pv('pv_free', 'PFree', 'size', 0, pvFreeBytes);
pv('pv_used', 'Used', 'size', 0, (p) => (p.orphan ? 0 : p.allocExtents * p.vgc!.extentBytes));
pv('pv_attr', 'Attr', 'str', 0, pvAttr);
pv('pv_allocatable', 'Allocatable', 'bin', 0, (p) => onlyIf(!!p.pv?.status.includes('ALLOCATABLE'), 'allocatable'));
pv('pv_exported', 'Exported', 'bin', 10, (p) => onlyIf(pvAttr(p)[1] === 'x', 'exported'));
pv('pv_missing', 'Missing', 'bin', 10, (p) => onlyIf(p.missing, 'missing'));
pv('pv_pe_count', 'PE', 'num', 3, (p) => p.pv?.peCount ?? 0);
pv('pv_pe_alloc_count', 'Alloc', 'num', 0, (p) => p.allocExtents);
pv('pv_tags', 'PV Tags', 'list', 0, (p) => sortedTags(p.pv?.tags ?? []));
pv('pv_mda_count', '#PMda', 'num', 0, (p) => (p.orphan ? p.orphan.mdaCount : mdaOf(p)?.count ?? null));
pv('pv_mda_used_count', '#PMdaUse', 'num', 0, (p) => mdaOf(p)?.used ?? null);
// A PV in no VG has its bootloader area only in its label (LVM2 shows it from there).
pv('pv_ba_start', 'BA Start', 'size', 0, (p) => (p.orphan ? p.orphan.baStart ?? 0 : sectorsToBytes(p.pv?.baStart)));
pv('pv_ba_size', 'BA Size', 'size', 0, (p) => (p.orphan ? p.orphan.baSize ?? 0 : sectorsToBytes(p.pv?.baSize)));
pv('pv_in_use', 'PInUse', 'bin', 0, (p) => onlyIf(p.orphan ? p.orphan.extUsed : true, 'used'));
pv('pv_duplicate', 'Duplicate', 'bin', 0, () => '');
pv('pv_device_id', 'DeviceID', 'str', 0, (p) => p.pv?.deviceId ?? '');
pv('pv_device_id_type', 'DeviceIDType', 'str', 0, (p) => p.pv?.deviceIdType ?? '');

// VG fields
vg('vg_fmt', 'Fmt', 'str', 0, (v) => v.vg.format || 'lvm2');
vg('vg_uuid', 'VG UUID', 'str', 38, (v) => v.vg.id, '');
vg('vg_name', 'VG', 'str', 0, (v) => v.vg.name, '');
vg('vg_attr', 'Attr', 'str', 5, vgAttr, 'r-----');
vg('vg_permissions', 'VPerms', 'str', 10, (v) => (vgAttr(v)[0] === 'w' ? 'writeable' : 'read-only'));
vg('vg_extendable', 'Extendable', 'bin', 0, (v) => onlyIf(v.vg.status.includes('RESIZEABLE'), 'extendable'));
vg('vg_exported', 'Exported', 'bin', 10, (v) => onlyIf(v.vg.status.includes('EXPORTED'), 'exported'));
vg('vg_autoactivation', 'AutoAct', 'bin', 0, (v) => onlyIf(!v.vg.flags.includes('NOAUTOACTIVATE'), 'enabled'));
vg('vg_partial', 'Partial', 'bin', 10, (v) => onlyIf(v.missingPvCount > 0, 'partial'));
vg('vg_allocation_policy', 'AllocPol', 'str', 10, (v) => effectivePolicy(v.vg.allocationPolicy, 'normal'));
vg('vg_clustered', 'Clustered', 'bin', 10, (v) => onlyIf(v.vg.status.includes('CLUSTERED'), 'clustered'));
vg('vg_shared', 'Shared', 'bin', 7, (v) => onlyIf(v.vg.lockType === 'sanlock' || v.vg.lockType === 'dlm', 'shared'));
vg('vg_size', 'VSize', 'size', 0, (v) => v.extentCount * v.extentBytes);
vg('vg_free', 'VFree', 'size', 0, (v) => v.freeCount * v.extentBytes);
vg('vg_sysid', 'SYS ID', 'str', 0, (v) => v.vg.systemId ?? '');
vg('vg_systemid', 'System ID', 'str', 0, (v) => v.vg.systemId ?? '');
vg('vg_lock_type', 'LockType', 'str', 0, (v) => v.vg.lockType ?? '');
vg('vg_lock_args', 'VLockArgs', 'str', 0, (v) => v.vg.lockArgs ?? '');
vg('vg_extent_size', 'Ext', 'size', 0, (v) => v.extentBytes, 0);
vg('vg_extent_count', '#Ext', 'num', 0, (v) => v.extentCount);
vg('vg_free_count', 'Free', 'num', 0, (v) => v.freeCount);
vg('max_lv', 'MaxLV', 'num', 0, (v) => v.vg.maxLv);
vg('max_pv', 'MaxPV', 'num', 0, (v) => v.vg.maxPv);
vg('pv_count', '#PV', 'num', 0, (v) => v.pvs.length);
vg('vg_missing_pv_count', '#PV Missing', 'num', 0, (v) => v.missingPvCount);
vg('lv_count', '#LV', 'num', 0, (v) => v.lvCount);
vg('snap_count', '#SN', 'num', 0, (v) => v.snapCount);
vg('vg_seqno', 'Seq', 'num', 0, (v) => v.vg.seqno);
vg('vg_tags', 'VG Tags', 'list', 0, (v) => sortedTags(v.vg.tags));
vg('vg_profile', 'VProfile', 'str', 0, (v) => v.vg.profile ?? '');
vg('vg_mda_count', '#VMda', 'num', 0, (v) => vgMdaTotals(v)?.count ?? null);
vg('vg_mda_used_count', '#VMdaUse', 'num', 0, (v) => vgMdaTotals(v)?.used ?? null);
vg('vg_mda_free', 'VMdaFree', 'size', 9, (v) => vgMdaTotals(v)?.free ?? null);
vg('vg_mda_size', 'VMdaSize', 'size', 9, (v) => vgMdaTotals(v)?.size ?? null);
vg('vg_mda_copies', '#VMdaCps', 'num', 0, (v) => (v.vg.metadataCopies ? v.vg.metadataCopies : 'unmanaged'));

// Segment fields
seg('segtype', 'Type', 'str', 0, (s) => (s.baseType === 'striped' && s.seg.areas.length === 1 ? 'linear' : s.baseType));
seg('stripes', '#Str', 'num', 0, segStripes);
seg('data_stripes', '#DStr', 'num', 0, segDataStripes);
seg('reshape_len', 'RSize', 'size', 0, (s) => { const le = segReshapeLe(s); return le === null ? null : le * s.lvc.vgc.extentBytes; });
seg('reshape_len_le', 'RSize', 'num', 0, segReshapeLe);
seg('data_copies', '#Cpy', 'num', 0, segDataCopies);
// The data offsets of a raid come from the kernel (dm-raid status): unknown offline.
seg('data_offset', 'DOff', 'num', 0, () => null);
seg('new_data_offset', 'NOff', 'num', 0, () => null);
seg('parity_chunks', '#Par', 'num', 0, segParityChunks);
seg('stripe_size', 'Stripe', 'size', 0, segStripeSize);
seg('region_size', 'Region', 'size', 0, (s) => segSizeSetting(s, 'region_size'));
seg('chunk_size', 'Chunk', 'size', 0, segChunkSize);
seg('thin_count', '#Thins', 'num', 0, (s) => (s.baseType === 'thin-pool' ? thinCount(s) : null));
seg('discards', 'Discards', 'str', 0, segDiscards);
seg('cache_metadata_format', 'CMFmt', 'num', 0, segCacheMetadataFormat);
seg('cache_mode', 'CacheMode', 'str', 0, segCacheMode);
seg('zero', 'Zero', 'bin', 0, zeroValue);
seg('transaction_id', 'TransId', 'num', 0, (s) => (s.baseType.startsWith('thin') ? segSetting(s, 'transaction_id') : null));
seg('thin_id', 'ThId', 'num', 0, (s) => (s.baseType === 'thin' ? segSetting(s, 'device_id') : null));
seg('seg_start', 'Start', 'size', 0, (s) => s.seg.startExtent * s.lvc.vgc.extentBytes);
seg('seg_start_pe', 'Start', 'num', 0, (s) => s.seg.startExtent);
seg('seg_size', 'SSize', 'size', 0, (s) => s.seg.extentCount * s.lvc.vgc.extentBytes);
seg('seg_size_pe', 'SSize', 'num', 0, (s) => s.seg.extentCount);
seg('seg_tags', 'Seg Tags', 'list', 0, (s) => sortedTags(s.seg.tags));
seg('seg_pe_ranges', 'PE Ranges', 'str', 0, segPeRanges);
seg('seg_le_ranges', 'LE Ranges', 'list', 0, segLeRanges);
seg('seg_metadata_le_ranges', 'Metadata LE Ranges', 'list', 0, segMetadataLeRanges);
seg('devices', 'Devices', 'list', 0, segDevices);
seg('metadata_devices', 'Metadata Devs', 'list', 0, segMetadataDevices);
// dmeventd monitoring: a raid0 is never monitored; the others' state needs the running LV (blank offline).
seg('seg_monitor', 'Monitor', 'str', 0, (s) => (s.baseType === 'raid0' || s.baseType === 'raid0_meta' ? 'not monitored' : ''));
seg('cache_policy', 'CachePolicy', 'str', 0, segCachePolicy);
seg('cache_settings', 'CacheSettings', 'list', 0, () => []);

// PV segment fields
pvseg('pvseg_start', 'Start', (p) => p.start);
pvseg('pvseg_size', 'SSize', (p) => p.size);

// ---------- lookup ----------

const BY_ID = new Map<string, FieldDef>(FIELDS.map((f) => [f.id.toLowerCase(), f]));

export function allFields(): readonly FieldDef[] { return FIELDS; }

/** Find a field by id, case-insensitively, also with the report's prefix dropped ("size" -> "lv_size" in lvs). */
export function findField(name: string, prefix: string): FieldDef | undefined {
  const n = name.toLowerCase();
  return BY_ID.get(n) ?? BY_ID.get(prefix + n);
}

/** Fields of one object type, for "lv_all", "pv_all", ... */
export function fieldsOfType(type: FieldType): FieldDef[] {
  return FIELDS.filter((f) => f.type === type);
}

/** LVM2 reports tag lists sorted (byte order), whatever their order in the metadata. */
function sortedTags(tags: string[]): string[] {
  return [...tags].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
