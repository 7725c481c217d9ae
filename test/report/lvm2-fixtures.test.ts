/**
 * runReport against real LVM2 2.03.16 outputs (test/fixtures/report, made by make-fixtures.sh):
 * the same VGs, the same options, compared field by field and byte for byte.
 */
process.env.TZ = 'UTC'; // the fixtures were made on a host whose local time is UTC (lv_time is local time)

import { describe, expect, it } from 'vitest';
import { runReport } from '../../src/commands/report/index.js';
import type { ReportOptions } from '../../src/commands/report/types.js';
import { buildInput, devices, fieldLists, fixture, jsonRows, normaliseAttr } from './fixture.js';

const F = fieldLists();
const DEVS = [...devices().keys()];
const MAIN = buildInput(['vg1.txt', 'vg2.txt'], 'pvs-json.out', DEVS.slice(4));
const VGS = ['lkreportvga', 'lkreportvgb'];
const MAIN_PVS = DEVS.slice(0, 4);

function run(opts: ReportOptions, input = MAIN): string {
  return runReport(input, opts).stdout;
}

describe('JSON reports equal LVM2 field by field', () => {
  const cases: [string, ReportOptions][] = [
    ['pvs-json.out', { kind: 'pvs', fields: F.PVF!, units: 'b', nosuffix: true, nameFilter: MAIN_PVS }],
    ['vgs-json.out', { kind: 'vgs', fields: F.VGF!, units: 'b', nosuffix: true, nameFilter: VGS }],
    ['lvs-json.out', { kind: 'lvs', fields: F.LVF!, units: 'b', nosuffix: true, nameFilter: VGS }],
    ['lvsseg-json.out', { kind: 'lvs', segments: true, fields: F.SEGF!, units: 'b', nosuffix: true, nameFilter: VGS }],
    ['pvsseg-json.out', { kind: 'pvs', segments: true, fields: F.PVSEGF!, units: 'b', nosuffix: true, nameFilter: MAIN_PVS }],
    ['pvs-json-r.out', { kind: 'pvs', fields: F.PVF!, nameFilter: MAIN_PVS }],
    ['vgs-json-r.out', { kind: 'vgs', fields: F.VGF!, nameFilter: VGS }],
    ['lvs-json-r.out', { kind: 'lvs', fields: F.LVF!, nameFilter: VGS }],
    ['lvsseg-json-r.out', { kind: 'lvs', segments: true, fields: F.SEGF!, nameFilter: VGS }],
    ['lvs-json-a.out', { kind: 'lvs', all: true, fields: 'lv_name,lv_attr', nameFilter: VGS }],
    ['lvs-json-empty.out', { kind: 'lvs', fields: 'lv_name', nameFilter: ['lkreportvga/nonexistent'] }],
    ['lvs-segfield-json.out', { kind: 'lvs', fields: 'lv_name,seg_size', nameFilter: VGS }],
  ];
  for (const [file, opts] of cases) {
    it(file, () => {
      const got = run({ ...opts, reportFormat: 'json' });
      const want = normaliseAttr(fixture(file));
      const gotRows = (JSON.parse(got) as { report: Record<string, Record<string, string>[]>[] }).report[0]!;
      const wantRows = (JSON.parse(want) as { report: Record<string, Record<string, string>[]>[] }).report[0]!;
      expect(Object.keys(gotRows)).toEqual(Object.keys(wantRows));
      const g = Object.values(gotRows)[0]!;
      const w = Object.values(wantRows)[0]!;
      expect(g.length).toBe(w.length);
      for (let i = 0; i < w.length; i++) {
        for (const key of Object.keys(w[i]!)) {
          expect({ row: i, key, value: g[i]![key] }).toEqual({ row: i, key, value: w[i]![key] });
        }
      }
      expect(got).toBe(want);
    });
  }
});

