/**
 * vgremove VG: the VG's PVs become orphans, as LVM2 leaves them: every metadata area header is emptied
 * first (on every PV), then every label loses PV_EXT_USED. The old texts stay in the buffers.
 * A VG with LVs is removed only with -y/--yes or -f/--force (LVM2 asks first).
 */
import { LvmkitError } from '../errors.js';
import { PV_EXT_USED } from '../format/layout.js';
import { describeWrites, findVg, TEST_MODE_NOTICE, withWritableScan, writeAll, type ExtraWrite, type WriteOptions } from './change.js';
import type { CommandOutput } from './output.js';
import { orphanMdaWrites, relabelWrite } from './pv-shared.js';

export interface VgRemoveOptions extends WriteOptions {
  vgName: string;
  yes?: boolean;
  force?: number;
}

export async function vgremoveCommand(o: VgRemoveOptions): Promise<CommandOutput> {
  return withWritableScan(o, async (scan) => {
    const found = findVg(scan, o.vgName);
    const vg = found.vg;
    if (found.missingPvIds.length && !(o.force && o.force > 0)) {
      throw new LvmkitError('EMISSING_PV', `Cannot remove VG ${vg.name} while PVs are missing (${found.missingPvIds.join(', ')}): pass every image with --devices, or use -f`);
    }
    const visible = vg.lvs.filter((lv) => lv.status.includes('VISIBLE'));
    if (vg.lvs.length && !o.yes && !o.force) {
      throw new LvmkitError('EIN_USE',
        `Volume group "${vg.name}" contains ${visible.length} logical volumes: pass -y/--yes (or -f/--force) to remove them with it; nothing was changed`);
    }
    const headers: ExtraWrite[] = [];
    const labels: ExtraWrite[] = [];
    for (const pv of found.pvs.values()) {
      headers.push(...orphanMdaWrites(pv));
      labels.push(relabelWrite(pv, pv.label.extFlags & ~PV_EXT_USED, 'label, pv_header_extension flags: not used'));
    }
    const writes = [...headers, ...labels];
    const warnings = [...scan.warnings];
    if (o.test) warnings.push(TEST_MODE_NOTICE, ...describeWrites(writes));
    else await writeAll(writes);
    const lines = [...visible.map((lv) => `Logical volume "${lv.name}" successfully removed.`), `Volume group "${vg.name}" successfully removed`];
    return { stdout: lines.map((l) => `  ${l}\n`).join(''), warnings };
  });
}
