/**
 * The frame every writing verb runs in:
 *   lock the images -> scan them read-write -> build a fresh model of the VG -> let the verb change it
 *   -> validate -> plan the commit (fails before any write if it cannot be done) -> in test mode stop
 *   here and say what would be written -> otherwise write (text first, then headers) -> unlock.
 * Nothing is written when the verb, the validation or the planning throws.
 */
import { LvmkitError, isLvmkitError } from '../errors.js';
import type { DeviceWrite } from '../format/mda.js';
import type { BlockDevice } from '../devices/block-device.js';
import { openFileDevice } from '../devices/file-device.js';
import { vgFromConfig } from '../model/from-config.js';
import { validateVg } from '../model/validate.js';
import type { VolumeGroup } from '../model/types.js';
import { lookupSegtype } from '../segtypes/registry.js';
import { executeCommit, planCommit, type CommitPlan } from './commit.js';
import { lockImages } from './lock.js';
import type { CommandOutput } from './output.js';
import { scanDevices, uniqueVg, type ScannedPv, type ScannedVg, type ScanResult } from './scan.js';

/** LVM2's line for --test (on stderr, as a warning-like notice). */
export const TEST_MODE_NOTICE = 'TEST MODE: Metadata will NOT be updated and volumes will not be (de)activated.';

export interface WriteOptions {
  /** Image files (the --devices list). */
  devices: string[];
  /** --test: do everything but write. */
  test?: boolean;
  /** Names shown for the images instead of their paths. */
  deviceNames?: string[];
  /**
   * Wrap each opened image before it is read or written (fault injection in tests: see
   * devices/faulty-device.ts). The wrapper's close() must close the image.
   */
  wrapDevice?: (dev: BlockDevice) => BlockDevice;
}

/** A raw write a verb needs besides the metadata commit (a PV header, zeroing the start of an LV, ...). */
export interface ExtraWrite extends DeviceWrite {
  device: BlockDevice;
  /** What it is, for --test output. */
  what: string;
}

/**
 * Lock `devices`, scan them opened read-write (read-only in test mode), run `fn`, then close and unlock
 * whatever happens. For verbs that do not change an existing VG's metadata (pvcreate, vgcreate, ...).
 */
export async function withWritableScan<T>(o: WriteOptions, fn: (scan: ScanResult) => Promise<T>,
  scanOptions: { allowNoPvs?: boolean } = {}): Promise<T> {
  if (!o.devices.length) throw new LvmkitError('EARGS', 'no devices given: name the image files with --devices IMG[,IMG...]');
  const locks = lockImages(o.devices);
  try {
    const scan = await scanOrEmpty(o, scanOptions);
    try {
      return await fn(scan);
    } finally {
      await scan.close();
    }
  } finally {
    locks.release();
  }
}

/**
 * scanDevices, or (with allowNoPvs) an empty scan of the opened images when none of them holds a PV yet
 * (pvcreate, vgcreate on blank images).
 */
async function scanOrEmpty(o: WriteOptions, scanOptions: { allowNoPvs?: boolean }): Promise<ScanResult> {
  try {
    return await scanDevices(o.devices, { write: !o.test, deviceNames: o.deviceNames, allowUnreadable: scanOptions.allowNoPvs, wrapDevice: o.wrapDevice });
  } catch (e) {
    if (!scanOptions.allowNoPvs || !isLvmkitError(e) || !['ENOT_PV', 'ELABEL', 'ELABEL_CRC'].includes(e.code)) throw e;
  }
  const devices: BlockDevice[] = [];
  const close = async () => { await Promise.all(devices.map((d) => d.close())); };
  try {
    for (const [i, path] of o.devices.entries()) {
      const dev = await openFileDevice(path, { write: !o.test, name: o.deviceNames?.[i] });
      devices.push(o.wrapDevice ? o.wrapDevice(dev) : dev);
    }
  } catch (e) {
    await close();
    throw e;
  }
  return { devices, pvs: [], vgs: [], orphans: [], warnings: [], errors: [], damage: [], close };
}

export interface ChangeContext {
  scan: ScanResult;
  /** The VG as read (do not change it). */
  before: ScannedVg;
  /** A fresh model of the VG to change; its seqno is raised after the verb returns. */
  vg: VolumeGroup;
  /** PVs whose metadata areas receive the new text: the VG's PVs as found; a verb may add or drop some. */
  commitPvs: ScannedPv[];
  /** Lines for stdout, in LVM2's words (e.g. `Logical volume "x" created.`). */
  messages: string[];
  warnings: string[];
  /** Writes done before the metadata commit (e.g. zeroing a new LV's first 4 KiB). */
  writesBefore: ExtraWrite[];
  /** Writes done after the metadata commit (e.g. PV headers of PVs that left the VG). */
  writesAfter: ExtraWrite[];
  test: boolean;
}

export interface ChangeVgOptions extends WriteOptions {
  vgName: string;
  /** The description line of the new metadata (LVM2 writes the command line there). */
  description: string;
  /** Allow changing a VG with missing PVs (default: refuse, as LVM2 does without --force/--partial). */
  allowMissing?: boolean;
}

export interface ChangeResult extends CommandOutput {
  /** The new model as committed (or as it would be, in test mode). */
  vg: VolumeGroup;
  plan: CommitPlan;
}

