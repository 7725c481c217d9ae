/**
 * vgreduce VG IMG... | vgreduce --all VG: remove PVs with no allocated extents from a VG. The commit goes to
 * the remaining PVs; then the removed PVs become orphans (empty metadata area headers, PV_EXT_USED cleared),
 * as LVM2 leaves them.
 */
import { LvmkitError } from '../errors.js';
import { PV_EXT_USED } from '../format/layout.js';
import type { PhysicalVolume, VolumeGroup } from '../model/types.js';
import { changeVg, type ChangeResult, type WriteOptions } from './change.js';
import { deviceOf, orphanMdaWrites, pvOnDevice, relabelWrite } from './pv-shared.js';

export interface VgReduceOptions extends WriteOptions {
  vgName: string;
  images: string[];
  /** --all: every PV without allocated extents (at least one PV stays). */
  all?: boolean;
  description: string;
}

/** Is any extent of `pv` allocated to an LV? */
export function pvInUse(vg: VolumeGroup, pv: PhysicalVolume): boolean {
  return vg.lvs.some((lv) => lv.segments.some((s) => s.areas.some((a) => a.kind === 'pv' && a.pv === pv)));
}

export async function vgreduceCommand(o: VgReduceOptions): Promise<ChangeResult> {
  if (!o.all && !o.images.length) throw new LvmkitError('EARGS', 'Please give volume group name and physical volume paths (or --all)');
  if (o.all && o.images.length) throw new LvmkitError('EARGS', 'Option --all and physical volume names cannot be given together');
  const images = [...new Set(o.images)];
  const devices = [...new Set([...o.devices, ...images])];
  return changeVg({ ...o, devices }, (ctx) => {
    const vg = ctx.vg;
    const targets: PhysicalVolume[] = [];
    if (o.all) {
      for (const pv of vg.pvs) if (!pvInUse(vg, pv)) targets.push(pv);
      if (targets.length === vg.pvs.length) targets.shift();
    } else {
      for (const img of images) {
        const dev = deviceOf(ctx.scan, devices, img);
        const found = pvOnDevice(ctx.scan, dev);
        const pv = found && vg.pvs.find((p) => p.id === found.label.pvUuid);
        if (!pv) throw new LvmkitError('EVG_NOT_FOUND', `Physical volume "${dev.name}" not found in volume group "${vg.name}"`, { file: dev.name });
        if (pvInUse(vg, pv)) {
          throw new LvmkitError('EIN_USE', `Physical volume "${dev.name}" still in use: remove or move the LVs on it first (nothing was changed)`, { file: dev.name });
        }
        if (!targets.includes(pv)) targets.push(pv);
      }
      if (targets.length === vg.pvs.length) {
        throw new LvmkitError('EIN_USE', `Can't remove final physical volume "${o.images[o.images.length - 1]}" from volume group "${vg.name}" (use vgremove)`);
      }
    }
    if (!vg.status.includes('RESIZEABLE') && targets.length) {
      throw new LvmkitError('EIN_USE', `Volume group "${vg.name}" is not resizeable (change it with vgchange -x y)`);
    }
    for (const pv of targets) {
      vg.pvs.splice(vg.pvs.indexOf(pv), 1);
      const scanned = ctx.before.pvs.get(pv.id);
      if (scanned) {
        ctx.commitPvs.splice(ctx.commitPvs.indexOf(scanned), 1);
        ctx.writesAfter.push(...orphanMdaWrites(scanned));
        ctx.writesAfter.push(relabelWrite(scanned, scanned.label.extFlags & ~PV_EXT_USED, 'label, pv_header_extension flags: not used'));
      }
      ctx.messages.push(`Removed "${scanned?.device.name ?? pv.deviceHint ?? pv.id}" from volume group "${vg.name}"`);
    }
    if (!targets.length) ctx.messages.push(`No unused physical volumes to remove from volume group "${vg.name}"`);
  });
}
