/**
 * Builds the typed VG model from a parsed metadata text (on-disk text or backup file).
 * Follows what LVM2 requires when it reads a VG (§6.2, §7 of the format reference): the first
 * top-level section is the VG; required keys must be there; segment areas must name a PV of this
 * text or an LV of this VG. Anything not understood is kept in `extra` / `body` / `header`.
 */
import { type ConfigDocument, type ConfigItem, type ConfigSection, type ConfigSetting } from '../metadata/config-tree.js';
import { SectionReader, describeScalar, metadataError } from './config-access.js';
import { baseSegtype, genericCodec, type SegmentCodecLookup, type SegmentDecodeContext } from './segment-codec.js';
import type { LogicalVolume, PhysicalVolume, Segment, VolumeGroup } from './types.js';
import { mergeAdjacentSegments } from './merge.js';
import { shownName } from './names.js';

export interface FromConfigOptions {
  /** Name of the text's origin for messages (file, or "file@offset"). */
  source?: string;
  /** Segment type codecs (src/segtypes/registry.ts); unknown types are kept verbatim. */
  codecs?: SegmentCodecLookup;
  /** Merge adjacent compatible segments as LVM2 does after reading (default true). */
  merge?: boolean;
}

const VG_KEYS = ['id', 'seqno', 'format', 'status', 'flags', 'tags', 'system_id', 'lock_type', 'lock_args',
  'extent_size', 'max_lv', 'max_pv', 'allocation_policy', 'profile', 'metadata_copies'];

export function vgFromConfig(doc: ConfigDocument, opts: FromConfigOptions = {}): VolumeGroup {
  const source = opts.source ?? 'metadata';
  const vgSec = doc.children.find((c): c is ConfigSection => c.kind === 'section');
  if (!vgSec) throw metadataError(source, undefined, 'no volume group section found');
  checkHeader(doc, vgSec, source);

  const r = new SectionReader(vgSec, source, () => `VG ${shownName(vgSec.name)}`);
  const vg: VolumeGroup = {
    name: vgSec.name,
    id: r.str('id'),
    seqno: r.uint('seqno', 32),
    format: r.str('format', true) ?? 'lvm2',
    status: r.strList('status'),
    flags: r.strList('flags', true) ?? [],
    tags: r.strList('tags', true) ?? [],
    systemId: r.str('system_id', true),
    lockType: r.str('lock_type', true),
    lockArgs: r.str('lock_args', true),
    extentSize: r.uint('extent_size', 32),
    maxLv: r.uint('max_lv', 32),
    maxPv: r.uint('max_pv', 32),
    allocationPolicy: r.str('allocation_policy', true) ?? 'normal',
    profile: r.str('profile', true),
    metadataCopies: r.uint('metadata_copies', 32, true),
    pvs: [],
    lvs: [],
    extra: [],
    header: doc.children.filter((c) => c !== vgSec),
  };
  const pvSec = findSubsection(vgSec, 'physical_volumes', r);
  if (!pvSec) throw metadataError(source, vgSec.pos, `VG ${shownName(vg.name)}: missing required section "physical_volumes"`);
  for (const s of subsections(pvSec)) vg.pvs.push(pvFromSection(s, source));

  const lvSec = findSubsection(vgSec, 'logical_volumes', r);
  const lvSections = lvSec ? subsections(lvSec) : [];
  const lvNames = new Set(lvSections.map((s) => s.name));
  const ctx: SegmentDecodeContext = {
    source,
    pvByKey: new Map(vg.pvs.map((pv) => [pv.key, pv])),
    isLvName: (n) => lvNames.has(n),
  };
  for (const s of lvSections) vg.lvs.push(lvFromSection(s, ctx, opts.codecs, opts.merge !== false));

  const hist = findSubsection(vgSec, 'historical_logical_volumes', r);
  if (hist) vg.historicalLvs = hist;
  vg.extra = r.rest((c) => c === pvSec || c === lvSec || c === hist || (c.kind === 'setting' && VG_KEYS.includes(c.key)));
  return vg;
}

function checkHeader(doc: ConfigDocument, vgSec: ConfigSection, source: string): void {
  const top = doc.children.filter((c): c is ConfigSetting => c.kind === 'setting');
  const contents = top.find((s) => s.key === 'contents');
  if (!contents) throw metadataError(source, vgSec.pos, 'missing "contents" field (expected contents = "Text Format Volume Group")');
  if (contents.value !== 'Text Format Volume Group') {
    throw metadataError(source, contents.pos, `contents: expected "Text Format Volume Group", found ${Array.isArray(contents.value) ? 'a list' : describeScalar(contents.value)}`);
  }
  const version = top.find((s) => s.key === 'version');
  if (!version) throw metadataError(source, vgSec.pos, 'missing "version" field (expected version = 1)');
  if (version.value !== 1) throw metadataError(source, version.pos, `unrecognised version number ${String(version.value)} (expected 1)`);
}

function findSubsection(sec: ConfigSection, name: string, r: SectionReader): ConfigSection | undefined {
  for (const c of sec.children) {
    if (c.kind === 'section' && c.name === name) { r.markUsed(c); return c; }
  }
  return undefined;
}

function subsections(sec: ConfigSection): ConfigSection[] {
  return sec.children.filter((c): c is ConfigSection => c.kind === 'section');
}

