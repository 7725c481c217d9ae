/**
 * `lvmkit table [VG|VG/LV...]`: the device-mapper tables LVM2 would load for LVs, in `dmsetup table`
 * syntax with the image paths as devices; `--map IMG=/dev/loopN` names real block devices instead, and
 * `dmsetup: true` prints the line `dmsetup create --concise` reads. Also the shared steps of table, dump
 * and load: parsing VG/LV names and compiling the LVs of a scan.
 */
import { LvmkitError } from '../errors.js';
import type { BlockDevice } from '../devices/block-device.js';
import { SubDevice } from '../devices/sub-device.js';
import type { LogicalVolume, PhysicalVolume } from '../model/types.js';
import type { TargetArea } from '../segtypes/target.js';
import { compileLv, compileVg, type CompiledLv, type CompileOptions, type DmDevice, type StripeFiller } from '../dm/table.js';
import { formatConcise, formatTable, formatTables, type DeviceNamer } from '../dm/format.js';
import { findVg } from './change.js';
import { lockImages } from './lock.js';
import type { CommandOutput } from './output.js';
import { scanDevices, type ScannedVg, type ScanOptions, type ScanResult } from './scan.js';

/** "VG/LV" or "/dev/VG/LV" (LVM2's forms of an LV name), or "VG". */
export function parseLvName(arg: string): { vg: string; lv?: string } {
  const s = arg.replace(/^\/dev\//, '');
  const parts = s.split('/');
  if (parts.length === 1 && parts[0]) return { vg: parts[0] };
  if (parts.length === 2 && parts[0] && parts[1]) return { vg: parts[0], lv: parts[1] };
  throw new LvmkitError('EARGS', `"${arg}": expected a VG name or VG/LV`);
}

export interface MapOptions {
  /** Activate LVs with extents on missing PVs (LVM2's --activationmode partial / -P). */
  partial?: boolean;
  filler?: StripeFiller;
  mapper?: CompileOptions['mapper'];
}

export function compileOptions(sv: ScannedVg, o: MapOptions): CompileOptions {
  return {
    pvDevice: (pv: PhysicalVolume) => sv.pvs.get(pv.id)?.device,
    partial: o.partial, filler: o.filler, mapper: o.mapper,
  };
}

/** The LV named `lvName` of a scanned VG, or LVM2's error. */
export function findLv(sv: ScannedVg, lvName: string): LogicalVolume {
  const lv = sv.vg.lvs.find((l) => l.name === lvName);
  if (!lv) throw new LvmkitError('ELV_NOT_FOUND', `Failed to find logical volume "${sv.vg.name}/${lvName}"`);
  return lv;
}

/** Scan, find VG/LV and compile it. */
export function compileNamed(scan: ScanResult, vgName: string, lvName: string, o: MapOptions): { sv: ScannedVg; compiled: CompiledLv } {
  const sv = findVg(scan, vgName);
  const lv = findLv(sv, lvName);
  return { sv, compiled: compileLv(sv.vg, lv, compileOptions(sv, o)) };
}

// ---------------------------------------------------------------------------------------------
// --map IMG=DEV

export interface DeviceMapEntry {
  /** Image path as given in --devices, or a partition of one ("disk.img:p2"). */
  image: string;
  /** A block device path (/dev/loop0) or MAJOR:MINOR. */
  device: string;
}

export function parseDeviceMap(specs: string[]): DeviceMapEntry[] {
  return specs.flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean).map((spec) => {
    const eq = spec.lastIndexOf('=');
    const image = spec.slice(0, eq);
    const device = spec.slice(eq + 1);
    if (eq <= 0 || !device) throw new LvmkitError('EARGS', `--map ${spec}: expected IMAGE=DEVICE (e.g. a.img=/dev/loop0 or a.img=7:0)`);
    if (!/^\/\S+$/.test(device) && !/^\d+:\d+$/.test(device)) {
      throw new LvmkitError('EARGS', `--map ${spec}: the device must be an absolute path (/dev/loop0) or MAJOR:MINOR (7:0)`);
    }
    return { image, device };
  });
}

/**
 * Names PV areas by the block devices of `map`: an entry for the PV's own device (an image, or a
 * partition "img:p2") is used as is; an entry for the image holding a partition gets the partition's
 * offset added (sectors), so the table works on the whole-disk device too.
 */
