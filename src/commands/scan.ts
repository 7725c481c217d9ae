/**
 * Scanning: open the images the user named, find PV labels (on the whole image or inside its
 * partitions), read every metadata area, group the copies by VG, keep the newest seqno, build
 * and validate the VG models, and match each PV of a VG to the device it was found on.
 * Damage is reported as warnings in LVM2's words while reading goes on from the good copies.
 * As LVM2 does, a device below pv_min_size (2 MiB) is not used, and of several devices holding one PV
 * (a copied image) only one is kept.
 */
import { LvmkitError, isLvmkitError } from '../errors.js';
import type { BlockDevice } from '../devices/block-device.js';
import { openFileDevice } from '../devices/file-device.js';
import { openCandidates } from '../devices/partitions.js';
import { readLabel, type PvLabel } from '../format/label.js';
import { readMetadataArea, type MdaRead } from '../format/mda.js';
import { PV_EXT_USED } from '../format/layout.js';
import { PV_MIN_SIZE } from '../format/pv-layout.js';
import { crcHex } from '../format/crc.js';
import { parseConfig } from '../metadata/parse.js';
import type { ConfigDocument, ConfigSection } from '../metadata/config-tree.js';
import { vgFromConfig } from '../model/from-config.js';
import { validateVg } from '../model/validate.js';
import { shownName, shownText } from '../model/names.js';
import type { VolumeGroup } from '../model/types.js';
import { lookupSegtype } from '../segtypes/registry.js';

export interface ScannedPv {
  device: BlockDevice;
  label: PvLabel;
  mdas: MdaRead[];
}

/** One metadata text found in one metadata area. */
export interface MetadataCopy {
  pv: ScannedPv;
  mda: MdaRead;
  vgName: string;
  vgId: string;
  seqno: number;
  doc: ConfigDocument;
}

export interface ScannedVg {
  vg: VolumeGroup;
  /** The copy the model was built from (newest seqno). */
  copy: MetadataCopy;
  /** Every good copy of this VG, newest first. */
  copies: MetadataCopy[];
  /** PV uuid -> the scanned PV it was found on. Absent = missing PV. */
  pvs: Map<string, ScannedPv>;
  missingPvIds: string[];
}

/** LVM2's words when a name is shared by several VGs (e.g. the disks of two machines, each with its "vg0"). */
export function multipleVgsMessage(name: string): string {
  return `Multiple VGs found with the same name: skipping ${shownName(name)}`;
}

/**
 * The VG named `name`, or LVM2's refusal when several VGs (different UUIDs) have that name: lvmkit could not
 * tell which one is meant. Undefined when there is none.
 */
export function uniqueVg(scan: Pick<ScanResult, 'vgs'>, name: string): ScannedVg | undefined {
  const found = scan.vgs.filter((v) => v.vg.name === name);
  if (found.length > 1) {
    throw new LvmkitError('EDUPLICATE_VG', `${multipleVgsMessage(name)} (VG UUIDs ${found.map((v) => v.vg.id).join(', ')}): name the images of one of them with --devices`);
  }
  return found[0];
}

export interface ScanResult {
  /** Every image opened, in argument order. */
  devices: BlockDevice[];
  pvs: ScannedPv[];
  vgs: ScannedVg[];
  /** PVs not belonging to any VG that was read (orphans, or PVs of a VG whose metadata is unreadable). */
  orphans: ScannedPv[];
  /** Warnings in LVM2's words (no "WARNING:" prefix). */
  warnings: string[];
  /** VGs or devices that could not be read: reports go on without them, the command fails at the end. */
  errors: LvmkitError[];
  /** Damaged metadata areas and unparseable texts, in scan order (each is also in `warnings`). */
  damage: LvmkitError[];
  /**
   * Devices not used because another device holds the same PV (same PV UUID, e.g. a dd copy): LVM2 uses one
   * and ignores the others entirely (they are in no report); a VG with such a PV cannot be changed.
   */
  duplicates?: ScannedPv[];
  /**
   * Readable metadata areas LVM2 would not count as the PV's (#PMda, #VMda): their text does not parse, or
   * has the VG's newest seqno but differs from the copy used. (Areas with a damaged header or text CRC carry
   * `error` instead.)
   */
  unusedMdas?: Set<MdaRead>;
  close(): Promise<void>;
}

