/**
 * Turns the VG model back into a config tree in LVM2's own layout (§7.3-§7.8): key order, blank
 * lines and, for the file flavour (vgcfgbackup), the trailing comments LVM2 writes.
 * Unknown items kept by the reader are written back unchanged.
 */
import { formatLvmTime } from './local-time.js';
import { type ConfigDocument, type ConfigItem, type ConfigSection, type ConfigSetting, type ConfigValue, section, setting } from '../metadata/config-tree.js';
import { baseSegtype, genericCodec, segmentSetting, type SegmentCodecLookup, type SegmentEncodeContext } from './segment-codec.js';
import type { LogicalVolume, PhysicalVolume, Segment, VolumeGroup } from './types.js';

export type Flavour = 'file' | 'raw';

export interface ToConfigOptions {
  flavour: Flavour;
  codecs?: SegmentCodecLookup;
  /** Top-level items outside the VG section; defaults to `vg.header`. */
  header?: ConfigItem[];
}

export function vgToConfig(vg: VolumeGroup, opts: ToConfigOptions): ConfigDocument {
  const file = opts.flavour === 'file';
  const c = (text: string | undefined) => (file ? text : undefined);
  const pvKeys = new Map<PhysicalVolume, string>(vg.pvs.map((pv, i) => [pv, `pv${i}`]));
  const ctx: SegmentEncodeContext = { pvKey: (pv) => pvKeys.get(pv) ?? pv.key };

  const items: ConfigItem[] = [
    s('id', vg.id),
    s('seqno', vg.seqno),
    s('format', vg.format, c('# informational')),
    s('status', vg.status),
    s('flags', vg.flags),
  ];
  if (vg.tags.length) items.push(s('tags', vg.tags));
  if (vg.systemId !== undefined) items.push(s('system_id', vg.systemId));
  if (vg.lockType !== undefined) {
    items.push(s('lock_type', vg.lockType));
    if (vg.lockArgs !== undefined) items.push(s('lock_args', vg.lockArgs));
  }
  items.push(s('extent_size', vg.extentSize, c(sizeComment(vg.extentSize))), s('max_lv', vg.maxLv), s('max_pv', vg.maxPv));
  if (vg.allocationPolicy !== 'normal' && vg.allocationPolicy !== 'inherit') {
    items.push(s('allocation_policy', vg.allocationPolicy, undefined, 1));
  }
  if (vg.profile !== undefined) items.push(s('profile', vg.profile));
  if (vg.metadataCopies !== undefined) items.push(s('metadata_copies', vg.metadataCopies));
  items.push(...vg.extra);

  const pvSections = vg.pvs.map((pv) => pvToSection(pv, pvKeys.get(pv)!, vg.extentSize, file));
  items.push(section('physical_volumes', pvSections, { blankLinesBefore: 1 }));
  const isVisible = outputVisibility(vg);
  const visible = vg.lvs.filter(isVisible);
  const hidden = vg.lvs.filter((lv) => !isVisible(lv));
  const lvSections = [...visible, ...hidden].map((lv) => lvToSection(lv, vg.extentSize, file, opts.codecs, ctx));
  if (lvSections.length) items.push(section('logical_volumes', lvSections, { blankLinesBefore: 1 }));
  if (vg.historicalLvs) items.push({ ...vg.historicalLvs, blankLinesBefore: 1 } as ConfigItem);
  const vgSec = section(vg.name, items, { blankLinesBeforeClose: lvSections.length || vg.historicalLvs ? 1 : 2 });

  const header = opts.header ?? vg.header;
  if (file) return { kind: 'document', children: [...header, { ...vgSec, blankLinesBefore: header.length ? 1 : 0 }] };
  // On disk the header block follows the VG; its last line (creation_time's ctime comment) ends in a blank line.
  return { kind: 'document', children: [vgSec, ...header], trailingBlankLines: header.length ? 1 : 0 };
}

/**
 * LVM2 writes visible LVs first, then hidden ones, each group in the VG's order, with its own idea of
 * "visible" (lv_is_visible): an old-style snapshot's internal LV (the one holding the `snapshot`
 * segment, e.g. snapshot0) is hidden even though its status says VISIBLE; a snapshot's COW LV (named by
 * `cow_store`) is as visible as its origin, although its status lacks VISIBLE, unless it is merging
 * (`merging_store`); every other LV is visible when its status has VISIBLE.
 * (Checked on snapshots made by real LVM2 with the real kernel: test/interop/snapshot.test.ts.)
 */
