/**
 * Pieces every verb module of the CLI shares: the --devices option, the exit codes and printing a
 * command's output. Printing only: the work is done by src/commands/.
 */
import type { Argv, CommandModule } from 'yargs';
import type { CommandOutput } from '../src/commands/output.js';

export const EXIT_FAILED = 5;      // LVM2's ECMD_FAILED
export const EXIT_INVALID = 3;     // LVM2's EINVALID_CMD_LINE

/** A verb of the CLI: a yargs command module (the `args` are yargs' parsed arguments). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Verb = CommandModule<any, any>;

export function devicesOption<T>(y: Argv<T>) {
  return y.option('devices', {
    type: 'string', requiresArg: true,
    describe: 'Image files to use, comma separated (repeatable), like LVM2\'s --devices',
  });
}

/** --devices a.img,b.img --devices c.img -> [a.img, b.img, c.img] */
export function splitDevices(v: unknown): string[] {
  const list = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return list.flatMap((s) => String(s).split(',')).map((s) => s.trim()).filter(Boolean);
}

/** Print a command's warnings (stderr, LVM2's "  WARNING: " prefix) and output; set the exit code. */
export async function emit(p: Promise<CommandOutput>): Promise<void> {
  const out = await p;
  // LVM2 prints its TEST MODE notice without "WARNING:"; lvmkit's "Test mode: would write ..." lines too.
  for (const w of out.warnings) process.stderr.write(/^(TEST MODE|Test mode):/.test(w) ? `  ${w}\n` : `  WARNING: ${w}\n`);
  for (const e of out.errors ?? []) process.stderr.write(`  ${e}\n`);
  if (out.stdout) process.stdout.write(out.stdout);
  if (out.exitCode) process.exitCode = out.exitCode;
}

/** Why -a/--activate is refused (lvcreate -ay, lvchange -a, vgchange -a): nothing is activated offline. */
export const NO_ACTIVATION = 'lvmkit does not activate LVs (there is no device-mapper offline): drop -a/--activate; use "lvmkit table" or "lvmkit dump" to read an LV';
