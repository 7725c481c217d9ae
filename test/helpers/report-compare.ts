/**
 * Comparing lvmkit's reports with real LVM2's, field by field: lvmkit reads the image files; LVM2 reads
 * the loop devices over them (LoopLab). Device names are mapped (loop -> image path); lv_attr chars 5-6
 * are "XX" on this host's LVM2 (no device-mapper) and "--" in lvmkit (offline = inactive), so they are
 * normalised. Rows are compared as sorted sets.
 */
import { expect } from 'vitest';
import type { LabDevice, LoopLab } from './lvm2.js';
import { reportCommand } from '../../src/commands/reporting.js';

export const PV_FIELDS = 'pv_name,vg_name,pv_fmt,pv_attr,pv_size,pv_free,pv_used,pv_uuid,pe_start,pv_pe_count,pv_pe_alloc_count,dev_size,pv_tags,pv_mda_count,pv_mda_used_count,pv_mda_size,pv_mda_free,pv_missing,pv_in_use,pv_allocatable,pv_exported';
export const VG_FIELDS = 'vg_name,vg_uuid,vg_attr,vg_size,vg_free,vg_extent_size,vg_extent_count,vg_free_count,pv_count,lv_count,snap_count,vg_seqno,vg_tags,vg_fmt,vg_permissions,vg_allocation_policy,vg_missing_pv_count,vg_partial,vg_mda_count,vg_mda_used_count,vg_mda_copies,vg_mda_size,vg_mda_free,max_lv,max_pv';
export const LV_FIELDS = 'lv_name,vg_name,lv_uuid,lv_attr,lv_size,seg_count,lv_tags,lv_full_name,lv_path,lv_dm_path,lv_layout,lv_role,lv_allocation_policy,lv_read_ahead,lv_time,lv_host';
export const SEG_FIELDS = 'lv_name,vg_name,segtype,seg_start,seg_start_pe,seg_size,seg_size_pe,stripes,stripe_size,devices,seg_pe_ranges,seg_le_ranges,seg_tags';

export type Row = Record<string, string>;

export function normaliseAttr(row: Row): Row {
  if (row.lv_attr && row.lv_attr.length === 10) row.lv_attr = row.lv_attr.slice(0, 4) + '--' + row.lv_attr.slice(6);
  return row;
}

export function sortRows(rows: Row[]): Row[] {
  return rows.map(normaliseAttr).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
}

export async function lvmkitRows(kind: 'pvs' | 'vgs' | 'lvs', images: string[],
  args: { options: string; segments?: boolean; names?: string[]; all?: boolean }): Promise<Row[]> {
  const out = await reportCommand(kind, { devices: images, reportformat: 'json', units: 'b', nosuffix: true, ...args });
  const json = JSON.parse(out.stdout) as { report: Array<Record<string, Row[]>> };
  return Object.values(json.report[0])[0];
}

export interface CompareCase { kind: 'pvs' | 'vgs' | 'lvs'; fields: string; segments?: boolean; all?: boolean }

export const STANDARD_CASES: CompareCase[] = [
  { kind: 'pvs', fields: PV_FIELDS }, { kind: 'vgs', fields: VG_FIELDS },
  { kind: 'lvs', fields: LV_FIELDS }, { kind: 'lvs', fields: SEG_FIELDS, segments: true },
];

/** Compare lvmkit's reports of `devs` with LVM2's (the 4 standard reports unless `cases` says otherwise). */
export async function compareReports(lab: LoopLab, devs: LabDevice[], vg?: string, cases: CompareCase[] = STANDARD_CASES): Promise<void> {
  const images = devs.map((d) => d.image);
  const devices = devs.map((d) => d.dev);
  const names = vg ? [vg] : [];
  for (const c of cases) {
    const args = ['-o', c.fields, ...(c.segments ? ['--segments'] : []), ...(c.all ? ['-a'] : []), ...(c.kind === 'pvs' ? [] : names)];
    const real = lab.report(c.kind, args, { devices });
    const realMapped = JSON.parse(lab.toImageNames(JSON.stringify(real))) as Row[];
    const ours = await lvmkitRows(c.kind, images, { options: c.fields, segments: c.segments, all: c.all, names: c.kind === 'pvs' ? [] : names });
    expect(sortRows(ours), `${c.kind}${c.segments ? ' --segments' : ''}${c.all ? ' -a' : ''}`).toEqual(sortRows(realMapped));
  }
}
