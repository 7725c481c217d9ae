/**
 * The compiler: each LV becomes the device-mapper table LVM2 would load for it: one target per segment,
 * sorted by start, in 512-byte sectors (`linear`/`striped` offsets = pe_start + pe * extent_size).
 * Device names are LVM2's: VG-LV with each '-' inside a name doubled; dm UUIDs are "LVM-" + VG id + LV id.
 *
 * Missing PVs, as LVM2 2.03 does it (checked on a real kernel): without partial activation the LV is
 * refused ("Refusing activation of partial LV VG/LV.  Use '--activationmode partial' to override.");
 * with it, each area on a missing PV points at offset 0 of an extra device VG-LV-missing_<seg>_<area>,
 * a single `error` target (or `zero`, LVM2's missing_stripe_filler) as long as the whole segment.
 * LV areas (sub-LVs) point at the sub-LV's own device, at le * extent_size; a stack of LVs on LVs deeper
 * than MAX_LV_STACK (only hostile metadata has one) is refused as unsupported, not recursed into.
 * Work and memory are linear in the LVs and segments (test/dm/compile-work.test.ts counts them).
 */
import { LvmkitError } from '../errors.js';
import type { BlockDevice } from '../devices/block-device.js';
import type { LogicalVolume, PhysicalVolume, Segment, VolumeGroup } from '../model/types.js';
import { baseSegtype } from '../model/segment-codec.js';
import { lookupSegtypeDm } from '../segtypes/registry.js';
import { errorTarget, zeroTarget } from '../segtypes/fill.js';
import { SECTOR, type AreaDevice, type SegmentDmContext, type Target, type TargetArea } from '../segtypes/target.js';
import { checkTable, DmMapper, type MapperOptions } from './mapper.js';

export type StripeFiller = 'error' | 'zero';

export interface CompileOptions {
  /** The device a PV was found on; undefined = the PV is missing. */
  pvDevice(pv: PhysicalVolume): BlockDevice | undefined;
  /** Activate LVs with extents on missing PVs (LVM2's --activationmode partial). */
  partial?: boolean;
  /** What stands in for missing extents (default "error", as LVM2's activation/missing_stripe_filler). */
  filler?: StripeFiller;
  mapper?: MapperOptions;
}

/** One device-mapper device: an LV, or a helper device of one (layer "missing_0_1"). */
export interface DmDevice {
  /** dm name, e.g. "vg-lv" or "vg-lv-missing_0_1". */
  name: string;
  /** dm UUID, e.g. "LVM-<vg id><lv id>" (+ "-<layer>"). */
  uuid: string;
  vgName: string;
  lvName: string;
  layer?: string;
  targets: Target[];
  /** Size in bytes. */
  size: number;
  /** The table run as a BlockDevice (made when first used). */
  mapper: DmMapper;
}

/** Extents of an LV that are on a missing PV. */
export interface MissingRange {
  /** Byte range of the LV [start, end). */
  start: number;
  end: number;
  /** For a striped segment: only the chunks of this stripe (0-based) of `count`, `chunk` bytes each. */
  stripe?: { index: number; count: number; chunk: number };
  pv: PhysicalVolume;
}

export interface CompiledLv {
  lv: LogicalVolume;
  /** The LV's own device. */
  device: DmDevice;
  /** Every device needed, in creation order (helpers and sub-LVs first, the LV's device last). */
  devices: DmDevice[];
  missing: MissingRange[];
}

/** "vg-x" -> "vg--x": LVM2's dm name of VG/LV (and layer). */
export function dmName(vgName: string, lvName: string, layer?: string): string {
  const q = (s: string) => s.replaceAll('-', '--');
  return `${q(vgName)}-${q(lvName)}${layer ? `-${q(layer)}` : ''}`;
}

export function dmUuid(vg: VolumeGroup, lv: LogicalVolume, layer?: string): string {
  return `${uuidPrefix(vg)}${lv.id.replaceAll('-', '')}${layer ? `-${layer}` : ''}`;
}

/** "LVM-<vg id without dashes>", once per VG id (a VG of 10,000 LVs asks 10,000 times). */
const uuidPrefixes = new WeakMap<VolumeGroup, { id: string; prefix: string }>();
function uuidPrefix(vg: VolumeGroup): string {
  const c = uuidPrefixes.get(vg);
  if (c && c.id === vg.id) return c.prefix;
  const prefix = `LVM-${vg.id.replaceAll('-', '')}`;
  uuidPrefixes.set(vg, { id: vg.id, prefix });
  return prefix;
}

/** Finds an LV of the VG by name (vg.lvs.find, or an index a compilation builds once). */
type LvFinder = (name: string) => LogicalVolume | undefined;
const finderOf = (vg: VolumeGroup): LvFinder => (name) => vg.lvs.find((l) => l.name === name);

