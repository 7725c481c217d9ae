/**
 * Typed VG / PV / LV / segment objects, built from a parsed metadata text (model/from-config.ts)
 * and turned back into one (model/to-config.ts). Anything not understood is kept in `extra`
 * (unknown keys and sections) and written back unchanged.
 * All sizes here are in the units LVM2's metadata uses: sectors (512 bytes) or extents.
 */
import type { ConfigItem } from '../metadata/config-tree.js';

export type AllocPolicy = 'contiguous' | 'cling' | 'cling_by_tags' | 'normal' | 'anywhere' | 'inherit';

export interface PhysicalVolume {
  /** Positional key in this text (pv0, pv1, ...): regenerated on every write. */
  key: string;
  /** UUID in 6-4-4-4-4-4-6 form. */
  id: string;
  /** `device` hint from the metadata (last known path), may be "[unknown]". */
  deviceHint?: string;
  deviceIdType?: string;
  deviceId?: string;
  status: string[];
  flags: string[];
  tags: string[];
  /** Sectors. */
  devSize?: number;
  /** Sectors. */
  peStart: number;
  peCount: number;
  baStart?: number;
  baSize?: number;
  extra: ConfigItem[];
}

/** Where a stripe/image of a segment lives: extents on a PV, or extents of another LV. */
export type SegmentArea =
  | { kind: 'pv'; pv: PhysicalVolume; pe: number }
  | { kind: 'lv'; lvName: string; le: number };

export interface Segment {
  startExtent: number;
  extentCount: number;
  /** Segment type as written, including +FLAGS (e.g. "striped", "raid5+RESHAPE"). */
  type: string;
  reshapeCount?: number;
  tags: string[];
  /** For striped: stripe_count == areas.length. */
  areas: SegmentArea[];
  /** Sectors; only meaningful for striped with > 1 stripe (and raid). */
  stripeSize?: number;
  /**
   * Type-specific items the segment type's codec does not map to the fields above, in order
   * (for an unknown segment type: every item after `type`). Written back unchanged.
   */
  body: ConfigItem[];
  /** Unknown items between the common head and `type`. */
  extra: ConfigItem[];
  /** Name of the section in the text (segment1, ...). */
  sectionName?: string;
}

export interface LogicalVolume {
  name: string;
  id: string;
  status: string[];
  flags: string[];
  tags: string[];
  creationTime?: number;
  creationHost?: string;
  lockArgs?: string;
  allocationPolicy?: AllocPolicy | string;
  profile?: string;
  /** Sectors; -1 = none; undefined = auto. */
  readAhead?: number;
  major?: number;
  minor?: number;
  segments: Segment[];
  extra: ConfigItem[];
}

export interface VolumeGroup {
  name: string;
  id: string;
  seqno: number;
  format: string;
  status: string[];
  flags: string[];
  tags: string[];
  systemId?: string;
  lockType?: string;
  lockArgs?: string;
  /** Sectors. */
  extentSize: number;
  maxLv: number;
  maxPv: number;
  allocationPolicy: AllocPolicy | string;
  profile?: string;
  metadataCopies?: number;
  pvs: PhysicalVolume[];
  lvs: LogicalVolume[];
  /** Kept verbatim: historical_logical_volumes. */
  historicalLvs?: ConfigItem;
  /** Unknown items inside the VG section. */
  extra: ConfigItem[];
  /** Items outside the VG section (contents, version, description, creation_host, creation_time, ...). */
  header: ConfigItem[];
}
