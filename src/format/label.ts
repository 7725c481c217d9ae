/**
 * The PV label (§1) and pv_header (§2): find it in sectors 0-3, decode it, and encode one for writers.
 */
import { LvmkitError } from '../errors.js';
import type { BlockDevice } from '../devices/block-device.js';
import { crcHex, lvmCrc } from './crc.js';
import {
  DEFAULT_LABEL_SECTOR, DISK_LOCN, DISK_LOCN_SIZE, LABEL_CRC_START, LABEL_HEADER, LABEL_HEADER_SIZE, LABEL_ID,
  LABEL_SCAN_SECTORS, LABEL_TYPE, PV_EXT_VERSION, PV_HEADER, PV_HEADER_EXTENSION, PV_HEADER_OFFSET, SECTOR_SIZE,
} from './layout.js';
import { decodeStruct, encodeStruct, type StructContext } from './struct.js';
import { formatUuid, parseUuid } from './uuid.js';

/** A `disk_locn`: bytes. */
export interface DiskLocn {
  offset: number;
  size: number;
}

export interface PvLabel {
  /** Sector (0-3) holding the label. */
  labelSector: number;
  /** Byte offset of the label sector on the device. */
  labelOffset: number;
  /** 6-4-4-4-4-4-6 form. */
  pvUuid: string;
  /** As stored: 32 characters, no hyphens. */
  pvUuidRaw: string;
  /** Bytes, as recorded by pvcreate. */
  deviceSize: number;
  dataAreas: DiskLocn[];
  metadataAreas: DiskLocn[];
  /** 0 when the PV has no pv_header_extension. */
  extVersion: number;
  extFlags: number;
  bootloaderAreas: DiskLocn[];
  /** Stored crc_xl. */
  crc: number;
  /** CRC computed over bytes 20..511 of the label sector. */
  computedCrc: number;
  crcOk: boolean;
}

export interface ReadLabelOptions {
  /** Return a label whose CRC is wrong (crcOk false) instead of throwing ELABEL_CRC. */
  allowBadCrc?: boolean;
}

/** Read and decode the label of `dev`. Throws ENOT_PV, ELABEL_CRC or ELABEL. */
export async function readLabel(dev: BlockDevice, options: ReadLabelOptions = {}): Promise<PvLabel> {
  const scanSize = Math.min(dev.size, LABEL_SCAN_SECTORS * SECTOR_SIZE);
  const scan = await dev.read(0, scanSize - (scanSize % SECTOR_SIZE));
  return findLabel(scan, dev.name, options);
}

/** Find the label in the first sectors (`scan` holds sectors 0..3 or fewer), following the rules of §1.1. */
export function findLabel(scan: Uint8Array, file: string, options: ReadLabelOptions = {}): PvLabel {
  let badCrc: PvLabel | undefined;
  let rejected: string | undefined;
  const sectors = Math.min(LABEL_SCAN_SECTORS, Math.floor(scan.length / SECTOR_SIZE));
  for (let n = 0; n < sectors; n++) {
    const sector = scan.subarray(n * SECTOR_SIZE, (n + 1) * SECTOR_SIZE);
    // Only a sector that starts with LABELONE is decoded: any other bytes (a GPT header, data) are not a label.
    if (!startsWithAscii(sector, LABEL_ID)) continue;
    const head = decodeStruct(LABEL_HEADER, sector, 0, { file, baseOffset: n * SECTOR_SIZE });
    const at = n * SECTOR_SIZE;
    if (head.sectorXl !== n) {
      rejected ??= `label at offset ${at} says it is for sector ${head.sectorXl}`;
      continue;
    }
    const computed = lvmCrc(sector.subarray(LABEL_CRC_START));
    if (computed !== head.crcXl) {
      badCrc ??= decodeLabelSector(sector, n, file);
      continue;
    }
    if (head.type !== LABEL_TYPE) {
      rejected ??= `label at offset ${at} has type ${JSON.stringify(head.type)}, expected "${LABEL_TYPE}"`;
      continue;
    }
    return decodeLabelSector(sector, n, file);
  }
  if (badCrc) {
    if (options.allowBadCrc) return badCrc;
    throw new LvmkitError('ELABEL_CRC',
      `${file}: label at offset ${badCrc.labelOffset}: CRC ${crcHex(badCrc.crc)} does not match computed ${crcHex(badCrc.computedCrc)}`,
      { file, offset: badCrc.labelOffset + 16 });
  }
  throw new LvmkitError('ENOT_PV', `${file}: no LVM2 label in sectors 0-3${rejected ? ` (${rejected})` : ''}`, { file, offset: 0 });
}