/** Why lvmkit cannot map this LV (a segment type without a device-mapper part), or undefined. */
export function unsupportedReason(vg: VolumeGroup, lv: LogicalVolume, seen?: Set<string>): string | undefined {
  return unsupported(vg, lv, seen, finderOf(vg));
}

/** How deep LVs may stand on LVs: deeper stacks (only hostile metadata has them) are refused, not recursed into. */
export const MAX_LV_STACK = 64;

function unsupported(vg: VolumeGroup, lv: LogicalVolume, seen: Set<string> | undefined, find: LvFinder, depth = 0): string | undefined {
  if (seen?.has(lv.name)) return `LV ${vg.name}/${lv.name} refers to itself`;
  if (depth > MAX_LV_STACK) return `LV ${vg.name}/${lv.name}: stack of LVs on LVs deeper than ${MAX_LV_STACK}`;
  for (const seg of lv.segments) {
    const type = baseSegtype(seg.type);
    if (type !== seg.type || !lookupSegtypeDm(type)) {
      return `LV ${vg.name}/${lv.name}: segment type ${seg.type} is not supported by lvmkit's mapper (linear, striped, error and zero are)`;
    }
    for (const a of seg.areas) {
      if (a.kind !== 'lv') continue;
      const sub = find(a.lvName);
      if (!sub) return `LV ${vg.name}/${lv.name}: segment uses unknown LV ${a.lvName}`;
      // The chain of LVs being checked (made only for LVs on LVs: a VG of 10,000 linear LVs needs none).
      seen ??= new Set<string>();
      seen.add(lv.name);
      const why = unsupported(vg, sub, seen, find, depth + 1);
      if (why) return why;
    }
  }
  seen?.delete(lv.name);
  return undefined;
}

/** PVs an LV (or the sub-LVs it uses) has extents on that are missing. */
export function missingPvsOf(vg: VolumeGroup, lv: LogicalVolume, opts: Pick<CompileOptions, 'pvDevice'>, depth = 0): PhysicalVolume[] {
  const out = new Set<PhysicalVolume>();
  missingOf(lv, (pv) => !!opts.pvDevice(pv), finderOf(vg), depth, out);
  return [...out];
}

function missingOf(lv: LogicalVolume, present: (pv: PhysicalVolume) => boolean, find: LvFinder, depth: number, out: Set<PhysicalVolume>): void {
  if (depth > MAX_LV_STACK) return;
  for (const seg of lv.segments) {
    for (const a of seg.areas) {
      if (a.kind === 'pv') {
        if (!present(a.pv)) out.add(a.pv);
      } else {
        const sub = find(a.lvName);
        if (sub) missingOf(sub, present, find, depth + 1, out);
      }
    }
  }
}

/** LVM2's refusal for an LV with extents on a missing PV. */
export function partialRefusal(vg: VolumeGroup, lv: LogicalVolume): LvmkitError {
  return new LvmkitError('EMISSING_PV', `Refusing activation of partial LV ${vg.name}/${lv.name}.  Use '--activationmode partial' to override.`);
}

/** Compile one LV (and what it needs) into device-mapper devices with their mappers. */
export function compileLv(vg: VolumeGroup, lv: LogicalVolume, opts: CompileOptions, cache = new Map<string, CompiledLv>()): CompiledLv {
  return new Compiler(vg, opts, cache).compile(lv);
}

/**
 * One compilation of LVs of a VG. It is also the SegmentDmContext every segment type's target() gets
 * (area() answers for the segment being compiled), so a VG of 10,000 LVs makes no closure or context
 * object per LV or segment; each PV's device is asked for once and its AreaDevice shared by every area on
 * it; dm names are the VG's part (made once) + the LV's name. What an LV retains is its targets, its
 * device and its CompiledLv (about 0.42 KB for a one-segment LV, measured on V8).
 */
class Compiler implements SegmentDmContext {
  readonly extentSize: number;
  private readonly filler: StripeFiller;
  /** "<vg>-": the start of every LV's dm name (the VG's '-' doubled). */
  private readonly vgPart: string;
  /** Each PV's area device (null: the PV is missing), asked of opts.pvDevice once. */
  private readonly pvAreas = new Map<PhysicalVolume, AreaDevice | null>();
  private index?: Map<string, LogicalVolume>;
  readonly find: LvFinder = (name) => (this.index ??= lvIndex(this.vg)).get(name);
  // The LV and segment being compiled, read by area(); saved and restored around a sub-LV's compilation.
  private lv!: LogicalVolume;
  private seg!: Segment;
  private segno = 0;
  /** Helper and sub-LV devices of the LV being compiled (made when it has any). */
  private extra?: DmDevice[];
  private missing?: MissingRange[];
  /** LVs compiled so far (not counting answers from the cache). */
  made = 0;

