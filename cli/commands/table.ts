/** table: the device-mapper tables of LVs (dmsetup syntax), or the line `dmsetup create --concise` reads. */
import type { Argv } from 'yargs';
import { devicesOption, emit, splitDevices, type Verb } from '../shared.js';
import { tableCommand } from '../../src/commands/table.js';

/** --partial / -P / --activationmode, shared by table and dump. */
export function partialOptions<T>(y: Argv<T>) {
  return y.option('partial', { alias: 'P', type: 'boolean', describe: 'Map LVs with extents on missing PVs (as --activationmode partial)' })
    .option('activationmode', { type: 'string', choices: ['complete', 'degraded', 'partial'], describe: 'LVM2\'s activation mode: partial maps LVs with missing PVs' });
}

export function isPartial(a: Record<string, unknown>): boolean {
  return !!a.partial || a.activationmode === 'partial';
}

export const tableVerb: Verb = {
  command: 'table [names..]',
  describe: 'Print the device-mapper tables of LVs (VG or VG/LV; all when none), as dmsetup table does',
  builder: (y) => partialOptions(devicesOption(y.positional('names', { type: 'string', array: true, describe: 'VG or VG/LV names' })))
    .option('map', { type: 'string', requiresArg: true, describe: 'IMG=DEV: write DEV (/dev/loop0 or 7:0) for image IMG' })
    .option('dmsetup', { type: 'boolean', describe: 'Print the line `dmsetup create --concise` reads (needs --map for every image)' }),
  handler: (a) => emit(tableCommand({
    devices: splitDevices(a.devices), names: a.names as string[] | undefined, map: a.map === undefined ? undefined : ([] as string[]).concat(a.map as string | string[]),
    dmsetup: !!a.dmsetup, partial: isPartial(a),
  })),
};
