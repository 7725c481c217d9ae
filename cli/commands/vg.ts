/** VG verbs: vgcreate, vgextend, vgreduce, vgremove, vgrename, vgchange, vgcfgbackup, vgcfgrestore. */
import { vgcreateCommand } from '../../src/commands/vgcreate.js';
import { vgextendCommand } from '../../src/commands/vgextend.js';
import { vgreduceCommand } from '../../src/commands/vgreduce.js';
import { vgremoveCommand } from '../../src/commands/vgremove.js';
import { vgrenameCommand } from '../../src/commands/vgrename.js';
import { vgchangeCommand } from '../../src/commands/vgchange.js';
import { vgcfgbackupCommand } from '../../src/commands/vgcfgbackup.js';
import { vgcfgrestoreCommand } from '../../src/commands/vgcfgrestore.js';
import { LvmkitError } from '../../src/errors.js';
import { devicesOption, emit, NO_ACTIVATION, splitDevices, type Verb } from '../shared.js';
import { descriptionLine, listOpt, pvInitFrom, pvInitOptions, sizeOpt, writerOptions, yesNo } from './pv.js';

export const vgcreateVerb: Verb = {
  command: 'vgcreate <vg> <images..>',
  describe: 'Create a VG on images (initialising those that are not PVs yet)',
  builder: (y) => pvInitOptions(writerOptions(y))
    .positional('vg', { type: 'string' }).positional('images', { type: 'string', array: true })
    .option('physicalextentsize', { alias: 's', type: 'string', requiresArg: true, describe: 'Extent size (default 4m; default unit MiB)' })
    .option('alloc', { type: 'string', requiresArg: true, describe: 'Allocation policy' })
    .option('addtag', { type: 'string', requiresArg: true, describe: 'Add a tag (repeatable)' }),
  handler: (a) => emit(vgcreateCommand({
    ...pvInitFrom(a), vgName: String(a.vg), images: listOpt(a.images), devices: splitDevices(a.devices),
    extentSize: sizeOpt(a.physicalextentsize, 'm', 'physicalextentsize'), alloc: a.alloc as string | undefined,
    addTags: listOpt(a.addtag), test: !!a.test, description: descriptionLine(),
  })),
};

export const vgextendVerb: Verb = {
  command: 'vgextend <vg> <images..>',
  describe: 'Add images to a VG (initialising those that are not PVs yet)',
  builder: (y) => pvInitOptions(writerOptions(y)).positional('vg', { type: 'string' }).positional('images', { type: 'string', array: true }),
  handler: (a) => emit(vgextendCommand({
    ...pvInitFrom(a), vgName: String(a.vg), images: listOpt(a.images), devices: splitDevices(a.devices),
    test: !!a.test, description: descriptionLine(),
  })),
};

export const vgreduceVerb: Verb = {
  command: 'vgreduce <vg> [images..]',
  describe: 'Remove unused PVs from a VG',
  builder: (y) => writerOptions(y).positional('vg', { type: 'string' }).positional('images', { type: 'string', array: true })
    .option('all', { alias: 'a', type: 'boolean', describe: 'Remove every PV with no allocated extents' }),
  handler: (a) => emit(vgreduceCommand({
    vgName: String(a.vg), images: listOpt(a.images), devices: splitDevices(a.devices), all: !!a.all, test: !!a.test,
    description: descriptionLine(),
  })),
};

export const vgremoveVerb: Verb = {
  command: 'vgremove <vg>',
  describe: 'Remove a VG (its PVs become orphans); with LVs only with -y or -f',
  builder: (y) => writerOptions(y).positional('vg', { type: 'string' }),
  handler: (a) => emit(vgremoveCommand({
    vgName: String(a.vg), devices: splitDevices(a.devices), yes: !!a.yes, force: Number(a.force ?? 0), test: !!a.test,
  })),
};

export const vgrenameVerb: Verb = {
  command: 'vgrename <vg> <newname>',
  describe: 'Rename a VG',
  builder: (y) => writerOptions(y).positional('vg', { type: 'string' }).positional('newname', { type: 'string' }),
  handler: (a) => emit(vgrenameCommand({
    vgName: String(a.vg), newName: String(a.newname), devices: splitDevices(a.devices), test: !!a.test, description: descriptionLine(),
  })),
};

export const vgchangeVerb: Verb = {
  command: 'vgchange <vg>',
  describe: 'Change VG tags, allocation policy, resizeability',
  builder: (y) => writerOptions(y).positional('vg', { type: 'string' })
    .option('addtag', { type: 'string', requiresArg: true, describe: 'Add a tag (repeatable)' })
    .option('deltag', { type: 'string', requiresArg: true, describe: 'Remove a tag (repeatable)' })
    .option('alloc', { type: 'string', requiresArg: true, describe: 'Allocation policy: contiguous, cling, cling_by_tags, normal, anywhere' })
    .option('resizeable', { alias: 'x', type: 'string', choices: ['y', 'n'], describe: 'Allow (y) or forbid (n) adding/removing PVs' })
    .option('activate', { alias: 'a', type: 'string', requiresArg: true, hidden: true }),
  handler: (a) => {
    if (a.activate !== undefined) throw new LvmkitError('EUNSUPPORTED', NO_ACTIVATION);
    return emit(vgchangeCommand({
      vgName: String(a.vg), devices: splitDevices(a.devices), test: !!a.test, addTags: listOpt(a.addtag), delTags: listOpt(a.deltag),
      alloc: a.alloc as string | undefined, resizeable: yesNo(a.resizeable, 'resizeable'), description: descriptionLine(),
    }));
  },
};

export const vgcfgbackupVerb: Verb = {
  command: 'vgcfgbackup <vg>',
  describe: 'Write a VG\'s metadata to a backup file (LVM2 layout)',
  builder: (y) => devicesOption(y).positional('vg', { type: 'string' })
    .option('file', { alias: 'f', type: 'string', requiresArg: true, demandOption: true, describe: 'Backup file to write' }),
  handler: (a) => emit(vgcfgbackupCommand({
    vgName: String(a.vg), devices: splitDevices(a.devices), file: String(a.file),
    description: `lvmkit ${process.argv.slice(2).join(' ')}`,
  })),
};

export const vgcfgrestoreVerb: Verb = {
  command: 'vgcfgrestore <vg>',
  describe: 'Restore a VG\'s metadata from a backup file, matching PVs by UUID',
  builder: (y) => writerOptions(y, false).positional('vg', { type: 'string' })
    .option('file', { alias: 'f', type: 'string', requiresArg: true, demandOption: true, describe: 'Backup file to read' }),
  handler: (a) => emit(vgcfgrestoreCommand({
    vgName: String(a.vg), devices: splitDevices(a.devices), file: String(a.file), test: !!a.test, description: descriptionLine(),
  })),
};
