/**
 * Partition tables on disk images: MBR (primary, extended + EBR chain -> logical 5, 6, ...) and GPT.
 * 512-byte sectors. `openCandidates` turns a disk image into the list of devices a PV may live on.
 */
import CRC32 from 'crc-32';
import { LvmkitError } from '../errors.js';
import type { BlockDevice } from './block-device.js';
import { SubDevice } from './sub-device.js';

export const PART_SECTOR_SIZE = 512;

export interface PartitionInfo {
  /** Partition number as Linux numbers it: MBR 1-4 primary, 5.. logical; GPT entry index + 1. */
  index: number;
  /** Bytes from the start of the disk. */
  start: number;
  /** Bytes. */
  size: number;
  /** MBR type byte, or GPT type GUID (upper case, e.g. "E6D6D379-F507-44C2-A23C-238F2A3DF928"). */
  type: number | string;
  /** GPT partition name (UTF-16LE in the entry). */
  name?: string;
  /** GPT unique partition GUID. */
  uuid?: string;
  scheme: 'mbr' | 'gpt';
  /** An MBR extended partition (the container of the logical ones): listed as Linux does, holds no data itself. */
  extended?: boolean;
}

const MBR_SIGNATURE_OFFSET = 510;
const MBR_ENTRIES_OFFSET = 446;
const MBR_ENTRY_SIZE = 16;
const MBR_TYPE_GPT_PROTECTIVE = 0xee;
const MBR_EXTENDED_TYPES = new Set([0x05, 0x0f, 0x85]);
/** Linux stops following an EBR chain after this many logical partitions. */
const MAX_LOGICAL = 256;
const GPT_SIGNATURE = 'EFI PART';
const GPT_MIN_HEADER_SIZE = 92;
const GPT_MAX_ENTRIES_BYTES = 1 << 20;

interface MbrEntry { slot: number; bootFlag: number; type: number; lbaStart: number; sectors: number }

/** The partitions of `dev`, or [] when it carries no partition table. Throws EPARTITION for a broken one. */
export async function listPartitions(dev: BlockDevice): Promise<PartitionInfo[]> {
  if (dev.size < 2 * PART_SECTOR_SIZE) return [];
  const mbr = await dev.read(0, PART_SECTOR_SIZE);
  const entries = decodeMbr(mbr);
  if (!entries) return [];
  if (entries.some((e) => e.type === MBR_TYPE_GPT_PROTECTIVE)) return readGpt(dev);
  return readMbrPartitions(dev, entries);
}

export interface OpenCandidatesOptions {
  /** Called with an EPARTITION error instead of throwing it; the device alone is then returned. */
  onWarning?: (error: LvmkitError) => void;
}

/** The device itself plus one SubDevice per partition (named "<name>:p<N>"). */
export async function openCandidates(dev: BlockDevice, options: OpenCandidatesOptions = {}): Promise<BlockDevice[]> {
  let parts: PartitionInfo[];
  try {
    parts = await listPartitions(dev);
  } catch (e) {
    if (options.onWarning && e instanceof LvmkitError && e.code === 'EPARTITION') {
      options.onWarning(e);
      return [dev];
    }
    throw e;
  }
  const data = parts.filter((p) => !p.extended);
  return [dev, ...data.map((p) => new SubDevice(dev, p.start, p.size, `${dev.name}:p${p.index}`))];
}

// ---------------------------------------------------------------- MBR

/** The four entries of an MBR sector, or undefined if the sector is not an MBR. */
function decodeMbr(sector: Uint8Array): MbrEntry[] | undefined {
  if (sector[MBR_SIGNATURE_OFFSET] !== 0x55 || sector[MBR_SIGNATURE_OFFSET + 1] !== 0xaa) return undefined;
  const view = new DataView(sector.buffer, sector.byteOffset, sector.byteLength);
  const entries: MbrEntry[] = [];
  for (let slot = 0; slot < 4; slot++) {
    const at = MBR_ENTRIES_OFFSET + slot * MBR_ENTRY_SIZE;
    const bootFlag = sector[at]!;
    // A boot sector of a file system also ends in 55 AA; its "entries" have random boot flags.
    if (bootFlag !== 0 && bootFlag !== 0x80) return undefined;
    entries.push({
      slot, bootFlag, type: sector[at + 4]!,
      lbaStart: view.getUint32(at + 8, true), sectors: view.getUint32(at + 12, true),
    });
  }
  return entries;
}

