/**
 * Segment types "error" and "zero" (lvcreate --type error|zero), and the device-mapper targets of the
 * same names: `error` fails every read and write (LVM2 also puts it in place of the extents of a missing
 * PV, its default activation/missing_stripe_filler), `zero` reads as zeros and discards writes.
 */
import { LvmkitError } from '../errors.js';
import { SECTOR, type SegmentDm, type Target, type TargetKind } from './target.js';

function ioError(name: string, t: Target, offset: number, length: number, what: string): LvmkitError {
  const at = t.start * SECTOR + offset;
  return new LvmkitError('EDEVICE_IO',
    `${name}: ${what} of ${length} bytes at offset ${at} failed: I/O error (sectors ${t.start}-${t.start + t.length - 1} are mapped to the error target)`,
    { file: name, offset: at });
}

export const errorTarget: TargetKind = {
  name: 'error',
  params: () => '',
  read: async (t, offset, buf, ctx) => { throw ioError(ctx.name, t, offset, buf.length, 'read'); },
  write: async (t, offset, data, ctx) => { throw ioError(ctx.name, t, offset, data.length, 'write'); },
};

export const zeroTarget: TargetKind = {
  name: 'zero',
  params: () => '',
  read: async (_t, _offset, buf) => { buf.fill(0); },
  write: async () => {},
};

function fillDm(kind: TargetKind): SegmentDm {
  return {
    name: kind.name,
    target: (seg, ctx) => ({ start: seg.startExtent * ctx.extentSize, length: seg.extentCount * ctx.extentSize, kind, areas: [] }),
  };
}

export const errorDm = fillDm(errorTarget);
export const zeroDm = fillDm(zeroTarget);
