/**
 * vgcreate VG IMG...: a new VG on orphan PVs (images that are not PVs yet are initialised first, as LVM2
 * does). Writes: new PVs' headers, the first metadata text (seqno 1) in every metadata area, then the
 * labels with PV_EXT_USED set.
 */
import { LvmkitError } from '../errors.js';
import { PV_EXT_USED, SECTOR_SIZE } from '../format/layout.js';
import { randomLvmUuid } from '../format/random-id.js';
import { tagProblem, vgNameProblem } from '../model/names.js';
import type { AllocPolicy, VolumeGroup } from '../model/types.js';
import { commitChange, withWritableScan, type ChangeResult, type ExtraWrite, type WriteOptions } from './change.js';
import { preparePv, type PvInitOptions } from './pvcreate.js';
import { deviceOf, newVgPv, pvOnDevice, relabelWrite, usedElsewhere, vgOfPv } from './pv-shared.js';
import type { ScannedPv } from './scan.js';

/** LVM2's default extent size: 4 MiB. */
export const DEFAULT_EXTENT_SIZE = 4 * 1024 * 1024;
export const ALLOC_POLICIES = ['contiguous', 'cling', 'cling_by_tags', 'normal', 'anywhere'] as const;

export interface VgCreateOptions extends PvInitOptions {
  vgName: string;
  /** The PVs of the new VG. */
  images: string[];
  /** Every image to look at (images + --devices): a VG of the same name on any of them is refused. */
  devices?: string[];
  /** -s, bytes (default 4 MiB). */
  extentSize?: number;
  alloc?: string;
  addTags?: string[];
  test?: boolean;
  description: string;
  /** Wrap each opened image (fault injection in tests: see WriteOptions.wrapDevice). */
  wrapDevice?: WriteOptions['wrapDevice'];
}

/** LVM2's rules for a VG's extent size (§5.5); returns sectors. */
export function checkExtentSize(bytes: number): number {
  if (bytes === 0) throw new LvmkitError('EARGS', 'Physical extent size may not be zero');
  if (bytes % SECTOR_SIZE !== 0) throw new LvmkitError('EARGS', `Physical extent size ${bytes} bytes is not a multiple of 512 (sector size)`);
  const sectors = bytes / SECTOR_SIZE;
  const pow2 = Number.isInteger(Math.log2(sectors));
  if (!pow2 && sectors % 256 !== 0) {
    throw new LvmkitError('EVALIDATE', `Physical Extent size must be a multiple of 128.00 KiB when not a power of 2 (${bytes} bytes given; use a power of two such as 4m)`);
  }
  if (sectors >= 2 ** 32) throw new LvmkitError('EARGS', `Physical extent size ${bytes} bytes is too large (at most 2^32-1 sectors)`);
  return sectors;
}

export function checkAllocPolicy(p: string): AllocPolicy {
  if (p === 'inherit') throw new LvmkitError('EARGS', 'Volume Group allocation policy cannot inherit from anything');
  if (!(ALLOC_POLICIES as readonly string[]).includes(p)) {
    throw new LvmkitError('EARGS', `Invalid allocation policy "${p}": expected one of ${ALLOC_POLICIES.join(', ')}`);
  }
  return p as AllocPolicy;
}

export function checkNewVgName(name: string): void {
  const p = vgNameProblem(name);
  if (p) throw new LvmkitError('EARGS', `New volume group name "${name}" is invalid: ${p}`);
}

export function checkTags(tags: string[]): void {
  for (const t of tags) {
    const p = tagProblem(t);
    if (p) throw new LvmkitError('EARGS', `Invalid tag: ${p}`);
  }
}

export async function vgcreateCommand(o: VgCreateOptions): Promise<ChangeResult> {
  checkNewVgName(o.vgName);
  if (!o.images.length) throw new LvmkitError('EARGS', 'Please enter physical volume name(s)');
  const extentSize = checkExtentSize(o.extentSize ?? DEFAULT_EXTENT_SIZE);
  const alloc = o.alloc === undefined ? 'normal' : checkAllocPolicy(o.alloc);
  checkTags(o.addTags ?? []);
  const images = [...new Set(o.images)];
  const devices = [...new Set([...images, ...(o.devices ?? [])])];
  return withWritableScan({ devices, test: o.test, wrapDevice: o.wrapDevice }, async (scan) => {
    if (scan.vgs.some((v) => v.vg.name === o.vgName)) {
      throw new LvmkitError('EEXISTS', `A volume group called ${o.vgName} already exists.`);
    }
    const messages: string[] = [];
    const writesBefore: ExtraWrite[] = [];
    const writesAfter: ExtraWrite[] = [];
    const pvs: ScannedPv[] = [];
    for (const img of images) {
      const dev = deviceOf(scan, devices, img);
      const found = pvOnDevice(scan, dev);
      if (found) {
        const vg = vgOfPv(scan, found);
        if (vg) throw new LvmkitError('EIN_USE', `Physical volume '${dev.name}' is already in volume group '${vg.vg.name}'`, { file: dev.name });
        if (found.label.extFlags & PV_EXT_USED) throw usedElsewhere(dev.name);
        pvs.push(found);
        writesAfter.push(relabelWrite(found, found.label.extFlags | PV_EXT_USED, 'label, pv_header_extension flags: used'));
      } else {
        const p = await preparePv(dev, scan, o);
        messages.push(...p.messages, `Physical volume "${dev.name}" successfully created.`);
        writesBefore.push(...p.initWrites, p.labelWrite(0));
        writesAfter.push(p.labelWrite(PV_EXT_USED));
        pvs.push(p.scanned);
      }
    }
    const vg: VolumeGroup = {
      name: o.vgName, id: randomLvmUuid(), seqno: 1, format: 'lvm2', status: ['RESIZEABLE', 'READ', 'WRITE'], flags: [],
      tags: [...new Set(o.addTags ?? [])], extentSize, maxLv: 0, maxPv: 0, allocationPolicy: alloc, metadataCopies: 0,
      pvs: pvs.map((p) => newVgPv(p, extentSize)), lvs: [], extra: [], header: [],
    };
    messages.push(`Volume group "${o.vgName}" successfully created`);
    return commitChange({ test: o.test, description: o.description }, {
      vg, commitPvs: pvs, messages, warnings: [...scan.warnings], writesBefore, writesAfter,
    });
  }, { allowNoPvs: true });
}
