/**
 * table: the device-mapper tables of LVs (dmsetup syntax), or the line `dmsetup create --concise` reads.
 * Its options are one table (TABLE_OPTIONS) read by both the yargs command and the fast path
 * (cli/fast-path.ts); MAPPING_OPTIONS are the ones table and dump share.
 */
import type { Options } from 'yargs';
import { emit, splitDevices, type Verb } from '../shared.js';
import { tableCommand } from '../../src/commands/table.js';
import type { FastVerb } from '../fast-path.js';
import { REPORT_OPTIONS } from './report.js';

/** --devices, --partial / -P, --activationmode: shared by table and dump. */
export const MAPPING_OPTIONS = {
  devices: REPORT_OPTIONS.devices,
  partial: { alias: 'P', type: 'boolean', describe: 'Map LVs with extents on missing PVs (as --activationmode partial)' },
  activationmode: { type: 'string', choices: ['complete', 'degraded', 'partial'], describe: 'LVM2\'s activation mode: partial maps LVs with missing PVs' },
} satisfies Record<string, Options>;

export const TABLE_OPTIONS = {
  ...MAPPING_OPTIONS,
  map: { type: 'string', requiresArg: true, describe: 'IMG=DEV: write DEV (/dev/loop0 or 7:0) for image IMG' },
  dmsetup: { type: 'boolean', describe: 'Print the line `dmsetup create --concise` reads (needs --map for every image)' },
} satisfies Record<string, Options>;

export function isPartial(a: Record<string, unknown>): boolean {
  return !!a.partial || a.activationmode === 'partial';
}

/** Run `table` with parsed arguments (from yargs or from the fast path). */
export function runTable(a: Record<string, unknown>): Promise<void> {
  return emit(tableCommand({
    devices: splitDevices(a.devices), names: a.names as string[] | undefined, map: a.map === undefined ? undefined : ([] as string[]).concat(a.map as string | string[]),
    dmsetup: !!a.dmsetup, partial: isPartial(a),
  }));
}

export const tableVerb: Verb = {
  command: 'table [names..]',
  describe: 'Print the device-mapper tables of LVs (VG or VG/LV; all when none), as dmsetup table does',
  builder: (y) => y.positional('names', { type: 'string', array: true, describe: 'VG or VG/LV names' }).options(TABLE_OPTIONS),
  handler: runTable,
};

export const tableFastVerb: FastVerb = {
  options: TABLE_OPTIONS, repeatable: ['devices', 'map'], positional: { name: 'names', many: true }, run: runTable,
};
