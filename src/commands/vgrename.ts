/** vgrename OLD NEW: a commit of the same VG under a new name. */
import { LvmkitError } from '../errors.js';
import { changeVg, type ChangeResult, type WriteOptions } from './change.js';
import { checkNewVgName } from './vgcreate.js';

export interface VgRenameOptions extends WriteOptions {
  vgName: string;
  newName: string;
  description: string;
}

export async function vgrenameCommand(o: VgRenameOptions): Promise<ChangeResult> {
  checkNewVgName(o.newName);
  if (o.vgName === o.newName) throw new LvmkitError('EARGS', 'Old and new volume group names need to differ');
  return changeVg(o, (ctx) => {
    if (ctx.scan.vgs.some((v) => v.vg.name === o.newName)) {
      throw new LvmkitError('EEXISTS', `New volume group "${o.newName}" already exists`);
    }
    ctx.vg.name = o.newName;
    ctx.messages.push(`Volume group "${o.vgName}" successfully renamed to "${o.newName}"`);
  });
}
