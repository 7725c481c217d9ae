/**
 * vgextend VG IMG...: add PVs to a VG (images that are not PVs yet are initialised first). The new PVs'
 * headers are written before the commit, with an orphan label; the PV_EXT_USED flag after it.
 */
import { LvmkitError } from '../errors.js';
import { PV_EXT_USED } from '../format/layout.js';
import { changeVg, type ChangeResult, type WriteOptions } from './change.js';
import { preparePv, type PvInitOptions } from './pvcreate.js';
import { deviceOf, newVgPv, pvOnDevice, relabelWrite, usedElsewhere, vgOfPv } from './pv-shared.js';

export interface VgExtendOptions extends PvInitOptions, WriteOptions {
  vgName: string;
  /** The images to add (they must also be in `devices`). */
  images: string[];
  description: string;
}

export async function vgextendCommand(o: VgExtendOptions): Promise<ChangeResult> {
  if (!o.images.length) throw new LvmkitError('EARGS', 'Please enter physical volume(s)');
  const images = [...new Set(o.images)];
  const devices = [...new Set([...o.devices, ...images])];
  return changeVg({ ...o, devices }, async (ctx) => {
    if (!ctx.vg.status.includes('RESIZEABLE')) {
      throw new LvmkitError('EIN_USE', `Volume group "${ctx.vg.name}" is not resizeable (change it with vgchange -x y)`);
    }
    for (const img of images) {
      const dev = deviceOf(ctx.scan, devices, img);
      const found = pvOnDevice(ctx.scan, dev);
      if (found) {
        const vg = vgOfPv(ctx.scan, found);
        if (vg) throw new LvmkitError('EIN_USE', `Physical volume '${dev.name}' is already in volume group '${vg.vg.name}'`, { file: dev.name });
        if (found.label.extFlags & PV_EXT_USED) throw usedElsewhere(dev.name);
        if (ctx.vg.pvs.some((p) => p.id === found.label.pvUuid)) {
          throw new LvmkitError('EEXISTS', `${dev.name}: PV uuid ${found.label.pvUuid} is already listed in VG ${ctx.vg.name}`, { file: dev.name });
        }
        ctx.vg.pvs.push(newVgPv(found, ctx.vg.extentSize));
        ctx.commitPvs.push(found);
        ctx.writesAfter.push(relabelWrite(found, found.label.extFlags | PV_EXT_USED, 'label, pv_header_extension flags: used'));
      } else {
        const p = await preparePv(dev, ctx.scan, o);
        ctx.messages.push(...p.messages, `Physical volume "${dev.name}" successfully created.`);
        ctx.writesBefore.push(...p.initWrites, p.labelWrite(0));
        ctx.writesAfter.push(p.labelWrite(PV_EXT_USED));
        ctx.vg.pvs.push(newVgPv(p.scanned, ctx.vg.extentSize));
        ctx.commitPvs.push(p.scanned);
      }
    }
    if (ctx.vg.maxPv > 0 && ctx.vg.pvs.length > ctx.vg.maxPv) {
      throw new LvmkitError('ENOSPACE', `Maximum number of physical volumes (${ctx.vg.maxPv}) exceeded for volume group "${ctx.vg.name}"`);
    }
    ctx.messages.push(`Volume group "${ctx.vg.name}" successfully extended`);
  });
}
