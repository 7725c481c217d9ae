/**
 * The compiler: each LV becomes the device-mapper table LVM2 would load for it: one target per segment,
 * sorted by start, in 512-byte sectors (`linear`/`striped` offsets = pe_start + pe * extent_size).
 * Device names are LVM2's: VG-LV with each '-' inside a name doubled; dm UUIDs are "LVM-" + VG id + LV id.
 *
 * Missing PVs, as LVM2 2.03 does it (checked on a real kernel): without partial activation the LV is
 * refused ("Refusing activation of partial LV VG/LV.  Use '--activationmode partial' to override.");
 * with it, each area on a missing PV points at offset 0 of an extra device VG-LV-missing_<seg>_<area>,
 * a single `error` target (or `zero`, LVM2's missing_stripe_filler) as long as the whole segment.
 * LV areas (sub-LVs) point at the sub-LV's own device, at le * extent_size.
 */
import { LvmkitError } from '../errors.js';
import type { BlockDevice } from '../devices/block-device.js';
import type { LogicalVolume, PhysicalVolume, Segment, VolumeGroup } from '../model/types.js';
import { baseSegtype } from '../model/segment-codec.js';
import { lookupSegtypeDm } from '../segtypes/registry.js';
import { errorTarget, zeroTarget } from '../segtypes/fill.js';
import { SECTOR, type Target, type TargetArea } from '../segtypes/target.js';
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

/** Why lvmkit cannot map this LV (a segment type without a device-mapper part), or undefined. */
export function unsupportedReason(vg: VolumeGroup, lv: LogicalVolume, seen?: Set<string>): string | undefined {
  if (seen?.has(lv.name)) return `LV ${vg.name}/${lv.name} refers to itself`;
  for (const seg of lv.segments) {
    const type = baseSegtype(seg.type);
    if (type !== seg.type || !lookupSegtypeDm(type)) {
      return `LV ${vg.name}/${lv.name}: segment type ${seg.type} is not supported by lvmkit's mapper (linear, striped, error and zero are)`;
    }
    for (const a of seg.areas) {
      if (a.kind !== 'lv') continue;
      const sub = vg.lvs.find((l) => l.name === a.lvName);
      if (!sub) return `LV ${vg.name}/${lv.name}: segment uses unknown LV ${a.lvName}`;
      // The chain of LVs being checked (made only for LVs on LVs: a VG of 10,000 linear LVs needs none).
      seen ??= new Set<string>();
      seen.add(lv.name);
      const why = unsupportedReason(vg, sub, seen);
      if (why) return why;
    }
  }
  seen?.delete(lv.name);
  return undefined;
}

/** PVs an LV (or the sub-LVs it uses) has extents on that are missing. */
export function missingPvsOf(vg: VolumeGroup, lv: LogicalVolume, opts: Pick<CompileOptions, 'pvDevice'>, depth = 0): PhysicalVolume[] {
  let out: Set<PhysicalVolume> | undefined;
  if (depth > 64) return [];
  for (const seg of lv.segments) {
    for (const a of seg.areas) {
      if (a.kind === 'pv') {
        if (!opts.pvDevice(a.pv)) (out ??= new Set()).add(a.pv);
      } else {
        const sub = vg.lvs.find((l) => l.name === a.lvName);
        if (sub) for (const p of missingPvsOf(vg, sub, opts, depth + 1)) (out ??= new Set()).add(p);
      }
    }
  }
  return out ? [...out] : [];
}

/** LVM2's refusal for an LV with extents on a missing PV. */
export function partialRefusal(vg: VolumeGroup, lv: LogicalVolume): LvmkitError {
  return new LvmkitError('EMISSING_PV', `Refusing activation of partial LV ${vg.name}/${lv.name}.  Use '--activationmode partial' to override.`);
}