function outputVisibility(vg: VolumeGroup): (lv: LogicalVolume) => boolean {
  const byName = new Map(vg.lvs.map((lv) => [lv.name, lv]));
  const snapshotHolders = new Set<LogicalVolume>();
  const cowOrigin = new Map<LogicalVolume, LogicalVolume | undefined>();
  const merging = new Set<LogicalVolume>();
  for (const lv of vg.lvs) {
    for (const seg of lv.segments) {
      if (baseSegtype(seg.type) !== 'snapshot') continue;
      snapshotHolders.add(lv);
      const origin = bodyString(seg, 'origin');
      const mergingName = bodyString(seg, 'merging_store');
      const cow = byName.get(mergingName ?? bodyString(seg, 'cow_store') ?? '');
      if (!cow) continue;
      cowOrigin.set(cow, origin === undefined ? undefined : byName.get(origin));
      if (mergingName !== undefined) merging.add(cow);
    }
  }
  const visible = (lv: LogicalVolume, depth = 0): boolean => {
    if (snapshotHolders.has(lv)) return false;
    if (cowOrigin.has(lv) && depth < 8) {
      if (merging.has(lv)) return false;
      const origin = cowOrigin.get(lv);
      return origin ? visible(origin, depth + 1) : true;
    }
    return lv.status.includes('VISIBLE');
  };
  return (lv) => visible(lv);
}

function bodyString(seg: Segment, key: string): string | undefined {
  const v = segmentSetting(seg, key);
  return typeof v === 'string' ? v : undefined;
}

function pvToSection(pv: PhysicalVolume, key: string, extentSize: number, file: boolean): ConfigSection {
  const items: ConfigItem[] = [s('id', pv.id)];
  if (pv.deviceHint !== undefined) items.push(s('device', pv.deviceHint, file ? '# Hint only' : undefined));
  let blank = 1;
  if (pv.deviceIdType !== undefined) { items.push(s('device_id_type', pv.deviceIdType, undefined, blank)); blank = 0; }
  if (pv.deviceId !== undefined) { items.push(s('device_id', pv.deviceId, undefined, blank)); blank = 0; }
  items.push(s('status', pv.status, undefined, blank), s('flags', pv.flags));
  if (pv.tags.length) items.push(s('tags', pv.tags));
  if (pv.devSize !== undefined) items.push(s('dev_size', pv.devSize, file ? sizeComment(pv.devSize) : undefined));
  items.push(s('pe_start', pv.peStart), s('pe_count', pv.peCount, file ? sizeComment(pv.peCount * extentSize) : undefined));
  if (pv.baStart !== undefined && pv.baSize !== undefined) {
    items.push(s('ba_start', pv.baStart), s('ba_size', pv.baSize, file ? sizeComment(pv.baSize) : undefined));
  }
  items.push(...pv.extra);
  return section(key, items, { blankLinesBefore: 1 });
}

function lvToSection(lv: LogicalVolume, extentSize: number, file: boolean, codecs: SegmentCodecLookup | undefined,
  ctx: SegmentEncodeContext): ConfigSection {
  const items: ConfigItem[] = [s('id', lv.id), s('status', lv.status), s('flags', lv.flags)];
  if (lv.tags.length) items.push(s('tags', lv.tags));
  if (lv.creationTime !== undefined) {
    items.push(s('creation_time', lv.creationTime, file ? `# ${formatLocalTime(lv.creationTime)}` : undefined));
    items.push(s('creation_host', lv.creationHost ?? ''));
  }
  if (lv.lockArgs !== undefined) items.push(s('lock_args', lv.lockArgs));
  if (lv.allocationPolicy !== undefined && lv.allocationPolicy !== 'inherit') items.push(s('allocation_policy', lv.allocationPolicy));
  if (lv.profile !== undefined) items.push(s('profile', lv.profile));
  if (lv.readAhead !== undefined) items.push(s('read_ahead', lv.readAhead, file && lv.readAhead === -1 ? '# None' : undefined));
  if (lv.major !== undefined) items.push(s('major', lv.major));
  if (lv.minor !== undefined) items.push(s('minor', lv.minor));
  items.push(...lv.extra);
  items.push(s('segment_count', lv.segments.length));
  lv.segments.forEach((seg, i) => {
    const sec = segmentToSection(seg, i + 1, extentSize, file, codecs, ctx);
    items.push(i === 0 ? { ...sec, blankLinesBefore: 1 } : sec);
  });
  return section(lv.name, items, { blankLinesBefore: 1 });
}

