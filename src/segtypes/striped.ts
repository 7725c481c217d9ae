/**
 * Segment type "striped" (linear = striped with one stripe): its text keys, merge rule,
 * device-mapper table line and userspace reads and writes (the `linear` and `striped` targets).
 *   stripe_count = N
 *   stripe_size = S        (sectors; written only when N > 1)
 *   stripes = [ "pv0", 2, "pv1", 0 ]   (one line per stripe: PV key or LV name, first extent)
 */
import { type ConfigItem, setting } from '../metadata/config-tree.js';
import type { SegmentCodec } from '../model/segment-codec.js';
import { metadataError } from '../model/config-access.js';
import { decodeAreaPairs, encodeAreaPairs } from './areas.js';
import { SECTOR, type IoContext, type SegmentDm, type Target, type TargetArea, type TargetKind } from './target.js';

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

// ---------------------------------------------------------------------------------------------
// Device-mapper: `linear <dev> <offset>` for one stripe, `striped <#stripes> <chunk> <dev> <offset>...`
// for more (offsets in sectors: pe_start + pe * extent_size), and their reads and writes.

/** `linear`: one area, byte for byte. */
export const linearTarget: TargetKind = {
  name: 'linear',
  params: (t, area) => area(t.areas[0]),
  read: (t, offset, buf) => t.areas[0].device.io.readInto(t.areas[0].offset * SECTOR + offset, buf),
  write: (t, offset, data) => t.areas[0].device.io.write(t.areas[0].offset * SECTOR + offset, data),
};

/**
 * Where the bytes [a, b) of a striped target lie on stripe `s`: one contiguous byte range of that
 * stripe's area (from `start`, `length` bytes; length 0 when the range touches no chunk of the stripe).
 */
export function stripeRange(a: number, b: number, s: number, n: number, chunk: number): { start: number; length: number } {
  const k0 = Math.floor(a / chunk);
  const row0 = Math.floor(k0 / n);
  const s0 = k0 % n;
  const start = s === s0 ? row0 * chunk + (a % chunk) : s > s0 ? row0 * chunk : (row0 + 1) * chunk;
  const k1 = Math.floor((b - 1) / chunk);
  const row1 = Math.floor(k1 / n);
  const s1 = k1 % n;
  const end = s === s1 ? row1 * chunk + ((b - 1) % chunk) + 1 : s < s1 ? (row1 + 1) * chunk : row1 * chunk;
  return { start, length: Math.max(0, end - start) };
}

/**
 * How the bytes [offset, end) of a striped target lie on its stripes: for stripe s, `starts[s]` is the
 * first byte in its area and `lengths[s]` how many bytes; packed stripe after stripe in one buffer, its
 * bytes begin at `bases[s]`.
 */
interface StripeLayout { starts: number[]; lengths: number[]; bases: number[]; total: number }

function stripeLayout(offset: number, end: number, n: number, chunk: number): StripeLayout {
  const starts: number[] = new Array(n);
  const lengths: number[] = new Array(n);
  const bases: number[] = new Array(n);
  let total = 0;
  for (let s = 0; s < n; s++) {
    const r = stripeRange(offset, end, s, n, chunk);
    starts[s] = r.start;
    lengths[s] = r.length;
    bases[s] = total;
    total += r.length;
  }
  return { starts, lengths, bases, total };
}

/** Each chunk piece of [offset, end), in LV order: its LV offset `x`, its place `at` in the packed buffer, its length. */
function forEachPiece(l: StripeLayout, offset: number, end: number, n: number, chunk: number,
  fn: (x: number, at: number, take: number) => void): void {
  let x = offset;
  while (x < end) {
    const kk = Math.floor(x / chunk);
    const s = kk % n;
    const within = x % chunk;
    const take = Math.min(chunk - within, end - x);
    fn(x, l.bases[s] + Math.floor(kk / n) * chunk + within - l.starts[s], take);
    x += take;
  }
}

