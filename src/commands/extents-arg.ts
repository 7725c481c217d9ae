/**
 * -l/--extents arguments as LVM2 reads them: `[+|-]N` extents, or `[+|-]N%VG|%FREE|%PVS|%ORIGIN`
 * (a percentage of the VG's extents, of its free extents, of the free extents of the PVs given, or of a
 * snapshot's origin). LVM2 rounds a percentage down when creating and up when resizing.
 */
import { LvmkitError } from '../errors.js';

export type PercentOf = 'VG' | 'FREE' | 'PVS' | 'ORIGIN';

export interface ExtentsArg {
  sign?: '+' | '-';
  /** Extents, or the percentage when `percent` is set. */
  value: number;
  percent?: PercentOf;
}

export function parseExtentsArg(text: string, option = 'extents'): ExtentsArg {
  const m = /^([+-])?(\d+(?:\.\d+)?)(?:%(VG|FREE|PVS|ORIGIN|LV))?$/i.exec(text.trim());
  if (!m) {
    throw new LvmkitError('EARGS', `Invalid argument for --${option}: ${text} (expected a number of extents, optionally with %VG, %FREE, %PVS or %ORIGIN)`);
  }
  const value = Number(m[2]);
  const percent = m[3]?.toUpperCase() as PercentOf | 'LV' | undefined;
  if (percent === 'LV') throw new LvmkitError('EUNSUPPORTED', `--${option} ${text}: %LV is not supported; use %VG, %FREE or %PVS`);
  if (!percent && !Number.isInteger(value)) throw new LvmkitError('EARGS', `Invalid argument for --${option}: ${text} (a number of extents is a whole number)`);
  if (percent && value > 100 && percent !== 'ORIGIN') {
    throw new LvmkitError('EARGS', `Invalid argument for --${option}: ${text} (a percentage of ${percent} is at most 100)`);
  }
  return { sign: m[1] as ExtentsArg['sign'], value, ...(percent ? { percent } : {}) };
}

/** `percent`% of `count` extents, rounded down (roundUp false) or up, as LVM2's percent_of_extents. */
export function percentOfExtents(percent: number, count: number, roundUp: boolean): number {
  const exact = (percent * count) / 100;
  const r = roundUp ? Math.ceil(exact - 1e-9) : Math.floor(exact + 1e-9);
  return Math.max(0, r);
}
