/**
 * lvremove: remove LVs (VG/LV arguments, or a VG name for all of its LVs) from one VG in one commit.
 * lvmkit removes linear and striped LVs that no other LV uses; others are refused (use LVM2).
 * The LVs are inactive by nature here (nothing is activated offline), so, as LVM2 does for inactive LVs,
 * no confirmation is asked.
 */
import { LvmkitError } from '../errors.js';
import { changeVg, type ChangeResult, type WriteOptions } from './change.js';
import { afterDescription, isSimpleLv, splitLvArg, usersOf } from './lv-shared.js';

export interface LvRemoveOptions extends WriteOptions {
  /** "VG/LV" arguments (all of one VG), or a single "VG" for every LV of it. */
  lvs: string[];
  commandLine?: string;
}

export async function lvremoveCommand(o: LvRemoveOptions): Promise<ChangeResult & { removed: string[] }> {
  if (!o.lvs.length) throw new LvmkitError('EARGS', 'Please enter one or more logical volume paths: lvremove VG/LV...');
  const targets = o.lvs.map((a) => splitLvArg(a));
  const vgNames = [...new Set(targets.map((t) => t.vg))];
  if (vgNames.length > 1) {
    throw new LvmkitError('EARGS', `lvmkit lvremove changes one VG per command; got LVs of ${vgNames.join(', ')}: run it once per VG`);
  }
  const vgName = vgNames[0];
  const removed: string[] = [];
  const res = await changeVg({ ...o, vgName, description: afterDescription(o.commandLine ?? `lvmkit lvremove ${o.lvs.join(' ')}`) }, (ctx) => {
    const vg = ctx.vg;
    const names: string[] = [];
    for (const t of targets) {
      if (t.lv === undefined) names.push(...vg.lvs.filter((l) => l.status.includes('VISIBLE')).map((l) => l.name));
      else names.push(t.lv);
    }
    for (const name of [...new Set(names)]) {
      const lv = vg.lvs.find((l) => l.name === name);
      if (!lv) throw new LvmkitError('ELV_NOT_FOUND', `Failed to find logical volume "${vg.name}/${name}"`);
      if (!lv.status.includes('VISIBLE')) {
        throw new LvmkitError('EUNSUPPORTED', `Can't remove logical volume ${vg.name}/${name}: it is a hidden part of another LV; remove that LV with LVM2`);
      }
      const users = usersOf(vg, lv).filter((u) => !names.includes(u));
      if (users.length || !isSimpleLv(lv)) {
        throw new LvmkitError('EUNSUPPORTED', `lvmkit removes only linear and striped LVs that no other LV uses; ${vg.name}/${name} ${users.length ? `is used by ${users.join(', ')}` : `has segment type ${lv.segments.map((s) => s.type).join(', ')}`}: use LVM2's lvremove`);
      }
      vg.lvs = vg.lvs.filter((l) => l !== lv);
      removed.push(name);
      ctx.messages.push(`Logical volume "${name}" successfully removed.`);
    }
  });
  return { ...res, removed };
}