export interface ScanOptions {
  /** Open the images for writing (writing verbs only). */
  write?: boolean;
  /** Names to show for the images instead of their paths (same order as the paths). */
  deviceNames?: string[];
  /**
   * Return the scan even when PVs were found but no VG could be read from them (damaged or unparseable
   * metadata): `lvmkit metadata --all` uses this to list the older versions a user may recover from.
   * By default such a scan throws the first cause, as there is nothing to report.
   */
  allowUnreadable?: boolean;
  /**
   * Wrap each opened image before it is read (fault injection in tests and the fuzzer: see
   * devices/faulty-device.ts). The wrapper's close() must close the image.
   */
  wrapDevice?: (dev: BlockDevice) => BlockDevice;
}

export async function scanDevices(paths: string[], options: ScanOptions = {}): Promise<ScanResult> {
  if (!paths.length) {
    throw new LvmkitError('EARGS', 'no devices given: name the image files with --devices IMG[,IMG...]');
  }
  const devices: BlockDevice[] = [];
  try {
    for (const [i, path] of paths.entries()) {
      const dev = await openFileDevice(path, { write: !!options.write, name: options.deviceNames?.[i] });
      devices.push(options.wrapDevice ? options.wrapDevice(dev) : dev);
    }
  } catch (e) {
    await Promise.all(devices.map((d) => d.close()));
    throw e;
  }
  return scanOpenDevices(devices, options);
}

/**
 * The scan of devices already open (memory images, devices of the browser, wrapped devices). The result's
 * close() closes them, also when the scan throws.
 */
export async function scanOpenDevices(devices: BlockDevice[], options: Omit<ScanOptions, 'write' | 'deviceNames' | 'wrapDevice'> = {}): Promise<ScanResult> {
  const result: ScanResult = {
    devices, pvs: [], vgs: [], orphans: [], warnings: [], errors: [], damage: [],
    close: async () => { await Promise.all(devices.map((d) => d.close())); },
  };
  try {
    if (!devices.length) throw new LvmkitError('EARGS', 'no devices given: name the image files with --devices IMG[,IMG...]');
    const whyNot: LvmkitError[] = [];
    for (const dev of devices) result.pvs.push(...(await findPvs(dev, result, whyNot)));
    if (result.pvs.length === 0) {
      if (whyNot.length === 1) throw whyNot[0];
      throw new LvmkitError('ENOT_PV', `no LVM2 physical volume found on ${devices.map((d) => d.name).join(', ')}: ${whyNot.map((e) => e.message).join('; ')}`);
    }
    dropDuplicatePvs(result);
    groupVgs(result);
    if (!options.allowUnreadable) failWhenNothingReadable(result);
  } catch (e) {
    await result.close();
    throw e;
  }
  return result;
}

/** PVs on one image: the image itself, or else its partitions. `whyNot` collects why an image holds none. */
async function findPvs(dev: BlockDevice, result: ScanResult, whyNot: LvmkitError[]): Promise<ScannedPv[]> {
  const whole = await tryLabel(dev, result);
  if (!(whole instanceof LvmkitError)) return [whole];
  const candidates = await openCandidates(dev, { onWarning: (e) => result.warnings.push(e.message) });
  const found: ScannedPv[] = [];
  for (const part of candidates.slice(1)) {
    const pv = await tryLabel(part, result);
    if (!(pv instanceof LvmkitError)) found.push(pv);
  }
  if (!found.length) whyNot.push(whole);
  return found;
}

