/**
 * lvextend, lvreduce and lvresize of linear and striped LVs: -L [+|-]SIZE (rounded to whole extents as LVM2
 * does: a "-" change down, anything else up) or -l [+|-]N[%VG|%FREE|%PVS]; an extension goes through the
 * allocator (continuing the last segment where it can), a reduction cuts extents off the end.
 * Filesystems inside the LV are not touched (LVM2's --resizefs is not supported).
 */
import { LvmkitError } from '../errors.js';
import { allocateExtents, buildPvMaps, mapsFreeExtents, resolvePolicy, vgFreeExtents } from '../alloc/index.js';
import type { LogicalVolume, VolumeGroup } from '../model/types.js';
import { changeVg, type ChangeResult, type WriteOptions } from './change.js';
import { parseExtentsArg, percentOfExtents } from './extents-arg.js';
import { checkAllocPolicy, checkStripes, DEFAULT_STRIPE_SIZE, parseStripeSize } from './lvcreate.js';
import {
  afterDescription, appendPieces, displaySize, findLv, isSimpleLv, lvExtents, resolvePvArgs, sizeWithExtents, splitLvArg,
} from './lv-shared.js';
import { parseSizeArg } from './size-arg.js';

export type ResizeMode = 'extend' | 'reduce' | 'resize';

export interface LvResizeOptions extends WriteOptions {
  /** "VG/LV". */
  lv: string;
  mode: ResizeMode;
  /** -L [+|-]SIZE (default unit MiB). */
  size?: string;
  /** -l [+|-]N[%VG|%FREE|%PVS]. */
  extents?: string;
  /** -i / -I for the new extents (default: those of the last segment). */
  stripes?: number;
  stripeSize?: string;
  /** --alloc for this allocation only. */
  alloc?: string;
  /** PVs (with optional extent ranges) to take new extents from. */
  pvs?: string[];
  commandLine?: string;
}

export interface LvResizeResult extends ChangeResult {
  lv: LogicalVolume;
  /** Extents before and after. */
  from: number;
  to: number;
}

const VERB: Record<ResizeMode, string> = { extend: 'lvextend', reduce: 'lvreduce', resize: 'lvresize' };

export async function lvresizeCommand(o: LvResizeOptions): Promise<LvResizeResult> {
  const { vg: vgName, lv: lvName } = splitLvArg(o.lv);
  if (!lvName) throw new LvmkitError('EARGS', `Please specify a logical volume path: ${VERB[o.mode]} VG/LV (got "${o.lv}")`);
  if ((o.size === undefined) === (o.extents === undefined)) {
    throw new LvmkitError('EARGS', 'Please specify either size or extents (not both): -L [+|-]SIZE or -l [+|-]EXTENTS');
  }
  const size = o.size !== undefined ? parseSizeArg(o.size, 'm', 'size') : undefined;
  const ext = o.extents !== undefined ? parseExtentsArg(o.extents) : undefined;
  if (size && size.bytes === 0) throw new LvmkitError('EARGS', '--size may not be zero.');
  if (ext && ext.value === 0) throw new LvmkitError('EARGS', '--extents may not be zero.');
  if (ext?.percent === 'ORIGIN') throw new LvmkitError('EUNSUPPORTED', `-l ${o.extents}: %ORIGIN is for snapshots, which lvmkit does not resize; use %VG, %FREE or %PVS`);
  const sign0 = size?.sign ?? ext?.sign;
  if (o.mode === 'extend' && sign0 === '-') throw new LvmkitError('EARGS', `lvextend: a size starting with "-" shrinks the LV: use lvreduce or lvresize`);
  if (o.mode === 'reduce' && sign0 === '+') throw new LvmkitError('EARGS', `lvreduce: a size starting with "+" grows the LV: use lvextend or lvresize`);
  const policyArg = checkAllocPolicy(o.alloc);
  const stripesArg = o.stripes === undefined ? undefined : checkStripes(o.stripes);
  const stripeSizeArg = o.stripeSize !== undefined ? parseStripeSize(o.stripeSize) : undefined;
  const description = afterDescription(o.commandLine ?? `lvmkit ${VERB[o.mode]} ${o.lv}`);

  let out: { lv: LogicalVolume; from: number; to: number } | undefined;
  const res = await changeVg({ ...o, vgName, description }, (ctx) => {
    const vg = ctx.vg;
    const msgs = ctx.messages;
    const lv = findLv(vg, lvName);
    if (!isSimpleLv(lv)) {
      const types = [...new Set(lv.segments.map((s) => s.type))].join(', ');
      throw new LvmkitError('EUNSUPPORTED', `lvmkit resizes only linear and striped LVs; ${vg.name}/${lv.name} has segment type ${types}: use LVM2's ${VERB[o.mode]}`);
    }
    const current = lvExtents(lv);
    const extentBytes = vg.extentSize * 512;
    const selection = resolvePvArgs(vg, ctx.before, o.pvs);
    const sign = sign0;
    let approx = false;
    let amount: number;
    if (size) {
      const rest = size.bytes % extentBytes;
      amount = sign === '-' ? Math.floor(size.bytes / extentBytes) : Math.ceil(size.bytes / extentBytes);
      if (rest) msgs.push(`Rounding size to boundary between physical extents: ${displaySize(amount * extentBytes)}.`);
    } else {
      const e = ext!;
      if (e.percent) {
        approx = true;
        const total = e.percent === 'VG' ? vg.pvs.reduce((n, p) => n + p.peCount, 0)
          : e.percent === 'FREE' ? vgFreeExtents(vg) : mapsFreeExtents(buildPvMaps(vg, selection));
        amount = percentOfExtents(e.value, total, sign !== '-');
      } else {
        amount = e.value;
      }
    }
    let target = sign === '+' ? current + amount : sign === '-' ? current - amount : amount;
    if (target < 1) throw new LvmkitError('ESIZE', `Unable to reduce ${vg.name}/${lv.name} below 1 extent.`);
    if (o.mode === 'extend' && target < current) {
      throw new LvmkitError('ESIZE', `New size given (${target} extents) not larger than existing size (${current} extents)`);
    }
    if (o.mode === 'reduce' && target > current) {
      throw new LvmkitError('ESIZE', `New size given (${target} extents) not less than existing size (${current} extents)`);
    }
    if (target === current) throw new LvmkitError('ESIZE', `New size (${target} extents) matches existing size (${current} extents).`);

    if (target > current) {
      target = extendLv(vg, lv, current, target, { msgs, approx, policyArg, stripesArg, stripeSizeArg, selection, extentBytes });
    } else {
      target = reduceLv(lv, target, msgs);
      // (LVM2 words it without the final period after a stripe rounding.)
      if (target === current) throw new LvmkitError('ESIZE', `New size (${target} extents) matches existing size (${current} extents)`);
    }
    msgs.push(`Size of logical volume ${vg.name}/${lv.name} changed from ${sizeWithExtents(vg, current)} to ${sizeWithExtents(vg, target)}.`);
    msgs.push(`Logical volume ${vg.name}/${lv.name} successfully resized.`);
    out = { lv, from: current, to: target };
  });
  return { ...res, ...out! };
}

