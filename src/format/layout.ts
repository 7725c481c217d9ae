/**
 * Every on-disk constant of the LVM2 text format, named once (reference §0-§5).
 * Offsets and sizes are bytes unless the name says otherwise.
 */
import { defineStruct } from './struct.js';

export const SECTOR_SIZE = 512;

// ---- label (§1)
/** `label_header.id`. */
export const LABEL_ID = 'LABELONE';
/** `label_header.type` of the lvm2 text format. */
export const LABEL_TYPE = 'LVM2 001';
/** The label is searched in sectors 0..LABEL_SCAN_SECTORS-1. */
export const LABEL_SCAN_SECTORS = 4;
export const LABEL_SCAN_SIZE = LABEL_SCAN_SECTORS * SECTOR_SIZE;
/** Sector pvcreate writes the label to by default. */
export const DEFAULT_LABEL_SECTOR = 1;
export const LABEL_HEADER_SIZE = 32;
/** `label_header.offset_xl`: where the pv_header starts in the label sector. */
export const PV_HEADER_OFFSET = 32;
/** The label CRC covers bytes [LABEL_CRC_START, 512) of the label sector. */
export const LABEL_CRC_START = 20;

// ---- pv_header (§2)
/** Length of a UUID on disk (no hyphens). */
export const ID_LEN = 32;
/** Printed UUID group lengths: 6-4-4-4-4-4-6. */
export const UUID_GROUPS = [6, 4, 4, 4, 4, 4, 6] as const;
/** Size of a `disk_locn {u64 offset; u64 size}` entry. */
export const DISK_LOCN_SIZE = 16;
/** pv_header_extension.version LVM 2.03 writes. */
export const PV_EXT_VERSION = 2;
/** pv_header_extension.flags bit: the PV belongs to a VG. */
export const PV_EXT_USED = 0x1;

// ---- metadata area (§3)
export const MDA_HEADER_SIZE = 512;
/** `mda_header.magic`: " LVM2 x[5A%r0N*>" (16 bytes, no NUL). */
export const MDA_MAGIC = ' LVM2 x[5A%r0N*>';
export const MDA_VERSION = 1;
/** The mda header CRC covers bytes [MDA_HEADER_CRC_START, 512) of the header. */
export const MDA_HEADER_CRC_START = 4;
/** raw_locn slots start here in the mda header. */
export const RAW_LOCN_OFFSET = 40;
export const RAW_LOCN_SIZE = 24;
/** Slot 0 = committed, slot 1 = precommitted. */
export const RAW_LOCN_SLOTS = 2;
export const SLOT_COMMITTED = 0;
export const SLOT_PRECOMMITTED = 1;
/** raw_locn.flags bit: this mda is ignored (not used to store metadata). */
export const RAW_LOCN_IGNORED = 0x1;
/** Texts in the circular buffer start on this alignment. */
export const MDA_ALIGN = 512;
/** Offset of mda0 with 4 KiB pages. */
export const DEFAULT_MDA0_START = 4096;
/** Smallest metadata area LVM accepts (8 pages). */
export const MIN_MDA_SIZE = 32768;

// ---- CRC (§4)
/** Seed of LVM's CRC-32 (no pre-inversion, no final XOR). */
export const INITIAL_CRC = 0xf597a6cf;

// ---- struct tables (§1.2, §2.1, §3.1): decoded and encoded by struct.ts

/** `label_header`, at the start of the label sector. */
export const LABEL_HEADER = defineStruct({
  name: 'label_header', size: LABEL_HEADER_SIZE, fields: [
    { name: 'id', offset: 0, type: 'ascii', length: 8 },
    { name: 'sectorXl', offset: 8, type: 'u64le' },
    { name: 'crcXl', offset: 16, type: 'u32le' },
    { name: 'offsetXl', offset: 20, type: 'u32le' },
    { name: 'type', offset: 24, type: 'ascii', length: 8 },
  ],
} as const);

/** Fixed head of `pv_header`; the disk_locn lists follow. */
export const PV_HEADER = defineStruct({
  name: 'pv_header', size: ID_LEN + 8, fields: [
    { name: 'pvUuid', offset: 0, type: 'ascii', length: ID_LEN },
    { name: 'deviceSize', offset: ID_LEN, type: 'u64le' },
  ],
} as const);

export const DISK_LOCN = defineStruct({
  name: 'disk_locn', size: DISK_LOCN_SIZE, fields: [
    { name: 'offset', offset: 0, type: 'u64le' },
    { name: 'size', offset: 8, type: 'u64le' },
  ],
} as const);

/** Head of `pv_header_extension`; the bootloader-area list follows. */
export const PV_HEADER_EXTENSION = defineStruct({
  name: 'pv_header_extension', size: 8, fields: [
    { name: 'version', offset: 0, type: 'u32le' },
    { name: 'flags', offset: 4, type: 'u32le' },
  ],
} as const);

/** Fixed head of `mda_header`; RAW_LOCN_SLOTS raw_locn entries follow at RAW_LOCN_OFFSET. */
export const MDA_HEADER = defineStruct({
  name: 'mda_header', size: RAW_LOCN_OFFSET, fields: [
    { name: 'checksum', offset: 0, type: 'u32le' },
    { name: 'magic', offset: 4, type: 'ascii', length: 16 },
    { name: 'version', offset: 20, type: 'u32le' },
    { name: 'start', offset: 24, type: 'u64le' },
    { name: 'size', offset: 32, type: 'u64le' },
  ],
} as const);

export const RAW_LOCN = defineStruct({
  name: 'raw_locn', size: RAW_LOCN_SIZE, fields: [
    { name: 'offset', offset: 0, type: 'u64le' },
    { name: 'size', offset: 8, type: 'u64le' },
    { name: 'checksum', offset: 16, type: 'u32le' },
    { name: 'flags', offset: 20, type: 'u32le' },
  ],
} as const);
