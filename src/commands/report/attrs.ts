/**
 * Attribute strings pv_attr (3 chars), vg_attr (6), lv_attr (10), as LVM2 2.03.16 prints them
 * (format reference §10.3). Offline, every LV is reported as not active: chars [4] and [5] are '-'.
 */
import type { LvCtx, PvCtx, VgCtx } from './rows.js';
import { baseSegType, isRaidType, segBody } from './rows.js';

const POLICY_CHAR: Record<string, string> = {
  contiguous: 'c', cling: 'l', cling_by_tags: 't', normal: 'n', anywhere: 'a', inherit: 'i',
};

export function policyChar(policy: string | undefined, fallback: string): string {
  return POLICY_CHAR[policy ?? fallback] ?? '-';
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

/** Kinds of LV used by the attribute and role fields. */
export function lvTypes(lvc: LvCtx): Set<string> {
  const t = new Set<string>();
  const segs = lvc.lv.segments;
  for (const s of segs) t.add(baseSegType(s));
  return t;
}

function nameHas(lvc: LvCtx, part: string): boolean { return lvc.lv.name.includes(part); }

function volumeTypeChar(lvc: LvCtx): string {
  const st = lvc.lv.status;
  const types = lvTypes(lvc);
  const has = (x: string): boolean => types.has(x);
  if (st.includes('PVMOVE')) return 'p';
  if (st.includes('CONVERTING')) return 'c';
  if (lvc.snapshots.length > 0) return lvc.snapshots.some((s) => s.merging) ? 'O' : 'o';
  if (nameHas(lvc, '_tmeta') || nameHas(lvc, '_cmeta') || nameHas(lvc, '_pmspare') || nameHas(lvc, '_rmeta_')) return 'e';
  if (has('cache') || has('cache-pool') || has('writecache')) return 'C';
  if ([...types].some(isRaidType)) return lvc.lv.status.includes('NOTSYNCED') ? 'R' : 'r';
  if (has('mirror')) return lvc.lv.status.includes('NOTSYNCED') ? 'M' : 'm';
  if (has('thin')) return 'V';
  if (has('vdo-pool')) return 'd';
  if (nameHas(lvc, '_vdata')) return 'D';
  if (has('error') || has('zero') || has('vdo')) return 'v';
  if (has('thin-pool')) return 't';
  if (nameHas(lvc, '_tdata')) return 'T';
  if (nameHas(lvc, '_rimage_') || nameHas(lvc, '_mimage_')) return 'I';
  if (nameHas(lvc, '_mlog')) return 'l';
  if (lvc.cowOf) return lvc.cowOf.merging ? 'S' : 's';
  if (nameHas(lvc, '_corig')) return 'o';
  return '-';
}

function targetTypeChar(lvc: LvCtx): string {
  const types = lvTypes(lvc);
  const parentTypes = lvc.parent ? lvTypes(lvc.parent) : new Set<string>();
  const any = (p: (t: string) => boolean): boolean => [...types].some(p) || [...parentTypes].some(p);
  if (types.has('thin') || types.has('thin-pool')) return 't';
  if (types.has('cache') || types.has('cache-pool')) return 'C';
  if (any(isRaidType)) return 'r';
  if (any((t) => t === 'mirror')) return 'm';
  if (lvc.cowOf || lvc.snapshots.length > 0) return 's';
  if (types.has('error') || types.has('zero')) return 'v';
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

function healthChar(lvc: LvCtx): string {
  if (lvc.partial) return 'p';
  if (lvc.lv.status.includes('WRITEMOSTLY')) return 'w';
  return '-';
}

export function lvAttr(lvc: LvCtx): string {
  const lv = lvc.lv;
  const st = lv.status;
  const perm = st.includes('PVMOVE') ? '-' : st.includes('WRITE') || lv.flags.includes('WRITE_LOCKED') ? 'w' : 'r';
  let policy = policyChar(lv.allocationPolicy, 'inherit');
  if (st.includes('LOCKED') || st.includes('PVMOVE')) policy = policy.toUpperCase();
  return volumeTypeChar(lvc) + perm + policy +
    (st.includes('FIXED_MINOR') ? 'm' : '-') +
    '--' +
    targetTypeChar(lvc) + zeroChar(lvc) + healthChar(lvc) +
    (lv.flags.includes('ACTIVATION_SKIP') ? 'k' : '-');
}