async function readMbrPartitions(dev: BlockDevice, entries: MbrEntry[]): Promise<PartitionInfo[]> {
  const parts: PartitionInfo[] = [];
  let extended: MbrEntry | undefined;
  for (const e of entries) {
    if (e.type === 0 || e.sectors === 0) continue;
    if (MBR_EXTENDED_TYPES.has(e.type)) {
      if (extended) {
        throw partitionError(dev, 0, `more than one extended partition (entries ${extended.slot + 1} and ${e.slot + 1})`);
      }
      extended = e;
      parts.push({ ...mbrPartition(dev, e.slot + 1, e.lbaStart, e.sectors, e.type), extended: true });
      continue;
    }
    parts.push(mbrPartition(dev, e.slot + 1, e.lbaStart, e.sectors, e.type));
  }
  if (extended) parts.push(...await readLogicalPartitions(dev, extended));
  return parts;
}

/** Follow the EBR chain of an extended partition. Logical partitions are numbered 5, 6, ... */
async function readLogicalPartitions(dev: BlockDevice, ext: MbrEntry): Promise<PartitionInfo[]> {
  const parts: PartitionInfo[] = [];
  const visited = new Set<number>();
  let ebrLba = ext.lbaStart;
  let number = 5;
  while (parts.length < MAX_LOGICAL) {
    if (visited.has(ebrLba)) {
      throw partitionError(dev, ebrLba * PART_SECTOR_SIZE, `EBR chain loops back to sector ${ebrLba}`);
    }
    visited.add(ebrLba);
    const ebr = decodeMbr(await dev.read(ebrLba * PART_SECTOR_SIZE, PART_SECTOR_SIZE));
    if (!ebr) {
      // Linux ends the chain quietly at a sector without the 55 AA signature.
      break;
    }
    const data = ebr.find((e) => e.type !== 0 && e.sectors !== 0 && !MBR_EXTENDED_TYPES.has(e.type));
    const link = ebr.find((e) => e.sectors !== 0 && MBR_EXTENDED_TYPES.has(e.type));
    if (data) {
      const start = ebrLba + data.lbaStart;
      if (start + data.sectors > ext.lbaStart + ext.sectors) {
        throw partitionError(dev, ebrLba * PART_SECTOR_SIZE,
          `logical partition ${number} (sectors ${start}+${data.sectors}) extends past its extended partition`);
      }
      parts.push(mbrPartition(dev, number++, start, data.sectors, data.type));
    }
    if (!link) break;
    const next = ext.lbaStart + link.lbaStart;
    if (link.lbaStart === 0 || next >= ext.lbaStart + ext.sectors) {
      throw partitionError(dev, ebrLba * PART_SECTOR_SIZE,
        `EBR link to sector ${next} is outside the extended partition (sectors ${ext.lbaStart}+${ext.sectors})`);
    }
    ebrLba = next;
  }
  return parts;
}

function mbrPartition(dev: BlockDevice, index: number, lba: number, sectors: number, type: number): PartitionInfo {
  checkInside(dev, lba, sectors, `partition ${index}`);
  return { index, start: lba * PART_SECTOR_SIZE, size: sectors * PART_SECTOR_SIZE, type, scheme: 'mbr' };
}

// ---------------------------------------------------------------- GPT

interface GptHeader {
  entriesLba: number;
  entryCount: number;
  entrySize: number;
  entriesCrc: number;
}

async function readGpt(dev: BlockDevice): Promise<PartitionInfo[]> {
  const lastLba = Math.floor(dev.size / PART_SECTOR_SIZE) - 1;
  let primaryError: LvmkitError | undefined;
  for (const lba of [1, lastLba]) {
    try {
      const header = decodeGptHeader(dev, await dev.read(lba * PART_SECTOR_SIZE, PART_SECTOR_SIZE), lba);
      return await readGptEntries(dev, header);
    } catch (e) {
      if (!(e instanceof LvmkitError && e.code === 'EPARTITION')) throw e;
      primaryError ??= e;
    }
  }
  throw primaryError!;
}

