/**
 * The LV verbs of the CLI: lvcreate, lvextend, lvreduce, lvresize, lvremove, lvrename, lvchange.
 * Argument parsing and printing only; the work is in src/commands/lv*.ts.
 */
import type { Argv } from 'yargs';
import { LvmkitError } from '../../src/errors.js';
import { lvcreateCommand } from '../../src/commands/lvcreate.js';
import { lvresizeCommand, type ResizeMode } from '../../src/commands/lvresize.js';
import { lvremoveCommand } from '../../src/commands/lvremove.js';
import { lvrenameCommand } from '../../src/commands/lvrename.js';
import { lvchangeCommand } from '../../src/commands/lvchange.js';
import { devicesOption, emit, NO_ACTIVATION, splitDevices, type Verb } from '../shared.js';

/** The command line as typed, for the metadata's description ("Created *after* executing '...'"). */
function commandLine(): string {
  return ['lvmkit', ...process.argv.slice(2)].join(' ');
}

function list(v: unknown): string[] {
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).map(String);
}

/** y/n option values as LVM2 takes them. */
function yesNo(v: unknown, option: string): boolean | undefined {
  if (v === undefined) return undefined;
  const s = String(v).toLowerCase();
  if (s === 'y' || s === 'yes' || s === 'true') return true;
  if (s === 'n' || s === 'no' || s === 'false') return false;
  throw new LvmkitError('EARGS', `Invalid argument for --${option}: ${String(v)} (expected y or n)`);
}

/** Options every writing LV verb takes: --devices, --test, and LVM2's -y/-f (accepted; nothing is asked offline). */
function writeOptions<T>(y: Argv<T>) {
  return devicesOption(y)
    .option('test', { alias: 't', type: 'boolean', describe: 'Show what would change; write nothing' })
    .option('yes', { alias: 'y', type: 'boolean', describe: 'Answer yes to any question (accepted, as LVM2)' })
    .option('force', { alias: 'f', type: 'boolean', describe: 'Accepted, as LVM2' });
}

function allocOptions<T>(y: Argv<T>) {
  return y
    .option('stripes', { alias: 'i', type: 'number', requiresArg: true, describe: 'Number of stripes (distinct PVs)' })
    .option('stripesize', { alias: 'I', type: 'string', requiresArg: true, describe: 'Stripe size (power of two, default unit KiB; default 64k)' })
    .option('alloc', { type: 'string', requiresArg: true, describe: 'Allocation policy: contiguous, cling, normal, anywhere, inherit' })
    .positional('pvs', { type: 'string', array: true, describe: 'PVs to allocate from, optionally with extent ranges: a.img:100-199' });
}

/** Refuse options lvmkit has no offline meaning for, with a message saying so. */
function refuse(a: Record<string, unknown>, names: Record<string, string>): void {
  for (const [k, why] of Object.entries(names)) if (a[k] !== undefined) throw new LvmkitError('EUNSUPPORTED', why);
}


export const lvcreateVerb: Verb = {
  command: 'lvcreate [vg] [pvs..]',
  describe: 'Create a linear or striped LV: lvcreate -n NAME -L SIZE|-l EXTENTS VG [PV[:PE-PE]...]',
  builder: (y) => allocOptions(writeOptions(y.positional('vg', { type: 'string', describe: 'VG (may be left out with -n VG/LV)' })))
    .option('name', { alias: 'n', type: 'string', requiresArg: true, describe: 'Name of the new LV (default lvolN)' })
    .option('size', { alias: 'L', type: 'string', requiresArg: true, describe: 'Size, default unit MiB (rounded up to whole extents)' })
    .option('extents', { alias: 'l', type: 'string', requiresArg: true, describe: 'Extents: N, N%VG, N%FREE or N%PVS' })
    .option('addtag', { type: 'string', requiresArg: true, describe: 'Tag the new LV (repeatable)' })
    .option('zero', { alias: 'Z', type: 'string', requiresArg: true, describe: 'y|n: zero the first 4 KiB of the new LV (default y)' })
    .option('activate', { alias: 'a', type: 'string', requiresArg: true, describe: 'Only n is accepted (LVs are never activated offline)' })
    .option('type', { type: 'string', requiresArg: true, describe: 'linear or striped (other LV types: use LVM2)' }),
  handler: (a) => {
    if (a.type !== undefined && a.type !== 'linear' && a.type !== 'striped') {
      throw new LvmkitError('EUNSUPPORTED', `lvmkit creates linear and striped LVs only (--type ${String(a.type)}): use LVM2's lvcreate for that type`);
    }
    if (a.type === 'linear' && a.stripes !== undefined && a.stripes !== 1) {
      throw new LvmkitError('EARGS', `--type linear takes no stripes (got -i ${String(a.stripes)}): use --type striped`);
    }
    if (a.activate !== undefined && yesNo(a.activate === 'ay' ? 'y' : a.activate, 'activate') !== false) throw new LvmkitError('EUNSUPPORTED', NO_ACTIVATION);
    // With -n VG/LV, every positional argument may be a PV.
    let vg = a.vg as string | undefined;
    let pvs = list(a.pvs);
    const name = a.name as string | undefined;
    if (vg !== undefined && name?.includes('/') && vg !== name.split('/')[0]) { pvs = [vg, ...pvs]; vg = undefined; }
    return emit(lvcreateCommand({
      devices: splitDevices(a.devices), test: !!a.test, vg, name,
      size: a.size as string | undefined, extents: a.extents as string | undefined, stripes: a.stripes as number | undefined,
      stripeSize: a.stripesize as string | undefined, alloc: a.alloc as string | undefined, pvs,
      addTags: list(a.addtag), zero: yesNo(a.zero, 'zero'), commandLine: commandLine(),
    }));
  },
};

