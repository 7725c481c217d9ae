/**
 * pvresize IMG...: make a PV match its image's size (or --setphysicalvolumesize): grow or shrink pe_count,
 * refusing to cut allocated extents. As LVM2 2.03.16 does, the PV's dev_size in the metadata becomes the
 * new size minus pe_start (observed: a 56 MiB PV with pe_start 1 MiB gets dev_size 55 MiB), and the label's
 * device size the new size. A PV with a second metadata area at its end is not supported (it would have
 * to move).
 */
import { LvmkitError } from '../errors.js';
import { SECTOR_SIZE } from '../format/layout.js';
import { endMetadataArea } from '../format/pv-layout.js';
import { changeVg, describeWrites, TEST_MODE_NOTICE, withWritableScan, writeAll, type ExtraWrite, type WriteOptions } from './change.js';
import type { CommandOutput } from './output.js';
import { deviceOf, pvOnDevice, relabelWrite, vgOfPv } from './pv-shared.js';
import type { ScannedPv } from './scan.js';

export interface PvResizeOptions extends WriteOptions {
  images: string[];
  /** --setphysicalvolumesize, bytes. */
  setPhysicalVolumeSize?: number;
  /** -y: confirm shrinking below the image's size with --setphysicalvolumesize. */
  yes?: boolean;
  description: string;
}

function newSize(pv: ScannedPv, o: PvResizeOptions): number {
  const real = pv.device.size;
  const size = o.setPhysicalVolumeSize ?? real;
  if (size > real) {
    throw new LvmkitError('EARGS', `${pv.device.name}: Requested size ${size} bytes exceeds real size ${real} bytes.`);
  }
  if (o.setPhysicalVolumeSize !== undefined && size < real && !o.yes) {
    throw new LvmkitError('EARGS', `${pv.device.name}: Requested size ${size} bytes is less than real size ${real} bytes: confirm with -y; nothing was changed`);
  }
  const peStart = pv.label.dataAreas[0]?.offset ?? 0;
  if (endMetadataArea({ peStart, metadataAreas: pv.label.metadataAreas })) {
    throw new LvmkitError('EUNSUPPORTED', `${pv.device.name}: resizing a PV with a metadata area at its end is not supported by lvmkit; nothing was changed`);
  }
  if (size <= peStart) throw new LvmkitError('EARGS', `${pv.device.name}: size ${size} bytes leaves no room after pe_start ${peStart}`);
  return size;
}

export async function pvresizeCommand(o: PvResizeOptions): Promise<CommandOutput> {
  if (!o.images.length) throw new LvmkitError('EARGS', 'Please supply physical volume(s)');
  const images = [...new Set(o.images)];
  const devices = [...new Set([...o.devices, ...images])];
  // Group the PVs by VG: each VG is changed in one commit; orphans only get a new label.
  const plan = await withWritableScan({ ...o, devices, test: true }, async (scan) => {
    const byVg = new Map<string, string[]>();
    const orphans: string[] = [];
    for (const img of images) {
      const dev = deviceOf(scan, devices, img);
      const pv = pvOnDevice(scan, dev);
      if (!pv) throw new LvmkitError('ENOT_PV', `Failed to find physical volume "${img}".`, { file: img });
      newSize(pv, o);
      const vg = vgOfPv(scan, pv);
      if (vg) byVg.set(vg.vg.name, [...(byVg.get(vg.vg.name) ?? []), img]);
      else orphans.push(img);
    }
    return { byVg, orphans };
  });
  let stdout = '';
  const warnings: string[] = [];
  let done = 0;
  for (const [vgName, imgs] of plan.byVg) {
    const r = await changeVg({ ...o, devices, vgName }, (ctx) => {
      for (const img of imgs) {
        const pv = pvOnDevice(ctx.scan, deviceOf(ctx.scan, devices, img))!;
        const model = ctx.vg.pvs.find((p) => p.id === pv.label.pvUuid)!;
        const size = newSize(pv, o);
        const sectors = Math.floor(size / SECTOR_SIZE);
        const count = Math.floor((sectors - model.peStart) / ctx.vg.extentSize);
        let used = 0;
        for (const lv of ctx.vg.lvs) {
          for (const s of lv.segments) {
            const len = s.type === 'striped' ? s.extentCount / Math.max(1, s.areas.length) : s.extentCount;
            for (const a of s.areas) if (a.kind === 'pv' && a.pv === model) used = Math.max(used, a.pe + len);
          }
        }
        if (count < used) {
          throw new LvmkitError('EIN_USE', `${img}: cannot resize to ${count} extents as ${used} are allocated.`, { file: img });
        }
        model.peCount = count;
        model.devSize = sectors - model.peStart;
        ctx.writesAfter.push(relabelWrite(pv, pv.label.extFlags, 'label, new device size', size));
        ctx.messages.push(`Physical volume "${img}" changed`);
        done++;
      }
    });
    stdout += r.stdout;
    warnings.push(...r.warnings);
  }
  if (plan.orphans.length) {
    await withWritableScan({ ...o, devices: plan.orphans }, async (scan) => {
      const writes: ExtraWrite[] = [];
      for (const img of plan.orphans) {
        const pv = pvOnDevice(scan, deviceOf(scan, plan.orphans, img))!;
        writes.push(relabelWrite(pv, pv.label.extFlags, 'label, new device size', newSize(pv, o)));
        stdout += `  Physical volume "${img}" changed\n`;
        done++;
      }
      if (o.test) warnings.push(TEST_MODE_NOTICE, ...describeWrites(writes));
      else await writeAll(writes);
    });
  }
  stdout += `  ${done} physical volume(s) resized or updated / 0 physical volume(s) not resized\n`;
  return { stdout, warnings };
}
