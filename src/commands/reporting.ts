/**
 * pvs / vgs / lvs as library calls: scan the images, turn what was found into report input,
 * and render it as LVM2 does.
 */
import { PV_EXT_USED } from '../format/layout.js';
import { mdaFreeBytes } from '../format/mda-space.js';
import type { MdaRead } from '../format/mda.js';
import type { CommandOutput } from './output.js';
import { runReport, type ReportInput, type ReportMdaInfo, type ReportOptions } from './report/index.js';
import { multipleVgsMessage, scanDevices, type ScanOptions, type ScanResult, type ScannedPv } from './scan.js';

export interface ReportCommandOptions {
  devices: string[];
  /** Names to show for the images instead of their paths. */
  deviceNames?: string[];
  names?: string[];
  options?: string[] | string;
  sort?: string;
  reportformat?: string;
  units?: string;
  nosuffix?: boolean;
  noheadings?: boolean;
  separator?: string;
  aligned?: boolean;
  binary?: boolean;
  nameprefixes?: boolean;
  unquoted?: boolean;
  rows?: boolean;
  all?: boolean;
  segments?: boolean;
  /** Wrap each opened image before it is read (fault injection: devices/faulty-device.ts). */
  wrapDevice?: ScanOptions['wrapDevice'];
}

export async function reportCommand(kind: 'pvs' | 'vgs' | 'lvs', o: ReportCommandOptions): Promise<CommandOutput> {
  const scan = await scanDevices(o.devices, { deviceNames: o.deviceNames, wrapDevice: o.wrapDevice });
  try {
    const fields = Array.isArray(o.options) ? o.options.join(',') : o.options;
    const opts: ReportOptions = {
      kind,
      segments: o.segments,
      fields,
      sort: o.sort,
      all: o.all,
      reportFormat: (o.reportformat ?? 'basic') as ReportOptions['reportFormat'],
      units: o.units,
      nosuffix: o.nosuffix,
      noheadings: o.noheadings,
      separator: o.separator,
      aligned: o.aligned,
      binary: o.binary,
      nameprefixes: o.nameprefixes,
      unquoted: o.unquoted,
      rows: o.rows,
      nameFilter: undefined,
    };
    const errors: string[] = [];
    let input = toReportInput(scan);
    let names = o.names?.length ? o.names : undefined;
    if (kind !== 'pvs') names = skipSharedNames(input, names, errors);
    if (kind === 'lvs') ({ input, names } = leaveOutExported(input, names, errors));
    // Every name given was refused (exported VG, name of several VGs): an empty report, as LVM2 prints.
    const res = names?.length === 0 ? runReport({ vgs: [], orphans: [] }, opts) : runReport(input, { ...opts, nameFilter: names });
    for (const e of res.stderr) {
      errors.push(e);
      const vg = /^Volume group "(.*)" not found$/.exec(e);
      if (vg) errors.push(`Cannot process volume group ${vg[1]}`);
    }
    const warnings = [...scan.warnings];
    let exitCode = errors.length ? 5 : 0;
    for (const e of scan.errors) { warnings.push(e.message); exitCode = 5; }
    return { stdout: res.stdout, warnings, errors, exitCode };
  } finally {
    await scan.close();
  }
}

