/**
 * Loads the report fixtures of test/fixtures/report (made by make-fixtures.sh with real LVM2 2.03.16):
 * vgcfgbackup texts, device names/sizes, and LVM2's outputs. Builds the ReportInput a scanner would.
 * Metadata-area figures and orphan labels are taken from LVM2's own pvs JSON (they are scanner inputs).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseConfig } from '../../src/metadata/parse.js';
import { vgFromConfig } from '../../src/model/from-config.js';
import { lookupSegtype } from '../../src/segtypes/registry.js';
import type { ReportInput, ReportMdaInfo, ReportOrphanPv, ReportPvDevice, ReportVg } from '../../src/commands/report/types.js';

export const FIXDIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'report');

export function fixture(name: string): string {
  return readFileSync(join(FIXDIR, name), 'utf8');
}

/** Field lists from fields.sh (PVF, VGF, LVF, SEGF, PVSEGF). */
export function fieldLists(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of fixture('fields.sh').split('\n')) {
    const m = /^([A-Z]+)=(.*)$/.exec(line);
    if (m) out[m[1]!] = m[2]!;
  }
  return out;
}

export function devices(): Map<string, number> {
  const m = new Map<string, number>();
  for (const line of fixture('devices.txt').trim().split('\n')) {
    const [name, size] = line.split(' ');
    m.set(name!, Number(size));
  }
  return m;
}

type JsonRow = Record<string, string>;

/** Rows of an LVM2 JSON report fixture. */
export function jsonRows(name: string): JsonRow[] {
  const doc = JSON.parse(fixture(name)) as { report: Record<string, JsonRow[]>[] };
  const first = doc.report[0]!;
  return Object.values(first)[0]!;
}

function mdaFromRow(r: JsonRow): ReportMdaInfo {
  return { count: Number(r.pv_mda_count), used: Number(r.pv_mda_used_count), size: Number(r.pv_mda_size), free: Number(r.pv_mda_free) };
}

/** Build the ReportInput for the given VG texts; `absent` lists device names to treat as missing. */
export function buildInput(vgFiles: string[], pvJsonFixture: string, absent: string[] = []): ReportInput {
  const devs = devices();
  const pvRows = jsonRows(pvJsonFixture);
  const byUuid = new Map(pvRows.map((r) => [r.pv_uuid!, r]));
  const vgs: ReportVg[] = vgFiles.map((f) => {
    const vg = vgFromConfig(parseConfig(fixture(f), f), { source: f, codecs: lookupSegtype });
    const dmap = new Map<string, ReportPvDevice>();
    const mdas = new Map<string, ReportMdaInfo>();
    for (const pv of vg.pvs) {
      const name = pv.deviceHint ?? '';
      if (!devs.has(name) || absent.includes(name)) continue;
      dmap.set(pv.id, { name, size: devs.get(name)! });
      const row = byUuid.get(pv.id);
      if (row) mdas.set(pv.id, mdaFromRow(row));
    }
    return { vg, devices: dmap, mdas };
  });
  const inVg = new Set(vgs.flatMap((v) => v.vg.pvs.map((p) => p.id)));
  const orphans: ReportOrphanPv[] = pvRows.filter((r) => !inVg.has(r.pv_uuid!)).map((r) => ({
    name: r.pv_name!, size: devs.get(r.pv_name!)!, uuid: r.pv_uuid!, peStart: Number(r.pe_start),
    extUsed: r.pv_in_use === 'used', mdaCount: Number(r.pv_mda_count), mda: mdaFromRow(r),
  }));
  return { vgs, orphans };
}

/** This host has no device-mapper, so LVM2 printed "XX" for lv_attr chars [4],[5]; offline they are "--". */
export function normaliseAttr(text: string): string {
  return text.replace(/([-a-zA-Z]{4})XX([-a-zA-Z]{4})/g, '$1--$2');
}