function decodeGptHeader(dev: BlockDevice, sector: Uint8Array, lba: number): GptHeader {
  const at = lba * PART_SECTOR_SIZE;
  const sig = String.fromCharCode(...sector.subarray(0, 8));
  if (sig !== GPT_SIGNATURE) {
    throw partitionError(dev, at, `protective MBR (type 0xEE) but no GPT header ("EFI PART") at sector ${lba}`);
  }
  const view = new DataView(sector.buffer, sector.byteOffset, sector.byteLength);
  const headerSize = view.getUint32(12, true);
  if (headerSize < GPT_MIN_HEADER_SIZE || headerSize > PART_SECTOR_SIZE) {
    throw partitionError(dev, at + 12, `GPT header size ${headerSize} is not in ${GPT_MIN_HEADER_SIZE}..512`);
  }
  const stored = view.getUint32(16, true);
  const copy = sector.slice(0, headerSize);
  copy.fill(0, 16, 20);
  const computed = CRC32.buf(copy) >>> 0;
  if (computed !== stored) {
    throw partitionError(dev, at + 16, `GPT header CRC 0x${hex(stored)} does not match computed 0x${hex(computed)}`);
  }
  const header: GptHeader = {
    entriesLba: u64(view, 72, dev, at),
    entryCount: view.getUint32(80, true),
    entrySize: view.getUint32(84, true),
    entriesCrc: view.getUint32(88, true),
  };
  if (header.entrySize < 128 || header.entrySize % 8 !== 0 || header.entryCount * header.entrySize > GPT_MAX_ENTRIES_BYTES) {
    throw partitionError(dev, at + 80, `GPT entry array of ${header.entryCount} x ${header.entrySize} bytes is not valid`);
  }
  return header;
}

async function readGptEntries(dev: BlockDevice, h: GptHeader): Promise<PartitionInfo[]> {
  const bytes = h.entryCount * h.entrySize;
  const at = h.entriesLba * PART_SECTOR_SIZE;
  if (at + bytes > dev.size) {
    throw partitionError(dev, at, `GPT entry array (${bytes} bytes) extends past the end of the device`);
  }
  const table = await dev.read(at, bytes);
  const computed = CRC32.buf(table) >>> 0;
  if (computed !== h.entriesCrc) {
    throw partitionError(dev, at, `GPT entry array CRC 0x${hex(h.entriesCrc)} does not match computed 0x${hex(computed)}`);
  }
  const view = new DataView(table.buffer, table.byteOffset, table.byteLength);
  const parts: PartitionInfo[] = [];
  for (let i = 0; i < h.entryCount; i++) {
    const e = i * h.entrySize;
    const type = guidString(table, e);
    if (type === ZERO_GUID) continue;
    const first = u64(view, e + 32, dev, at + e);
    const last = u64(view, e + 40, dev, at + e);
    if (last < first) throw partitionError(dev, at + e, `GPT entry ${i + 1}: last LBA ${last} < first LBA ${first}`);
    checkInside(dev, first, last - first + 1, `partition ${i + 1}`);
    const name = utf16Name(table.subarray(e + 56, e + Math.min(h.entrySize, 128)));
    parts.push({
      index: i + 1, start: first * PART_SECTOR_SIZE, size: (last - first + 1) * PART_SECTOR_SIZE,
      type, uuid: guidString(table, e + 16), scheme: 'gpt', ...(name ? { name } : {}),
    });
  }
  return parts;
}

const ZERO_GUID = '00000000-0000-0000-0000-000000000000';

/** Mixed-endian GUID: the first three fields little-endian, the rest as stored. */
export function guidString(b: Uint8Array, at: number): string {
  const h = (i: number) => b[at + i]!.toString(16).padStart(2, '0');
  const run = (idx: number[]) => idx.map(h).join('');
  return [run([3, 2, 1, 0]), run([5, 4]), run([7, 6]), run([8, 9]), run([10, 11, 12, 13, 14, 15])]
    .join('-').toUpperCase();
}

function utf16Name(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i + 1 < b.length; i += 2) {
    const c = b[i]! | (b[i + 1]! << 8);
    if (c === 0) break;
    s += String.fromCharCode(c);
  }
  return s;
}

// ---------------------------------------------------------------- helpers

function checkInside(dev: BlockDevice, lba: number, sectors: number, what: string): void {
  if ((lba + sectors) * PART_SECTOR_SIZE > dev.size) {
    throw partitionError(dev, lba * PART_SECTOR_SIZE,
      `${what} (sectors ${lba}+${sectors}) extends past the end of the device (${dev.size} bytes)`);
  }
}

function u64(view: DataView, at: number, dev: BlockDevice, fileOffset: number): number {
  const v = view.getBigUint64(at, true);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw partitionError(dev, fileOffset, `LBA ${v} is out of range`);
  return Number(v);
}

function partitionError(dev: BlockDevice, offset: number, what: string): LvmkitError {
  return new LvmkitError('EPARTITION', `${dev.name}: partition table at offset ${offset}: ${what}`, { file: dev.name, offset });
}

function hex(n: number): string {
  return n.toString(16).padStart(8, '0');
}
