/**
 * Older metadata texts still readable in a metadata area's circular buffer (for `lvmkit metadata --all`):
 * every VG text starts on a 512-byte boundary at area offset >= 512 with `<vgname> {\nid = "` and ends at a NUL,
 * possibly wrapping to area+512. Only seqno/name are extracted here (regex), no full parse.
 */
import { LvmkitError } from '../errors.js';
import type { BlockDevice } from '../devices/block-device.js';
import { lvmCrc } from './crc.js';
import { MDA_ALIGN, MDA_HEADER_SIZE } from './layout.js';
import { decodeStoredText, textPieces, type MdaRead, type RawLocn } from './mda.js';
import { latin1 } from './struct.js';

export interface MetadataHistoryEntry {
  /** Relative to the area (as a raw_locn offset). */
  offset: number;
  /** Absolute device offset of the first byte. */
  deviceOffset: number;
  /** Bytes including the NUL (or up to where the text was cut, see `complete`). */
  size: number;
  seqno: number;
  vgName: string;
  /** VG id (6-4-4-4-4-4-6) as written in the text. */
  vgId: string;
  /** CRC of the `size` bytes, comparable to a raw_locn checksum. */
  crc: number;
  /** This is the text slot 0 points at. */
  isCurrent: boolean;
  /** For the current text: whether its bytes match the checksum in slot 0 (false = damaged in place). */
  checksumOk?: boolean;
  /** Text without the NUL. */
  text: string;
  wrapped: boolean;
  /**
   * False when the text is known to be damaged: no NUL found, a newer text overwrote part of it,
   * or it lacks the `contents = "Text Format Volume Group"` line of the header block.
   */
  complete: boolean;
}

/** Where the area is and what slot 0 says; an `MdaRead` fits. */
export interface HistoryArea {
  areaOffset: number;
  areaSize: number;
  slots?: RawLocn[];
}

/** The whole area is read into memory: larger areas (a damaged header on a huge sparse image) are refused. */
export const MAX_HISTORY_AREA_SIZE = 256 * 1024 * 1024;

