/**
 * vgcfgrestore -f FILE VG: write the VG metadata of a backup file to the PVs it lists, found by UUID among
 * the --devices images. The seqno written is one above both the file's and the one on disk (LVM2 uses the
 * file's seqno + 1 only), so the restored version always wins. PVs that belong to the VG on disk but not
 * in the file become orphans. Node-only: it reads the file with node:fs.
 */
import { readFile } from 'node:fs/promises';
import { LvmkitError } from '../errors.js';
import { PV_EXT_USED } from '../format/layout.js';
import { parseConfig } from '../metadata/parse.js';
import { vgFromConfig } from '../model/from-config.js';
import { lookupSegtype } from '../segtypes/registry.js';
import { commitChange, withWritableScan, type ChangeResult, type ExtraWrite, type WriteOptions } from './change.js';
import { orphanMdaWrites, relabelWrite } from './pv-shared.js';
import type { ScannedPv } from './scan.js';

export interface VgCfgRestoreOptions extends WriteOptions {
  vgName: string;
  file: string;
  description: string;
}

export async function vgcfgrestoreCommand(o: VgCfgRestoreOptions): Promise<ChangeResult> {
  if (!o.file) throw new LvmkitError('EARGS', 'vgcfgrestore needs -f/--file FILE');
  let text: string;
  try {
    text = await readFile(o.file, 'utf8');
  } catch (e) {
    throw new LvmkitError('EDEVICE_OPEN', `${o.file}: cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, { file: o.file });
  }
  const vg = vgFromConfig(parseConfig(text, o.file), { source: o.file, codecs: lookupSegtype });
  if (vg.name !== o.vgName) throw new LvmkitError('EVG_NOT_FOUND', `'${o.file}' does not contain volume group '${o.vgName}'.`);
  return withWritableScan(o, async (scan) => {
    const commitPvs: ScannedPv[] = [];
    const writesAfter: ExtraWrite[] = [];
    for (const pv of vg.pvs) {
      const found = scan.pvs.find((p) => p.label.pvUuid === pv.id);
      if (!found) {
        throw new LvmkitError('EMISSING_PV', `Couldn't find device with uuid ${pv.id}. Cannot restore Volume Group ${vg.name} with 1 PVs marked as missing: pass every image of the VG with --devices`);
      }
      const other = scan.vgs.find((v) => v.vg.id !== vg.id && [...v.pvs.values()].includes(found));
      if (other) throw new LvmkitError('EIN_USE', `${found.device.name}: PV ${pv.id} belongs to VG ${other.vg.name}, not ${vg.name}; nothing was changed`);
      const peStart = found.label.dataAreas[0]?.offset;
      if (peStart !== pv.peStart * 512) {
        throw new LvmkitError('EMETADATA', `${found.device.name}: pe_start ${pv.peStart * 512} bytes in ${o.file} does not match ${peStart} on the PV; nothing was changed`);
      }
      pv.deviceHint = found.device.name;
      commitPvs.push(found);
      if (!(found.label.extFlags & PV_EXT_USED)) writesAfter.push(relabelWrite(found, found.label.extFlags | PV_EXT_USED, 'label, pv_header_extension flags: used'));
    }
    const onDisk = scan.vgs.find((v) => v.vg.id === vg.id);
    vg.seqno = Math.max(vg.seqno, onDisk?.vg.seqno ?? 0) + 1;
    for (const pv of onDisk?.pvs.values() ?? []) {
      if (commitPvs.includes(pv)) continue;
      writesAfter.push(...orphanMdaWrites(pv), relabelWrite(pv, pv.label.extFlags & ~PV_EXT_USED, 'label, not used'));
    }
    return commitChange({ test: o.test, description: o.description }, {
      vg, commitPvs, messages: [`Restored volume group ${vg.name}.`], warnings: [...scan.warnings], writesBefore: [], writesAfter,
    });
  }, { allowNoPvs: true });
}