/** The VG part of a name given to vgs/lvs (VG, VG/LV, /dev/VG/LV). */
function vgPart(raw: string): string {
  const n = raw.replace(/^\/dev\//, '').replace(/\/+$/, '');
  return n.includes('/') ? n.slice(0, n.indexOf('/')) : n;
}

/**
 * A name shared by several VGs (different UUIDs) cannot say which is meant: LVM2 skips it with the error
 * "Multiple VGs found with the same name: skipping NAME" (exit code 5); unnamed, both are reported.
 */
function skipSharedNames(input: ReportInput, names: string[] | undefined, notes: string[]): string[] | undefined {
  if (!names) return names;
  const seen = new Set<string>();
  const shared = new Set<string>();
  for (const v of input.vgs) (seen.has(v.vg.name) ? shared : seen).add(v.vg.name);
  if (!shared.size) return names;
  const told = new Set<string>();
  return names.filter((raw) => {
    const vg = vgPart(raw);
    if (!shared.has(vg)) return true;
    if (!told.has(vg)) notes.push(multipleVgsMessage(vg));
    told.add(vg);
    return false;
  });
}

/**
 * lvs leaves out the LVs of exported VGs (vgexport), as LVM2 does (pvs and vgs still show them); naming such a
 * VG or one of its LVs is an error in LVM2's words. Returns the input and names without them.
 */
function leaveOutExported(input: ReportInput, names: string[] | undefined, errors: string[]): { input: ReportInput; names: string[] | undefined } {
  const exported = new Set(input.vgs.filter((v) => v.vg.status.includes('EXPORTED')).map((v) => v.vg.name));
  if (!exported.size) return { input, names };
  const kept = { ...input, vgs: input.vgs.filter((v) => !exported.has(v.vg.name)) };
  if (!names) return { input: kept, names };
  const refused = new Set<string>();
  const left = names.filter((raw) => {
    const vg = vgPart(raw);
    if (!exported.has(vg)) return true;
    if (!refused.has(vg)) errors.push(`Volume group ${vg} is exported`);
    refused.add(vg);
    return false;
  });
  return { input: kept, names: left };
}

/**
 * What the reports show of a PV's metadata areas, as LVM2 counts them: an area whose header or text could not
 * be read (bad CRC, bad magic) is dropped from the PV's list (it counts in no #PMda / #VMda); an ignored area
 * counts, but with 0 bytes free (LVM2 reads no text from it, so knows no free space); sizes are the smallest.
 */
export function mdaInfo(mdas: MdaRead[]): ReportMdaInfo {
  let size = Infinity;
  let free = Infinity;
  let inUseSize = Infinity;
  let inUseFree = Infinity;
  let count = 0;
  let used = 0;
  for (const m of mdas) {
    if (m.error) continue;
    count++;
    const mFree = m.ignored ? 0 : mdaFreeBytes(m.areaSize, m.textSize);
    size = Math.min(size, m.areaSize);
    free = Math.min(free, mFree);
    if (m.ignored) continue;
    used++;
    inUseSize = Math.min(inUseSize, m.areaSize);
    inUseFree = Math.min(inUseFree, mFree);
  }
  return {
    count, used, size: count ? size : 0, free: count ? free : 0,
    inUseSize: used ? inUseSize : null, inUseFree: used ? inUseFree : null,
  };
}

export function toReportInput(scan: ScanResult): ReportInput {
  const usable = (p: ScannedPv) => (scan.unusedMdas ? p.mdas.filter((m) => !scan.unusedMdas!.has(m)) : p.mdas);
  const dev = (p: ScannedPv) => ({ name: p.device.name, size: p.device.size, extVersion: p.label.extVersion });
  return {
    vgs: scan.vgs.map((v) => ({
      vg: v.vg,
      devices: new Map([...v.pvs].map(([id, p]) => [id, dev(p)])),
      mdas: new Map([...v.pvs].map(([id, p]) => [id, mdaInfo(usable(p))])),
    })),
    orphans: scan.orphans.map((p) => ({
      name: p.device.name,
      size: p.device.size,
      uuid: p.label.pvUuid,
      peStart: p.label.dataAreas[0]?.offset ?? 0,
      extUsed: (p.label.extFlags & PV_EXT_USED) !== 0,
      mdaCount: usable(p).filter((m) => !m.error).length,
      mda: mdaInfo(usable(p)),
      extVersion: p.label.extVersion,
      baStart: p.label.bootloaderAreas[0]?.offset,
      baSize: p.label.bootloaderAreas[0]?.size,
    })),
  };
}

