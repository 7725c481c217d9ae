/**
 * pvremove IMG...: wipe the PV label (the whole label sector becomes zeros, as LVM2 leaves it; the metadata
 * area is left as it was). A PV of a VG needs -ff.
 */
import { LvmkitError } from '../errors.js';
import { PV_EXT_USED, SECTOR_SIZE } from '../format/layout.js';
import { describeWrites, TEST_MODE_NOTICE, withWritableScan, writeAll, type ExtraWrite, type WriteOptions } from './change.js';
import type { CommandOutput } from './output.js';
import { deviceOf, pvOnDevice, vgOfPv } from './pv-shared.js';

export interface PvRemoveOptions extends WriteOptions {
  images: string[];
  force?: number;
  yes?: boolean;
}

export async function pvremoveCommand(o: PvRemoveOptions): Promise<CommandOutput> {
  if (!o.images.length) throw new LvmkitError('EARGS', 'Please enter a physical volume path');
  const images = [...new Set(o.images)];
  const devices = [...new Set([...o.devices, ...images])];
  return withWritableScan({ ...o, devices }, async (scan) => {
    const writes: ExtraWrite[] = [];
    const lines: string[] = [];
    const warnings = [...scan.warnings];
    for (const img of images) {
      const dev = deviceOf(scan, devices, img);
      const pv = pvOnDevice(scan, dev);
      if (!pv) throw new LvmkitError('ENOT_PV', `No PV found on device ${dev.name}.`, { file: dev.name });
      const vg = vgOfPv(scan, pv);
      if ((vg || pv.label.extFlags & PV_EXT_USED) && (o.force ?? 0) < 2) {
        throw new LvmkitError('EIN_USE',
          `PV ${dev.name} is used by VG ${vg?.vg.name ?? '?'} so please use vgreduce first. (If you are certain you need pvremove, then confirm by using --force twice.)`,
          { file: dev.name });
      }
      if (vg) warnings.push(`Wiping physical volume label from ${dev.name} of volume group "${vg.vg.name}".`);
      writes.push({ device: dev, offset: pv.label.labelOffset, data: new Uint8Array(SECTOR_SIZE), what: 'label sector, wiped' });
      lines.push(`Labels on physical volume "${dev.name}" successfully wiped.`);
    }
    if (o.test) warnings.push(TEST_MODE_NOTICE, ...describeWrites(writes));
    else await writeAll(writes);
    return { stdout: lines.map((l) => `  ${l}\n`).join(''), warnings };
  }, { allowNoPvs: true });
}
