/**
 * lvchange for what can be changed offline in the metadata alone: --addtag/--deltag and --alloc.
 * (Activation, permissions, read-ahead and the rest are refused by the CLI with a clear message.)
 */
import { LvmkitError } from '../errors.js';
import { changeVg, type ChangeResult, type WriteOptions } from './change.js';
import { checkAllocPolicy } from './lvcreate.js';
import { afterDescription, checkTags, splitLvArg } from './lv-shared.js';

export interface LvChangeOptions extends WriteOptions {
  /** "VG/LV" arguments of one VG. */
  lvs: string[];
  addTags?: string[];
  delTags?: string[];
  alloc?: string;
  commandLine?: string;
}

export async function lvchangeCommand(o: LvChangeOptions): Promise<ChangeResult> {
  const add = o.addTags ?? [];
  const del = o.delTags ?? [];
  checkTags(add, 'addtag');
  checkTags(del, 'deltag');
  const alloc = checkAllocPolicy(o.alloc);
  if (!add.length && !del.length && alloc === undefined) {
    throw new LvmkitError('EARGS', 'No change requested: lvmkit lvchange takes --addtag, --deltag or --alloc');
  }
  if (!o.lvs.length) throw new LvmkitError('EARGS', 'Please give one or more logical volumes: lvchange ... VG/LV');
  const targets = o.lvs.map((a) => splitLvArg(a));
  for (const [i, t] of targets.entries()) {
    if (t.lv === undefined) throw new LvmkitError('EARGS', `"${o.lvs[i]}": expected VG/LV`);
  }
  const vgNames = [...new Set(targets.map((t) => t.vg))];
  if (vgNames.length > 1) throw new LvmkitError('EARGS', `lvmkit lvchange changes one VG per command; got ${vgNames.join(', ')}: run it once per VG`);
  return changeVg({ ...o, vgName: vgNames[0], description: afterDescription(o.commandLine ?? `lvmkit lvchange ${o.lvs.join(' ')}`) }, (ctx) => {
    const vg = ctx.vg;
    for (const t of targets) {
      const lv = vg.lvs.find((l) => l.name === t.lv);
      if (!lv) throw new LvmkitError('ELV_NOT_FOUND', `Failed to find logical volume "${vg.name}/${t.lv}"`);
      for (const tag of add) if (!lv.tags.includes(tag)) lv.tags.push(tag);
      lv.tags = lv.tags.filter((tag) => !del.includes(tag));
      if (alloc !== undefined) {
        if ((lv.allocationPolicy ?? 'inherit') === alloc) {
          throw new LvmkitError('EEXISTS', `Allocation policy of logical volume ${vg.name}/${lv.name} is already ${alloc}.`);
        }
        lv.allocationPolicy = alloc;
      }
      ctx.messages.push(`Logical volume ${vg.name}/${lv.name} changed.`);
    }
  });
}