/** One I/O per stripe, at `area offset + starts[s]`, into or from the packed buffer `packed`. */
function stripeIos(t: Target, l: StripeLayout, packed: Uint8Array, write: boolean): Promise<void>[] {
  const ios: Promise<void>[] = [];
  for (let s = 0; s < t.areas.length; s++) {
    if (!l.lengths[s]) continue;
    const area = t.areas[s];
    const pos = area.offset * SECTOR + l.starts[s];
    const view = packed.subarray(l.bases[s], l.bases[s] + l.lengths[s]);
    ios.push(write ? area.device.io.write(pos, view) : area.device.io.readInto(pos, view));
  }
  return ios;
}

/**
 * Splits [offset, offset+len) of a striped target into one contiguous range per stripe (large I/O),
 * then copies between the scratch buffer and the caller's bytes chunk by chunk.
 */
async function stripedIo(t: Target, offset: number, buf: Uint8Array, ctx: IoContext, write: boolean): Promise<void> {
  const n = t.areas.length;
  const chunk = (t.chunk ?? 0) * SECTOR;
  const len = buf.length;
  if (len === 0) return;
  const k = Math.floor(offset / chunk);
  if (Math.floor((offset + len - 1) / chunk) === k) {
    // Inside one chunk: straight to (or from) the device.
    const area = t.areas[k % n];
    const pos = area.offset * SECTOR + Math.floor(k / n) * chunk + (offset % chunk);
    return write ? area.device.io.write(pos, buf) : area.device.io.readInto(pos, buf);
  }
  const end = offset + len;
  const layout = stripeLayout(offset, end, n, chunk);
  const scratch = ctx.scratch.get(len);
  if (write) forEachPiece(layout, offset, end, n, chunk, (x, at, take) => scratch.set(buf.subarray(x - offset, x - offset + take), at));
  await Promise.all(stripeIos(t, layout, scratch, write));
  if (!write) forEachPiece(layout, offset, end, n, chunk, (x, at, take) => buf.set(scratch.subarray(at, at + take), x - offset));
}

/** One read per stripe into `space` (stripe after stripe), then views of the chunks in LV order: no copy. */
async function stripedReadv(t: Target, offset: number, space: Uint8Array, out: Uint8Array[]): Promise<void> {
  const n = t.areas.length;
  const chunk = (t.chunk ?? 0) * SECTOR;
  const end = offset + space.length;
  if (space.length === 0) return;
  const layout = stripeLayout(offset, end, n, chunk);
  await Promise.all(stripeIos(t, layout, space, false));
  forEachPiece(layout, offset, end, n, chunk, (_x, at, take) => out.push(space.subarray(at, at + take)));
}

/** `striped`: chunks of `chunk` sectors dealt round-robin over the areas. */
export const stripedTarget: TargetKind = {
  name: 'striped',
  params: (t, area) => `${t.areas.length} ${t.chunk} ${t.areas.map(area).join(' ')}`,
  read: (t, offset, buf, ctx) => stripedIo(t, offset, buf, ctx, false),
  write: (t, offset, data, ctx) => stripedIo(t, offset, data, ctx, true),
  readv: stripedReadv,
};

/** A striped segment as LVM2 loads it: `linear` for one stripe, `striped` for more. */
export const stripedDm: SegmentDm = {
  name: 'striped',
  target(seg, ctx) {
    const n = seg.areas.length;
    // A loop, not areas.map(): no closure per segment (an LV may have 10,000 of them).
    let areas: TargetArea[];
    if (n === 1) areas = [ctx.area(0)];
    else { areas = []; for (let i = 0; i < n; i++) areas.push(ctx.area(i)); }
    const start = seg.startExtent * ctx.extentSize;
    const length = seg.extentCount * ctx.extentSize;
    if (n === 1) return { start, length, kind: linearTarget, areas };
    return { start, length, kind: stripedTarget, areas, chunk: seg.stripeSize ?? 0 };
  },
};