function resizeVerb(mode: ResizeMode, verb: string, what: string): Verb {
  return {
    command: `${verb} <lv> [pvs..]`,
    describe: what,
    builder: (y) => allocOptions(writeOptions(y.positional('lv', { type: 'string', describe: 'VG/LV' })))
      .option('size', { alias: 'L', type: 'string', requiresArg: true, describe: '[+|-]SIZE, default unit MiB' })
      .option('extents', { alias: 'l', type: 'string', requiresArg: true, describe: '[+|-]N[%VG|%FREE|%PVS]' })
      .option('resizefs', { alias: 'r', type: 'boolean', describe: 'Not supported: lvmkit does not resize filesystems' })
      .option('nofsck', { alias: 'n', type: 'boolean', describe: 'Accepted, as LVM2 (no filesystem is checked)' }),
    handler: (a) => {
      if (a.resizefs) throw new LvmkitError('EUNSUPPORTED', 'lvmkit does not resize filesystems: drop -r/--resizefs and resize the filesystem with its own tool');
      return emit(lvresizeCommand({
        devices: splitDevices(a.devices), test: !!a.test, lv: a.lv as string, mode,
        size: a.size as string | undefined, extents: a.extents as string | undefined, stripes: a.stripes as number | undefined,
        stripeSize: a.stripesize as string | undefined, alloc: a.alloc as string | undefined, pvs: list(a.pvs), commandLine: commandLine(),
      }));
    },
  };
}

export const lvextendVerb = resizeVerb('extend', 'lvextend', 'Grow an LV: lvextend -L +SIZE|-l +N[%FREE] VG/LV [PV[:PE-PE]...]');
export const lvreduceVerb = resizeVerb('reduce', 'lvreduce', 'Shrink an LV from its end: lvreduce -L -SIZE|-l -N VG/LV (the data beyond the new end is lost)');
export const lvresizeVerb = resizeVerb('resize', 'lvresize', 'Grow or shrink an LV: lvresize -L [+|-]SIZE|-l [+|-]N VG/LV');

export const lvremoveVerb: Verb = {
  command: 'lvremove <lvs..>',
  describe: 'Remove LVs (VG/LV ..., or VG for all of its LVs)',
  builder: (y) => writeOptions(y.positional('lvs', { type: 'string', array: true })),
  handler: (a) => emit(lvremoveCommand({ devices: splitDevices(a.devices), test: !!a.test, lvs: list(a.lvs), commandLine: commandLine() })),
};

export const lvrenameVerb: Verb = {
  command: 'lvrename <names..>',
  describe: 'Rename an LV: lvrename VG OLD NEW, or lvrename VG/OLD NEW',
  builder: (y) => writeOptions(y.positional('names', { type: 'string', array: true })),
  handler: (a) => emit(lvrenameCommand({ devices: splitDevices(a.devices), test: !!a.test, args: list(a.names), commandLine: commandLine() })),
};

export const lvchangeVerb: Verb = {
  command: 'lvchange <lvs..>',
  describe: 'Change LV metadata: --addtag, --deltag, --alloc',
  builder: (y) => writeOptions(y.positional('lvs', { type: 'string', array: true }))
    .option('addtag', { type: 'string', requiresArg: true, describe: 'Add a tag (repeatable)' })
    .option('deltag', { type: 'string', requiresArg: true, describe: 'Remove a tag (repeatable)' })
    .option('alloc', { type: 'string', requiresArg: true, describe: 'Allocation policy of the LV' })
    .option('activate', { alias: 'a', type: 'string', requiresArg: true, hidden: true })
    .option('permission', { alias: 'p', type: 'string', requiresArg: true, hidden: true })
    .option('readahead', { alias: 'r', type: 'string', requiresArg: true, hidden: true }),
  handler: (a) => {
    refuse(a, {
      activate: NO_ACTIVATION,
      permission: 'lvmkit lvchange does not change permissions yet: use LVM2\'s lvchange -p',
      readahead: 'lvmkit lvchange does not change read-ahead yet: use LVM2\'s lvchange -r',
    });
    return emit(lvchangeCommand({
      devices: splitDevices(a.devices), test: !!a.test, lvs: list(a.lvs),
      addTags: list(a.addtag), delTags: list(a.deltag), alloc: a.alloc as string | undefined, commandLine: commandLine(),
    }));
  },
};

export const lvVerbs: Verb[] = [lvcreateVerb, lvextendVerb, lvreduceVerb, lvresizeVerb, lvremoveVerb, lvrenameVerb, lvchangeVerb];