/** The PV on `dev`, or the reason there is none (no label, or a damaged one, as LVM2 then ignores the device). */
async function tryLabel(dev: BlockDevice, result: ScanResult): Promise<ScannedPv | LvmkitError> {
  let label: PvLabel;
  try {
    label = await readLabel(dev);
  } catch (e) {
    // A failing device is not "no PV here": stop, naming the device and offset.
    if (!isLvmkitError(e) || e.code === 'EDEVICE_IO') throw e;
    if (e.code !== 'ENOT_PV') result.warnings.push(e.message);
    return e;
  }
  if (dev.size < PV_MIN_SIZE) {
    // LVM2's device filter skips devices below devices/pv_min_size (2048 KiB): their PV counts as missing.
    // A device cut that short has usually lost part of its metadata area too: that is named first.
    const tooSmall = `not used as a PV: the device is too small (pv_min_size): ${dev.size} bytes, at least ${PV_MIN_SIZE} needed`;
    let e = new LvmkitError('ENOT_PV', `${dev.name}: ${tooSmall}`, { file: dev.name });
    for (const area of label.metadataAreas) {
      const cut = (await readMetadataArea(dev, area)).error;
      if (cut) { e = new LvmkitError('ENOT_PV', `${cut.message}; ${dev.name} is ${tooSmall}`, { file: dev.name, offset: cut.offset }); break; }
    }
    result.warnings.push(e.message);
    return e;
  }
  const mdas: MdaRead[] = [];
  for (const area of label.metadataAreas) {
    const mda = await readMetadataArea(dev, area);
    if (mda.error) {
      result.damage.push(mda.error);
      result.warnings.push(`${mda.error.message}; this copy is not used`);
    }
    mdas.push(mda);
  }
  return { device: dev, label, mdas };
}

/**
 * Devices with the same PV UUID (a copied image): keep one per UUID, as LVM2 does, preferring a device whose
 * size is the one in its PV header ("device size is correct"), else the one named first ("device was seen
 * first"); the others leave the scan (result.duplicates), with LVM2's two warnings.
 */
function dropDuplicatePvs(result: ScanResult): void {
  const groups = new Map<string, ScannedPv[]>();
  for (const pv of result.pvs) {
    const g = groups.get(pv.label.pvUuid);
    if (g) g.push(pv); else groups.set(pv.label.pvUuid, [pv]);
  }
  if (groups.size === result.pvs.length) return;
  const dropped: ScannedPv[] = [];
  const prefers: string[] = [];
  for (const [uuid, g] of groups) {
    if (g.length < 2) continue;
    const sizeOk = (pv: ScannedPv) => pv.device.size === pv.label.deviceSize;
    let chosen = g[0]!;
    let reason = 'device was seen first';
    for (const other of g.slice(1)) {
      if (sizeOk(other) && !sizeOk(chosen)) { chosen = other; reason = 'device size is correct'; }
      else if (sizeOk(chosen) && !sizeOk(other)) reason = 'device size is correct';
    }
    for (const pv of g) {
      if (pv === chosen) continue;
      dropped.push(pv);
      result.warnings.push(`Not using device ${pv.device.name} for PV ${uuid}.`);
    }
    prefers.push(`PV ${uuid} prefers device ${chosen.device.name} because ${reason}.`);
  }
  result.warnings.push(...prefers);
  result.pvs = result.pvs.filter((pv) => !dropped.includes(pv));
  result.duplicates = dropped;
}

