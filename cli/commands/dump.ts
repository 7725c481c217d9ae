/**
 * dump: the bytes of an LV into a file (or stdout), or of every LV of a VG into a directory.
 * Its options are one table (DUMP_OPTIONS) read by both the yargs command and the fast path
 * (cli/fast-path.ts), so that `lvmkit dump` starts without loading yargs.
 */
import type { Options } from 'yargs';
import { emit, splitDevices, type Verb } from '../shared.js';
import { dumpCommand } from '../../src/commands/dump.js';
import { progressBar } from '../../src/commands/progress.js';
import type { FastVerb } from '../fast-path.js';
import { isPartial, MAPPING_OPTIONS } from './table.js';

export const DUMP_OPTIONS = {
  ...MAPPING_OPTIONS,
  output: { alias: 'o', type: 'string', requiresArg: true, describe: 'Output file, or - for stdout' },
  outdir: { type: 'string', requiresArg: true, describe: 'Directory: one file LV.img per LV' },
  sparse: { type: 'boolean', describe: 'Leave all-zero blocks as holes in the output file' },
  sync: { type: 'boolean', describe: 'Flush each output file to disk before giving it its name (as dd conv=fsync)' },
} satisfies Record<string, Options>;

/** Run `dump` with parsed arguments (from yargs or from the fast path). */
export function runDump(a: Record<string, unknown>): Promise<void> {
  return emit(dumpCommand({
    devices: splitDevices(a.devices), name: a.name as string, output: a.output as string | undefined,
    outdir: a.outdir as string | undefined, sparse: !!a.sparse, sync: !!a.sync, partial: isPartial(a),
    progress: (label, total) => progressBar(label, total),
  }));
}

export const dumpVerb: Verb = {
  command: 'dump <name>',
  describe: 'Write the content of an LV (VG/LV) to a file, or of every LV of a VG to DIR/LV.img',
  builder: (y) => y.positional('name', { type: 'string', demandOption: true, describe: 'VG/LV, or VG with --outdir' }).options(DUMP_OPTIONS),
  handler: runDump,
};

export const dumpFastVerb: FastVerb = {
  options: DUMP_OPTIONS, repeatable: ['devices'], positional: { name: 'name', many: false }, run: runDump,
};
