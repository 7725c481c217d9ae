/**
 * Segment type "striped" (linear = striped with one stripe): its text keys, merge rule and
 * device-mapper table line.
 *   stripe_count = N
 *   stripe_size = S        (sectors; written only when N > 1)
 *   stripes = [ "pv0", 2, "pv1", 0 ]   (one line per stripe: PV key or LV name, first extent)
 */
import { type ConfigItem, setting } from '../metadata/config-tree.js';
import type { SegmentCodec } from '../model/segment-codec.js';
import { metadataError } from '../model/config-access.js';
import { decodeAreaPairs, encodeAreaPairs } from './areas.js';

export const stripedCodec: SegmentCodec = {
  name: 'striped',
  decode(r, seg, ctx) {
    const count = r.uint('stripe_count', 32);
    seg.stripeSize = r.uint('stripe_size', 32, true);
    const stripes = r.raw('stripes');
    seg.areas = decodeAreaPairs(stripes, 'stripes', count, r, ctx);
    if (count > 1 && seg.stripeSize === undefined) {
      throw metadataError(ctx.source, r.sec.pos, `${r.what}: missing required setting "stripe_size" (stripe_count is ${count})`);
    }
    seg.body = r.rest();
  },
  encode(seg, ctx) {
    const items: ConfigItem[] = [setting('stripe_count', seg.areas.length)];
    if (seg.areas.length > 1) items.push(setting('stripe_size', seg.stripeSize ?? 0));
    items.push(encodeAreaPairs('stripes', seg.areas, ctx));
    return [...items, ...seg.body];
  },
  canMerge(a, b) {
    if (a.areas.length !== b.areas.length || a.stripeSize !== b.stripeSize) return false;
    const n = a.areas.length;
    const lenA = a.extentCount / n;
    return a.areas.every((x, i) => {
      const y = b.areas[i];
      return x.kind === 'pv' && y.kind === 'pv' && x.pv === y.pv && x.pe + lenA === y.pe;
    });
  },
};

/** Segment types with no keys of their own ("error", "zero"). */
export function keylessCodec(name: string): SegmentCodec {
  return {
    name,
    decode(r, seg) { seg.body = r.rest(); },
    encode(seg) { return seg.body; },
    canMerge: () => true,
  };
}
