/** pvs, vgs, lvs: LVM2's reporting verbs. */
import type { Argv } from 'yargs';
import { devicesOption, emit, splitDevices, type Verb } from '../shared.js';
import { reportCommand } from '../../src/commands/reporting.js';

function reportOptions<T>(y: Argv<T>) {
  return devicesOption(y)
    .positional('names', { type: 'string', array: true, describe: 'VG, VG/LV or PV names to report on' })
    .option('options', { alias: 'o', type: 'string', requiresArg: true, describe: 'Fields to report (+field adds to the defaults)' })
    .option('sort', { alias: 'O', type: 'string', requiresArg: true, describe: 'Sort keys (-field for descending)' })
    .option('reportformat', { type: 'string', choices: ['basic', 'json', 'json_std'], describe: 'Output format' })
    .option('units', { type: 'string', requiresArg: true, describe: 'Units: r R h H b B s S k K m M g G t T p P e E' })
    .option('nosuffix', { type: 'boolean', describe: 'No unit suffix on sizes (fixed units)' })
    .option('noheadings', { type: 'boolean', describe: 'No heading line' })
    .option('separator', { type: 'string', requiresArg: true, describe: 'Column separator' })
    .option('aligned', { type: 'boolean', describe: 'Align columns when using --separator' })
    .option('all', { alias: 'a', type: 'boolean', describe: 'Include hidden LVs' })
    .option('segments', { type: 'boolean', describe: 'Report segments' })
    .option('partial', { alias: 'P', type: 'boolean', describe: 'Accepted for LVM2 compatibility (missing PVs are always shown)' });
}

function reportVerb(kind: 'pvs' | 'vgs' | 'lvs', what: string): Verb {
  return {
    command: `${kind} [names..]`,
    describe: `Report ${what} (like LVM2 ${kind})`,
    builder: reportOptions,
    handler: (a) => emit(reportCommand(kind, { ...a, devices: splitDevices(a.devices) })),
  };
}

export const pvsVerb = reportVerb('pvs', 'physical volumes');
export const vgsVerb = reportVerb('vgs', 'volume groups');
export const lvsVerb = reportVerb('lvs', 'logical volumes');
