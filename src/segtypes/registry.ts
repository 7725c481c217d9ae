/**
 * The segment type registry: one module per type. Types not listed here (mirror, raid*, thin*,
 * cache*, snapshot, vdo*, ...) are read and written back verbatim by the model's generic codec.
 */
import type { SegmentCodec, SegmentCodecLookup } from '../model/segment-codec.js';
import { keylessCodec, stripedCodec } from './striped.js';

const codecs = new Map<string, SegmentCodec>([
  [stripedCodec.name, stripedCodec],
  ['error', keylessCodec('error')],
  ['zero', keylessCodec('zero')],
]);

export const lookupSegtype: SegmentCodecLookup = (name) => codecs.get(name);

export function registerSegtype(codec: SegmentCodec): void {
  codecs.set(codec.name, codec);
}
