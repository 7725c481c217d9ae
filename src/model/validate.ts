/**
 * Semantic checks of a VG model, each naming the objects involved: segments outside a PV's extents,
 * two segments on the same extents, segment/stripe counts that do not fit, bad names, duplicate ids.
 * (Syntax-level problems - unknown PV references, gaps or overlaps inside an LV, segment_count that
 * disagrees - are refused earlier, by the builder, as LVM2 refuses them when it reads.)
 */
import { lvNameProblem, shownName, shownText, tagProblem, vgNameProblem } from './names.js';
import type { LogicalVolume, PhysicalVolume, Segment, VolumeGroup } from './types.js';
import { baseSegtype } from './segment-codec.js';

export interface ValidationIssue {
  severity: 'error' | 'warning';
  code: 'name' | 'pv-range' | 'pv-overlap' | 'stripes' | 'duplicate' | 'extent-size' | 'tag' | 'policy';
  message: string;
}

/** Extents [start, end) of a PV used by an LV (the LV itself, not its name: one of these per segment area). */
interface Extent { start: number; end: number; owner: LogicalVolume }

/** "LV vg/lv segment at extent N", spelt only for a message (not once per segment of a million). */
function segName(vg: VolumeGroup, lv: LogicalVolume, seg: Segment): string {
  return `LV ${shownName(vg.name)}/${shownName(lv.name)} segment at extent ${seg.startExtent}`;
}

const ALLOC_POLICIES = new Set(['contiguous', 'cling', 'cling_by_tags', 'normal', 'anywhere', 'inherit']);

export function validateVg(vg: VolumeGroup): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const err = (code: ValidationIssue['code'], message: string) => issues.push({ severity: 'error', code, message });
  const warn = (code: ValidationIssue['code'], message: string) => issues.push({ severity: 'warning', code, message });

  const vgp = vgNameProblem(vg.name);
  if (vgp) err('name', `VG ${shownName(vg.name)}: ${vgp}`);
  if (vg.extentSize === 0) err('extent-size', `VG ${shownName(vg.name)}: extent_size is 0`);
  for (const t of vg.tags) { const p = tagProblem(t); if (p) warn('tag', `VG ${shownName(vg.name)}: ${p}`); }
  // LVM2 reads an unknown policy as the default (normal for a VG, inherit for an LV), with these warnings.
  if (!ALLOC_POLICIES.has(vg.allocationPolicy)) warn('policy', `Ignoring unrecognised allocation policy ${shownText(vg.allocationPolicy)} for VG ${shownName(vg.name)}`);

  const pvIds = new Set<string>();
  for (const pv of vg.pvs) {
    if (pvIds.has(pv.id)) err('duplicate', `VG ${shownName(vg.name)}: PV uuid ${pv.id} is listed twice`);
    pvIds.add(pv.id);
  }
  const lvNames = new Set<string>();
  const used = new Map<PhysicalVolume, Extent[]>();
  for (const lv of vg.lvs) {
    // LVM2's own internal LVs: hidden sub-LVs, an old-style snapshot's "snapshotN" (VISIBLE in its status,
    // holding the snapshot segment) and "pvmoveN" (PVMOVE status) may use the reserved names.
    const hidden = !lv.status.includes('VISIBLE') || lv.status.includes('PVMOVE')
      || lv.segments.some((seg) => baseSegtype(seg.type) === 'snapshot');
    if (lvNames.has(lv.name)) err('duplicate', `VG ${shownName(vg.name)}: LV name ${shownName(lv.name)} is used twice`);
    lvNames.add(lv.name);
    const np = lvNameProblem(lv.name, vg.name, { internal: hidden });
    if (np) err('name', `LV ${shownName(vg.name)}/${shownName(lv.name)}: ${np}`);
    if (lv.allocationPolicy !== undefined && !ALLOC_POLICIES.has(lv.allocationPolicy)) {
      warn('policy', `Ignoring unrecognised allocation policy ${shownText(lv.allocationPolicy)} for LV ${shownName(vg.name)}/${shownName(lv.name)}.`);
    }
    for (const seg of lv.segments) {
      const n = seg.areas.length;
      if (n === 0) continue;
      if (seg.type === 'striped' && seg.extentCount % n !== 0) {
        err('stripes', `${segName(vg, lv, seg)}: extent_count ${seg.extentCount} is not a multiple of stripe_count ${n}`);
        continue;
      }
      const len = seg.type === 'striped' ? seg.extentCount / n : seg.extentCount;
      for (const a of seg.areas) {
        if (a.kind !== 'pv') continue;
        if (a.pe + len > a.pv.peCount) {
          err('pv-range', `${segName(vg, lv, seg)}: extents ${a.pe}-${a.pe + len - 1} on ${a.pv.key} (${a.pv.id}) lie outside its ${a.pv.peCount} extents`);
        }
        let list = used.get(a.pv);
        if (!list) used.set(a.pv, (list = []));
        list.push({ start: a.pe, end: a.pe + len, owner: lv });
      }
    }
  }
  for (const [pv, list] of used) {
    list.sort((a, b) => a.start - b.start || a.end - b.end);
    let reach = list[0];
    for (let i = 1; i < list.length; i++) {
      const b = list[i];
      if (b.start < reach.end) {
        err('pv-overlap', `VG ${shownName(vg.name)}: LV ${shownName(reach.owner.name)} and LV ${shownName(b.owner.name)} both use extents ${b.start}-${Math.min(reach.end, b.end) - 1} of ${pv.key} (${pv.id})`);
      }
      if (b.end > reach.end) reach = b;
    }
  }
  return issues;
}
