/** lvrename: `lvrename VG OLD NEW` or `lvrename VG/OLD [VG/]NEW`, with LVM2's checks and messages. */
import { LvmkitError } from '../errors.js';
import { lvNameProblem } from '../model/names.js';
import { changeVg, type ChangeResult, type WriteOptions } from './change.js';
import { afterDescription, splitLvArg } from './lv-shared.js';

export interface LvRenameOptions extends WriteOptions {
  /** [VG, OLD, NEW] or [VG/OLD, NEW] or [VG/OLD, VG/NEW]. */
  args: string[];
  commandLine?: string;
}

export function parseRenameArgs(args: string[]): { vg: string; from: string; to: string } {
  if (args.length === 3) {
    const vg = args[0];
    const from = splitLvArg(args[1], vg).lv!;
    const to = splitLvArg(args[2], vg).lv!;
    return { vg, from, to };
  }
  if (args.length === 2) {
    const a = splitLvArg(args[0]);
    if (a.lv === undefined) throw new LvmkitError('EARGS', `Path required for Logical Volume "${args[0]}": lvrename VG/OLD NEW or lvrename VG OLD NEW`);
    const b = splitLvArg(args[1], a.vg);
    return { vg: a.vg, from: a.lv, to: b.lv! };
  }
  throw new LvmkitError('EARGS', 'Old and new logical volume names required: lvrename VG OLD NEW or lvrename VG/OLD NEW');
}

export async function lvrenameCommand(o: LvRenameOptions): Promise<ChangeResult> {
  const { vg: vgName, from, to } = parseRenameArgs(o.args);
  if (from === to) throw new LvmkitError('EARGS', `Old and new logical volume names must differ (both are "${from}")`);
  const p = lvNameProblem(to, vgName);
  if (p) throw new LvmkitError('EARGS', `New logical volume name "${to}" is invalid: ${p}`);
  return changeVg({ ...o, vgName, description: afterDescription(o.commandLine ?? `lvmkit lvrename ${o.args.join(' ')}`) }, (ctx) => {
    const vg = ctx.vg;
    const lv = vg.lvs.find((l) => l.name === from);
    if (!lv) throw new LvmkitError('ELV_NOT_FOUND', `Existing logical volume "${from}" not found in volume group "${vg.name}"`);
    if (vg.lvs.some((l) => l.name === to)) throw new LvmkitError('EEXISTS', `Logical Volume "${to}" already exists in volume group "${vg.name}"`);
    if (!lv.status.includes('VISIBLE')) throw new LvmkitError('EUNSUPPORTED', `Cannot rename internal LV "${from}"; rename the LV it belongs to`);
    const referenced = vg.lvs.some((other) => other !== lv && other.segments.some((s) =>
      s.areas.some((a) => a.kind === 'lv' && a.lvName === from) || s.body.some((it) => it.kind === 'setting' && it.value === from)));
    if (referenced) throw new LvmkitError('EUNSUPPORTED', `lvmkit does not rename ${vg.name}/${from}: another LV refers to it by name; use LVM2's lvrename`);
    lv.name = to;
    ctx.messages.push(`Renamed "${from}" to "${to}" in volume group "${vg.name}"`);
  });
}