/** Compile one LV (and what it needs) into device-mapper devices with their mappers. */
export function compileLv(vg: VolumeGroup, lv: LogicalVolume, opts: CompileOptions, cache = new Map<string, CompiledLv>()): CompiledLv {
  const cached = cache.get(lv.name);
  if (cached) return cached;
  const why = unsupportedReason(vg, lv);
  if (why) throw new LvmkitError('EUNSUPPORTED', why);
  if (!opts.partial && missingPvsOf(vg, lv, opts).length) throw partialRefusal(vg, lv);
  if (!lv.segments.length) throw new LvmkitError('EVALIDATE', `LV ${vg.name}/${lv.name} has no segments`);

  const filler = opts.filler ?? 'error';
  const devices: DmDevice[] = [];
  const missing: MissingRange[] = [];
  const es = vg.extentSize;
  const inOrder = lv.segments.every((seg, i) => i === 0 || lv.segments[i - 1].startExtent <= seg.startExtent);
  const segments = inOrder ? lv.segments : [...lv.segments].sort((a, b) => a.startExtent - b.startExtent);
  const targets: Target[] = segments.map((seg, segno) => {
    const dm = lookupSegtypeDm(seg.type)!;
    if (seg.type === 'striped' && seg.areas.length > 1 && !(seg.stripeSize && seg.stripeSize > 0)) {
      throw new LvmkitError('EVALIDATE', `LV ${vg.name}/${lv.name}: striped segment at extent ${seg.startExtent} has no stripe_size`);
    }
    return dm.target(seg, {
      extentSize: es,
      area: (i) => resolveArea(vg, lv, seg, segno, i, opts, filler, devices, missing, cache),
    });
  });
  const device = makeDevice(vg, lv, undefined, targets, opts);
  devices.push(device);
  const compiled: CompiledLv = { lv, device, devices, missing };
  cache.set(lv.name, compiled);
  return compiled;
}

function resolveArea(vg: VolumeGroup, lv: LogicalVolume, seg: Segment, segno: number, i: number, opts: CompileOptions,
  filler: StripeFiller, devices: DmDevice[], missing: MissingRange[], cache: Map<string, CompiledLv>): TargetArea {
  const a = seg.areas[i];
  const es = vg.extentSize;
  if (a.kind === 'lv') {
    const sub = vg.lvs.find((l) => l.name === a.lvName)!;
    const c = compileLv(vg, sub, opts, cache);
    for (const d of c.devices) if (!devices.includes(d)) devices.push(d);
    return { device: { kind: 'dm', dmName: c.device.name, io: c.device.mapper }, offset: a.le * es };
  }
  const io = opts.pvDevice(a.pv);
  if (io) return { device: { kind: 'pv', pv: a.pv, io }, offset: a.pv.peStart + a.pe * es };
  const layer = `missing_${segno}_${i}`;
  const length = seg.extentCount * es;
  const kind = filler === 'zero' ? zeroTarget : errorTarget;
  const helper = makeDevice(vg, lv, layer, [{ start: 0, length, kind, areas: [] }], opts);
  devices.push(helper);
  const start = seg.startExtent * es * SECTOR;
  const end = start + length * SECTOR;
  const n = seg.areas.length;
  missing.push(n > 1 && seg.type === 'striped'
    ? { start, end, pv: a.pv, stripe: { index: i, count: n, chunk: (seg.stripeSize ?? 0) * SECTOR } }
    : { start, end, pv: a.pv });
  return { device: { kind: 'dm', dmName: helper.name, io: helper.mapper }, offset: 0 };
}

/**
 * The device of a table (checked here); its mapper is made when first asked for: `table` on a VG of
 * 10,000 LVs needs the tables only.
 */
function makeDevice(vg: VolumeGroup, lv: LogicalVolume, layer: string | undefined, targets: Target[], opts: CompileOptions): DmDevice {
  const name = dmName(vg.name, lv.name, layer);
  const sorted = targets.every((t, i) => i === 0 || targets[i - 1].start <= t.start) ? targets : [...targets].sort((a, b) => a.start - b.start);
  const size = checkTable(name, sorted);
  return new CompiledDevice(name, dmUuid(vg, lv, layer), vg.name, lv.name, layer, sorted, size, opts.mapper);
}

/** A DmDevice whose mapper is made on first use (a class: no closure per device in a VG of 10,000 LVs). */
class CompiledDevice implements DmDevice {
  private made?: DmMapper;
  readonly layer?: string;
  constructor(readonly name: string, readonly uuid: string, readonly vgName: string, readonly lvName: string,
    layer: string | undefined, readonly targets: Target[], readonly size: number, private readonly mapperOptions: CompileOptions['mapper']) {
    if (layer) this.layer = layer;
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
  const cache = new Map<string, CompiledLv>();
  const out: CompiledVg = { devices: [], lvs: [], skipped: [] };
  const seen = new Set<DmDevice>();
  for (const lv of vg.lvs) {
    try {
      const c = compileLv(vg, lv, opts, cache);
      out.lvs.push(c);
      for (const d of c.devices) if (!seen.has(d)) { seen.add(d); out.devices.push(d); }
    } catch (e) {
      if (!(e instanceof LvmkitError) || (e.code !== 'EUNSUPPORTED' && e.code !== 'EMISSING_PV')) throw e;
      out.skipped.push({ lv, error: e });
    }
  }
  return out;
}
