/**
 * pvs / vgs / lvs (and --segments) over scanned volume groups: pick fields, build rows,
 * sort them as LVM2 does, format values, render as a table or JSON.
 */
import { LvmkitError } from '../../errors.js';
import type { LogicalVolume, Segment, VolumeGroup } from '../../model/types.js';
import type { FieldDef, FieldType, FieldValue } from './fields.js';
import { fieldsOfType, findField } from './fields.js';
import { renderBasic, renderJson } from './render.js';
import type { Cell, Table } from './render.js';
import type { LvCtx, PvCtx, PvSegCtx, Row, SegCtx, VgCtx } from './rows.js';
import { baseSegType, buildVgCtx, orphanPvCtx, pvSegments } from './rows.js';
import type { ReportInput, ReportKind, ReportOptions, ReportResult } from './types.js';
import { formatSize, parseUnits } from './units.js';
import type { UnitSpec } from './units.js';

export type { ReportInput, ReportOptions, ReportResult, ReportVg, ReportPvDevice, ReportOrphanPv, ReportMdaInfo } from './types.js';
export { formatSize, parseUnits } from './units.js';
export { allFields, findField } from './fields.js';

type ReportType = 'pv' | 'vg' | 'lv' | 'seg' | 'pvseg';

const DEFAULT_FIELDS: Record<string, string> = {
  pvs: 'pv_name,vg_name,pv_fmt,pv_attr,pv_size,pv_free',
  'pvs+seg': 'pv_name,vg_name,pv_fmt,pv_attr,pv_size,pv_free,pvseg_start,pvseg_size',
  vgs: 'vg_name,pv_count,lv_count,snap_count,vg_attr,vg_size,vg_free',
  lvs: 'lv_name,vg_name,lv_attr,lv_size,pool_lv,origin,data_percent,metadata_percent,move_pv,mirror_log,copy_percent,convert_lv',
  'lvs+seg': 'lv_name,vg_name,lv_attr,stripes,segtype,seg_size',
};

const DEFAULT_SORT: Record<string, string> = {
  pvs: 'pv_name', 'pvs+seg': 'pv_name,pvseg_start', vgs: 'vg_name', 'vgs+seg': 'vg_name',
  lvs: 'vg_name,lv_name', 'lvs+seg': 'vg_name,lv_name,seg_start',
};

function variant(o: ReportOptions): string {
  return o.segments && o.kind !== 'vgs' ? `${o.kind}+seg` : o.kind;
}

/** Prefix LVM2 lets users drop from field names, by report. */
function fieldPrefix(o: ReportOptions): string {
  if (o.segments) return o.kind === 'pvs' ? 'pvseg_' : o.kind === 'lvs' ? 'seg_' : 'vg_';
  return o.kind === 'pvs' ? 'pv_' : o.kind === 'vgs' ? 'vg_' : 'lv_';
}

function resolveName(name: string, prefix: string): FieldDef[] {
  const all = /^(pv|vg|lv|seg|pvseg)_all$/i.exec(name);
  if (all) return fieldsOfType(all[1]!.toLowerCase() as FieldType);
  const f = findField(name, prefix);
  if (!f) throw new LvmkitError('EREPORT_FIELDS', `Unrecognised field: ${name}`);
  return [f];
}

/** The -o list: "a,b" replaces the defaults, "+a,b" appends, "-a,b" removes; repeated -o apply in order. */
export function selectFields(o: ReportOptions): FieldDef[] {
  const prefix = fieldPrefix(o);
  let fields = DEFAULT_FIELDS[variant(o)]!.split(',').map((n) => findField(n, prefix)!);
  const specs = o.fields === undefined ? [] : Array.isArray(o.fields) ? o.fields : [o.fields];
  for (const spec of specs) fields = applyFieldSpec(fields, spec, prefix);
  return fields;
}

function applyFieldSpec(current: FieldDef[], spec: string, prefix: string): FieldDef[] {
  if (spec === '') return current;
  const mode = spec[0] === '+' ? '+' : spec[0] === '-' ? '-' : '=';
  const names = (mode === '=' ? spec : spec.slice(1)).split(',').filter((n) => n !== '');
  const chosen = names.flatMap((n) => resolveName(n, prefix));
  if (mode === '+') return [...current, ...chosen];
  if (mode === '-') return current.filter((d) => !chosen.includes(d));
  return chosen;
}

/** Which objects the rows are, from the command and the requested fields (LVM2's report type). */
function reportType(o: ReportOptions, fields: FieldDef[]): ReportType {
  const has = (t: FieldType): boolean => fields.some((f) => f.type === t);
  if (o.kind === 'pvs') return o.segments || has('lv') || has('seg') || has('pvseg') ? 'pvseg' : 'pv';
  if (o.kind === 'lvs') {
    const t: ReportType = o.segments || has('seg') ? 'seg' : 'lv';
    if (has('pv')) throw new LvmkitError('EREPORT_FIELDS', `Can't report LV and PV fields at the same time in report type "${t}".`);
    return t;
  }
  if (has('pvseg')) return 'pvseg';
  if (has('pv') && (has('lv') || has('seg'))) {
    throw new LvmkitError('EREPORT_FIELDS', 'Can\'t report LV and PV fields at the same time in report type "vg".');
  }
  if (has('seg')) return 'seg';
  if (has('lv')) return 'lv';
  return has('pv') ? 'pv' : 'vg';
}

