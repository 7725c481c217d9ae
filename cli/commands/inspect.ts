/** inspect: what is on each image (label, headers, metadata areas, checksums, seqno). */
import { emit, type Verb } from '../shared.js';
import { inspectCommand } from '../../src/commands/inspect.js';

export const inspectVerb: Verb = {
  command: 'inspect <images..>',
  describe: 'Show the label, headers, metadata areas, checksums and seqno of images',
  builder: (y) => y.positional('images', { type: 'string', array: true, demandOption: true })
    .option('json', { type: 'boolean', describe: 'Print JSON' }),
  handler: (a) => emit(inspectCommand({ images: a.images as string[], json: !!a.json })),
};
