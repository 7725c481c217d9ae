/** metadata: the current metadata text of a VG, or the older versions still in the metadata areas. */
import { devicesOption, emit, splitDevices, type Verb } from '../shared.js';
import { metadataCommand } from '../../src/commands/metadata.js';

export const metadataVerb: Verb = {
  command: 'metadata [vg]',
  describe: 'Print the current metadata text of a VG; --all lists older versions',
  builder: (y) => devicesOption(y)
    .positional('vg', { type: 'string' })
    .option('all', { type: 'boolean', describe: 'List every older version still readable in the metadata areas' })
    .option('seqno', { type: 'number', describe: 'Print the text of this seqno (from --all)' })
    .option('flavour', { type: 'string', choices: ['raw', 'file'], default: 'raw', describe: 'raw: as stored on disk; file: vgcfgbackup layout' }),
  handler: (a) => emit(metadataCommand({ devices: splitDevices(a.devices), vg: a.vg, all: !!a.all, seqno: a.seqno, flavour: a.flavour as 'raw' | 'file' })),
};