/** Change one existing VG with `fn` and commit the result, all or nothing. */
export async function changeVg(o: ChangeVgOptions, fn: (ctx: ChangeContext) => void | Promise<void>): Promise<ChangeResult> {
  return withWritableScan(o, async (scan) => {
    const before = findVg(scan, o.vgName);
    refuseDuplicatePvs(scan, before);
    if (before.missingPvIds.length && !o.allowMissing) {
      throw new LvmkitError('EMISSING_PV',
        `Cannot change VG ${before.vg.name} while PVs are missing (${before.missingPvIds.join(', ')}): pass every image of the VG with --devices`);
    }
    const vg = vgFromConfig(before.copy.doc, { codecs: lookupSegtype });
    const ctx: ChangeContext = {
      scan, before, vg, commitPvs: [...before.pvs.values()], messages: [], warnings: [...scan.warnings],
      writesBefore: [], writesAfter: [], test: !!o.test,
    };
    await fn(ctx);
    vg.seqno = before.vg.seqno + 1;
    return commitChange({ test: o.test, description: o.description }, ctx);
  });
}

/** What commitChange writes: a VG model (seqno already set) to the mdas of `commitPvs`, with extra writes around it. */
export type PendingCommit = Pick<ChangeContext, 'vg' | 'commitPvs' | 'messages' | 'warnings' | 'writesBefore' | 'writesAfter'>;

/**
 * The second half of changeVg, for verbs that build the VG themselves (vgcreate, vgcfgrestore): validate,
 * plan (fails before any write), then in test mode describe, else write `writesBefore`, commit the text
 * (text first, then headers) and write `writesAfter`, syncing after each step.
 */
export async function commitChange(o: { test?: boolean; description: string }, c: PendingCommit): Promise<ChangeResult> {
  const vg = c.vg;
  const problems = validateVg(vg);
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length) {
    throw new LvmkitError('EVALIDATE', `refusing to write VG ${vg.name}: ${errors[0].message}${errors.length > 1 ? ` (and ${errors.length - 1} more problems)` : ''}; nothing was changed`);
  }
  const plan = planCommit(vg, c.commitPvs, { description: o.description });
  const warnings = c.warnings;
  if (o.test) {
    warnings.unshift(TEST_MODE_NOTICE);
    warnings.push(...describePlan(plan, c));
  } else {
    await writeAll(c.writesBefore);
    await executeCommit(plan);
    await writeAll(c.writesAfter);
  }
  return { stdout: c.messages.map((m) => `  ${m}\n`).join(''), warnings, vg, plan };
}

/** Write each of `writes` in order, then sync every device written. */
export async function writeAll(writes: ExtraWrite[]): Promise<void> {
  for (const w of writes) await w.device.write(w.offset, w.data);
  for (const d of new Set(writes.map((w) => w.device))) await d.sync();
}

/** --test lines for raw writes (verbs without a metadata commit: pvcreate, pvremove, vgremove). */
export function describeWrites(writes: ExtraWrite[]): string[] {
  return writes.map((w) => `Test mode: would write ${w.data.length} bytes at offset ${w.offset} of ${w.device.name} (${w.what})`);
}

/**
 * LVM2 changes no VG metadata while two devices hold one of its PVs (a copied image): neither does lvmkit.
 * (LVM2's vgremove still goes ahead, on the device it prefers; so does lvmkit's.)
 */
export function refuseDuplicatePvs(scan: ScanResult, sv: ScannedVg): void {
  const dup = scan.duplicates?.find((d) => sv.vg.pvs.some((p) => p.id === d.label.pvUuid));
  if (dup) {
    // One line: LVM2's words, then which images hold the same PV (LVM2 says it in warnings before it).
    const used = scan.pvs.find((p) => p.label.pvUuid === dup.label.pvUuid);
    throw new LvmkitError('EDUPLICATE_PV', `Cannot update volume group ${sv.vg.name} with duplicate PV devices `
      + `(${dup.device.name} holds PV ${dup.label.pvUuid}, as ${used?.device.name ?? 'another image'} does).`);
  }
}

/** The VG named `name` in a scan, or LVM2's error when it is not there. */
export function findVg(scan: ScanResult, name: string): ScannedVg {
  const found = uniqueVg(scan, name);
  if (found) return found;
  const cause = scan.errors[0];
  throw new LvmkitError('EVG_NOT_FOUND', `Volume group "${name}" not found${cause ? ` (${cause.message})` : ''}`);
}

/** --test: what would have been written. */
export function describePlan(plan: CommitPlan, ctx?: Pick<ChangeContext, 'writesBefore' | 'writesAfter'>): string[] {
  const lines: string[] = [];
  lines.push(...describeWrites(ctx?.writesBefore ?? []));
  const where = plan.areas.map((a) => `${a.pv.device.name}@${a.headerOffset}`).join(', ');
  lines.push(`Test mode: would write VG ${plan.vg.name} metadata seqno ${plan.vg.seqno} (${plan.textSize} bytes) to ${plan.areas.length} metadata area(s): ${where}`);
  lines.push(...describeWrites(ctx?.writesAfter ?? []));
  return lines;
}
