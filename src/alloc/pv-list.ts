/**
 * PV list arguments of lvcreate/lvextend (`PV[:PE[-PE]|:PE[+COUNT]]...`), as LVM2 takes them: a device name
 * followed by any number of extent ranges. A device name may itself contain ':' (lvmkit names a partition
 * `disk.img:p2`), so ranges are taken from the end only while they look like ranges.
 */
import { LvmkitError } from '../errors.js';
import type { PeRange } from './free-map.js';

export interface PvArg {
  /** The device name as written. */
  name: string;
  /** Inclusive ranges; undefined = the whole PV. `end` may be Infinity ("100-"). */
  ranges?: PeRange[];
}

const RANGE_RE = /^(\d*)(?:([-+])(\d*))?$/;

/** Parse one PV argument. */
export function parsePvArg(text: string): PvArg {
  const parts = text.split(':');
  const ranges: PeRange[] = [];
  while (parts.length > 1) {
    const tok = parts[parts.length - 1];
    const m = RANGE_RE.exec(tok);
    if (!m || tok === '') break;
    parts.pop();
    const start = m[1] === '' ? 0 : Number(m[1]);
    let end: number;
    if (m[2] === undefined) end = start;
    else if (m[2] === '+') {
      if (m[3] === '') throw new LvmkitError('EARGS', `Physical extent parsing error at ${tok} in ${text}: a count must follow "+"`);
      end = start + Number(m[3]) - 1;
    } else end = m[3] === '' ? Infinity : Number(m[3]);
    if (end < start) throw new LvmkitError('EARGS', `Physical extent parsing error at ${tok} in ${text}: the range ends before it starts`);
    ranges.unshift({ start, end });
  }
  const name = parts.join(':');
  if (!name) throw new LvmkitError('EARGS', `Physical volume argument "${text}" names no device`);
  return ranges.length ? { name, ranges } : { name };
}
