/**
 * Sizes given on the command line, as LVM2 reads them (lvm(8), "Size is an input number that accepts an
 * optional unit"): a decimal number, optionally with a fraction, then an optional unit letter
 * b B s S k K m M g G t T p P e E. Input units are always powers of two, whatever their case
 * (k and K both mean 1024); s is a 512-byte sector; with no unit the verb's default applies
 * (MiB for -L/--size, KiB for -I/--stripesize, ...). A leading + or - is the verb's business.
 */
import { LvmkitError } from '../errors.js';

const SHIFT: Record<string, number> = { b: 0, s: 9, k: 10, m: 20, g: 30, t: 40, p: 50, e: 60 };

export interface SizeArg {
  /** '+' or '-' when the text started with one, else undefined. */
  sign?: '+' | '-';
  /** Bytes (rounded down to a whole byte). May exceed 2^53 only as an approximation: callers check ranges. */
  bytes: number;
}

/** Parse `text` (e.g. "1G", "+512m", "1.5g", "100") with `defaultUnit` for a bare number. */
export function parseSizeArg(text: string, defaultUnit: keyof typeof SHIFT | string, option = 'size'): SizeArg {
  const m = /^([+-])?(\d+(?:\.\d*)?|\.\d+)([bBsSkKmMgGtTpPeE])?$/.exec(text.trim());
  if (!m) {
    throw new LvmkitError('EARGS', `Invalid argument for --${option}: ${text} (expected a number with an optional unit b, s, k, m, g, t, p or e)`);
  }
  const unit = (m[3] ?? defaultUnit).toLowerCase();
  const shift = SHIFT[unit];
  if (shift === undefined) throw new Error(`size-arg: bad default unit ${defaultUnit}`);
  const bytes = Math.floor(Number(m[2]) * 2 ** shift);
  if (!Number.isFinite(bytes) || bytes > Number.MAX_SAFE_INTEGER) {
    throw new LvmkitError('EARGS', `Invalid argument for --${option}: ${text} is too large`);
  }
  return { sign: m[1] as SizeArg['sign'], bytes };
}
