/**
 * Pieces the LV verbs (lvcreate, lvextend/lvreduce/lvresize, lvremove, lvrename, lvchange) share:
 * LVM2's size display ("8.00 MiB"), VG/LV arguments, PV list arguments resolved to the VG's PVs,
 * turning allocated pieces into segments, and LVM2's checks on names and tags.
 */
import { LvmkitError } from '../errors.js';
import type { AllocatedPiece, PvSelection } from '../alloc/index.js';
import { parsePvArg } from '../alloc/pv-list.js';
import { mergeAdjacentSegments } from '../model/merge.js';
import { lvNameProblem, tagProblem } from '../model/names.js';
import type { LogicalVolume, Segment, VolumeGroup } from '../model/types.js';
import { lookupSegtype } from '../segtypes/registry.js';
import type { ScannedVg } from './scan.js';

const UNITS = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];

/** LVM2's display_size in its long form: "8.00 MiB", "64.00 KiB", "0 " for zero. */
export function displaySize(bytes: number): string {
  if (bytes === 0) return '0 ';
  let unit = -1;
  for (let i = UNITS.length - 1; i >= 0; i--) {
    if (bytes >= 1024 ** (i + 1)) { unit = i; break; }
  }
  if (unit < 0) return `${bytes.toFixed(2)} B`;
  return `${(bytes / 1024 ** (unit + 1)).toFixed(2)} ${UNITS[unit]}`;
}

/** "8.00 MiB (2 extents)" for `extents` of `vg`. */
export function sizeWithExtents(vg: VolumeGroup, extents: number): string {
  return `${displaySize(extents * vg.extentSize * 512)} (${extents} extents)`;
}

export function lvExtents(lv: LogicalVolume): number {
  return lv.segments.reduce((n, s) => n + s.extentCount, 0);
}

