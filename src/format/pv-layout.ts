/**
 * Where pvcreate puts things on a new PV (reference §5.2-§5.4, LVM2 2.03 defaults, checked against real
 * pvcreate): label in sector 1, mda0 at 4096, mda0 grown so that pe_start is aligned (default 1 MiB), an
 * optional mda1 at the end of the device, and the bytes a new PV's headers consist of. Pure: no I/O.
 */
import { LvmkitError } from '../errors.js';
import type { DiskLocn } from './label.js';
import { encodeLabelSector } from './label.js';
import { encodeMdaHeader } from './mda.js';
import { DEFAULT_LABEL_SECTOR, DEFAULT_MDA0_START, LABEL_SCAN_SIZE, MIN_MDA_SIZE, SECTOR_SIZE } from './layout.js';

/** LVM2's default metadata area request: 2040 sectors, so that pe_start lands on 1 MiB. */
export const DEFAULT_METADATA_SIZE = 1044480;
/** Default data alignment (devices/data_alignment with 1 MiB default). */
export const DEFAULT_DATA_ALIGNMENT = 1024 * 1024;
/** devices/pv_min_size default: 2048 KiB. */
export const PV_MIN_SIZE = 2048 * 1024;
/** What pvcreate writes at the start of every metadata area: the 512-byte header, then zeros up to 4 KiB. */
export const MDA_INIT_SIZE = 4096;

export interface PvLayoutRequest {
  /** Bytes of the device (or --setphysicalvolumesize). */
  deviceSize: number;
  /** --metadatasize in bytes (default 1044480). */
  metadataSize?: number;
  /** --pvmetadatacopies: 0, 1 or 2 (default 1). */
  metadataCopies?: 0 | 1 | 2;
  /** --dataalignment in bytes (default 1 MiB); a multiple of 512. */
  dataAlignment?: number;
  /** --dataalignmentoffset in bytes (default 0). */
  dataAlignmentOffset?: number;
  /** Name for messages. */
  name?: string;
}

export interface PvLayout {
  deviceSize: number;
  /** Byte offset of the first extent (the data area's start). */
  peStart: number;
  /** mda0 (and mda1), as the label lists them. */
  metadataAreas: DiskLocn[];
}

const roundUp = (n: number, a: number) => Math.ceil(n / a) * a;

