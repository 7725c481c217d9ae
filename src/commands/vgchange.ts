/** vgchange: VG tags (--addtag/--deltag), allocation policy (--alloc) and resizeability (-x y|n). */
import { LvmkitError } from '../errors.js';
import { changeVg, type ChangeResult, type WriteOptions } from './change.js';
import { checkAllocPolicy, checkTags } from './vgcreate.js';

export interface VgChangeOptions extends WriteOptions {
  vgName: string;
  addTags?: string[];
  delTags?: string[];
  alloc?: string;
  /** -x y|n */
  resizeable?: boolean;
  description: string;
}

export async function vgchangeCommand(o: VgChangeOptions): Promise<ChangeResult> {
  const add = o.addTags ?? [];
  const del = o.delTags ?? [];
  checkTags([...add, ...del]);
  const alloc = o.alloc === undefined ? undefined : checkAllocPolicy(o.alloc);
  if (!add.length && !del.length && alloc === undefined && o.resizeable === undefined) {
    throw new LvmkitError('EARGS', 'One of --addtag, --deltag, --alloc or -x/--resizeable is required');
  }
  return changeVg(o, (ctx) => {
    const vg = ctx.vg;
    for (const t of del) vg.tags = vg.tags.filter((x) => x !== t);
    for (const t of add) if (!vg.tags.includes(t)) vg.tags.push(t);
    if (alloc !== undefined) {
      if (vg.allocationPolicy === alloc) throw new LvmkitError('EEXISTS', `Volume group allocation policy is already ${alloc}`);
      vg.allocationPolicy = alloc;
    }
    if (o.resizeable !== undefined) {
      const is = vg.status.includes('RESIZEABLE');
      if (is === o.resizeable) throw new LvmkitError('EEXISTS', `Volume group "${vg.name}" is already ${is ? '' : 'not '}resizeable`);
      if (o.resizeable) vg.status.unshift('RESIZEABLE');
      else vg.status = vg.status.filter((s) => s !== 'RESIZEABLE');
    }
    ctx.messages.push(`Volume group "${vg.name}" successfully changed`);
  });
}
