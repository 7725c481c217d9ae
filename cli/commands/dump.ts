/** dump: the bytes of an LV into a file (or stdout), or of every LV of a VG into a directory. */
import { devicesOption, emit, splitDevices, type Verb } from '../shared.js';
import { dumpCommand } from '../../src/commands/dump.js';
import { progressBar } from '../../src/commands/progress.js';
import { isPartial, partialOptions } from './table.js';

export const dumpVerb: Verb = {
  command: 'dump <name>',
  describe: 'Write the content of an LV (VG/LV) to a file, or of every LV of a VG to DIR/LV.img',
  builder: (y) => partialOptions(devicesOption(y.positional('name', { type: 'string', demandOption: true, describe: 'VG/LV, or VG with --outdir' })))
    .option('output', { alias: 'o', type: 'string', requiresArg: true, describe: 'Output file, or - for stdout' })
    .option('outdir', { type: 'string', requiresArg: true, describe: 'Directory: one file LV.img per LV' })
    .option('sparse', { type: 'boolean', describe: 'Leave all-zero blocks as holes in the output file' })
    .option('sync', { type: 'boolean', describe: 'Flush each output file to disk before giving it its name (as dd conv=fsync)' }),
  handler: (a) => emit(dumpCommand({
    devices: splitDevices(a.devices), name: a.name as string, output: a.output as string | undefined,
    outdir: a.outdir as string | undefined, sparse: !!a.sparse, sync: !!a.sync, partial: isPartial(a),
    progress: (label, total) => progressBar(label, total),
  })),
};
