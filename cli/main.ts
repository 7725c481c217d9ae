/**
 * lvmkit command line: argument parsing and printing only. Every verb is a module of cli/commands/
 * calling a function of src/commands/ that can be used as a library.
 */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { isLvmkitError } from '../src/errors.js';
import { EXIT_FAILED, EXIT_INVALID } from './shared.js';
import { verbs } from './commands/index.js';

function main(argv: string[]): Promise<unknown> {
  let y = yargs(argv)
    .scriptName('lvmkit')
    .usage('$0 <command> [options]\n\nRead, report, dump and change LVM2 volumes on disk-image files, offline.');
  for (const v of verbs) y = y.command(v);
  return y
    .demandCommand(1, `Name a command: ${verbs.map((v) => String(v.command).split(' ')[0]).join(', ')}`)
    .strictCommands()
    .strictOptions()
    .recommendCommands()
    .help()
    .alias('h', 'help')
    .version()
    .wrap(Math.min(110, process.stdout.columns || 110))
    .fail((msg, err) => {
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
