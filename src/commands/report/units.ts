/**
 * LVM2's size display (--units, --nosuffix), as `dm_size_to_string` behaves in 2.03.16:
 *  - h/H/r/R: human units, the largest unit not above the value, two decimals, suffix always printed;
 *    r/R add a '<' prefix when the printed value is larger than the real one (rounded up).
 *  - b/B and s/S: whole bytes / sectors with suffix B / S.
 *  - k m g t p e (1024-based) and K M G T P E (1000-based): two decimals, suffix as typed.
 *  - zero is "0" + suffix ("0 " for human units); --nosuffix drops the suffix of zero and of fixed units
 *    (a non-zero human size keeps its suffix even with --nosuffix).
 */
import { LvmkitError } from '../../errors.js';

export interface UnitSpec {
  /** The letter as given. */
  letter: string;
  human: boolean;
  /** Add '<' when rounded up (r / R). */
  roundingMark: boolean;
  /** 1024 or 1000. */
  base: number;
}

const FIXED = 'bBsSkKmMgGtTpPeE';
const HUMAN = 'hHrR';
const SUFFIXES = ['b', 'k', 'm', 'g', 't', 'p', 'e'];

/** Parse a --units letter (default 'r'). */
export function parseUnits(units: string | undefined): UnitSpec {
  const u = units ?? 'r';
  if (u.length !== 1 || (!FIXED.includes(u) && !HUMAN.includes(u))) {
    throw new LvmkitError('EARGS', `Invalid units specification: "${u}" (expected one of hHrRbBsSkKmMgGtTpPeE)`);
  }
  const human = HUMAN.includes(u);
  const upper = u !== u.toLowerCase();
  return { letter: u, human, roundingMark: u === 'r' || u === 'R', base: upper && u !== 'B' && u !== 'S' ? 1000 : 1024 };
}

/** Format a size given in bytes. */
export function formatSize(bytes: number, spec: UnitSpec, nosuffix = false): string {
  if (spec.human) return bytes === 0 ? (nosuffix ? '0' : '0 ') : formatHuman(bytes, spec);
  return formatFixed(bytes, spec, nosuffix);
}

function formatFixed(bytes: number, spec: UnitSpec, nosuffix: boolean): string {
  const l = spec.letter;
  if (l === 'b' || l === 'B') return String(bytes) + (nosuffix ? '' : 'B');
  if (l === 's' || l === 'S') return String(Math.floor(bytes / 512)) + (nosuffix ? '' : 'S');
  const suffix = nosuffix ? '' : l;
  if (bytes === 0) return '0' + suffix;
  const power = SUFFIXES.indexOf(l.toLowerCase());
  return (bytes / Math.pow(spec.base, power)).toFixed(2) + suffix;
}

function formatHuman(bytes: number, spec: UnitSpec): string {
  const upper = spec.base === 1000;
  let power = SUFFIXES.length - 1;
  while (power > 0 && bytes < Math.pow(spec.base, power)) power--;
  const suffix = upper ? SUFFIXES[power]!.toUpperCase() : SUFFIXES[power]!;
  const value = bytes / Math.pow(spec.base, power);
  const text = value.toFixed(2);
  const mark = spec.roundingMark && Number(text) > value ? '<' : '';
  return mark + text + suffix;
}
