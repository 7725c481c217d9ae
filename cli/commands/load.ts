/** load: write a file's content (or stdin) into an LV. */
import { devicesOption, emit, splitDevices, type Verb } from '../shared.js';
import { loadCommand } from '../../src/commands/load.js';
import { progressBar } from '../../src/commands/progress.js';

export const loadVerb: Verb = {
  command: 'load <name>',
  describe: 'Write a file (or stdin) into an LV (VG/LV); input larger than the LV is refused',
  builder: (y) => devicesOption(y.positional('name', { type: 'string', demandOption: true, describe: 'VG/LV' }))
    .option('input', { alias: 'i', type: 'string', requiresArg: true, demandOption: true, describe: 'Input file, or - for stdin' })
    .option('test', { alias: 't', type: 'boolean', describe: 'Check and say what would be written; write nothing' }),
  handler: (a) => emit(loadCommand({
    devices: splitDevices(a.devices), name: a.name as string, input: a.input as string, test: !!a.test,
    progress: (label, total) => progressBar(label, total),
  })),
};
