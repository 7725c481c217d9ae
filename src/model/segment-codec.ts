/**
 * How a segment type reads and writes its own keys. The model knows the common head of every
 * segment (start_extent, extent_count, reshape_count, type, tags); each segment type module in
 * src/segtypes/ implements this interface for its body and registers itself there. A type without
 * a codec is kept verbatim (`genericCodec`), so unknown segment types survive a rewrite unchanged.
 */
import type { ConfigItem } from '../metadata/config-tree.js';
import type { SectionReader } from './config-access.js';
import type { PhysicalVolume, Segment } from './types.js';

export interface SegmentDecodeContext {
  source: string;
  /** PV by its key in this text (pv0, pv1, ...). */
  pvByKey: Map<string, PhysicalVolume>;
  /** True when `name` is an LV of this VG (areas may refer to LVs). */
  isLvName(name: string): boolean;
}

export interface SegmentEncodeContext {
  /** The key (pvN) under which `pv` is written in this text. */
  pvKey(pv: PhysicalVolume): string;
}

export interface SegmentCodec {
  /** Base segment type name (without +FLAGS). */
  readonly name: string;
  /** Fill `seg.areas`, `seg.stripeSize`, `seg.body` from the segment section (head already consumed). */
  decode(r: SectionReader, seg: Segment, ctx: SegmentDecodeContext): void;
  /** Items written after `type = "..."` (and tags) in LVM2's order. */
  encode(seg: Segment, ctx: SegmentEncodeContext): ConfigItem[];
  /** May two adjacent segments of this type be merged into one (LVM2's lv_merge_segments)? */
  canMerge?(a: Segment, b: Segment): boolean;
}

export type SegmentCodecLookup = (baseType: string) => SegmentCodec | undefined;

/** Keeps every type-specific item as it was. */
export const genericCodec: SegmentCodec = {
  name: '*',
  decode(r, seg) {
    seg.body = r.rest();
  },
  encode(seg) {
    return seg.body;
  },
};

/**
 * A scalar setting among a segment's type-specific items (`body`, then `extra`), e.g. a snapshot's
 * `cow_store`: strings and numbers as they are, 64-bit integers as numbers, other scalars as text.
 */
export function segmentSetting(seg: Segment, key: string): string | number | undefined {
  return scalarSetting(seg.body, key) ?? scalarSetting(seg.extra, key);
}

function scalarSetting(items: ConfigItem[], key: string): string | number | undefined {
  for (const it of items) {
    if (it.kind !== 'setting' || it.key !== key) continue;
    const v = it.value;
    if (typeof v === 'string' || typeof v === 'number') return v;
    if (typeof v === 'bigint') return Number(v);
    if (!Array.isArray(v)) return String(v);
  }
  return undefined;
}

export function baseSegtype(type: string): string {
  const plus = type.indexOf('+');
  return plus < 0 ? type : type.slice(0, plus);
}
