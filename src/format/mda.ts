/**
 * Metadata areas (§3): the mda_header with its raw_locn slots, the circular text buffer,
 * reading the committed text (also when it wraps) and the pure placement rules writers use.
 * Reading never throws for a damaged area: damage is reported in `MdaRead.error`.
 */
import { LvmkitError } from '../errors.js';
import type { BlockDevice } from '../devices/block-device.js';
import { crcHex, lvmCrc } from './crc.js';
import type { DiskLocn } from './label.js';
import {
  MDA_ALIGN, MDA_HEADER, MDA_HEADER_CRC_START, MDA_HEADER_SIZE, MDA_MAGIC, MDA_VERSION, RAW_LOCN, RAW_LOCN_IGNORED,
  RAW_LOCN_OFFSET, RAW_LOCN_SIZE, RAW_LOCN_SLOTS, SLOT_COMMITTED,
} from './layout.js';
import { decodeStruct, encodeStruct } from './struct.js';

export interface RawLocn {
  /** Relative to the start of the metadata area (>= 512 when used). */
  offset: number;
  /** Text length including the terminating NUL. */
  size: number;
  checksum: number;
  flags: number;
}

export interface MdaHeader {
  checksum: number;
  magic: string;
  version: number;
  /** Absolute device offset of this header. */
  start: number;
  /** Size of the whole area including the header. */
  size: number;
  /** [committed, precommitted]. */
  slots: RawLocn[];
}

export interface DecodedMdaHeader {
  header: MdaHeader;
  computedCrc: number;
  crcOk: boolean;
}

export const EMPTY_RAW_LOCN: Readonly<RawLocn> = Object.freeze({ offset: 0, size: 0, checksum: 0, flags: 0 });

/** Decode the 512-byte header (structure only; see `checkMdaHeader`). Throws EMDA_HEADER for u64 fields >= 2^53. */
export function decodeMdaHeader(bytes: Uint8Array, file: string, offset: number): DecodedMdaHeader {
  const ctx = { file, baseOffset: offset, code: 'EMDA_HEADER' as const };
  const head = decodeStruct(MDA_HEADER, bytes, 0, ctx);
  const slots: RawLocn[] = [];
  for (let i = 0; i < RAW_LOCN_SLOTS; i++) {
    slots.push(decodeStruct(RAW_LOCN, bytes, RAW_LOCN_OFFSET + i * RAW_LOCN_SIZE, ctx));
  }
  const computedCrc = lvmCrc(bytes.subarray(MDA_HEADER_CRC_START, MDA_HEADER_SIZE));
  return { header: { ...head, slots }, computedCrc, crcOk: computedCrc === head.checksum };
}

/** The first problem of a decoded header (magic, CRC, version, start), or undefined. */
export function checkMdaHeader(d: DecodedMdaHeader, areaOffset: number, file: string): LvmkitError | undefined {
  const h = d.header;
  const err = (code: 'EMDA_HEADER' | 'EMDA_CRC', field: number, what: string) =>
    new LvmkitError(code, `${file}: metadata area header at offset ${areaOffset}: ${what}`, { file, offset: areaOffset + field });
  if (h.magic !== MDA_MAGIC) return err('EMDA_HEADER', 4, `bad magic ${JSON.stringify(h.magic)}, expected ${JSON.stringify(MDA_MAGIC)}`);
  if (!d.crcOk) return err('EMDA_CRC', 0, `CRC ${crcHex(h.checksum)} does not match computed ${crcHex(d.computedCrc)}`);
  if (h.version !== MDA_VERSION) return err('EMDA_HEADER', 20, `version ${h.version}, expected ${MDA_VERSION}`);
  if (h.start !== areaOffset) return err('EMDA_HEADER', 24, `start ${h.start} does not match the area offset ${areaOffset}`);
  if (h.size < MDA_HEADER_SIZE + MDA_ALIGN) return err('EMDA_HEADER', 32, `area size ${h.size} is too small`);
  return undefined;
}