function groupVgs(result: ScanResult): void {
  // Parse each distinct text once (copies of one commit are byte-identical on every PV).
  const parsed = new Map<string, { doc: ConfigDocument; vgName: string; vgId: string; seqno: number } | LvmkitError>();
  const byVgId = new Map<string, MetadataCopy[]>();
  for (const pv of result.pvs) {
    for (const mda of pv.mdas) {
      if (mda.ignored || mda.text === undefined || !mda.textCrcOk) continue;
      const key = `${mda.textCrc}:${mda.textSize}`;
      let p = parsed.get(key);
      if (!p) {
        p = parseCopy(mda);
        parsed.set(key, p);
      }
      if (p instanceof LvmkitError) {
        (result.unusedMdas ??= new Set()).add(mda);
        result.damage.push(p);
        result.warnings.push(`${p.message}; this copy is not used`);
        continue;
      }
      const copy: MetadataCopy = { pv, mda, ...p };
      const list = byVgId.get(p.vgId);
      if (list) list.push(copy); else byVgId.set(p.vgId, [copy]);
    }
  }
  const claimed = new Set<ScannedPv>();
  for (const copies of byVgId.values()) {
    const vg = buildVg(copies, result);
    if (!vg) continue;
    result.vgs.push(vg);
    for (const pv of vg.pvs.values()) claimed.add(pv);
  }
  result.vgs.sort((a, b) => (a.vg.name < b.vg.name ? -1 : a.vg.name > b.vg.name ? 1 : 0));
  for (let i = 1; i < result.vgs.length; i++) {
    const [prev, cur] = [result.vgs[i - 1]!.vg, result.vgs[i]!.vg];
    if (prev.name !== cur.name) continue;
    // LVM2's warning; the second line is lvmkit's advice (LVM2 suggests vgrename by uuid, filters, system IDs).
    result.warnings.push(`VG name ${shownName(cur.name)} is used by VGs ${prev.id} and ${cur.id}.`);
    result.warnings.push(`Fix duplicate VG names with vgrename uuid, a device filter, or system IDs (with lvmkit: name the images of one VG with --devices).`);
  }
  for (const pv of result.pvs) {
    if (claimed.has(pv)) continue;
    result.orphans.push(pv);
    if (pv.label.extFlags & PV_EXT_USED) {
      const hasText = pv.mdas.some((m) => m.text !== undefined);
      if (!hasText) result.warnings.push(`${pv.device.name}: PV ${pv.label.pvUuid} is marked as used by a VG, but no metadata of its VG was found on the devices given`);
    }
  }
}

/**
 * PVs were found, but every one of them belongs to a VG whose metadata could not be read: there is nothing
 * to report, so fail with the first cause (one line naming the file and offset) instead of printing nothing.
 */
function failWhenNothingReadable(result: ScanResult): void {
  if (result.vgs.length > 0) return;
  if (result.orphans.some((pv) => (pv.label.extFlags & PV_EXT_USED) === 0)) return;
  const cause = result.errors[0] ?? result.damage[0];
  if (!cause) return;
  throw new LvmkitError(cause.code, `${cause.message}; no readable copy of the VG metadata was found (see lvmkit inspect and lvmkit metadata --all)`,
    { file: cause.file, offset: cause.offset, cause });
}

function parseCopy(mda: MdaRead): { doc: ConfigDocument; vgName: string; vgId: string; seqno: number } | LvmkitError {
  const source = `${mda.file} (metadata at offset ${mda.areaOffset + mda.textOffset})`;
  try {
    const doc = parseConfig(mda.text!, source);
    const vgSec = doc.children.find((c): c is ConfigSection => c.kind === 'section');
    if (!vgSec) return new LvmkitError('EMETADATA', `${source}: no volume group section in the metadata text`);
    const id = vgSec.children.find((c) => c.kind === 'setting' && c.key === 'id');
    const seq = vgSec.children.find((c) => c.kind === 'setting' && c.key === 'seqno');
    if (!id || id.kind !== 'setting' || typeof id.value !== 'string') return new LvmkitError('EMETADATA', `${source}: VG ${shownName(vgSec.name)}: missing required setting "id"`);
    if (!seq || seq.kind !== 'setting' || typeof seq.value !== 'number') return new LvmkitError('EMETADATA', `${source}: VG ${shownName(vgSec.name)}: missing required setting "seqno"`);
    return { doc, vgName: vgSec.name, vgId: id.value, seqno: seq.value };
  } catch (e) {
    if (isLvmkitError(e)) return e;
    throw e;
  }
}

