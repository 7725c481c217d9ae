/** pvchange IMG...: PV tags (--addtag/--deltag) and allocatability (-x y|n), one commit per VG. */
import { LvmkitError } from '../errors.js';
import { changeVg, withWritableScan, type WriteOptions } from './change.js';
import type { CommandOutput } from './output.js';
import { deviceOf, pvOnDevice, vgOfPv } from './pv-shared.js';
import { checkTags } from './vgcreate.js';

export interface PvChangeOptions extends WriteOptions {
  images: string[];
  addTags?: string[];
  delTags?: string[];
  /** -x y|n */
  allocatable?: boolean;
  description: string;
}

export async function pvchangeCommand(o: PvChangeOptions): Promise<CommandOutput> {
  if (!o.images.length) throw new LvmkitError('EARGS', 'Please give a physical volume path');
  const add = o.addTags ?? [];
  const del = o.delTags ?? [];
  checkTags([...add, ...del]);
  if (!add.length && !del.length && o.allocatable === undefined) {
    throw new LvmkitError('EARGS', 'One of --addtag, --deltag or -x/--allocatable is required');
  }
  const images = [...new Set(o.images)];
  const devices = [...new Set([...o.devices, ...images])];
  const byVg = await withWritableScan({ ...o, devices, test: true }, async (scan) => {
    const m = new Map<string, string[]>();
    for (const img of images) {
      const pv = pvOnDevice(scan, deviceOf(scan, devices, img));
      if (!pv) throw new LvmkitError('ENOT_PV', `Failed to find physical volume "${img}".`, { file: img });
      const vg = vgOfPv(scan, pv);
      if (!vg) throw new LvmkitError('EUNSUPPORTED', `Unable to change orphan physical volume "${img}": add it to a VG first (vgextend)`, { file: img });
      m.set(vg.vg.name, [...(m.get(vg.vg.name) ?? []), img]);
    }
    return m;
  });
  let stdout = '';
  const warnings: string[] = [];
  for (const [vgName, imgs] of byVg) {
    const r = await changeVg({ ...o, devices, vgName }, (ctx) => {
      for (const img of imgs) {
        const pv = pvOnDevice(ctx.scan, deviceOf(ctx.scan, devices, img))!;
        const model = ctx.vg.pvs.find((p) => p.id === pv.label.pvUuid)!;
        for (const t of del) model.tags = model.tags.filter((x) => x !== t);
        for (const t of add) if (!model.tags.includes(t)) model.tags.push(t);
        if (o.allocatable !== undefined) {
          const is = model.status.includes('ALLOCATABLE');
          if (o.allocatable && !is) model.status.push('ALLOCATABLE');
          if (!o.allocatable && is) model.status = model.status.filter((s) => s !== 'ALLOCATABLE');
        }
        ctx.messages.push(`Physical volume "${img}" changed`);
      }
    });
    stdout += r.stdout;
    warnings.push(...r.warnings);
  }
  const n = images.length;
  stdout += `  ${n} physical volume${n === 1 ? '' : 's'} changed / 0 physical volumes not changed\n`;
  return { stdout, warnings };
}