export interface MdaHeaderInput {
  start: number;
  size: number;
  /** Up to 2 slots; missing ones are written as zeros. */
  slots?: RawLocn[];
}

/** A complete 512-byte mda_header with its CRC. */
export function encodeMdaHeader(input: MdaHeaderInput): Uint8Array {
  const bytes = new Uint8Array(MDA_HEADER_SIZE);
  const slots = input.slots ?? [];
  if (slots.length > RAW_LOCN_SLOTS) throw new RangeError(`at most ${RAW_LOCN_SLOTS} raw_locn slots`);
  encodeStruct(MDA_HEADER, { checksum: 0, magic: MDA_MAGIC, version: MDA_VERSION, start: input.start, size: input.size }, bytes, 0);
  slots.forEach((s, i) => encodeStruct(RAW_LOCN, s, bytes, RAW_LOCN_OFFSET + i * RAW_LOCN_SIZE));
  new DataView(bytes.buffer).setUint32(0, lvmCrc(bytes.subarray(MDA_HEADER_CRC_START)), true);
  return bytes;
}

// ---------------------------------------------------------------- circular buffer

/** One contiguous piece of a text in the circular buffer (offset relative to the area). */
export interface TextPiece {
  offset: number;
  length: number;
}

/** Where a text of `size` bytes at `offset` lies: one piece, or two when it wraps to area+512. */
export function textPieces(areaSize: number, offset: number, size: number): TextPiece[] {
  if (offset + size <= areaSize) return [{ offset, length: size }];
  const first = areaSize - offset;
  return [{ offset, length: first }, { offset: MDA_HEADER_SIZE, length: size - first }];
}

/** Why a raw_locn cannot describe a text in an area of `areaSize` bytes, or undefined if it can. */
export function rawLocnProblem(areaSize: number, locn: RawLocn): string | undefined {
  if (locn.offset < MDA_HEADER_SIZE || locn.offset >= areaSize) {
    return `text offset ${locn.offset} is outside the text space ${MDA_HEADER_SIZE}..${areaSize - 1}`;
  }
  if (locn.size === 0) return 'text size is 0';
  if (locn.size > areaSize - MDA_HEADER_SIZE) {
    return `text size ${locn.size} is larger than the text space (${areaSize - MDA_HEADER_SIZE} bytes)`;
  }
  return undefined;
}

/** Largest text (incl. NUL) LVM stores in an area of `areaSize` bytes: floor((A-512)/2) - 512. */
export function maxMetadataTextSize(areaSize: number): number {
  return Math.floor((areaSize - MDA_HEADER_SIZE) / 2) - MDA_HEADER_SIZE;
}

export interface NextLocation {
  offset: number;
  size: number;
  wrapped: boolean;
  pieces: TextPiece[];
}

/**
 * Where LVM puts the next text of `newSize` bytes (incl. NUL), given the current slot 0 (§3.3).
 * Throws EMDA_LOCATION when the text exceeds the maximum metadata size.
 */
export function nextRawLocation(areaSize: number, slot0: RawLocn | undefined, newSize: number, file = 'metadata area'): NextLocation {
  const max = maxMetadataTextSize(areaSize);
  if (newSize > max) {
    throw new LvmkitError('EMDA_LOCATION',
      `${file}: metadata (${newSize} bytes) exceeds maximum metadata size (${max} bytes) of a ${areaSize}-byte metadata area`,
      { file });
  }
  const offset = nextStart(areaSize, slot0);
  const pieces = textPieces(areaSize, offset, newSize);
  return { offset, size: newSize, wrapped: pieces.length > 1, pieces };
}

function nextStart(areaSize: number, slot0: RawLocn | undefined): number {
  if (!slot0 || (slot0.offset === 0 && slot0.size === 0) || (slot0.flags & RAW_LOCN_IGNORED) !== 0) return MDA_HEADER_SIZE;
  const end = slot0.offset + slot0.size;
  const oldLast = end > areaSize ? end - areaSize + MDA_HEADER_SIZE - 1 : end - 1;
  if (areaSize - oldLast < MDA_ALIGN) return MDA_HEADER_SIZE;
  const start = Math.ceil((oldLast + 1) / MDA_ALIGN) * MDA_ALIGN;
  return start > areaSize - MDA_ALIGN ? MDA_HEADER_SIZE : start;
}

