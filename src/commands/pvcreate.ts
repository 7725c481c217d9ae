/**
 * pvcreate: initialise image files as LVM2 physical volumes, byte for byte as LVM2 2.03 does (layout from
 * format/pv-layout.ts), and preparePv, which vgcreate and vgextend use to set up a new PV. Refuses an image
 * holding an LVM label, a filesystem or a partition table unless forced, naming what was found and where.
 * Node-only for --size (it creates image files with node:fs, imported on demand).
 */
import { LvmkitError } from '../errors.js';
import type { BlockDevice } from '../devices/block-device.js';
import { probeSignatures, wipeWrite } from '../devices/signatures.js';
import { decodeLabelSector } from '../format/label.js';
import { DEFAULT_LABEL_SECTOR, PV_EXT_USED, SECTOR_SIZE } from '../format/layout.js';
import { decodeMdaHeader, encodeMdaHeader } from '../format/mda.js';
import { emptyMdaInit, planPvLayout, pvLabelArea, pvLabelSector, type PvLayout } from '../format/pv-layout.js';
import { randomLvmUuid } from '../format/random-id.js';
import { parseUuid, formatUuid } from '../format/uuid.js';
import { describeWrites, TEST_MODE_NOTICE, withWritableScan, writeAll, type ExtraWrite, type WriteOptions } from './change.js';
import type { CommandOutput } from './output.js';
import { deviceOf, pvOnDevice, vgOfPv } from './pv-shared.js';
import type { ScannedPv, ScanResult } from './scan.js';

/** Options shared by pvcreate, vgcreate and vgextend for PVs they create. */
export interface PvInitOptions {
  /** --metadatasize, bytes. */
  metadataSize?: number;
  /** --pvmetadatacopies. */
  metadataCopies?: 0 | 1 | 2;
  /** --dataalignment, bytes. */
  dataAlignment?: number;
  /** --dataalignmentoffset, bytes. */
  dataAlignmentOffset?: number;
  /** --setphysicalvolumesize, bytes: the size recorded instead of the image's. */
  setPhysicalVolumeSize?: number;
  /** --zero y|n (default y): zero sectors 0, 2 and 3 around the label. */
  zero?: boolean;
  /** -f count: 1 re-initialises an orphan PV and wipes signatures; 2 also a PV of a VG. */
  force?: number;
  /** -y: wipe signatures found (as answering LVM2's "Wipe it? [y/n]" with y). */
  yes?: boolean;
}

export interface PvCreateOptions extends PvInitOptions {
  /** Image files to initialise. */
  images: string[];
  /** --uuid (only with one image). */
  uuid?: string;
  /** --size: create each missing image as a sparse file of this many bytes. */
  size?: number;
  test?: boolean;
  /** Wrap each opened image (fault injection in tests: see WriteOptions.wrapDevice). */
  wrapDevice?: WriteOptions['wrapDevice'];
}

/** A new PV being set up on a device: what to write and how it will look. */
export interface PreparedPv {
  device: BlockDevice;
  uuid: string;
  layout: PvLayout;
  /** Wipes of old signatures, then the fresh metadata area headers. */
  initWrites: ExtraWrite[];
  /** The label (with sectors 0-3 zeroed when --zero y) carrying these pv_header_extension flags. */
  labelWrite(extFlags: number): ExtraWrite;
  /** The PV as a scan of it would return it (orphan, empty metadata areas). */
  scanned: ScannedPv;
  messages: string[];
}

/**
 * Plan a new PV on `dev`: check what the device holds (refusing without the right force), choose the
 * layout and build the writes. Writes nothing.
 */
