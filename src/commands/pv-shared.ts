/**
 * Pieces the PV and VG verbs share: the PV a scan found on an image and the VG it belongs to, the model
 * entry of a PV joining a VG, and the header writes that mark a PV used or make it an orphan again.
 */
import { LvmkitError } from '../errors.js';
import type { BlockDevice } from '../devices/block-device.js';
import { encodeLabelSector } from '../format/label.js';
import { PV_EXT_VERSION, SECTOR_SIZE } from '../format/layout.js';
import { encodeMdaHeader } from '../format/mda.js';
import type { PhysicalVolume } from '../model/types.js';
import type { ExtraWrite } from './change.js';
import type { ScannedPv, ScannedVg, ScanResult } from './scan.js';

/** The scanned PV found on `dev` (whole image), if any. */
export function pvOnDevice(scan: ScanResult, dev: BlockDevice): ScannedPv | undefined {
  return scan.pvs.find((p) => p.device === dev);
}

/** The VG a scanned PV belongs to, if it was read. */
export function vgOfPv(scan: ScanResult, pv: ScannedPv): ScannedVg | undefined {
  return scan.vgs.find((v) => [...v.pvs.values()].includes(pv));
}

/** The opened device of `path` in a scan made of `devices` (same order). */
export function deviceOf(scan: ScanResult, devices: string[], path: string): BlockDevice {
  const i = devices.indexOf(path);
  const dev = i >= 0 ? scan.devices[i] : undefined;
  if (!dev) throw new LvmkitError('EARGS', `${path}: not among the images given`);
  return dev;
}

/** A PV marked as used by a VG whose metadata is on none of the images given: never taken as an orphan. */
export function usedElsewhere(name: string): LvmkitError {
  return new LvmkitError('EIN_USE',
    `Physical volume '${name}' is marked as used by a volume group whose metadata is not on the images given: pass all its images with --devices (or re-initialize it with pvcreate -ff)`,
    { file: name });
}

/** Rewrite a scanned PV's label sector with new extension flags (and optionally a new device size). */
export function relabelWrite(pv: ScannedPv, extFlags: number, what: string, deviceSize = pv.label.deviceSize): ExtraWrite {
  const l = pv.label;
  const data = encodeLabelSector({
    labelSector: l.labelSector, pvUuid: l.pvUuidRaw, deviceSize, dataAreas: l.dataAreas,
    metadataAreas: l.metadataAreas, extVersion: Math.max(l.extVersion, PV_EXT_VERSION), extFlags, bootloaderAreas: l.bootloaderAreas,
  });
  return { device: pv.device, offset: l.labelOffset, data, what };
}

/** Empty every metadata area header of a PV (no text in force), as LVM2 leaves the PVs of a removed VG. */
export function orphanMdaWrites(pv: ScannedPv): ExtraWrite[] {
  return pv.mdas.filter((m) => m.header).map((m) => ({
    device: pv.device, offset: m.areaOffset,
    data: encodeMdaHeader({ start: m.areaOffset, size: m.areaSize, slots: [{ offset: 0, size: 0, checksum: 0, flags: m.slots[0]?.flags ?? 0 }] }),
    what: 'metadata area header, emptied',
  }));
}

/** The model entry of a PV joining a VG with `extentSize` (sectors). */
export function newVgPv(pv: ScannedPv, extentSize: number): PhysicalVolume {
  const l = pv.label;
  const devSize = Math.floor(l.deviceSize / SECTOR_SIZE);
  const peStart = Math.floor((l.dataAreas[0]?.offset ?? 0) / SECTOR_SIZE);
  const peStartBytes = peStart * SECTOR_SIZE;
  const endMda = l.metadataAreas.find((m) => m.offset >= peStartBytes && peStartBytes > 0);
  const room = devSize - peStart - (endMda ? Math.ceil(endMda.size / SECTOR_SIZE) : 0);
  return {
    key: '', id: l.pvUuid, deviceHint: pv.device.name, status: ['ALLOCATABLE'], flags: [], tags: [],
    devSize, peStart, peCount: room > 0 ? Math.floor(room / extentSize) : 0, extra: [],
  };
}
