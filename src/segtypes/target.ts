/**
 * Device-mapper targets as lvmkit runs them in userspace: the shape every segment type compiles to
 * (start and length in 512-byte sectors, a target kind, areas = device + offset in sectors) and the
 * interface a target kind implements: its `dmsetup table` parameters and its reads and writes.
 * The kinds themselves live beside their segment types (striped.ts: linear and striped; fill.ts:
 * error and zero); src/dm/ builds tables from LVs and runs them.
 */
import type { BlockDevice } from '../devices/block-device.js';
import type { PhysicalVolume, Segment } from '../model/types.js';

export const SECTOR = 512;

/** What an area of a target points at. */
export type AreaDevice =
  /** A PV of the VG, found on `io` (an image file or a partition of one). */
  | { kind: 'pv'; pv: PhysicalVolume; io: BlockDevice }
  /** Another device-mapper device of lvmkit's (a sub-LV, or the filler for a missing PV). */
  | { kind: 'dm'; dmName: string; io: BlockDevice };

export interface TargetArea {
  device: AreaDevice;
  /** Sectors from the start of the device. */
  offset: number;
}

export interface Target {
  /** Sectors from the start of the mapped device. */
  start: number;
  /** Sectors. */
  length: number;
  kind: TargetKind;
  areas: TargetArea[];
  /** striped: chunk size in sectors. */
  chunk?: number;
}

/** Reusable buffers for one request at a time (bounded by the mapper's largest I/O). */
export interface Scratch {
  /** A buffer of at least `size` bytes, valid until the request ends. */
  get(size: number): Uint8Array;
}

export interface IoContext {
  /** Name of the mapped device, for messages. */
  name: string;
  scratch: Scratch;
}

export interface TargetKind {
  /** The device-mapper target name (linear, striped, error, zero). */
  readonly name: string;
  /** The parameters after the target name in a table line; `area` writes an area as "<device> <offset>". */
  params(t: Target, area: (a: TargetArea) => string): string;
  /** Fill `buf` with the target's bytes from byte `offset` of the target on. */
  read(t: Target, offset: number, buf: Uint8Array, ctx: IoContext): Promise<void>;
  /** Write `data` at byte `offset` of the target. */
  write(t: Target, offset: number, data: Uint8Array, ctx: IoContext): Promise<void>;
  /**
   * Optional zero-copy read: put `space.length` bytes of the target from byte `offset` into `space` in
   * whatever layout is cheapest (one large read per device), and push views of it in the target's byte
   * order onto `out` (for a gathering write, e.g. pwritev). Without it, `read` into `space` is used.
   */
  readv?(t: Target, offset: number, space: Uint8Array, out: Uint8Array[]): Promise<void>;
}

/** What a segment type's compiler gets: the VG's extent size and each area resolved to a device. */
export interface SegmentDmContext {
  /** Sectors per extent. */
  extentSize: number;
  /**
   * Area `index` of the segment as a device and offset (missing PVs already replaced by a filler). Valid
   * only during the target() call it is given to (the compiler reuses one context for every segment).
   */
  area(index: number): TargetArea;
}

/** The device-mapper part of a segment type: the target a segment becomes. */
export interface SegmentDm {
  readonly name: string;
  target(seg: Segment, ctx: SegmentDmContext): Target;
}