/** Text + NUL as stored on disk (UTF-8). */
export function encodeMetadataText(text: string): Uint8Array {
  const utf8 = new TextEncoder().encode(text);
  const out = new Uint8Array(utf8.length + 1);
  out.set(utf8);
  return out;
}

export interface DeviceWrite {
  /** Absolute device offset. */
  offset: number;
  data: Uint8Array;
}

/**
 * The writes that put `stored` (text incl. NUL) at `location` in the area at `areaOffset`:
 * one or two pieces, the last one followed by zeros up to the next 512-byte boundary.
 */
export function metadataTextWrites(areaOffset: number, location: NextLocation, stored: Uint8Array): DeviceWrite[] {
  if (stored.length !== location.size) throw new RangeError(`text is ${stored.length} bytes, location says ${location.size}`);
  const writes: DeviceWrite[] = [];
  let from = 0;
  location.pieces.forEach((p, i) => {
    const last = i === location.pieces.length - 1;
    const abs = areaOffset + p.offset;
    const pad = last ? (MDA_ALIGN - ((abs + p.length) % MDA_ALIGN)) % MDA_ALIGN : 0;
    const data = new Uint8Array(p.length + pad);
    data.set(stored.subarray(from, from + p.length));
    writes.push({ offset: abs, data });
    from += p.length;
  });
  return writes;
}

/** The chained CRC of the pieces of a text (§3.4). */
export function piecesCrc(pieces: Uint8Array[]): number {
  let crc: number | undefined;
  for (const p of pieces) crc = lvmCrc(p, crc);
  return crc ?? lvmCrc(new Uint8Array(0));
}

// ---------------------------------------------------------------- reading

export interface MdaRead {
  file: string;
  /** Absolute device offset of the area (its header). */
  areaOffset: number;
  /** mda_header.size when the header is readable, else the size from the label. */
  areaSize: number;
  header?: MdaHeader;
  headerCrcOk: boolean;
  slots: RawLocn[];
  /** The slot the text was read from (0 = committed). */
  slot: number;
  /** Metadata text without its trailing NUL; undefined when there is none or it could not be read. */
  text?: string;
  /** The stored bytes (both pieces joined, incl. NUL). */
  textBytes?: Uint8Array;
  textCrcOk: boolean;
  /** CRC computed over the stored bytes (chained over both pieces). */
  textCrc?: number;
  /** raw_locn.offset: relative to the area. */
  textOffset: number;
  /** raw_locn.size: incl. NUL. */
  textSize: number;
  /** Slot 0 has RAW_LOCN_IGNORED: this mda does not take part in commits and may be stale. */
  ignored: boolean;
  wrapped: boolean;
  error?: LvmkitError;
}

export interface ReadMdaOptions {
  /** Which raw_locn to read the text from (default 0 = committed). */
  slot?: number;
}

const textDecoder = new TextDecoder('utf-8', { fatal: false });

/**
 * lvmkit's limit on one metadata text (LVM2's own texts are a few MiB even for VGs of 10,000 LVs; the parsed tree
 * takes 25-55 bytes of memory per byte of text): a raw_locn claiming more is refused as damage, not allocated.
 */
export const MAX_METADATA_TEXT_SIZE = 32 * 1024 * 1024;

/**
 * Read one metadata area described by the label's `area`. Never throws for damage: see `error`.
 * A failing device (EDEVICE_IO) is not damage of the area: that error is thrown.
 */
