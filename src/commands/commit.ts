/**
 * Committing a new VG metadata version (§3.2, §3.3): the same text goes into every in-use metadata area
 * of every PV of the VG, each written after that area's current copy (wrapping round the circular
 * buffer as LVM2 does); only when every text is on disk are the area headers switched to it.
 * A crash before the header writes leaves the old version in force; after them, the new one.
 */
import { hostname, release, type, version, arch } from 'node:os';
import { LvmkitError } from '../errors.js';
import { encodeMdaHeader, encodeMetadataText, metadataTextWrites, nextRawLocation, type DeviceWrite } from '../format/mda.js';
import { lvmCrc } from '../format/crc.js';
import { printConfig } from '../metadata/printer.js';
import { makeHeader } from '../model/header.js';
import { vgToConfig } from '../model/to-config.js';
import type { VolumeGroup } from '../model/types.js';
import { lookupSegtype } from '../segtypes/registry.js';
import type { ScannedPv } from './scan.js';

export const GENERATOR = 'lvmkit 0.1.0';

export interface CommitOptions {
  description: string;
  /** Unix seconds; default now. */
  time?: number;
}

/** The on-disk text of `vg` with a fresh header block. */
export function renderRawText(vg: VolumeGroup, o: CommitOptions): string {
  const header = makeHeader({
    generator: GENERATOR,
    description: o.description,
    hostname: hostname(),
    uname: `${type()} ${hostname()} ${release()} ${version()} ${arch()}`,
    time: o.time ?? Math.floor(Date.now() / 1000),
  });
  return printConfig(vgToConfig(vg, { flavour: 'raw', codecs: lookupSegtype, header }), { flavour: 'raw' });
}

export interface PlannedArea { pv: ScannedPv; headerOffset: number; header: Uint8Array; writes: DeviceWrite[] }

/** What a commit will write: every text piece, then every header. Computing it writes nothing. */
export interface CommitPlan {
  vg: VolumeGroup;
  /** Bytes of the stored text (with its trailing NUL). */
  textSize: number;
  areas: PlannedArea[];
}

/**
 * Plan writing `vg` (whose seqno the caller has already raised) to every in-use metadata area of `pvs`.
 * Fails, before anything is written, when an area is unreadable or too small for the new text.
 */
export function planCommit(vg: VolumeGroup, pvs: ScannedPv[], o: CommitOptions): CommitPlan {
  const stored = encodeMetadataText(renderRawText(vg, o));
  const checksum = lvmCrc(stored);
  const areas: PlannedArea[] = [];
  for (const pv of pvs) {
    for (const mda of pv.mdas) {
      if (mda.ignored) continue;
      if (!mda.header || mda.error?.code === 'EMDA_HEADER' || mda.error?.code === 'EMDA_CRC') {
        throw new LvmkitError('EMDA_HEADER', `${pv.device.name}: metadata area at offset ${mda.areaOffset} is unreadable; refusing to write (nothing was changed)`, { file: pv.device.name, offset: mda.areaOffset });
      }
      const loc = nextRawLocation(mda.areaSize, mda.slots[0], stored.length, `${pv.device.name}: metadata area at offset ${mda.areaOffset}`);
      const header = encodeMdaHeader({
        start: mda.areaOffset, size: mda.areaSize,
        slots: [{ offset: loc.offset, size: stored.length, checksum, flags: 0 }],
      });
      areas.push({ pv, headerOffset: mda.areaOffset, header, writes: metadataTextWrites(mda.areaOffset, loc, stored) });
    }
  }
  if (!areas.length) throw new LvmkitError('EMETADATA', `VG ${vg.name}: no metadata area in use on its PVs; refusing to write`);
  return { vg, textSize: stored.length, areas };
}

/** Carry out a plan: 1. every new text, after the current copies; 2. sync; 3. every header; 4. sync. */
export async function executeCommit(plan: CommitPlan): Promise<void> {
  for (const a of plan.areas) for (const w of a.writes) await a.pv.device.write(w.offset, w.data);
  await syncAll(plan.areas);
  for (const a of plan.areas) await a.pv.device.write(a.headerOffset, a.header);
  await syncAll(plan.areas);
}

/** Write `vg` (whose seqno the caller has already raised) to every in-use metadata area of `pvs`. */
export async function commitVg(vg: VolumeGroup, pvs: ScannedPv[], o: CommitOptions): Promise<void> {
  await executeCommit(planCommit(vg, pvs, o));
}

async function syncAll(areas: PlannedArea[]): Promise<void> {
  const devs = new Set(areas.map((a) => a.pv.device));
  for (const d of devs) await d.sync();
}
