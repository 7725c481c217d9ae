/**
 * The segment type registry: one module per type. Types not listed here (mirror, raid*, thin*,
 * cache*, snapshot, vdo*, ...) are read and written back verbatim by the model's generic codec.
 */
import type { SegmentCodec, SegmentCodecLookup } from '../model/segment-codec.js';
import { keylessCodec, stripedCodec, stripedDm } from './striped.js';
import { errorDm, zeroDm } from './fill.js';
import type { SegmentDm } from './target.js';

const codecs = new Map<string, SegmentCodec>([
  [stripedCodec.name, stripedCodec],
  ['error', keylessCodec('error')],
  ['zero', keylessCodec('zero')],
]);

export const lookupSegtype: SegmentCodecLookup = (name) => codecs.get(name);

export function registerSegtype(codec: SegmentCodec): void {
  codecs.set(codec.name, codec);
}

/** The device-mapper part of each segment type lvmkit can map (table line and userspace I/O). */
const dmTypes = new Map<string, SegmentDm>([
  [stripedDm.name, stripedDm],
  [errorDm.name, errorDm],
  [zeroDm.name, zeroDm],
]);

export function lookupSegtypeDm(name: string): SegmentDm | undefined {
  return dmTypes.get(name);
}

export function registerSegtypeDm(dm: SegmentDm): void {
  dmTypes.set(dm.name, dm);
}
