/** demo: what `npm start` runs on the bundled samples. */
import { emit, type Verb } from '../shared.js';
import { demoCommand } from '../../src/commands/demo.js';

export const demoVerb: Verb = {
  command: 'demo [dir]',
  describe: 'Report (and dump) the bundled sample volumes',
  builder: (y) => y.positional('dir', { type: 'string', default: 'samples' }),
  handler: (a) => emit(demoCommand({ dir: a.dir as string })),
};