interface ExtendParams {
  msgs: string[];
  approx: boolean;
  policyArg?: string;
  stripesArg?: number;
  stripeSizeArg?: number;
  selection: ReturnType<typeof resolvePvArgs>;
  extentBytes: number;
}

/** Allocate target - current extents at the end of `lv`; returns the size reached. */
function extendLv(vg: VolumeGroup, lv: LogicalVolume, current: number, target: number, p: ExtendParams): number {
  const last = lv.segments[lv.segments.length - 1];
  const lastStripes = last && last.type === 'striped' ? last.areas.length : 1;
  const stripes = p.stripesArg ?? lastStripes;
  let stripeSize: number | undefined;
  if (stripes > 1) {
    if (p.stripeSizeArg !== undefined) stripeSize = p.stripeSizeArg / 512;
    else if (p.stripesArg === undefined || p.stripesArg === lastStripes) {
      stripeSize = last?.stripeSize ?? DEFAULT_STRIPE_SIZE / 512;
      p.msgs.push(`Using stripesize of last segment ${displaySize(stripeSize * 512)}`);
    } else {
      stripeSize = DEFAULT_STRIPE_SIZE / 512;
      p.msgs.push(`Using default stripesize ${displaySize(DEFAULT_STRIPE_SIZE)}`);
    }
    if (stripeSize * 512 > p.extentBytes) {
      p.msgs.push(`Reducing requested stripe size ${displaySize(stripeSize * 512)} to maximum, physical extent size ${displaySize(p.extentBytes)}.`);
      stripeSize = vg.extentSize;
    }
  } else if (p.stripeSizeArg !== undefined) {
    p.msgs.push('Ignoring stripesize argument with single stripe.');
  }
  let delta = target - current;
  if (delta % stripes) {
    const down = delta - (delta % stripes);
    const up = down + stripes;
    // Up, as LVM2 does, unless a percentage rounded up would ask for more than is free.
    if (p.approx && up > mapsFreeExtents(buildPvMaps(vg, p.selection))) {
      p.msgs.push(`Rounding size (${target} extents) down to stripe boundary size for segment (${current + down} extents)`);
      delta = down;
    } else {
      p.msgs.push(`Rounding size (${target} extents) up to stripe boundary size for segment (${current + up} extents).`);
      delta = up;
    }
    if (delta === 0) throw new LvmkitError('ESIZE', `New size (${current} extents) matches existing size (${current} extents)`);
  }
  const policy = resolvePolicy(p.policyArg, lv.allocationPolicy, vg.allocationPolicy);
  const pvCount = p.selection ? new Set(p.selection.map((s) => s.pv)).size : vg.pvs.length;
  if (stripes > pvCount && policy !== 'anywhere') {
    throw new LvmkitError('ENOSPACE', `Number of stripes (${stripes}) must not exceed number of physical volumes (${pvCount})`);
  }
  const maps = buildPvMaps(vg, p.selection);
  const got = allocateExtents({
    lvName: lv.name, extents: delta, stripes, policy, prevSegment: last, firstSegment: lv.segments[0], maps, approx: p.approx,
  });
  appendPieces(lv, got.pieces, stripeSize);
  return current + got.extents;
}

/** Cut `lv` down to `target` extents (rounded up so that a striped segment keeps whole stripes); returns the size reached. */
function reduceLv(lv: LogicalVolume, target: number, msgs: string[]): number {
  const cut = lv.segments.find((s) => s.startExtent < target && s.startExtent + s.extentCount > target);
  if (cut && cut.type === 'striped' && cut.areas.length > 1) {
    const n = cut.areas.length;
    const keep = target - cut.startExtent;
    if (keep % n) {
      const rounded = cut.startExtent + keep + n - (keep % n);
      msgs.push(`Rounding size (${target} extents) up to stripe boundary size for segment (${rounded} extents).`);
      target = rounded;
    }
  }
  lv.segments = lv.segments.filter((s) => s.startExtent < target);
  const tail = lv.segments[lv.segments.length - 1];
  if (tail && tail.startExtent + tail.extentCount > target) {
    lv.segments[lv.segments.length - 1] = { ...tail, extentCount: target - tail.startExtent };
  }
  return target;
}