/** Decode one 512-byte label sector (no acceptance checks besides structure). */
export function decodeLabelSector(sector: Uint8Array, sectorIndex: number, file: string): PvLabel {
  const labelOffset = sectorIndex * SECTOR_SIZE;
  const ctx: StructContext = { file, baseOffset: labelOffset, code: 'ELABEL' };
  const head = decodeStruct(LABEL_HEADER, sector, 0, ctx);
  if (head.offsetXl < LABEL_HEADER_SIZE || head.offsetXl + PV_HEADER.size + 2 * DISK_LOCN_SIZE > SECTOR_SIZE) {
    throw new LvmkitError('ELABEL',
      `${file}: label at offset ${labelOffset}: pv_header offset ${head.offsetXl} is outside the label sector (expected ${PV_HEADER_OFFSET})`,
      { file, offset: labelOffset + 20 });
  }
  const pvh = decodeStruct(PV_HEADER, sector, head.offsetXl, ctx);
  let at = head.offsetXl + PV_HEADER.size;
  const data = readLocnList(sector, at, ctx, 'data area');
  const meta = readLocnList(sector, data.next, ctx, 'metadata area');
  at = meta.next;
  let extVersion = 0;
  let extFlags = 0;
  let bootloaderAreas: DiskLocn[] = [];
  if (at + PV_HEADER_EXTENSION.size <= SECTOR_SIZE) {
    const ext = decodeStruct(PV_HEADER_EXTENSION, sector, at, ctx);
    if (ext.version !== 0) {
      extVersion = ext.version;
      extFlags = ext.flags;
      bootloaderAreas = readLocnList(sector, at + PV_HEADER_EXTENSION.size, ctx, 'bootloader area').entries;
    }
  }
  const computedCrc = lvmCrc(sector.subarray(LABEL_CRC_START, SECTOR_SIZE));
  return {
    labelSector: sectorIndex, labelOffset,
    pvUuid: formatUuid(pvh.pvUuid), pvUuidRaw: pvh.pvUuid, deviceSize: pvh.deviceSize,
    dataAreas: data.entries, metadataAreas: meta.entries, extVersion, extFlags, bootloaderAreas,
    crc: head.crcXl, computedCrc, crcOk: computedCrc === head.crcXl,
  };
}

/** Walk a disk_locn list up to the entry whose offset is 0 (only the offset is tested, as LVM does). */
function readLocnList(sector: Uint8Array, start: number, ctx: StructContext, what: string): { entries: DiskLocn[]; next: number } {
  const entries: DiskLocn[] = [];
  for (let at = start; ; at += DISK_LOCN_SIZE) {
    if (at + DISK_LOCN_SIZE > SECTOR_SIZE) {
      throw new LvmkitError('ELABEL',
        `${ctx.file}: pv_header ${what} list starting at offset ${ctx.baseOffset! + start} is not terminated within the label sector`,
        { file: ctx.file, offset: ctx.baseOffset! + start });
    }
    const e = decodeStruct(DISK_LOCN, sector, at, ctx);
    if (e.offset === 0) return { entries, next: at + DISK_LOCN_SIZE };
    entries.push({ offset: e.offset, size: e.size });
  }
}

export interface LabelInput {
  /** Default 1. */
  labelSector?: number;
  /** Either form (hyphens are removed). */
  pvUuid: string;
  deviceSize: number;
  dataAreas: DiskLocn[];
  metadataAreas: DiskLocn[];
  /** Default 2; 0 writes no extension. */
  extVersion?: number;
  extFlags?: number;
  bootloaderAreas?: DiskLocn[];
}

/** Build a complete 512-byte label sector (label_header + pv_header + extension + zeros) with its CRC. */
export function encodeLabelSector(input: LabelInput): Uint8Array {
  const sectorIndex = input.labelSector ?? DEFAULT_LABEL_SECTOR;
  if (!Number.isInteger(sectorIndex) || sectorIndex < 0 || sectorIndex >= LABEL_SCAN_SECTORS) {
    throw new RangeError(`label sector must be 0..${LABEL_SCAN_SECTORS - 1}, got ${sectorIndex}`);
  }
  const raw = parseUuid(input.pvUuid);
  if (!raw) throw new RangeError(`invalid PV uuid ${JSON.stringify(input.pvUuid)}`);
  const sector = new Uint8Array(SECTOR_SIZE);
  let at = PV_HEADER_OFFSET;
  encodeStruct(PV_HEADER, { pvUuid: raw, deviceSize: input.deviceSize }, sector, at);
  at += PV_HEADER.size;
  at = writeLocnList(sector, at, input.dataAreas);
  at = writeLocnList(sector, at, input.metadataAreas);
  const extVersion = input.extVersion ?? PV_EXT_VERSION;
  if (extVersion !== 0) {
    need(at + PV_HEADER_EXTENSION.size);
    encodeStruct(PV_HEADER_EXTENSION, { version: extVersion, flags: input.extFlags ?? 0 }, sector, at);
    writeLocnList(sector, at + PV_HEADER_EXTENSION.size, input.bootloaderAreas ?? []);
  }
  encodeStruct(LABEL_HEADER, {
    id: LABEL_ID, sectorXl: sectorIndex, crcXl: 0, offsetXl: PV_HEADER_OFFSET, type: LABEL_TYPE,
  }, sector, 0);
  new DataView(sector.buffer).setUint32(16, lvmCrc(sector.subarray(LABEL_CRC_START)), true);
  return sector;
}

function writeLocnList(sector: Uint8Array, at: number, list: DiskLocn[]): number {
  for (const e of list) {
    if (e.offset === 0) throw new RangeError('a disk_locn offset of 0 would end the list');
    need(at + DISK_LOCN_SIZE);
    encodeStruct(DISK_LOCN, e, sector, at);
    at += DISK_LOCN_SIZE;
  }
  need(at + DISK_LOCN_SIZE);
  return at + DISK_LOCN_SIZE; // terminator: already zero
}

function need(end: number): void {
  if (end > SECTOR_SIZE) throw new RangeError('pv_header lists do not fit in the label sector');
}

function startsWithAscii(bytes: Uint8Array, text: string): boolean {
  for (let i = 0; i < text.length; i++) if (bytes[i] !== text.charCodeAt(i)) return false;
  return true;
}
