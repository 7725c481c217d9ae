/** The full yargs command line: every verb of cli/commands/index.ts, help, version and usage errors. */
import yargs from 'yargs';
import { EXIT_INVALID } from './shared.js';
import { verbs } from './commands/index.js';
import { lvmArgvOfVerbs } from './argv.js';

export function runYargs(argv: string[]): Promise<unknown> {
  // LVM2's spellings (-L5M, -an, -O -lv_size) in the form yargs reads, by the verb's own option table.
  let y = yargs(lvmArgvOfVerbs(argv, verbs))
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
      // yargs' own usage errors (YError) are the user's; anything else is a command's error.
      if (err && err.name !== 'YError') throw err;
      process.stderr.write(`lvmkit: ${msg ?? err?.message} (run "lvmkit --help" for usage)\n`);
      process.exit(EXIT_INVALID);
    })
    .parseAsync();
}