describe('basic tables equal LVM2 byte for byte', () => {
  const cases: [string, ReportOptions][] = [
    ['pvs-default.out', { kind: 'pvs', nameFilter: MAIN_PVS }],
    ['vgs-default.out', { kind: 'vgs', nameFilter: VGS }],
    ['lvs-default.out', { kind: 'lvs', nameFilter: VGS }],
    ['lvs-a-default.out', { kind: 'lvs', all: true, nameFilter: VGS }],
    ['lvsseg-default.out', { kind: 'lvs', segments: true, nameFilter: VGS }],
    ['pvsseg-default.out', { kind: 'pvs', segments: true, nameFilter: MAIN_PVS }],
    ['pvs-heads.out', { kind: 'pvs', fields: F.PVF!, nameFilter: MAIN_PVS }],
    ['vgs-heads.out', { kind: 'vgs', fields: F.VGF!, nameFilter: VGS }],
    ['lvs-heads.out', { kind: 'lvs', fields: F.LVF!, nameFilter: VGS }],
    ['lvsseg-heads.out', { kind: 'lvs', segments: true, fields: F.SEGF!, nameFilter: VGS }],
    ['pvsseg-heads.out', { kind: 'pvs', segments: true, fields: F.PVSEGF!, nameFilter: MAIN_PVS }],
    ['lvs-units-h.out', { kind: 'lvs', units: 'h', fields: 'lv_name,lv_size,seg_size,lv_read_ahead', nameFilter: VGS }],
    ['lvs-units-H.out', { kind: 'lvs', units: 'H', fields: 'lv_name,lv_size,lv_read_ahead', nameFilter: VGS }],
    ['vgs-units-k.out', { kind: 'vgs', units: 'k', fields: 'vg_name,vg_size,vg_free,vg_extent_size', nameFilter: VGS }],
    ['vgs-units-Mns.out', { kind: 'vgs', units: 'M', nosuffix: true, fields: 'vg_name,vg_size,vg_free', nameFilter: VGS }],
    ['vgs-units-s.out', { kind: 'vgs', units: 's', fields: 'vg_name,vg_size,vg_free', nameFilter: VGS }],
    ['lvs-sep.out', { kind: 'lvs', noheadings: true, separator: ':', fields: 'lv_name,vg_name,lv_size,lv_tags', nameFilter: VGS }],
    ['lvs-sep-aligned.out', { kind: 'lvs', separator: '|', aligned: true, fields: 'lv_name,lv_size,lv_tags', nameFilter: VGS }],
    ['lvs-plus.out', { kind: 'lvs', fields: '+devices,lv_tags', nameFilter: VGS }],
    ['lvs-sort.out', { kind: 'lvs', sort: '-lv_size,lv_name', fields: 'lv_name,lv_size', nameFilter: VGS }],
    ['lvs-alias.out', { kind: 'lvs', fields: 'name,size,attr,uuid,full_name,path', nameFilter: VGS }],
    ['pvs-alias.out', { kind: 'pvs', fields: 'name,size,free,attr,uuid', nameFilter: MAIN_PVS }],
    ['vgs-alias.out', { kind: 'vgs', fields: 'name,size,free,attr,extent_size', nameFilter: VGS }],
    ['pvs-lvfield.out', { kind: 'pvs', fields: 'pv_name,lv_name,seg_size_pe,pvseg_start', nameFilter: MAIN_PVS }],
    ['lvs-segfield.out', { kind: 'lvs', fields: 'lv_name,seg_size,seg_start_pe', nameFilter: VGS }],
  ];
  for (const [file, opts] of cases) {
    it(file, () => {
      expect(run(opts)).toBe(normaliseAttr(fixture(file)));
    });
  }
});

describe('a VG with a missing PV (left out of --devices)', () => {
  const missing = fixture('missing.txt').trim();
  const input = buildInput(['vg3.txt'], 'missing-pvs-json.out', [missing]);
  const cases: [string, ReportOptions][] = [
    ['missing-pvs-json.out', { kind: 'pvs', fields: F.PVF!, units: 'b', nosuffix: true, reportFormat: 'json' }],
    ['missing-vgs-json.out', { kind: 'vgs', fields: F.VGF!, units: 'b', nosuffix: true, reportFormat: 'json' }],
    ['missing-lvs-json.out', { kind: 'lvs', fields: F.LVF! + ',lv_health_status', units: 'b', nosuffix: true, reportFormat: 'json' }],
    ['missing-lvsseg-json.out', { kind: 'lvs', segments: true, fields: F.SEGF!, units: 'b', nosuffix: true, reportFormat: 'json' }],
    ['missing-pvs-default.out', { kind: 'pvs' }],
    ['missing-lvs-default.out', { kind: 'lvs' }],
  ];
  for (const [file, opts] of cases) {
    it(file, () => {
      expect(runReport(input, opts).stdout).toBe(normaliseAttr(fixture(file)));
    });
  }
});
