/**
 * lvmkit command line: argument parsing and printing only. Every verb is a function of
 * src/commands/ that can be called as a library.
 */
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { isLvmkitError } from '../src/errors.js';
import { reportCommand } from '../src/commands/reporting.js';
import { inspectCommand } from '../src/commands/inspect.js';
import { metadataCommand } from '../src/commands/metadata.js';
import { demoCommand } from '../src/commands/demo.js';
import type { CommandOutput } from '../src/commands/output.js';

const EXIT_FAILED = 5;      // LVM2's ECMD_FAILED
const EXIT_INVALID = 3;     // LVM2's EINVALID_CMD_LINE

function devicesOption<T>(y: Argv<T>) {
  return y.option('devices', {
    type: 'string', requiresArg: true,
    describe: 'Image files to use, comma separated (repeatable), like LVM2\'s --devices',
  });
}

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

function splitDevices(v: unknown): string[] {
  const list = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return list.flatMap((s) => String(s).split(',')).map((s) => s.trim()).filter(Boolean);
}

async function emit(p: Promise<CommandOutput>): Promise<void> {
  const out = await p;
  for (const w of out.warnings) process.stderr.write(`  WARNING: ${w}\n`);
  if (out.stdout) process.stdout.write(out.stdout);
  if (out.exitCode) process.exitCode = out.exitCode;
}

function main(argv: string[]): Promise<unknown> | unknown {
  return yargs(argv)
    .scriptName('lvmkit')
    .usage('$0 <command> [options]\n\nRead and report LVM2 volumes on disk-image files, offline.')
    .command('pvs [names..]', 'Report physical volumes (like LVM2 pvs)', reportOptions,
      (a) => emit(reportCommand('pvs', { ...a, devices: splitDevices(a.devices) })))
    .command('vgs [names..]', 'Report volume groups (like LVM2 vgs)', reportOptions,
      (a) => emit(reportCommand('vgs', { ...a, devices: splitDevices(a.devices) })))
    .command('lvs [names..]', 'Report logical volumes (like LVM2 lvs)', reportOptions,
      (a) => emit(reportCommand('lvs', { ...a, devices: splitDevices(a.devices) })))
    .command('inspect <images..>', 'Show the label, headers, metadata areas, checksums and seqno of images',
      (y) => y.positional('images', { type: 'string', array: true, demandOption: true })
        .option('json', { type: 'boolean', describe: 'Print JSON' }),
      (a) => emit(inspectCommand({ images: a.images as string[], json: !!a.json })))
    .command('metadata [vg]', 'Print the current metadata text of a VG; --all lists older versions',
      (y) => devicesOption(y)
        .positional('vg', { type: 'string' })
        .option('all', { type: 'boolean', describe: 'List every older version still readable in the metadata areas' })
        .option('seqno', { type: 'number', describe: 'Print the text of this seqno (from --all)' })
        .option('flavour', { type: 'string', choices: ['raw', 'file'], default: 'raw', describe: 'raw: as stored on disk; file: vgcfgbackup layout' }),
      (a) => emit(metadataCommand({ devices: splitDevices(a.devices), vg: a.vg, all: !!a.all, seqno: a.seqno, flavour: a.flavour as 'raw' | 'file' })))
    .command('demo [dir]', 'Report (and dump) the bundled sample volumes', (y) => y.positional('dir', { type: 'string', default: 'samples' }),
      (a) => emit(demoCommand({ dir: a.dir as string })))
    .demandCommand(1, 'Name a command: pvs, vgs, lvs, inspect, metadata, demo')
    .strictCommands()
    .strictOptions()
    .recommendCommands()
    .help()
    .alias('h', 'help')
    .version()
    .wrap(Math.min(110, process.stdout.columns || 110))
    .fail((msg, err, y) => {
      if (err) throw err;
      process.stderr.write(`lvmkit: ${msg} (run "lvmkit --help" for usage)\n`);
      process.exit(EXIT_INVALID);
    })
    .parseAsync();
}

Promise.resolve()
  .then(() => main(hideBin(process.argv)))
  .catch((e: unknown) => {
    if (isLvmkitError(e)) {
      process.stderr.write(`lvmkit: ${e.message}\n`);
      process.exitCode = e.code === 'EARGS' ? EXIT_INVALID : EXIT_FAILED;
      return;
    }
    process.stderr.write(`lvmkit: internal error (please report): ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
    process.exitCode = 70;
  });
