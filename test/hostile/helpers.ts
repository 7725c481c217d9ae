/**
 * Helpers of the hostile-input tests: the real metadata text of the sample VG (made by LVM2), the
 * reader chain a scan runs on a text (parse -> model -> validate), and a report over the result.
 */
import { parseConfig } from '../../src/metadata/parse.js';
import { vgFromConfig } from '../../src/model/from-config.js';
import { validateVg, type ValidationIssue } from '../../src/model/validate.js';
import type { VolumeGroup } from '../../src/model/types.js';
import { lookupSegtype } from '../../src/segtypes/registry.js';
import { runReport, type ReportOptions } from '../../src/commands/report/index.js';
import { sampleMetadata } from '../helpers/images.js';

/** vgcfgbackup text of VG "sample" (two PVs pv0/pv1 of 15 extents, LVs lin and str). */
export const SAMPLE_TEXT = sampleMetadata('sample');

export const SOURCE = 'hostile.vg';

/** Replace exactly one occurrence of `from` (throws when it is not there once: the edit must apply). */
export function edit(text: string, from: string | RegExp, to: string): string {
  const count = typeof from === 'string' ? text.split(from).length - 1
    : (text.match(new RegExp(from.source, from.flags.includes('g') ? from.flags : from.flags + 'g')) ?? []).length;
  if (count !== 1) throw new Error(`edit: ${String(from)} occurs ${count} times`);
  return text.replace(from, to);
}

/** Replace the first occurrence of `from` (which must be there). */
export function editFirst(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`editFirst: ${from} is not in the text`);
  return text.replace(from, to);
}

/** Parse + build the model (what a scan does with a text); throws what they throw. */
export function readVg(text: string): VolumeGroup {
  return vgFromConfig(parseConfig(text, SOURCE), { source: SOURCE, codecs: lookupSegtype });
}

export function issues(vg: VolumeGroup): ValidationIssue[] {
  return validateVg(vg);
}

/** A report over `vg` with every PV found (16 MiB devices named /dev/<key>). */
export function report(vg: VolumeGroup, o: Omit<ReportOptions, 'reportFormat'> & { reportFormat?: ReportOptions['reportFormat'] }): string {
  const devices = new Map(vg.pvs.map((pv) => [pv.id, { name: `/dev/${pv.key}`, size: 16 * 1024 * 1024 }]));
  const res = runReport({ vgs: [{ vg, devices }], orphans: [] }, { reportFormat: 'basic', ...o });
  return res.stdout;
}

/** Rows of a --noheadings report, cells split on whitespace. */
export function rows(out: string): string[][] {
  return out.split('\n').filter((l) => l.trim()).map((l) => l.trim().split(/\s+/));
}