/**
 * A device smaller than its PV (an image cut short, a partition shrunk): LVM2 warns and goes on reading, and
 * so does lvmkit; reads of extents past the device's end then fail naming the device and offset.
 * The PV size is the metadata's dev_size, or pe_start + pe_count * extent_size when dev_size is absent.
 */
function warnShrunkDevices(vg: VolumeGroup, pvs: Map<string, ScannedPv>, result: ScanResult): void {
  let any = false;
  for (const pv of vg.pvs) {
    const found = pvs.get(pv.id);
    if (!found) continue;
    const devSectors = Math.floor(found.device.size / 512);
    const pvSectors = pv.devSize ?? pv.peStart + pv.peCount * vg.extentSize;
    if (devSectors < pvSectors) {
      result.warnings.push(`Device ${found.device.name} has size of ${devSectors} sectors which is smaller than corresponding PV size of ${pvSectors} sectors. Was device resized?`);
      any = true;
    }
  }
  if (any) result.warnings.push(`One or more devices used as PVs in VG ${shownName(vg.name)} have changed sizes.`);
}

function buildVg(copies: MetadataCopy[], result: ScanResult): ScannedVg | undefined {
  copies.sort((a, b) => b.seqno - a.seqno);
  const newest = copies[0];
  for (const c of copies) {
    if (c.seqno === newest.seqno && (c.mda.textCrc !== newest.mda.textCrc || c.mda.textSize !== newest.mda.textSize)) {
      (result.unusedMdas ??= new Set()).add(c.mda);
      result.warnings.push(`scan of VG ${shownName(newest.vgName)} from ${c.pv.device.name} found mda_checksum ${crcHex(c.mda.textCrc ?? 0).slice(2)} mda_size ${c.mda.textSize} vs ${crcHex(newest.mda.textCrc ?? 0).slice(2)} ${newest.mda.textSize} (same seqno ${newest.seqno}, different text): using the copy on ${newest.pv.device.name}`);
    } else if (c.seqno < newest.seqno) {
      result.warnings.push(`ignoring metadata seqno ${c.seqno} on ${c.pv.device.name} for seqno ${newest.seqno} on ${newest.pv.device.name} for VG ${shownName(newest.vgName)}.`);
    }
  }
  if (copies.some((c) => c.seqno < newest.seqno)) result.warnings.push(`Inconsistent metadata found for VG ${shownName(newest.vgName)}.`);
  const source = `${newest.mda.file} (metadata at offset ${newest.mda.areaOffset + newest.mda.textOffset})`;
  let vg: VolumeGroup;
  try {
    vg = vgFromConfig(newest.doc, { source, codecs: lookupSegtype });
    const problems = validateVg(vg);
    for (const p of problems.filter((x) => x.severity === 'warning')) result.warnings.push(p.message);
    const errors = problems.filter((x) => x.severity === 'error');
    if (errors.length) {
      throw new LvmkitError('EVALIDATE', `${source}: ${errors[0].message}${errors.length > 1 ? ` (and ${errors.length - 1} more problems)` : ''}`);
    }
  } catch (e) {
    if (!isLvmkitError(e)) throw e;
    result.errors.push(e);
    return undefined;
  }
  const byUuid = new Map<string, ScannedPv>();
  for (const pv of result.pvs) if (!byUuid.has(pv.label.pvUuid)) byUuid.set(pv.label.pvUuid, pv);
  const pvs = new Map<string, ScannedPv>();
  const missingPvIds: string[] = [];
  for (const pv of vg.pvs) {
    const found = byUuid.get(pv.id);
    if (found) pvs.set(pv.id, found);
    else {
      missingPvIds.push(pv.id);
      result.warnings.push(`Couldn't find device with uuid ${pv.id}.`);
      result.warnings.push(`VG ${shownName(vg.name)} is missing PV ${pv.id} (last written to ${shownText(pv.deviceHint ?? '[unknown]')}).`);
    }
  }
  warnShrunkDevices(vg, pvs, result);
  return { vg, copy: newest, copies, pvs, missingPvIds };
}
