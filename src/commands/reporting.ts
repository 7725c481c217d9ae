/**
 * pvs / vgs / lvs as library calls: scan the images, turn what was found into report input,
 * and render it as LVM2 does.
 */
import { PV_EXT_USED } from '../format/layout.js';
import { mdaFreeBytes } from '../format/mda-space.js';
import type { MdaRead } from '../format/mda.js';
import type { CommandOutput } from './output.js';
import { runReport, type ReportInput, type ReportMdaInfo, type ReportOptions } from './report/index.js';
import { scanDevices, type ScanOptions, type ScanResult, type ScannedPv } from './scan.js';

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
      nameFilter: o.names?.length ? o.names : undefined,
    };
    const res = runReport(toReportInput(scan), opts);
    const warnings = [...scan.warnings, ...res.stderr];
    let exitCode = 0;
    for (const e of scan.errors) { warnings.push(e.message); exitCode = 5; }
    return { stdout: res.stdout, warnings, exitCode };
  } finally {
    await scan.close();
  }
}

export function mdaInfo(mdas: MdaRead[]): ReportMdaInfo {
  let size = Infinity;
  let free = Infinity;
  let used = 0;
  for (const m of mdas) {
    if (!m.ignored) used++;
    size = Math.min(size, m.areaSize);
    free = Math.min(free, mdaFreeBytes(m.areaSize, m.textSize));
  }
  return { count: mdas.length, used, size: mdas.length ? size : 0, free: mdas.length ? free : 0 };
}

export function toReportInput(scan: ScanResult): ReportInput {
  const dev = (p: ScannedPv) => ({ name: p.device.name, size: p.device.size, extVersion: p.label.extVersion });
  return {
    vgs: scan.vgs.map((v) => ({
      vg: v.vg,
      devices: new Map([...v.pvs].map(([id, p]) => [id, dev(p)])),
      mdas: new Map([...v.pvs].map(([id, p]) => [id, mdaInfo(p.mdas)])),
    })),
    orphans: scan.orphans.map((p) => ({
      name: p.device.name,
      size: p.device.size,
      uuid: p.label.pvUuid,
      peStart: p.label.dataAreas[0]?.offset ?? 0,
      extUsed: (p.label.extFlags & PV_EXT_USED) !== 0,
      mdaCount: p.mdas.length,
      mda: mdaInfo(p.mdas),
      extVersion: p.label.extVersion,
    })),
  };
}

