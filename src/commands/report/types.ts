/**
 * Input and options of the report commands (pvs / vgs / lvs, with --segments).
 * The scanner (commands layer) builds a ReportInput from what it found on the devices;
 * runReport (index.ts) turns it into LVM2-identical text or JSON.
 */
import type { VolumeGroup } from '../../model/types.js';

export interface ReportPvDevice {
  name: string;
  /** Device size in bytes. */
  size: number;
  /** pv_header_extension version from the label (LVM2 2.03 writes 2); shown by pv_ext_vsn. Default 2. */
  extVersion?: number;
}

/** Metadata areas on one PV: how many, how many in use, smallest area size and its free space (bytes). */
export interface ReportMdaInfo {
  count: number; used: number; size: number; free: number;
  /**
   * Smallest size and free space over the areas in use (not ignored), or null when none is: what LVM2's
   * vg_mda_size/vg_mda_free take their minimum over. When absent, size/free of PVs with used > 0 are taken.
   */
  inUseSize?: number | null; inUseFree?: number | null;
}

export interface ReportVg {
  vg: VolumeGroup;
  /** PV uuid (6-4-4-4-4-4-6) -> device it was found on; absent = missing PV. */
  devices: Map<string, ReportPvDevice>;
  /** PV uuid -> metadata areas on that device (count, used count, sizes/free in bytes) when known. */
  mdas?: Map<string, ReportMdaInfo>;
}

export interface ReportOrphanPv {
  name: string;
  /** Device size in bytes. */
  size: number;
  uuid: string;
  /** Bytes. */
  peStart: number;
  /** PV_EXT_USED flag of the label: the PV belongs to a VG whose metadata was not found. */
  extUsed: boolean;
  mdaCount: number;
  /** Optional details of the metadata areas (pv_mda_used_count, pv_mda_size, pv_mda_free). */
  mda?: ReportMdaInfo;
  extVersion?: number;
  /** The bootloader area of the label's PV header extension (bytes), when there is one. */
  baStart?: number;
  baSize?: number;
}

export interface ReportInput { vgs: ReportVg[]; orphans: ReportOrphanPv[] }

export type ReportKind = 'pvs' | 'vgs' | 'lvs';
export type ReportFormat = 'basic' | 'json' | 'json_std';

export interface ReportOptions {
  kind: ReportKind;
  /** lvs --segments / pvs --segments */
  segments?: boolean;
  /**
   * -o value as given: "a,b" replaces the defaults, "+a,b" adds to them, "-a" removes from them.
   * An array stands for a repeated -o, applied in order (each one starting from the previous result).
   */
  fields?: string | string[];
  /** -O value: comma list, each optionally prefixed with + (ascending) or - (descending). */
  sort?: string;
  /** -a: include hidden LVs, shown with [brackets]. */
  all?: boolean;
  reportFormat?: ReportFormat;
  /** h H r R b B s S k K m M g G t T p P e E; default 'r'. */
  units?: string;
  nosuffix?: boolean;
  noheadings?: boolean;
  separator?: string;
  aligned?: boolean;
  /** --binary: binary fields as 1/0 instead of a word or blank. */
  binary?: boolean;
  /** --nameprefixes: basic rows as LVM2_FIELD='value' pairs (--unquoted: without the quotes), unpadded. */
  nameprefixes?: boolean;
  unquoted?: boolean;
  /** --rows: one line per field instead of one per object. */
  rows?: boolean;
  /** Positional VG / VG/LV / PV names to restrict to. */
  nameFilter?: string[];
}

export interface ReportResult { stdout: string; stderr: string[] }