const TEXT_START = /^([A-Za-z0-9+_.-]+) \{\nid = "([0-9A-Za-z!#-]{32,38})"\nseqno = (\d+)\n/;
const START_PROBE = 256;
const CONTENTS_LINE = '\ncontents = "Text Format Volume Group"\n';

/** Every VG text found in the area, newest seqno first. Reads the whole area once. */
export async function scanMetadataHistory(dev: BlockDevice, mda: HistoryArea | MdaRead): Promise<MetadataHistoryEntry[]> {
  const areaSize = Math.min(mda.areaSize, dev.size - mda.areaOffset);
  if (areaSize <= MDA_HEADER_SIZE) return [];
  if (areaSize > MAX_HISTORY_AREA_SIZE) {
    throw new LvmkitError('EMDA_LOCATION',
      `${dev.name}: metadata area at offset ${mda.areaOffset} is ${areaSize} bytes: larger than lvmkit searches for older versions (${MAX_HISTORY_AREA_SIZE} bytes)`,
      { file: dev.name, offset: mda.areaOffset });
  }
  const area = await dev.read(mda.areaOffset, areaSize);
  return scanAreaBytes(area, mda.areaOffset, currentLocation(mda.slots));
}

/** The scan on an area already in memory (`area[0]` is the mda header). */
export function scanAreaBytes(area: Uint8Array, areaOffset: number, current?: RawLocn): MetadataHistoryEntry[] {
  const starts = findTextStarts(area);
  const startSet = new Set(starts.map((s) => s.offset));
  const entries = starts.map((s) => readCandidate(area, areaOffset, s, startSet, current));
  // The current text is listed even when damage hides its first lines from the search above.
  if (current && !entries.some((e) => e.isCurrent) && current.offset >= MDA_HEADER_SIZE && current.offset < area.length
      && current.size > 0 && current.size <= area.length - MDA_HEADER_SIZE) {
    entries.push(readCurrentAnyway(area, areaOffset, current));
  }
  return entries.sort((a, b) => b.seqno - a.seqno || a.offset - b.offset);
}

interface TextStart { offset: number; vgName: string; vgId: string; seqno: number }

function findTextStarts(area: Uint8Array): TextStart[] {
  const found: TextStart[] = [];
  for (let o = MDA_HEADER_SIZE; o < area.length; o += MDA_ALIGN) {
    if (!isNameByte(area[o]!)) continue;
    const m = TEXT_START.exec(latin1(area.subarray(o, Math.min(area.length, o + START_PROBE))));
    if (m) found.push({ offset: o, vgName: m[1]!, vgId: m[2]!, seqno: Number(m[3]) });
  }
  return found;
}

function isNameByte(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x2b || b === 0x2d || b === 0x2e || b === 0x5f;
}

function readCandidate(area: Uint8Array, areaOffset: number, s: TextStart, starts: Set<number>,
  current?: RawLocn): MetadataHistoryEntry {
  const A = area.length;
  const { size, foundNul } = measureText(area, s.offset);
  const pieces = textPieces(A, s.offset, size);
  const isCurrent = current !== undefined && current.offset === s.offset && current.size === size;
  // A later text that starts inside this one overwrote the rest of it.
  let cut = isCurrent ? undefined : firstStartInside(pieces, s.offset, starts);
  if (cut === undefined && !isCurrent && current) cut = overlapWithCurrent(pieces, A, current);
  const kept = cut === undefined ? size : cut;
  const bytes = joinPieces(area, textPieces(A, s.offset, kept));
  const text = decodeStoredText(bytes);
  const crc = lvmCrc(bytes);
  return {
    offset: s.offset, deviceOffset: areaOffset + s.offset, size: kept, seqno: s.seqno, vgName: s.vgName, vgId: s.vgId,
    crc, isCurrent, ...(isCurrent ? { checksumOk: crc === current!.checksum } : {}), text, wrapped: kept > A - s.offset,
    complete: foundNul && cut === undefined && text.includes(CONTENTS_LINE),
  };
}

/** The text slot 0 points at, read as it is (its start does not look like a VG text: damaged). */
function readCurrentAnyway(area: Uint8Array, areaOffset: number, current: RawLocn): MetadataHistoryEntry {
  const bytes = joinPieces(area, textPieces(area.length, current.offset, current.size));
  const text = decodeStoredText(bytes);
  const crc = lvmCrc(bytes);
  const name = /^([^\s{]+) \{/.exec(text)?.[1] ?? '?';
  const id = /\nid = "([^"\n]*)"/.exec(text)?.[1] ?? '?';
  const seqno = Number(/\nseqno = (\d+)\n/.exec(text)?.[1] ?? -1);
  return {
    offset: current.offset, deviceOffset: areaOffset + current.offset, size: current.size, seqno, vgName: name, vgId: id,
    crc, isCurrent: true, checksumOk: crc === current.checksum, text, wrapped: current.size > area.length - current.offset,
    complete: false,
  };
}

/** Length of the text at `start` including its NUL, following a wrap to 512; whole text space if no NUL. */
function measureText(area: Uint8Array, start: number): { size: number; foundNul: boolean } {
  const A = area.length;
  const nul = area.indexOf(0, start);
  if (nul >= 0) return { size: nul - start + 1, foundNul: true };
  const wrappedNul = area.subarray(MDA_HEADER_SIZE, start).indexOf(0);
  if (wrappedNul >= 0) return { size: A - start + wrappedNul + 1, foundNul: true };
  return { size: A - MDA_HEADER_SIZE, foundNul: false };
}

/** Logical length of the text up to the first other text start strictly inside it, if any. */
function firstStartInside(pieces: { offset: number; length: number }[], own: number, starts: Set<number>): number | undefined {
  let logical = 0;
  for (const p of pieces) {
    const first = Math.ceil((p.offset + 1) / MDA_ALIGN) * MDA_ALIGN;
    for (let o = first; o < p.offset + p.length; o += MDA_ALIGN) {
      if (o !== own && starts.has(o)) return logical + (o - p.offset);
    }
    logical += p.length;
  }
  return undefined;
}

/** Logical length of the text up to where it runs into the current text's bytes, if it does. */
function overlapWithCurrent(pieces: { offset: number; length: number }[], A: number, current: RawLocn): number | undefined {
  const cur = textPieces(A, current.offset, current.size);
  let logical = 0;
  let best: number | undefined;
  for (const p of pieces) {
    for (const c of cur) {
      const lo = Math.max(p.offset, c.offset);
      const hi = Math.min(p.offset + p.length, c.offset + c.length);
      if (lo < hi) best = Math.min(best ?? Infinity, logical + (lo - p.offset));
    }
    logical += p.length;
  }
  return best;
}

function joinPieces(area: Uint8Array, pieces: { offset: number; length: number }[]): Uint8Array {
  if (pieces.length === 1) return area.subarray(pieces[0]!.offset, pieces[0]!.offset + pieces[0]!.length);
  const out = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of pieces) { out.set(area.subarray(p.offset, p.offset + p.length), at); at += p.length; }
  return out;
}

function currentLocation(slots: RawLocn[] | undefined): RawLocn | undefined {
  const s = slots?.[0];
  return s && s.offset !== 0 ? s : undefined;
}