/** The layout real pvcreate chooses; throws LVM2's errors for a device too small or an area below 32 KiB. */
export function planPvLayout(r: PvLayoutRequest): PvLayout {
  const name = r.name ?? 'device';
  const size = r.deviceSize;
  const align = r.dataAlignment ?? DEFAULT_DATA_ALIGNMENT;
  const off = r.dataAlignmentOffset ?? 0;
  const req = r.metadataSize ?? DEFAULT_METADATA_SIZE;
  const copies = r.metadataCopies ?? 1;
  if (!Number.isSafeInteger(align) || align <= 0 || align % SECTOR_SIZE !== 0) {
    throw new LvmkitError('EARGS', `Invalid --dataalignment ${align} bytes: it must be a positive multiple of 512 bytes`);
  }
  if (!Number.isSafeInteger(off) || off < 0 || off % SECTOR_SIZE !== 0) {
    throw new LvmkitError('EARGS', `Invalid --dataalignmentoffset ${off} bytes: it must be a multiple of 512 bytes`);
  }
  if (size < PV_MIN_SIZE) {
    throw new LvmkitError('EARGS', `Cannot use ${name}: device is too small (pv_min_size): ${size} bytes, at least ${PV_MIN_SIZE} needed`, { file: name });
  }
  if (copies === 0) {
    // No metadata area: the data starts at the first alignment boundary after the label sectors.
    const peStart = roundUp(LABEL_SCAN_SIZE, align) + off;
    return { deviceSize: size, peStart, metadataAreas: [] };
  }
  const start = DEFAULT_MDA0_START;
  const limit = size;
  let mdaSize = req;
  // 1. grow mda0 so that its end is aligned, if it still fits; 2. then by the alignment offset.
  let end = start + mdaSize;
  if (end % align !== 0 && roundUp(end, align) <= limit) mdaSize = roundUp(end, align) - start;
  end = start + mdaSize;
  if (off !== 0 && end % align === 0 && end + off <= limit) mdaSize += off;
  // 3. a request that does not fit.
  if (start + mdaSize > limit) {
    if (limit - start > 2 * align) mdaSize = roundUp(limit - 2 * align, align) - start;
    else mdaSize = limit - start;
  }
  if (mdaSize < MIN_MDA_SIZE) {
    throw new LvmkitError('EARGS',
      `Metadata area size too small: ${mdaSize} bytes. It must be at least ${MIN_MDA_SIZE} bytes (${name}: raise --metadatasize or --dataalignment)`, { file: name });
  }
  const peStart = start + mdaSize;
  const metadataAreas: DiskLocn[] = [{ offset: start, size: mdaSize }];
  if (copies === 2) {
    let m1Start = size - req;
    let m1Size = req;
    if (m1Start < peStart) {
      m1Start = peStart;
      m1Size = size - peStart;
    } else if (m1Start % align !== 0) {
      const aligned = Math.floor(m1Start / align) * align;
      if (aligned >= peStart) { m1Size += m1Start - aligned; m1Start = aligned; }
    }
    if (m1Size < MIN_MDA_SIZE) {
      throw new LvmkitError('EARGS',
        `Metadata area size too small: ${m1Size} bytes. It must be at least ${MIN_MDA_SIZE} bytes (${name}: no room for a second metadata area at the end)`, { file: name });
    }
    metadataAreas.push({ offset: m1Start, size: m1Size });
  }
  return { deviceSize: size, peStart, metadataAreas };
}

/** Extents that fit between pe_start and the device end (or mda1), in sectors as LVM2 counts them (§5.4). */
export function pvExtentCount(devSizeSectors: number, peStartSectors: number, extentSizeSectors: number, mda1Bytes = 0): number {
  const room = devSizeSectors - peStartSectors - mda1Bytes / SECTOR_SIZE;
  return room <= 0 ? 0 : Math.floor(room / extentSizeSectors);
}

/** The second metadata area at the end of a PV, when it has one (any mda after pe_start). */
export function endMetadataArea(layout: { peStart: number; metadataAreas: DiskLocn[] }): DiskLocn | undefined {
  return layout.metadataAreas.find((m) => m.offset >= layout.peStart);
}

export interface LabelWriteInput {
  pvUuid: string;
  layout: PvLayout;
  /** pv_header_extension flags (PV_EXT_USED when in a VG). */
  extFlags?: number;
}

/** The 512-byte label sector of a PV with this layout (data area {pe_start, 0}, extension v2). */
export function pvLabelSector(i: LabelWriteInput): Uint8Array {
  return encodeLabelSector({
    labelSector: DEFAULT_LABEL_SECTOR,
    pvUuid: i.pvUuid,
    deviceSize: i.layout.deviceSize,
    dataAreas: [{ offset: i.layout.peStart, size: 0 }],
    metadataAreas: i.layout.metadataAreas,
    extFlags: i.extFlags ?? 0,
  });
}

/** The first 2048 bytes as pvcreate --zero y writes them: sectors 0, 2, 3 zero and the label in sector 1. */
export function pvLabelArea(i: LabelWriteInput): Uint8Array {
  const out = new Uint8Array(LABEL_SCAN_SIZE);
  out.set(pvLabelSector(i), DEFAULT_LABEL_SECTOR * SECTOR_SIZE);
  return out;
}

/** The 4 KiB written at the start of a fresh metadata area: an mda_header with no text, then zeros. */
export function emptyMdaInit(area: DiskLocn): Uint8Array {
  const out = new Uint8Array(Math.min(MDA_INIT_SIZE, area.size));
  out.set(encodeMdaHeader({ start: area.offset, size: area.size }));
  return out;
}
