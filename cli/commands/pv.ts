/**
 * PV verbs: pvcreate, pvremove, pvresize, pvchange (LVM2's flags), plus the option helpers the VG verbs
 * share (writer options, sizes, y|n values, the metadata description line).
 */
import type { Argv } from 'yargs';
import { LvmkitError } from '../../src/errors.js';
import { parseSizeArg } from '../../src/commands/size-arg.js';
import { pvcreateCommand, type PvInitOptions } from '../../src/commands/pvcreate.js';
import { pvremoveCommand } from '../../src/commands/pvremove.js';
import { pvresizeCommand } from '../../src/commands/pvresize.js';
import { pvchangeCommand } from '../../src/commands/pvchange.js';
import { devicesOption, emit, splitDevices, type Verb } from '../shared.js';

/** --devices, -t/--test, -y/--yes and -f/--force (count), as every writing verb has them. */
export function writerOptions<T>(y: Argv<T>, force = true) {
  const r = devicesOption(y)
    .option('test', { alias: 't', type: 'boolean', describe: 'Show what would change; write nothing' })
    .option('yes', { alias: 'y', type: 'boolean', describe: 'Answer yes to LVM2\'s questions' });
  return force ? r.option('force', { alias: 'f', type: 'count', describe: 'Force (twice: force more)' }) : r;
}

/** The options pvcreate, vgcreate and vgextend take for PVs they create. */
export function pvInitOptions<T>(y: Argv<T>) {
  return y
    .option('metadatasize', { type: 'string', requiresArg: true, describe: 'Metadata area size (default unit MiB)' })
    .option('pvmetadatacopies', { type: 'number', choices: [0, 1, 2], describe: 'Metadata areas on the PV: 0, 1 or 2' })
    .option('dataalignment', { type: 'string', requiresArg: true, describe: 'Align the data area (default unit KiB, default 1m)' })
    .option('dataalignmentoffset', { type: 'string', requiresArg: true, describe: 'Shift the data area (default unit KiB)' })
    .option('zero', { alias: 'Z', type: 'string', choices: ['y', 'n'], describe: 'Zero the first 4 sectors (default y)' });
}

export function sizeOpt(v: unknown, unit: string, option: string): number | undefined {
  if (v === undefined) return undefined;
  const s = parseSizeArg(String(v), unit, option);
  if (s.sign) throw new LvmkitError('EARGS', `--${option}: a sign is not allowed here (${String(v)})`);
  return s.bytes;
}

export function yesNo(v: unknown, option: string): boolean | undefined {
  if (v === undefined) return undefined;
  const s = String(v);
  if (s === 'y' || s === 'yes') return true;
  if (s === 'n' || s === 'no') return false;
  throw new LvmkitError('EARGS', `Invalid argument for --${option}: ${s} (expected y or n)`);
}

export function listOpt(v: unknown): string[] {
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).map(String);
}

/** The description LVM2 writes into each new metadata text: the command line. */
export function descriptionLine(): string {
  return `Write from lvmkit ${process.argv.slice(2).join(' ')}.`;
}

export function pvInitFrom(a: Record<string, unknown>): PvInitOptions {
  return {
    metadataSize: sizeOpt(a.metadatasize, 'm', 'metadatasize'),
    metadataCopies: a.pvmetadatacopies as 0 | 1 | 2 | undefined,
    dataAlignment: sizeOpt(a.dataalignment, 'k', 'dataalignment'),
    dataAlignmentOffset: sizeOpt(a.dataalignmentoffset, 'k', 'dataalignmentoffset'),
    zero: yesNo(a.zero, 'zero'),
    force: Number(a.force ?? 0),
    yes: !!a.yes,
  };
}

export const pvcreateVerb: Verb = {
  command: 'pvcreate <images..>',
  describe: 'Initialize image files as physical volumes (--size creates them, sparse)',
  builder: (y) => pvInitOptions(writerOptions(y))
    .positional('images', { type: 'string', array: true })
    .option('size', { type: 'string', requiresArg: true, describe: 'Create missing images with this size (default unit MiB)' })
    .option('uuid', { type: 'string', requiresArg: true, describe: 'PV UUID to use (one image only)' })
    .option('setphysicalvolumesize', { type: 'string', requiresArg: true, describe: 'Record this size instead of the image\'s (default unit MiB)' })
    .option('norestorefile', { type: 'boolean', hidden: true }),
  handler: (a) => emit(pvcreateCommand({
    ...pvInitFrom(a), images: listOpt(a.images), uuid: a.uuid as string | undefined,
    size: sizeOpt(a.size, 'm', 'size'), setPhysicalVolumeSize: sizeOpt(a.setphysicalvolumesize, 'm', 'setphysicalvolumesize'),
    test: !!a.test,
  })),
};

export const pvremoveVerb: Verb = {
  command: 'pvremove <images..>',
  describe: 'Wipe the PV label of images (-ff for a PV of a VG)',
  builder: (y) => writerOptions(y).positional('images', { type: 'string', array: true }),
  handler: (a) => emit(pvremoveCommand({
    images: listOpt(a.images), devices: splitDevices(a.devices), force: Number(a.force ?? 0), yes: !!a.yes, test: !!a.test,
  })),
};

export const pvresizeVerb: Verb = {
  command: 'pvresize <images..>',
  describe: 'Grow or shrink PVs to their image size (refusing to cut allocated extents)',
  builder: (y) => writerOptions(y).positional('images', { type: 'string', array: true })
    .option('setphysicalvolumesize', { type: 'string', requiresArg: true, describe: 'Use this size instead of the image\'s (default unit MiB)' }),
  handler: (a) => emit(pvresizeCommand({
    images: listOpt(a.images), devices: splitDevices(a.devices), yes: !!a.yes, test: !!a.test,
    setPhysicalVolumeSize: sizeOpt(a.setphysicalvolumesize, 'm', 'setphysicalvolumesize'), description: descriptionLine(),
  })),
};

export const pvchangeVerb: Verb = {
  command: 'pvchange <images..>',
  describe: 'Change PV tags and allocatability',
  builder: (y) => writerOptions(y).positional('images', { type: 'string', array: true })
    .option('addtag', { type: 'string', requiresArg: true, describe: 'Add a tag (repeatable)' })
    .option('deltag', { type: 'string', requiresArg: true, describe: 'Remove a tag (repeatable)' })
    .option('allocatable', { alias: 'x', type: 'string', choices: ['y', 'n'], describe: 'Allow (y) or forbid (n) allocation on the PV' }),
  handler: (a) => emit(pvchangeCommand({
    images: listOpt(a.images), devices: splitDevices(a.devices), test: !!a.test,
    addTags: listOpt(a.addtag), delTags: listOpt(a.deltag), allocatable: yesNo(a.allocatable, 'allocatable'), description: descriptionLine(),
  })),
};
