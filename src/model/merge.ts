/**
 * LVM2 merges adjacent compatible segments of an LV after reading it and after every allocation
 * change (lv_merge_segments): same type, same tags, and the segment type agrees (for striped: same
 * stripe count and size, each stripe continuing on the same PV right after the previous one).
 */
import { baseSegtype, type SegmentCodecLookup } from './segment-codec.js';
import type { Segment } from './types.js';

export function mergeAdjacentSegments(segments: Segment[], codecs: SegmentCodecLookup | undefined): Segment[] {
  if (segments.length < 2 || !codecs) return segments;
  const out: Segment[] = [segments[0]];
  // The last output segment is a copy made here (so it may grow in place: one copy per run of merged
  // segments, not one per segment; the input segments are never changed).
  let lastIsCopy = false;
  for (let i = 1; i < segments.length; i++) {
    const prev = out[out.length - 1];
    const cur = segments[i];
    if (mayMerge(prev, cur, codecs)) {
      if (lastIsCopy) prev.extentCount += cur.extentCount;
      else { out[out.length - 1] = { ...prev, extentCount: prev.extentCount + cur.extentCount }; lastIsCopy = true; }
    } else {
      out.push(cur);
      lastIsCopy = false;
    }
  }
  return out;
}

function mayMerge(a: Segment, b: Segment, codecs: SegmentCodecLookup): boolean {
  if (a.type !== b.type || a.reshapeCount !== undefined || b.reshapeCount !== undefined) return false;
  if (a.body.length || b.body.length || a.extra.length || b.extra.length) return false;
  if (a.tags.length !== b.tags.length || a.tags.some((t, i) => t !== b.tags[i])) return false;
  if (a.startExtent + a.extentCount !== b.startExtent) return false;
  const codec = codecs(baseSegtype(a.type));
  return codec?.canMerge?.(a, b) ?? false;
}