export async function preparePv(dev: BlockDevice, scan: ScanResult, o: PvInitOptions & { uuid?: string }): Promise<PreparedPv> {
  const messages: string[] = [];
  const initWrites: ExtraWrite[] = [];
  const force = o.force ?? 0;
  const existing = pvOnDevice(scan, dev);
  if (existing) {
    const vg = vgOfPv(scan, existing);
    const used = vg || (existing.label.extFlags & PV_EXT_USED) !== 0;
    if (used && force < 2) {
      throw new LvmkitError('EIN_USE', `Can't initialize physical volume "${dev.name}" of volume group "${vg?.vg.name ?? '?'}" without -ff (use vgreduce first); nothing was changed`, { file: dev.name });
    }
    if (!used && force < 1) {
      throw new LvmkitError('EEXISTS', `${dev.name} is already a physical volume (uuid ${existing.label.pvUuid}): pass -f/--force to initialize it again; nothing was changed`, { file: dev.name });
    }
  }
  for (const sig of await probeSignatures(dev)) {
    if (sig.type === 'LVM2_member') {
      // The old label is replaced; one in another sector than ours is zeroed.
      const sector = Math.floor(sig.offset / SECTOR_SIZE);
      if (!existing && force < 1) {
        throw new LvmkitError('EEXISTS', `${dev.name}: an LVM2 label (unreadable) was found at offset ${sector * SECTOR_SIZE}: pass -f/--force to initialize it again; nothing was changed`, { file: dev.name, offset: sector * SECTOR_SIZE });
      }
      if (sector !== DEFAULT_LABEL_SECTOR) initWrites.push({ device: dev, offset: sector * SECTOR_SIZE, data: new Uint8Array(SECTOR_SIZE), what: 'old LVM2 label, wiped' });
      continue;
    }
    if (!o.yes && force < 1) {
      throw new LvmkitError('EEXISTS',
        `${sig.type} signature detected on ${dev.name} at offset ${sig.offset}: not wiping it without -y/--yes or -f/--force; nothing was changed`,
        { file: dev.name, offset: sig.offset });
    }
    messages.push(`Wiping ${sig.type} signature on ${dev.name}.`);
    initWrites.push({ device: dev, ...wipeWrite(sig), what: `${sig.type} signature, wiped` });
  }
  let uuid = randomLvmUuid();
  if (o.uuid !== undefined) {
    const raw = parseUuid(o.uuid);
    if (!raw) throw new LvmkitError('EARGS', `Couldn't read uuid: ${JSON.stringify(o.uuid)} is not 32 characters of [0-9a-zA-Z!#] (hyphens are ignored)`);
    uuid = formatUuid(raw);
    const clash = scan.pvs.find((p) => p.label.pvUuid === uuid && p.device !== dev);
    if (clash) throw new LvmkitError('EEXISTS', `uuid ${uuid} already in use on "${clash.device.name}"`);
  }
  const deviceSize = o.setPhysicalVolumeSize ?? dev.size;
  if (deviceSize > dev.size) {
    throw new LvmkitError('EARGS', `${dev.name}: --setphysicalvolumesize ${deviceSize} bytes is larger than the image (${dev.size} bytes)`);
  }
  const layout = planPvLayout({
    deviceSize, metadataSize: o.metadataSize, metadataCopies: o.metadataCopies,
    dataAlignment: o.dataAlignment, dataAlignmentOffset: o.dataAlignmentOffset, name: dev.name,
  });
  for (const area of layout.metadataAreas) {
    initWrites.push({ device: dev, offset: area.offset, data: emptyMdaInit(area), what: 'new metadata area header' });
  }
  const zero = o.zero ?? true;
  const labelWrite = (extFlags: number): ExtraWrite => zero
    ? { device: dev, offset: 0, data: pvLabelArea({ pvUuid: uuid, layout, extFlags }), what: `label (sectors 0-3), pv_header_extension flags ${extFlags}` }
    : { device: dev, offset: DEFAULT_LABEL_SECTOR * SECTOR_SIZE, data: pvLabelSector({ pvUuid: uuid, layout, extFlags }), what: `label, pv_header_extension flags ${extFlags}` };
  const label = decodeLabelSector(pvLabelSector({ pvUuid: uuid, layout }), DEFAULT_LABEL_SECTOR, dev.name);
  const scanned: ScannedPv = {
    device: dev, label,
    mdas: layout.metadataAreas.map((area) => {
      const header = decodeMdaHeader(encodeMdaHeader({ start: area.offset, size: area.size }), dev.name, area.offset).header;
      return {
        file: dev.name, areaOffset: area.offset, areaSize: area.size, header, headerCrcOk: true, slots: header.slots, slot: 0,
        textCrcOk: false, textOffset: 0, textSize: 0, ignored: false, wrapped: false,
      };
    }),
  };
  return { device: dev, uuid, layout, initWrites, labelWrite, scanned, messages };
}

