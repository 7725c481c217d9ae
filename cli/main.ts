/**
 * lvmkit command line: argument parsing and printing only. Every verb is a module of cli/commands/
 * calling a function of src/commands/ that can be used as a library. Plain pvs/vgs/lvs/dump/table command
 * lines take the fast path (cli/fast-path.ts); everything else loads yargs (cli/yargs-cli.ts) on demand.
 */
import { isLvmkitError } from '../src/errors.js';
import { EXIT_FAILED, EXIT_INVALID } from './shared.js';
import { fastPath } from './fast-path.js';

async function main(argv: string[]): Promise<unknown> {
  // LVMKIT_NO_FAST_PATH=1 sends every command line to yargs (tests compare the two paths).
  const fast = process.env.LVMKIT_NO_FAST_PATH === '1' ? undefined : fastPath(argv);
  if (fast) return fast;
  const { runYargs } = await import('./yargs-cli.js');
  return runYargs(argv);
}

main(process.argv.slice(2))
  .catch((e: unknown) => {
    if (isLvmkitError(e)) {
      process.stderr.write(`lvmkit: ${e.message}\n`);
      process.exitCode = e.code === 'EARGS' ? EXIT_INVALID : EXIT_FAILED;
      return;
    }
    process.stderr.write(`lvmkit: internal error (please report): ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
    process.exitCode = 70;
  });
