/**
 * lvcreate: a new linear or striped LV in an existing VG, sized with -L (LVM2's units, rounded up to whole
 * extents) or -l (extents, %VG, %FREE, %PVS), placed by the allocator (src/alloc/) on the VG's PVs or on a
 * PV list with extent ranges. Like LVM2, the first 4 KiB of the new LV are zeroed unless `zero` is false
 * (lvmkit writes them itself, before the metadata commit, into extents that were free).
 * Node-only: the default creation_host is os.hostname() (pass `host` to choose it).
 */
import { hostname } from 'node:os';
import { LvmkitError } from '../errors.js';
import { allocateExtents, buildPvMaps, mapsFreeExtents, resolvePolicy, vgFreeExtents } from '../alloc/index.js';
import { randomLvmUuid } from '../format/random-id.js';
import type { AllocPolicy, LogicalVolume } from '../model/types.js';
import { changeVg, type ChangeResult, type WriteOptions } from './change.js';
import { parseExtentsArg, percentOfExtents, type ExtentsArg } from './extents-arg.js';
import {
  afterDescription, appendPieces, checkNewLvName, checkTags, displaySize, resolvePvArgs, sizeWithExtents, splitLvArg, nextLvName,
} from './lv-shared.js';
import { parseSizeArg } from './size-arg.js';

export const ALLOC_POLICIES = ['contiguous', 'cling', 'cling_by_tags', 'normal', 'anywhere', 'inherit'] as const;
/** LVM2's default stripe size: 64 KiB. */
export const DEFAULT_STRIPE_SIZE = 64 * 1024;
const ZERO_BYTES = 4096;

export interface LvCreateOptions extends WriteOptions {
  /** The VG (may be left out when `name` is "VG/LV"). */
  vg?: string;
  /** -n */
  name?: string;
  /** -L: a size with an optional unit (default MiB). */
  size?: string;
  /** -l: extents, or N%VG|N%FREE|N%PVS. */
  extents?: string;
  /** -i */
  stripes?: number;
  /** -I: stripe size with an optional unit (default KiB). */
  stripeSize?: string;
  /** --alloc: stored on the LV unless "inherit". */
  alloc?: string;
  /** PVs to allocate from, with optional extent ranges (`a.img:100-199`). */
  pvs?: string[];
  /** --addtag */
  addTags?: string[];
  /** -Z: zero the first 4 KiB of the LV (default true). */
  zero?: boolean;
  /** The command line, for the metadata's description. */
  commandLine?: string;
  /** creation_host / creation_time of the LV (default: this host, now). */
  host?: string;
  time?: number;
}

export interface LvCreateResult extends ChangeResult {
  lv: LogicalVolume;
}

export function checkAllocPolicy(alloc: string | undefined): AllocPolicy | undefined {
  if (alloc === undefined) return undefined;
  if (!(ALLOC_POLICIES as readonly string[]).includes(alloc)) {
    throw new LvmkitError('EARGS', `Invalid argument for --alloc: ${alloc} (expected one of ${ALLOC_POLICIES.join(', ')})`);
  }
  return alloc as AllocPolicy;
}

/** -I: a power of two of at least 4 KiB, in bytes. */
export function parseStripeSize(text: string): number {
  const { bytes, sign } = parseSizeArg(text, 'k', 'stripesize');
  if (sign || bytes < 4096 || (bytes & (bytes - 1)) !== 0) {
    throw new LvmkitError('EARGS', `Invalid stripe size ${displaySize(bytes)}. (A stripe size is a power of two of at least 4 KiB, e.g. -I 64k)`);
  }
  return bytes;
}

export function checkStripes(stripes: number | undefined): number {
  const n = stripes ?? 1;
  if (!Number.isInteger(n) || n < 1 || n > 128) {
    throw new LvmkitError('EARGS', `Number of stripes (${stripes}) must be between 1 and 128`);
  }
  return n;
}

