/**
 * Area lists shared by segment types: `stripes = ["pv0", 0, "pv1", 0]` (striped) and
 * `mirrors = ["lv_mimage_0", 0, ...]` are pairs of (PV key or LV name, first extent).
 */
import { type ConfigSetting, setting } from '../metadata/config-tree.js';
import { type SectionReader, describeScalar, metadataError } from '../model/config-access.js';
import { shownText } from '../model/names.js';
import type { SegmentDecodeContext, SegmentEncodeContext } from '../model/segment-codec.js';
import type { SegmentArea } from '../model/types.js';

export function decodeAreaPairs(s: ConfigSetting | undefined, key: string, count: number, r: SectionReader,
  ctx: SegmentDecodeContext): SegmentArea[] {
  const where = { toString: () => r.what };   // computed only when a message needs it
  if (!s) throw metadataError(ctx.source, r.sec.pos, `${where}: missing required setting "${key}"`);
  if (!Array.isArray(s.value)) throw metadataError(ctx.source, s.pos, `${where}: ${key} must be a list`);
  const v = s.value;
  if (count === 0) throw metadataError(ctx.source, s.pos, `${where}: zero areas not allowed (${key === 'stripes' ? 'stripe_count' : 'count'} is 0)`);
  if (v.length % 2 === 1) {
    throw metadataError(ctx.source, s.pos, `${where}: missing offset in areas array: ${key} has ${v.length} values, expected pairs of (name, first extent)`);
  }
  if (v.length !== count * 2) {
    throw metadataError(ctx.source, s.pos,
      `${where}: incorrect number of areas: ${key} has ${v.length / 2} pairs for ${key === 'stripes' ? 'stripe_count' : 'count'} ${count}`);
  }
  const areas: SegmentArea[] = [];
  for (let i = 0; i < v.length; i += 2) {
    const name = v[i];
    const ext = v[i + 1];
    if (typeof name !== 'string') throw metadataError(ctx.source, s.pos, `${where}: ${key}[${i}]: expected a PV or LV name, found ${describeScalar(name)}`);
    if (typeof ext !== 'number' || !Number.isInteger(ext) || ext < 0 || ext > 0xffffffff) {
      throw metadataError(ctx.source, s.pos, `${where}: ${key}[${i + 1}]: expected an extent number, found ${describeScalar(ext)}`);
    }
    const pv = ctx.pvByKey.get(name);
    if (pv) areas.push({ kind: 'pv', pv, pe: ext });
    else if (ctx.isLvName(name)) areas.push({ kind: 'lv', lvName: name, le: ext });
    else throw metadataError(ctx.source, s.pos, `${where}: couldn't find volume '${shownText(name)}' for segment (not a PV of this VG, nor an LV)`);
  }
  return areas;
}

/** Written one pair per line, as LVM2 does. */
export function encodeAreaPairs(key: string, areas: SegmentArea[], ctx: SegmentEncodeContext): ConfigSetting {
  const value: (string | number)[] = [];
  for (const a of areas) {
    if (a.kind === 'pv') value.push(ctx.pvKey(a.pv), a.pe);
    else value.push(a.lvName, a.le);
  }
  return setting(key, value, { elementsPerLine: 2 });
}