/** pvcreate IMG...: every image becomes an orphan PV (created as a sparse file first with --size). */
export async function pvcreateCommand(o: PvCreateOptions): Promise<CommandOutput> {
  if (!o.images.length) throw new LvmkitError('EARGS', 'Please enter a physical volume path.');
  if (o.uuid !== undefined && o.images.length > 1) throw new LvmkitError('EARGS', 'Can only set uuid on one volume at once.');
  const images = [...new Set(o.images)];
  const messages: string[] = [];
  const warnings: string[] = [];
  const existing: string[] = [];
  const created: string[] = [];
  try {
    for (const img of images) {
      const made = await createImageIfMissing(img, o.size, !!o.test);
      if (made === 'would-create') {
        // --test on a file that does not exist yet: show the layout it would get.
        const layout = planPvLayout({ deviceSize: o.size!, metadataSize: o.metadataSize, metadataCopies: o.metadataCopies, dataAlignment: o.dataAlignment, dataAlignmentOffset: o.dataAlignmentOffset, name: img });
        warnings.push(`Test mode: would create ${img} as a sparse file of ${o.size} bytes (pe_start ${layout.peStart}, metadata areas ${layout.metadataAreas.map((m) => `${m.offset}+${m.size}`).join(', ') || 'none'})`);
        messages.push(`Physical volume "${img}" successfully created.`);
        continue;
      }
      existing.push(img);
      if (made === 'created') created.push(img);
    }
    if (existing.length) await initImages(existing, o, messages, warnings);
  } catch (e) {
    // Leave no half-made new image behind.
    const { rm } = await import('node:fs/promises');
    for (const f of created) await rm(f, { force: true });
    throw e;
  }
  if (o.test) warnings.unshift(TEST_MODE_NOTICE);
  return { stdout: messages.map((m) => `  ${m}\n`).join(''), warnings };
}

/** Lock, check and plan every image, then write them all (or, in test mode, describe the writes). */
async function initImages(images: string[], o: PvCreateOptions, messages: string[], warnings: string[]): Promise<void> {
  await withWritableScan({ devices: images, test: o.test, wrapDevice: o.wrapDevice }, async (scan) => {
    const writes: ExtraWrite[] = [];
    for (const img of images) {
      const dev = deviceOf(scan, images, img);
      const p = await preparePv(dev, scan, o);
      messages.push(...p.messages);
      writes.push(...p.initWrites, p.labelWrite(0));
      messages.push(`Physical volume "${dev.name}" successfully created.`);
    }
    if (o.test) warnings.push(...describeWrites(writes));
    else await writeAll(writes);
  }, { allowNoPvs: true });
}

/**
 * With --size, create a missing image as a sparse file ('created'), or say it would be ('would-create') in
 * test mode. An existing image is left as it is ('exists'); without --size a missing one is an error later.
 */
async function createImageIfMissing(path: string, size: number | undefined, test: boolean): Promise<'created' | 'would-create' | 'exists'> {
  const { stat, open } = await import('node:fs/promises');
  try {
    const st = await stat(path);
    if (size === undefined) return 'exists';
    if (st.isFile() && st.size !== size) {
      throw new LvmkitError('EARGS', `${path} already exists with ${st.size} bytes: --size only creates new image files (use pvresize after growing it)`, { file: path });
    }
    return 'exists';
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    if (size === undefined) throw new LvmkitError('EDEVICE_OPEN', `${path}: cannot open: no such file (pvcreate --size SIZE creates it)`, { file: path });
  }
  if (size % SECTOR_SIZE !== 0) throw new LvmkitError('EARGS', `--size ${size} bytes is not a multiple of 512`);
  if (test) return 'would-create';
  const h = await open(path, 'wx');
  try { await h.truncate(size); } finally { await h.close(); }
  return 'created';
}