export async function lvcreateCommand(o: LvCreateOptions): Promise<LvCreateResult> {
  // LVM2's forms: "-n LV VG" or "-n VG/LV" (then a VG argument, if any, must be the same VG).
  let name = o.name;
  let vgName = o.vg;
  if (vgName?.includes('/')) {
    throw new LvmkitError('EARGS', `Volume group name expected (no slash): write lvcreate -n LV ${vgName.split('/')[0]} (got "${vgName}")`);
  }
  if (name?.includes('/')) {
    const n = splitLvArg(name);
    if (vgName && n.vg !== vgName) throw new LvmkitError('EARGS', `Inconsistent volume group names given: "${n.vg}" and "${vgName}"`);
    vgName = n.vg;
    name = n.lv;
  }
  if (!vgName) throw new LvmkitError('EARGS', 'Please provide a volume group name: lvcreate -n LV -L SIZE VG');
  const target = { vg: vgName };
  if ((o.size === undefined) === (o.extents === undefined)) {
    throw new LvmkitError('EARGS', 'Please specify either size or extents (not both): -L SIZE or -l EXTENTS');
  }
  let sizeBytes: number | undefined;
  let ext: ExtentsArg | undefined;
  if (o.size !== undefined) {
    const s = parseSizeArg(o.size, 'm', 'size');
    if (s.sign) throw new LvmkitError('EARGS', `Invalid argument for --size: ${o.size} (lvcreate takes a size without + or -)`);
    if (s.bytes === 0) throw new LvmkitError('EARGS', '--size may not be zero.');
    sizeBytes = s.bytes;
  } else {
    ext = parseExtentsArg(o.extents!);
    if (ext.sign) throw new LvmkitError('EARGS', `Invalid argument for --extents: ${o.extents} (lvcreate takes a size without + or -)`);
    if (ext.value === 0) throw new LvmkitError('EARGS', '--extents may not be zero.');
    if (ext.percent === 'ORIGIN') throw new LvmkitError('EUNSUPPORTED', `-l ${o.extents}: %ORIGIN is for snapshots, which lvmkit does not create; use %VG, %FREE or %PVS`);
  }
  const stripes = checkStripes(o.stripes);
  const policyArg = checkAllocPolicy(o.alloc);
  const tags = o.addTags ?? [];
  checkTags(tags, 'addtag');
  const stripeSizeArg = o.stripeSize !== undefined ? parseStripeSize(o.stripeSize) : undefined;
  const description = afterDescription(o.commandLine ?? `lvmkit lvcreate ${vgName}`);

  let created: LogicalVolume | undefined;
  const res = await changeVg({ ...o, vgName: target.vg, description }, (ctx) => {
    const vg = ctx.vg;
    const lvName = name ?? nextLvName(vg);
    checkNewLvName(vg, lvName);
    const visible = vg.lvs.filter((l) => l.status.includes('VISIBLE')).length;
    if (vg.maxLv > 0 && visible >= vg.maxLv) {
      throw new LvmkitError('ENOSPACE', `Maximum number of logical volumes (${vg.maxLv}) reached in volume group ${vg.name}: remove an LV first, or raise max_lv with LVM2's vgchange -l`);
    }
    const extentBytes = vg.extentSize * 512;
    const msgs = ctx.messages;
    const selection = resolvePvArgs(vg, ctx.before, o.pvs);

    let stripeSize: number | undefined;
    if (stripes > 1) {
      let bytes = stripeSizeArg;
      if (bytes === undefined) { bytes = DEFAULT_STRIPE_SIZE; msgs.push(`Using default stripesize ${displaySize(bytes)}.`); }
      if (bytes > extentBytes) {
        msgs.push(`Reducing requested stripe size ${displaySize(bytes)} to maximum, physical extent size ${displaySize(extentBytes)}.`);
        bytes = extentBytes;
      }
      stripeSize = bytes / 512;
    } else if (stripeSizeArg !== undefined) {
      msgs.push('Ignoring stripesize argument with single stripe.');
    }

    let extents: number;
    let approx = false;
    if (sizeBytes !== undefined) {
      extents = Math.ceil(sizeBytes / extentBytes);
      if (extents * extentBytes !== sizeBytes) msgs.push(`Rounding up size to full physical extent ${displaySize(extents * extentBytes)}`);
    } else if (ext!.percent) {
      approx = true;
      const total = ext!.percent === 'VG' ? vg.pvs.reduce((n, p) => n + p.peCount, 0)
        : ext!.percent === 'FREE' ? vgFreeExtents(vg)
          : mapsFreeExtents(buildPvMaps(vg, selection));
      extents = percentOfExtents(ext!.value, total, false);
      const free = vgFreeExtents(vg);
      if (ext!.percent === 'VG' && extents > free) {
        msgs.push(`Reducing ${ext!.value}%VG to remaining free space ${displaySize(free * extentBytes)} in VG.`);
        extents = free;
      }
      if (extents === 0) {
        throw new LvmkitError('ENOSPACE', `-l ${o.extents} of ${total} extents is no extent at all: nothing to allocate in volume group "${vg.name}"`);
      }
    } else {
      extents = ext!.value;
    }

    const policy = resolvePolicy(policyArg, vg.allocationPolicy);
    const pvCount = selection ? new Set(selection.map((s) => s.pv)).size : vg.pvs.length;
    if (stripes > pvCount && policy !== 'anywhere') {
      throw new LvmkitError('ENOSPACE', `Number of stripes (${stripes}) must not exceed number of physical volumes (${pvCount})`);
    }
    if (extents % stripes) {
      const up = extents + stripes - (extents % stripes);
      msgs.push(`Rounding size ${sizeWithExtents(vg, extents)} up to stripe boundary size ${sizeWithExtents(vg, up)}.`);
      extents = up;
    }
    const vgFree = vgFreeExtents(vg);
    if (!approx && extents > vgFree) {
      throw new LvmkitError('ENOSPACE', `Volume group "${vg.name}" has insufficient free space (${vgFree} extents): ${extents} required.`);
    }
    const maps = buildPvMaps(vg, selection);
    const got = allocateExtents({ lvName, extents, stripes, policy, maps, approx });

    const lv: LogicalVolume = {
      name: lvName,
      id: randomLvmUuid(),
      status: ['READ', 'WRITE', 'VISIBLE'],
      flags: [],
      tags: [...new Set(tags)],
      creationTime: o.time ?? Math.floor(Date.now() / 1000),
      creationHost: o.host ?? hostname(),
      ...(policyArg && policyArg !== 'inherit' ? { allocationPolicy: policyArg } : {}),
      segments: [],
      extra: [],
    };
    appendPieces(lv, got.pieces, stripeSize);
    vg.lvs.push(lv);
    created = lv;

    if (o.zero ?? true) {
      const first = got.pieces[0].areas[0];
      const device = ctx.before.pvs.get(first.pv.id)?.device;
      if (!device) throw new LvmkitError('EMISSING_PV', `PV ${first.pv.id} of VG ${vg.name} was not found among the images`);
      const bytes = Math.min(ZERO_BYTES, got.extents * extentBytes);
      ctx.writesBefore.push({
        device, offset: (first.pv.peStart + first.pe * vg.extentSize) * 512, data: new Uint8Array(bytes),
        what: `zeroing the first ${displaySize(bytes)} of ${vg.name}/${lvName}`,
      });
    } else {
      ctx.warnings.push(`Logical volume ${vg.name}/${lvName} not zeroed.`);
    }
    msgs.push(`Logical volume "${lvName}" created.`);
  });
  return { ...res, lv: created! };
}