const PV_KEYS = ['id', 'device', 'device_id_type', 'device_id', 'status', 'flags', 'tags', 'dev_size', 'pe_start',
  'pe_count', 'ba_start', 'ba_size'];

function pvFromSection(s: ConfigSection, source: string): PhysicalVolume {
  const r = new SectionReader(s, source, () => `PV ${shownName(s.name)}`);
  const pv: PhysicalVolume = {
    key: s.name,
    id: r.str('id'),
    deviceHint: r.str('device', true),
    deviceIdType: r.str('device_id_type', true),
    deviceId: r.str('device_id', true),
    status: r.strList('status'),
    flags: r.strList('flags', true) ?? [],
    tags: r.strList('tags', true) ?? [],
    devSize: r.uint('dev_size', 64, true),
    peStart: r.uint('pe_start', 64),
    peCount: r.uint('pe_count', 32),
    baStart: r.uint('ba_start', 64, true),
    baSize: r.uint('ba_size', 64, true),
    extra: [],
  };
  if ((pv.baStart === undefined) !== (pv.baSize === undefined)) {
    throw metadataError(source, s.pos, `PV ${shownName(s.name)}: ba_start and ba_size must be given together`);
  }
  pv.extra = r.rest((c) => c.kind === 'setting' && PV_KEYS.includes(c.key));
  return pv;
}

const LV_KEYS = ['id', 'status', 'flags', 'tags', 'creation_time', 'creation_host', 'lock_args', 'allocation_policy',
  'profile', 'read_ahead', 'major', 'minor', 'segment_count'];

function lvFromSection(s: ConfigSection, ctx: SegmentDecodeContext, codecs: SegmentCodecLookup | undefined,
  merge: boolean): LogicalVolume {
  const source = ctx.source;
  const r = new SectionReader(s, source, () => `LV ${shownName(s.name)}`);
  const lv: LogicalVolume = {
    name: s.name,
    id: r.str('id'),
    status: r.strList('status'),
    flags: r.strList('flags', true) ?? [],
    tags: r.strList('tags', true) ?? [],
    creationTime: r.int('creation_time', true),
    creationHost: r.str('creation_host', true),
    lockArgs: r.str('lock_args', true),
    allocationPolicy: r.str('allocation_policy', true),
    profile: r.str('profile', true),
    readAhead: r.int('read_ahead', true),
    major: r.int('major', true),
    minor: r.int('minor', true),
    segments: [],
    extra: [],
  };
  if (lv.creationTime !== undefined && lv.creationHost === undefined) {
    throw metadataError(source, s.pos, `LV ${shownName(s.name)}: creation_time without creation_host`);
  }
  if (lv.creationHost !== undefined && lv.creationTime === undefined) {
    throw metadataError(source, s.pos, `LV ${shownName(s.name)}: missing creation_time`);
  }
  const segCount = r.uint('segment_count', 32);
  const segSections = subsections(s);
  if (segCount !== segSections.length) {
    throw metadataError(source, s.pos,
      `LV ${shownName(s.name)}: segment_count ${segCount} and actual number of segments ${segSections.length} disagree`);
  }
  let le = 0;
  for (const ss of segSections) {
    const seg = segmentFromSection(ss, lv.name, ctx, codecs);
    if (seg.startExtent !== le) {
      throw metadataError(source, ss.pos, `LV ${shownName(s.name)}: segment ${shownName(ss.name)} starts at extent ${seg.startExtent}, expected ${le} (segments must be in order, without gaps or overlaps)`);
    }
    le += seg.extentCount;
    lv.segments.push(seg);
  }
  if (merge) lv.segments = mergeAdjacentSegments(lv.segments, codecs);
  lv.extra = r.rest((c) => c.kind === 'section' || (c.kind === 'setting' && LV_KEYS.includes(c.key)));
  return lv;
}

const SEGMENT_HEAD_KEYS = new Set(['start_extent', 'extent_count', 'reshape_count', 'type', 'tags']);

function segmentFromSection(ss: ConfigSection, lvName: string, ctx: SegmentDecodeContext,
  codecs: SegmentCodecLookup | undefined): Segment {
  const r = new SectionReader(ss, ctx.source, () => `LV ${shownName(lvName)} ${shownName(ss.name)}`);
  const seg: Segment = {
    startExtent: r.uint('start_extent', 32),
    extentCount: r.uint('extent_count', 32),
    reshapeCount: r.uint('reshape_count', 32, true),
    type: r.str('type'),
    tags: r.strList('tags', true) ?? [],
    areas: [],
    body: [],
    extra: [],
    sectionName: ss.name,
  };
  if (seg.extentCount === 0) throw metadataError(ctx.source, ss.pos, `LV ${shownName(lvName)} ${shownName(ss.name)}: extent_count must not be 0`);
  // Items before `type` that are not head keys are kept as segment extras; the codec gets the rest.
  const typeItem = ss.children.find((c) => c.kind === 'setting' && c.key === 'type');
  const typeIndex = typeItem ? ss.children.indexOf(typeItem) : 0;
  seg.extra = typeIndex === 0 ? [] : ss.children.slice(0, typeIndex).filter((c) => !(c.kind === 'setting' && SEGMENT_HEAD_KEYS.has(c.key)));
  for (const c of seg.extra) r.markUsed(c);
  const codec = codecs?.(baseSegtype(seg.type)) ?? genericCodec;
  codec.decode(r, seg, ctx);
  return seg;
}

export type { ConfigItem };