// ---------- name filters ----------

interface Filter { vgs?: Set<string>; lvs?: Set<string>; pvs?: Set<string> }

function buildFilter(kind: ReportKind, names: string[] | undefined): Filter {
  if (!names || names.length === 0) return {};
  if (kind === 'pvs') return { pvs: new Set(names) };
  const vgs = new Set<string>();
  const lvs = new Set<string>();
  for (const raw of names) {
    const n = raw.replace(/^\/dev\//, '').replace(/\/+$/, '');
    const slash = n.indexOf('/');
    if (slash < 0) vgs.add(n);
    else lvs.add(n);
  }
  return kind === 'vgs' ? { vgs } : { vgs, lvs };
}

function filterErrors(kind: ReportKind, f: Filter, vgcs: VgCtx[], pvcs: PvCtx[]): string[] {
  const errs: string[] = [];
  const vgNames = new Set(vgcs.map((v) => v.vg.name));
  for (const v of f.vgs ?? []) if (!vgNames.has(v)) errs.push(`Volume group "${v}" not found`);
  for (const full of f.lvs ?? []) {
    const [vgName, lvName] = [full.slice(0, full.indexOf('/')), full.slice(full.indexOf('/') + 1)];
    const vgc = vgcs.find((v) => v.vg.name === vgName);
    if (!vgc) errs.push(`Volume group "${vgName}" not found`);
    else if (!vgc.lvByName.has(lvName)) errs.push(`Failed to find logical volume "${full}"`);
  }
  const pvNames = new Set(pvcs.map((p) => p.name));
  if (kind === 'pvs') for (const p of f.pvs ?? []) if (!pvNames.has(p)) errs.push(`Failed to find physical volume "${p}".`);
  return errs;
}

function vgSelected(f: Filter, vgc: VgCtx): boolean {
  if (!f.vgs && !f.lvs) return true;
  if (f.vgs?.has(vgc.vg.name)) return true;
  for (const l of f.lvs ?? []) if (l.startsWith(vgc.vg.name + '/')) return true;
  return false;
}

function lvSelected(f: Filter, lvc: LvCtx, all: boolean): boolean {
  const full = `${lvc.vgc.vg.name}/${lvc.lv.name}`;
  if (f.lvs?.has(full)) return true;
  if (f.vgs || f.lvs) {
    if (!f.vgs?.has(lvc.vgc.vg.name)) return false;
  }
  return all || lvc.visible;
}

// ---------- rows ----------

const ORPHAN_VG: VolumeGroup = {
  name: '', id: '', seqno: 0, format: 'lvm2', status: [], flags: [], tags: [], extentSize: 0, maxLv: 0, maxPv: 0,
  allocationPolicy: 'normal', pvs: [], lvs: [], extra: [], header: [],
};

function freeSegCtx(vgc: VgCtx, ps: PvSegCtx): SegCtx {
  const lv: LogicalVolume = { name: '', id: '', status: [], flags: [], tags: [], segments: [], extra: [], readAhead: 0 };
  const lvc: LvCtx = { vgc, lv, visible: true, displayName: '', extents: 0, snapshots: [], kinds: new Set(), users: [], externalCount: 0 };
  const seg: Segment = { startExtent: 0, extentCount: ps.size, type: 'free', tags: [], areas: [], body: [], extra: [] };
  return { lvc, seg, baseType: 'free' };
}

function pvRowsBase(o: ReportOptions, f: Filter, vgcs: VgCtx[], orphans: PvCtx[]): PvCtx[] {
  const out: PvCtx[] = [];
  for (const vgc of vgcs) if (o.kind !== 'vgs' || vgSelected(f, vgc)) out.push(...vgc.pvs);
  if (o.kind === 'pvs') out.push(...orphans);
  return f.pvs ? out.filter((p) => f.pvs!.has(p.name)) : out;
}

function buildRows(type: ReportType, o: ReportOptions, f: Filter, vgcs: VgCtx[], orphans: PvCtx[]): Row[] {
  const rows: Row[] = [];
  const orphanVg = (): VgCtx => buildVgCtx({ vg: ORPHAN_VG, devices: new Map() });
  if (type === 'pv' || type === 'pvseg') {
    for (const pvc of pvRowsBase(o, f, vgcs, orphans)) {
      const vgc = pvc.vgc;
      if (type === 'pv') { rows.push(vgc ? { vgc, pvc } : { pvc }); continue; }
      for (const ps of pvSegments(pvc)) {
        const segc = ps.segc ?? freeSegCtx(vgc ?? orphanVg(), ps);
        const row: Row = { pvc, pvseg: ps, segc, lvc: segc.lvc };
        if (vgc) row.vgc = vgc;
        rows.push(row);
      }
    }
    return rows;
  }
  for (const vgc of vgcs) {
    if (!vgSelected(f, vgc)) continue;
    if (type === 'vg') { rows.push({ vgc }); continue; }
    for (const lvc of lvOrder(vgc)) {
      if (lvc.snapshotHolder || !lvSelected(f, lvc, o.all === true)) continue;
      if (type === 'lv') { rows.push({ vgc, lvc }); continue; }
      for (const seg of lvc.lv.segments) rows.push({ vgc, lvc, segc: { lvc, seg, baseType: baseSegType(seg) } });
    }
  }
  return rows;
}

/**
 * The order LVM2 walks a VG's LVs in (what rows with equal sort keys keep): the metadata order, except
 * that every thin pool is moved to the front in turn (so the last thin pool comes first).
 */
function lvOrder(vgc: VgCtx): LvCtx[] {
  const pools = vgc.lvs.filter((l) => l.kinds.has('THIN_POOL')).reverse();
  return pools.length === 0 ? vgc.lvs : [...pools, ...vgc.lvs.filter((l) => !l.kinds.has('THIN_POOL'))];
}

// ---------- sorting ----------

interface SortKey { field: FieldDef; desc: boolean }

function sortKeys(o: ReportOptions): SortKey[] {
  const spec = o.sort ?? DEFAULT_SORT[variant(o)]!;
  const prefix = fieldPrefix(o);
  return spec.split(',').filter((s) => s !== '').map((s) => {
    const desc = s[0] === '-';
    const name = s[0] === '-' || s[0] === '+' ? s.slice(1) : s;
    const field = findField(name, prefix);
    if (!field) throw new LvmkitError('EREPORT_FIELDS', `Unrecognised field: ${name}`);
    return { field, desc };
  });
}

function sortValue(v: FieldValue): number | string {
  if (v === null) return '';
  if (Array.isArray(v)) return v.join(',');
  return v;
}

function compareValues(a: number | string, b: number | string): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortRows(rows: Row[], keys: SortKey[]): Row[] {
  const decorated = rows.map((row, i) => ({ row, i, k: keys.map((k) => sortValue(k.field.sort ? k.field.sort(row) : k.field.get(row))) }));
  decorated.sort((x, y) => {
    for (let j = 0; j < keys.length; j++) {
      const c = compareValues(x.k[j]!, y.k[j]!);
      if (c !== 0) return keys[j]!.desc ? -c : c;
    }
    return x.i - y.i;
  });
  return decorated.map((d) => d.row);
}

// ---------- cells ----------

function formatCell(f: FieldDef, v: FieldValue, units: UnitSpec, nosuffix: boolean, binary?: boolean): Cell {
  // --binary: LVM2 prints its binary fields as the numbers they are (-1 for "unknown").
  if (binary && f.kind === 'bin') return { text: v === null || v === '' ? '0' : v === 'unknown' ? '-1' : '1' };
  if (v === null) return f.kind === 'list' ? { text: '', list: [] } : { text: '' };
  if (Array.isArray(v)) return { text: v.join(','), list: v };
  if (typeof v === 'number' && f.kind === 'size') return { text: formatSize(v, units, nosuffix) };
  return { text: String(v) };
}

// ---------- entry point ----------

/** The JSON list's name follows the command, not the row type: "lvs -o +devices" still says "lv". */
function jsonKey(o: ReportOptions): string {
  if (o.kind === 'pvs') return o.segments ? 'pvseg' : 'pv';
  if (o.kind === 'lvs') return o.segments ? 'seg' : 'lv';
  return 'vg';
}

export function runReport(input: ReportInput, opts: ReportOptions): ReportResult {
  const units = parseUnits(opts.units);
  let fields = selectFields(opts);
  const type = reportType(opts, fields);
  if (opts.kind === 'lvs') fields = fields.filter((f) => f.type !== 'pvseg');
  const keys = sortKeys(opts);
  const vgcs = input.vgs.map(buildVgCtx);
  const orphans = input.orphans.map(orphanPvCtx);
  const filter = buildFilter(opts.kind, opts.nameFilter);
  const stderr = filterErrors(opts.kind, filter, vgcs, [...vgcs.flatMap((v) => v.pvs), ...orphans]);
  const rows = sortRows(buildRows(type, opts, filter, vgcs, orphans), keys);
  const nosuffix = opts.nosuffix === true;
  const table: Table = {
    jsonKey: jsonKey(opts),
    fields,
    rows: rows.map((r) => fields.map((f) => formatCell(f, f.get(r), units, nosuffix, opts.binary))),
  };
  const format = opts.reportFormat ?? 'basic';
  const stdout = format === 'basic'
    ? renderBasic(table, { noheadings: opts.noheadings, separator: opts.separator, aligned: opts.aligned, nameprefixes: opts.nameprefixes, unquoted: opts.unquoted, rows: opts.rows })
    : renderJson(table, format === 'json_std');
  return { stdout, stderr };
}