  constructor(readonly vg: VolumeGroup, readonly opts: CompileOptions, readonly cache?: Map<string, CompiledLv>) {
    this.extentSize = vg.extentSize;
    this.filler = opts.filler ?? 'error';
    this.vgPart = `${vg.name.replaceAll('-', '--')}-`;
  }

  compile(lv: LogicalVolume): CompiledLv {
    const cached = this.cache?.get(lv.name);
    if (cached) return cached;
    this.check(lv);
    const segs = lv.segments;
    let inOrder = true;
    for (let i = 1; i < segs.length && inOrder; i++) inOrder = segs[i - 1].startExtent <= segs[i].startExtent;
    // Sorted once, here: the targets then come out in order (start = startExtent * extent size).
    const segments = inOrder ? segs : [...segs].sort((a, b) => a.startExtent - b.startExtent);
    this.lv = lv;
    this.extra = undefined;
    this.missing = undefined;
    const targets: Target[] = new Array(segments.length);
    for (let k = 0; k < segments.length; k++) {
      const seg = segments[k];
      const dm = lookupSegtypeDm(seg.type)!;
      if (seg.type === 'striped' && seg.areas.length > 1 && !(seg.stripeSize && seg.stripeSize > 0)) {
        throw new LvmkitError('EVALIDATE', `LV ${this.vg.name}/${lv.name}: striped segment at extent ${seg.startExtent} has no stripe_size`);
      }
      this.seg = seg;
      this.segno = k;
      targets[k] = dm.target(seg, this);
    }
    const name = lv.name.includes('-') ? dmName(this.vg.name, lv.name) : this.vgPart + lv.name;
    const device = this.device(name, lv, undefined, targets);
    const extra = this.extra as DmDevice[] | undefined; // set by area() meanwhile
    if (extra) extra.push(device);
    const compiled = new CompiledLvImpl(lv, device, extra, this.missing);
    this.cache?.set(lv.name, compiled);
    this.made++;
    return compiled;
  }

  /** Refusals before anything is made: unsupported segment types first, then extents on missing PVs. */
  private check(lv: LogicalVolume): void {
    // One pass for an LV on PVs only (the common case); LVs on LVs take the general walk.
    let onLvs = false;
    let onMissing = false;
    for (const seg of lv.segments) {
      const type = baseSegtype(seg.type);
      if (type !== seg.type || !lookupSegtypeDm(type)) throw new LvmkitError('EUNSUPPORTED', unsupported(this.vg, lv, undefined, this.find)!);
      for (const a of seg.areas) {
        if (a.kind === 'lv') onLvs = true;
        else if (!this.pvArea(a.pv)) onMissing = true;
      }
    }
    if (onLvs) {
      const why = unsupported(this.vg, lv, undefined, this.find);
      if (why) throw new LvmkitError('EUNSUPPORTED', why);
      if (!onMissing && !this.opts.partial) {
        const out = new Set<PhysicalVolume>();
        missingOf(lv, (pv) => !!this.pvArea(pv), this.find, 0, out);
        onMissing = out.size > 0;
      }
    }
    if (onMissing && !this.opts.partial) throw partialRefusal(this.vg, lv);
    if (!lv.segments.length) throw new LvmkitError('EVALIDATE', `LV ${this.vg.name}/${lv.name} has no segments`);
  }

  private pvArea(pv: PhysicalVolume): AreaDevice | null {
    let d = this.pvAreas.get(pv);
    if (d === undefined) {
      const io = this.opts.pvDevice(pv);
      d = io ? { kind: 'pv', pv, io } : null;
      this.pvAreas.set(pv, d);
    }
    return d;
  }

  /** SegmentDmContext: area `i` of the segment being compiled, as a device and offset. */
  area(i: number): TargetArea {
    const a = this.seg.areas[i];
    const es = this.extentSize;
    if (a.kind === 'pv') {
      const device = this.pvArea(a.pv);
      if (device) return { device, offset: a.pv.peStart + a.pe * es };
      return this.missingArea(a.pv, i);
    }
    const { lv, seg, segno, extra, missing } = this;
    const c = this.compile(this.find(a.lvName)!);
    this.lv = lv;
    this.seg = seg;
    this.segno = segno;
    this.missing = missing;
    const list = (this.extra = extra ?? []);
    for (const d of c.devices) if (!list.includes(d)) list.push(d);
    return { device: { kind: 'dm', dmName: c.device.name, io: c.device.mapper }, offset: a.le * es };
  }