/** "vg/lv", "/dev/vg/lv", "/dev/mapper/vg-lv" is not accepted; "lv" alone takes `defaultVg`. */
export function splitLvArg(arg: string, defaultVg?: string): { vg: string; lv?: string } {
  const a = arg.replace(/^\/dev\//, '');
  const slash = a.indexOf('/');
  if (slash < 0) {
    if (defaultVg !== undefined) return { vg: defaultVg, lv: a };
    return { vg: a };
  }
  const vg = a.slice(0, slash);
  const lv = a.slice(slash + 1);
  if (!vg || !lv || lv.includes('/')) throw new LvmkitError('EARGS', `"${arg}": expected VG/LV`);
  if (defaultVg !== undefined && defaultVg !== vg) {
    throw new LvmkitError('EARGS', `Inconsistent volume group names given: "${vg}" and "${defaultVg}"`);
  }
  return { vg, lv };
}

/** The LV named `name`, or LVM2's error. */
export function findLv(vg: VolumeGroup, name: string, message?: string): LogicalVolume {
  const lv = vg.lvs.find((l) => l.name === name);
  if (!lv) throw new LvmkitError('ELV_NOT_FOUND', message ?? `Logical volume ${name} not found in volume group ${vg.name}.`);
  return lv;
}

/** LVM2's checks on a new LV name (bad characters, reserved names, length), then duplicates. */
export function checkNewLvName(vg: VolumeGroup, name: string): void {
  const p = lvNameProblem(name, vg.name);
  if (p) {
    if (p.startsWith('names ')) throw new LvmkitError('EARGS', `${p[0].toUpperCase()}${p.slice(1)}. Please choose a different LV name.`);
    throw new LvmkitError('EARGS', `Logical volume name "${name}" is invalid: ${p}; choose another name`);
  }
  if (vg.lvs.some((l) => l.name === name)) {
    throw new LvmkitError('EEXISTS', `Logical Volume "${name}" already exists in volume group "${vg.name}"`);
  }
}

/** Tags of --addtag/--deltag, checked as LVM2 does. */
export function checkTags(tags: string[], option: string): void {
  for (const t of tags) {
    const p = tagProblem(t);
    if (p) throw new LvmkitError('EARGS', `Invalid argument for --${option}: ${t} (${p})`);
  }
}

/** LVM2's default name for a new LV: lvol<N>, one more than the highest N in use. */
export function nextLvName(vg: VolumeGroup): string {
  let high = 0;
  for (const lv of vg.lvs) {
    const m = /^lvol(\d+)$/.exec(lv.name);
    if (m) high = Math.max(high, Number(m[1]) + 1);
  }
  return `lvol${high}`;
}

/**
 * PV list arguments (`a.img`, `a.img:100-199`) -> the VG's PVs, matching the names the images were scanned
 * under (the --devices entries). Undefined when no PV is named.
 */
export function resolvePvArgs(vg: VolumeGroup, scanned: ScannedVg, args: string[] | undefined): PvSelection[] | undefined {
  if (!args?.length) return undefined;
  const out: PvSelection[] = [];
  for (const text of args) {
    const a = parsePvArg(text);
    const want = normalise(a.name);
    const entries = [...scanned.pvs];
    // The name as given with --devices; else the one device whose path ends with it ("a.img" for "/x/a.img").
    let hit = entries.filter(([, sp]) => normalise(sp.device.name) === want);
    if (!hit.length) hit = entries.filter(([, sp]) => pathEndsWith(normalise(sp.device.name), want) || pathEndsWith(want, normalise(sp.device.name)));
    if (hit.length > 1) {
      throw new LvmkitError('EARGS', `Physical volume argument "${a.name}" matches ${hit.map(([, sp]) => sp.device.name).join(' and ')}: write it as given with --devices`);
    }
    const uuid = hit[0]?.[0];
    const pv = uuid === undefined ? undefined : vg.pvs.find((p) => p.id === uuid);
    if (!pv) {
      throw new LvmkitError('EARGS', `Physical Volume "${a.name}" not found in Volume Group "${vg.name}" (name one of its images as given with --devices)`);
    }
    out.push(a.ranges ? { pv, ranges: a.ranges } : { pv });
  }
  return out;
}

function normalise(name: string): string {
  return name.replace(/^(\.\/)+/, '');
}

function pathEndsWith(path: string, tail: string): boolean {
  return path.endsWith(`/${tail}`);
}

/** Append allocated pieces to `lv` as striped segments from logical extent `start`, then merge as LVM2 does. */
export function appendPieces(lv: LogicalVolume, pieces: AllocatedPiece[], stripeSize: number | undefined): void {
  let le = lvExtents(lv);
  for (const p of pieces) {
    const n = p.areas.length;
    const seg: Segment = {
      startExtent: le,
      extentCount: p.extents * n,
      type: 'striped',
      tags: [],
      areas: p.areas.map((a) => ({ kind: 'pv' as const, pv: a.pv, pe: a.pe })),
      ...(n > 1 ? { stripeSize } : {}),
      body: [],
      extra: [],
    };
    lv.segments.push(seg);
    le += seg.extentCount;
  }
  lv.segments = mergeAdjacentSegments(lv.segments, lookupSegtype);
}

/** Types lvmkit may resize or remove: plain striped/linear (and the keyless error/zero). */
export function isSimpleLv(lv: LogicalVolume): boolean {
  return lv.segments.every((s) => ['striped', 'error', 'zero'].includes(s.type) && s.areas.every((a) => a.kind === 'pv'));
}

/** Names of LVs that `lv` is used by (a segment of another LV refers to it). */
export function usersOf(vg: VolumeGroup, lv: LogicalVolume): string[] {
  const users: string[] = [];
  for (const other of vg.lvs) {
    if (other === lv) continue;
    const refers = other.segments.some((s) => s.areas.some((a) => a.kind === 'lv' && a.lvName === lv.name)
      || s.body.some((it) => it.kind === 'setting' && it.value === lv.name));
    if (refers) users.push(other.name);
  }
  return users;
}

/** `Created *after* executing '...'`, LVM2's description line. */
export function afterDescription(commandLine: string): string {
  return `Created *after* executing '${commandLine}'`;
}
