/**
 * pvs, vgs, lvs: LVM2's reporting verbs. Their options are one table (REPORT_OPTIONS) that both the
 * yargs command and the fast path of cli/fast-path.ts read, so the two cannot disagree.
 */
import type { Argv, Options } from 'yargs';
import { emit, splitDevices, type Verb } from '../shared.js';
import { reportCommand } from '../../src/commands/reporting.js';

export const REPORT_VERBS = ['pvs', 'vgs', 'lvs'] as const;
export type ReportVerb = typeof REPORT_VERBS[number];

export const REPORT_OPTIONS = {
  devices: { type: 'string', requiresArg: true, describe: 'Image files to use, comma separated (repeatable), like LVM2\'s --devices' },
  options: { alias: 'o', type: 'string', requiresArg: true, describe: 'Fields to report (+field adds to the defaults)' },
  sort: { alias: 'O', type: 'string', requiresArg: true, describe: 'Sort keys (-field for descending)' },
  reportformat: { type: 'string', choices: ['basic', 'json', 'json_std'], describe: 'Output format' },
  units: { type: 'string', requiresArg: true, describe: 'Units: r R h H b B s S k K m M g G t T p P e E' },
  nosuffix: { type: 'boolean', describe: 'No unit suffix on sizes (fixed units)' },
  noheadings: { type: 'boolean', describe: 'No heading line' },
  separator: { type: 'string', requiresArg: true, describe: 'Column separator' },
  aligned: { type: 'boolean', describe: 'Align columns when using --separator' },
  binary: { type: 'boolean', describe: 'Binary fields as 1/0' },
  nameprefixes: { type: 'boolean', describe: 'Rows as LVM2_FIELD=\'value\' pairs' },
  unquoted: { type: 'boolean', describe: 'With --nameprefixes: values without quotes' },
  rows: { type: 'boolean', describe: 'One line per field instead of one per object' },
  all: { alias: 'a', type: 'boolean', describe: 'Include hidden LVs' },
  segments: { type: 'boolean', describe: 'Report segments' },
  partial: { alias: 'P', type: 'boolean', describe: 'Accepted for LVM2 compatibility (missing PVs are always shown)' },
} satisfies Record<string, Options>;

function reportOptions<T>(y: Argv<T>) {
  return y.positional('names', { type: 'string', array: true, describe: 'VG, VG/LV or PV names to report on' })
    .options(REPORT_OPTIONS);
}

/** Run a report verb with parsed arguments (from yargs or from the fast path). */
export function runReportVerb(kind: ReportVerb, a: Record<string, unknown>): Promise<void> {
  return emit(reportCommand(kind, { ...a, devices: splitDevices(a.devices) }));
}

function reportVerb(kind: ReportVerb, what: string): Verb {
  return {
    command: `${kind} [names..]`,
    describe: `Report ${what} (like LVM2 ${kind})`,
    builder: reportOptions,
    handler: (a) => runReportVerb(kind, a),
  };
}

export const pvsVerb = reportVerb('pvs', 'physical volumes');
export const vgsVerb = reportVerb('vgs', 'volume groups');
export const lvsVerb = reportVerb('lvs', 'logical volumes');