export async function readMetadataArea(dev: BlockDevice, area: DiskLocn, options: ReadMdaOptions = {}): Promise<MdaRead> {
  const slot = options.slot ?? SLOT_COMMITTED;
  const r: MdaRead = {
    file: dev.name, areaOffset: area.offset, areaSize: area.size, headerCrcOk: false, slots: [], slot,
    textCrcOk: false, textOffset: 0, textSize: 0, ignored: false, wrapped: false,
  };
  try {
    await readInto(dev, area, r);
  } catch (e) {
    if (!(e instanceof LvmkitError) || e.code === 'EDEVICE_IO') throw e;
    r.error = e;
  }
  return r;
}

async function readInto(dev: BlockDevice, area: DiskLocn, r: MdaRead): Promise<void> {
  const file = dev.name;
  if (area.offset + MDA_HEADER_SIZE > dev.size) {
    throw locationError(file, area.offset,
      `metadata area header at offset ${area.offset} lies past the end of the device (${dev.size} bytes)`);
  }
  const decoded = decodeMdaHeader(await dev.read(area.offset, MDA_HEADER_SIZE), file, area.offset);
  r.header = decoded.header;
  r.headerCrcOk = decoded.crcOk;
  r.slots = decoded.header.slots;
  r.ignored = (r.slots[SLOT_COMMITTED]!.flags & RAW_LOCN_IGNORED) !== 0;
  const headerError = checkMdaHeader(decoded, area.offset, file);
  if (headerError) throw headerError;
  r.areaSize = decoded.header.size;
  if (area.offset + r.areaSize > dev.size) {
    throw locationError(file, area.offset + 32,
      `metadata area at offset ${area.offset} (${r.areaSize} bytes) extends past the end of the device (${dev.size} bytes)`);
  }
  const locn = r.slots[r.slot];
  if (!locn) throw new RangeError(`no raw_locn slot ${r.slot}`);
  r.textOffset = locn.offset;
  r.textSize = locn.size;
  if (locn.offset === 0 && locn.size === 0) return; // no metadata text (fresh PV)
  const problem = rawLocnProblem(r.areaSize, locn)
    ?? (locn.size > MAX_METADATA_TEXT_SIZE ? `text size ${locn.size} is larger than lvmkit reads (${MAX_METADATA_TEXT_SIZE} bytes)` : undefined);
  if (problem) {
    throw locationError(file, area.offset + RAW_LOCN_OFFSET + r.slot * RAW_LOCN_SIZE,
      `metadata area at offset ${area.offset}: raw_locn[${r.slot}]: ${problem}`);
  }
  await readText(dev, r, locn);
}

async function readText(dev: BlockDevice, r: MdaRead, locn: RawLocn): Promise<void> {
  const pieces = textPieces(r.areaSize, locn.offset, locn.size);
  r.wrapped = pieces.length > 1;
  const bytes = new Uint8Array(locn.size);
  let at = 0;
  for (const p of pieces) {
    await dev.readInto(r.areaOffset + p.offset, bytes.subarray(at, at + p.length));
    at += p.length;
  }
  r.textBytes = bytes;
  r.textCrc = lvmCrc(bytes);
  r.textCrcOk = r.textCrc === locn.checksum;
  r.text = decodeStoredText(bytes);
  if (!r.textCrcOk) {
    const abs = r.areaOffset + locn.offset;
    r.error = new LvmkitError('EMDA_TEXT_CRC',
      `${r.file}: metadata text at offset ${abs} (${locn.size} bytes${r.wrapped ? ', wrapped' : ''}): CRC ${crcHex(locn.checksum)} does not match computed ${crcHex(r.textCrc)}`,
      { file: r.file, offset: abs });
  }
}

/** Stored text bytes -> string, without the terminating NUL (UTF-8, invalid bytes replaced). */
export function decodeStoredText(bytes: Uint8Array): string {
  const end = bytes.length > 0 && bytes[bytes.length - 1] === 0 ? bytes.length - 1 : bytes.length;
  return textDecoder.decode(bytes.subarray(0, end));
}

function locationError(file: string, offset: number, what: string): LvmkitError {
  return new LvmkitError('EMDA_LOCATION', `${file}: ${what}`, { file, offset });
}