export function mappedNamer(map: DeviceMapEntry[], strict: boolean): DeviceNamer {
  const byName = new Map(map.map((m) => [m.image, m.device]));
  return (a: TargetArea) => {
    if (a.device.kind !== 'pv') return `/dev/mapper/${a.device.dmName} ${a.offset}`;
    const io: BlockDevice = a.device.io;
    const own = byName.get(io.name);
    if (own) return `${own} ${a.offset}`;
    let extra = 0;
    let dev: BlockDevice = io;
    while (dev instanceof SubDevice) { extra += dev.offset; dev = dev.parent; }
    const parent = byName.get(dev.name);
    if (parent && extra % 512 === 0) return `${parent} ${a.offset + extra / 512}`;
    if (strict) throw new LvmkitError('EARGS', `--dmsetup needs a block device for ${io.name} (PV ${a.device.pv.id}): add --map ${dev.name}=/dev/...`);
    return `${io.name} ${a.offset}`;
  };
}

// ---------------------------------------------------------------------------------------------

export interface TableCommandOptions extends MapOptions {
  devices: string[];
  deviceNames?: string[];
  /** VG or VG/LV names; none = every LV of every VG found. */
  names?: string[];
  /** IMG=DEV pairs (--map). */
  map?: string[];
  /** Print the line `dmsetup create --concise` reads (needs --map for every PV used). */
  dmsetup?: boolean;
}

export async function tableCommand(o: TableCommandOptions): Promise<CommandOutput> {
  const map = parseDeviceMap(o.map ?? []);
  const scan = await scanDevices(o.devices, { deviceNames: o.deviceNames });
  try {
    const warnings = [...scan.warnings];
    let exitCode = 0;
    const devices: DmDevice[] = [];
    const added = new Set<string>();
    const add = (ds: DmDevice[]) => { for (const d of ds) if (!added.has(d.name)) { added.add(d.name); devices.push(d); } };
    const names = o.names?.length ? o.names : scan.vgs.map((v) => v.vg.name);
    let single = !!o.names && o.names.length === 1;
    for (const arg of names) {
      const { vg, lv } = parseLvName(arg);
      const sv = findVg(scan, vg);
      if (lv) {
        add(compileLv(sv.vg, findLv(sv, lv), compileOptions(sv, o)).devices);
      } else {
        single = false;
        const c = compileVg(sv.vg, compileOptions(sv, o));
        add(c.devices);
        for (const s of c.skipped) { warnings.push(s.error.message); exitCode = 5; }
      }
    }
    for (const e of scan.errors) { warnings.push(e.message); exitCode = 5; }
    if (o.partial && devices.some((d) => d.layer?.startsWith('missing_'))) warnings.unshift('PARTIAL MODE. Incomplete logical volumes will be processed.');
    const namer = map.length || o.dmsetup ? mappedNamer(map, !!o.dmsetup) : undefined;
    let stdout: string;
    if (o.dmsetup) stdout = devices.length ? `${formatConcise(devices, namer)}\n` : '';
    else if (single && devices.length === 1) stdout = formatTable(devices[0], namer);
    else stdout = formatTables(devices, namer);
    return { stdout, warnings, exitCode };
  } finally {
    await scan.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Library use: one LV as a BlockDevice (the mapper), e.g. to read it at any offset or stream it.

export interface OpenLvOptions extends MapOptions {
  devices: string[];
  deviceNames?: string[];
  /** VG/LV */
  name: string;
  /** Open the images read-write (under the writers' lock) so the LV can be written. */
  write?: boolean;
  /** Wrap each opened image (fault injection in tests: see ScanOptions.wrapDevice). */
  wrapDevice?: ScanOptions['wrapDevice'];
}

export interface OpenedLv {
  compiled: CompiledLv;
  /** The LV's device: read/readInto/write at any byte offset and length. */
  device: DmDevice['mapper'];
  scan: ScanResult;
  /** Close the images (and release the lock). */
  close(): Promise<void>;
}

/** Scan the images and map VG/LV, ready for reads (and writes with `write`). Close it when done. */
export async function openLv(o: OpenLvOptions): Promise<OpenedLv> {
  const { vg, lv } = parseLvName(o.name);
  if (lv === undefined) throw new LvmkitError('EARGS', `expected VG/LV, got "${o.name}"`);
  const locks = o.write ? lockImages(o.devices) : undefined;
  let scan: ScanResult | undefined;
  try {
    scan = await scanDevices(o.devices, { deviceNames: o.deviceNames, write: !!o.write, wrapDevice: o.wrapDevice });
    const { compiled } = compileNamed(scan, vg, lv, o);
    const s = scan;
    return {
      compiled, device: compiled.device.mapper, scan: s,
      close: async () => { try { await s.close(); } finally { locks?.release(); } },
    };
  } catch (e) {
    await scan?.close();
    locks?.release();
    throw e;
  }
}