function segmentToSection(seg: Segment, n: number, extentSize: number, file: boolean,
  codecs: SegmentCodecLookup | undefined, ctx: SegmentEncodeContext): ConfigSection {
  const items: ConfigItem[] = [
    s('start_extent', seg.startExtent),
    s('extent_count', seg.extentCount, file ? sizeComment(seg.extentCount * extentSize) : undefined),
  ];
  const tail: ConfigItem[] = [];
  if (seg.reshapeCount !== undefined) tail.push(s('reshape_count', seg.reshapeCount, file ? sizeComment(seg.reshapeCount * extentSize) : undefined));
  tail.push(...seg.extra);
  tail.push(s('type', seg.type));
  if (seg.tags.length) tail.push(s('tags', seg.tags));
  const codec = codecs?.(baseSegtype(seg.type)) ?? genericCodec;
  const body = codec.encode(seg, ctx).map((it) => decorateSegmentItem(it, seg, file));
  tail.push(...body);
  tail[0] = { ...tail[0], blankLinesBefore: 1 };
  return section(`segment${n}`, [...items, ...tail], { blankLinesBefore: 0 });
}

/** LVM2's own layout inside striped segments: comments on stripe_count/stripe_size, a blank line before stripes. */
function decorateSegmentItem(it: ConfigItem, seg: Segment, file: boolean): ConfigItem {
  if (it.kind !== 'setting' || it.pos) return it;
  if (it.key === 'stripe_count' && it.value === 1 && file) return { ...it, comment: '# linear' };
  if (it.key === 'stripe_size' && file && typeof it.value === 'number') return { ...it, comment: sizeComment(it.value) };
  if (it.key === 'stripes' && baseSegtype(seg.type) === 'striped') return { ...it, blankLinesBefore: 1 };
  return it;
}

function s(key: string, value: ConfigValue, comment?: string, blankLinesBefore?: number): ConfigSetting {
  const out = setting(key, value);
  if (comment !== undefined) out.comment = comment;
  if (blankLinesBefore) out.blankLinesBefore = blankLinesBefore;
  return out;
}

const SIZE_UNITS = ['Kilobytes', 'Megabytes', 'Gigabytes', 'Terabytes', 'Petabytes', 'Exabytes'];

/** LVM2's size comment: sectors/2 KiB, divided by 1024 while > 1024, printed like C's %g. */
export function sizeComment(sectors: number): string {
  let v = sectors / 2;
  let i = 0;
  while (v > 1024 && i < SIZE_UNITS.length - 1) { v /= 1024; i++; }
  return `# ${formatG(v)} ${SIZE_UNITS[i]}`;
}

/** C printf %g with the default precision of 6. */
export function formatG(v: number): string {
  if (v === 0) return '0';
  const exp = Math.floor(Math.log10(Math.abs(v)));
  if (exp < -4 || exp >= 6) {
    const [m, e] = v.toExponential(5).split('e');
    const mant = m.includes('.') ? m.replace(/\.?0+$/, '') : m;
    const en = Number(e);
    return `${mant}e${en < 0 ? '-' : '+'}${String(Math.abs(en)).padStart(2, '0')}`;
  }
  const str = v.toFixed(Math.max(0, 5 - exp));
  return str.includes('.') ? str.replace(/\.?0+$/, '') : str;
}

/** "%Y-%m-%d %H:%M:%S %z" in local time, as LVM2 writes after an LV's creation_time. */
export function formatLocalTime(unixSeconds: number): string {
  // Times JS Date cannot hold (hostile metadata): as LVM2 prints them, never "NaN".
  if (Math.abs(unixSeconds) >= 8.64e12) return formatLvmTime(unixSeconds);
  const d = new Date(unixSeconds * 1000);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  const a = Math.abs(off);
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())} ${sign}${p(Math.floor(a / 60))}${p(a % 60)}`;
}