  /** An area on a missing PV (partial activation): a helper device of one error (or zero) target. */
  private missingArea(pv: PhysicalVolume, i: number): TargetArea {
    const { lv, seg, segno } = this;
    const es = this.extentSize;
    const layer = `missing_${segno}_${i}`;
    const length = seg.extentCount * es;
    const kind = this.filler === 'zero' ? zeroTarget : errorTarget;
    const helper = this.device(dmName(this.vg.name, lv.name, layer), lv, layer, [{ start: 0, length, kind, areas: [] }]);
    (this.extra ??= []).push(helper);
    const start = seg.startExtent * es * SECTOR;
    const end = start + length * SECTOR;
    const n = seg.areas.length;
    (this.missing ??= []).push(n > 1 && seg.type === 'striped'
      ? { start, end, pv, stripe: { index: i, count: n, chunk: (seg.stripeSize ?? 0) * SECTOR } }
      : { start, end, pv });
    return { device: { kind: 'dm', dmName: helper.name, io: helper.mapper }, offset: 0 };
  }

  /** The device of a table (checked here; sorted here only if a segment type gave targets out of order). */
  private device(name: string, lv: LogicalVolume, layer: string | undefined, targets: Target[]): DmDevice {
    let inOrder = true;
    for (let i = 1; i < targets.length && inOrder; i++) inOrder = targets[i - 1].start <= targets[i].start;
    const sorted = inOrder ? targets : [...targets].sort((a, b) => a.start - b.start);
    const size = checkTable(name, sorted);
    return new CompiledDevice(name, this.vg, lv, layer, sorted, size, this.opts.mapper);
  }
}

/**
 * A CompiledLv. An LV of its own device only, with nothing missing (nearly every LV of a large VG), keeps
 * no lists: `devices` ([device]) and `missing` ([]) are made when first asked for.
 */
class CompiledLvImpl implements CompiledLv {
  constructor(readonly lv: LogicalVolume, readonly device: DmDevice, private list: DmDevice[] | undefined,
    private gaps: MissingRange[] | undefined) {}

  /** True when the LV needs no device besides its own (no helper for a missing PV, no sub-LV). */
  get alone(): boolean {
    return !this.list;
  }

  get devices(): DmDevice[] {
    return (this.list ??= [this.device]);
  }

  get missing(): MissingRange[] {
    return (this.gaps ??= []);
  }
}

function lvIndex(vg: VolumeGroup): Map<string, LogicalVolume> {
  const m = new Map<string, LogicalVolume>();
  // The first LV of a name, as vg.lvs.find gives.
  for (const lv of vg.lvs) if (!m.has(lv.name)) m.set(lv.name, lv);
  return m;
}

/**
 * A DmDevice whose mapper is made on first use (`table` on a VG of 10,000 LVs needs the tables only) and
 * whose dm UUID is spelt when asked for (from the VG's and LV's ids). A class: no closure per device.
 */
class CompiledDevice implements DmDevice {
  private made?: DmMapper;
  readonly layer?: string;
  readonly vgName: string;
  readonly lvName: string;
  constructor(readonly name: string, private readonly vg: VolumeGroup, private readonly lv: LogicalVolume,
    layer: string | undefined, readonly targets: Target[], readonly size: number, private readonly mapperOptions: CompileOptions['mapper']) {
    this.vgName = vg.name;
    this.lvName = lv.name;
    if (layer) this.layer = layer;
  }

  get uuid(): string {
    return dmUuid(this.vg, this.lv, this.layer);
  }

  get mapper(): DmMapper {
    return (this.made ??= new DmMapper(this.name, this.targets, this.mapperOptions));
  }
}

export interface CompiledVg {
  /** Every device, in creation order, each once. */
  devices: DmDevice[];
  lvs: CompiledLv[];
  /** LVs left out, and why (unsupported segment types, missing PVs without partial activation). */
  skipped: Array<{ lv: LogicalVolume; error: LvmkitError }>;
}

/** Compile every LV of a VG that can be mapped. */
export function compileVg(vg: VolumeGroup, opts: CompileOptions): CompiledVg {
  const compiler = new Compiler(vg, opts, new Map<string, CompiledLv>());
  const out: CompiledVg = { devices: [], lvs: [], skipped: [] };
  // Devices shared between LVs (sub-LVs) are listed once; an LV of its own device only needs no check.
  let seen: Set<DmDevice> | undefined;
  for (const lv of vg.lvs) {
    try {
      const before = compiler.made;
      const c = compiler.compile(lv);
      out.lvs.push(c);
      if (compiler.made === before + 1 && (c as CompiledLvImpl).alone) {
        // Compiled just now, of its own device only: a new device, listed by nobody yet.
        out.devices.push(c.device);
        seen?.add(c.device);
        continue;
      }
      seen ??= new Set(out.devices);
      for (const d of c.devices) if (!seen.has(d)) { seen.add(d); out.devices.push(d); }
    } catch (e) {
      if (!(e instanceof LvmkitError) || (e.code !== 'EUNSUPPORTED' && e.code !== 'EMISSING_PV')) throw e;
      out.skipped.push({ lv, error: e });
    }
  }
  return out;
}
