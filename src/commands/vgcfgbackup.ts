/**
 * vgcfgbackup -f FILE VG: the VG's current metadata in LVM2's backup-file layout (file flavour, header block
 * first, as `vgcfgbackup` writes it). Node-only: it writes the file with node:fs.
 */
import { writeFile } from 'node:fs/promises';
import { hostname, release, type, version, arch } from 'node:os';
import { LvmkitError } from '../errors.js';
import { printConfig } from '../metadata/printer.js';
import { makeHeader } from '../model/header.js';
import { vgToConfig } from '../model/to-config.js';
import type { VolumeGroup } from '../model/types.js';
import { lookupSegtype } from '../segtypes/registry.js';
import { findVg } from './change.js';
import { GENERATOR } from './commit.js';
import type { CommandOutput } from './output.js';
import { scanDevices } from './scan.js';

export interface VgCfgBackupOptions {
  devices: string[];
  vgName: string;
  /** -f: the file to write. */
  file: string;
  /** The description line (LVM2 writes the command line). */
  description: string;
  deviceNames?: string[];
}

/** The backup-file text of `vg`. */
export function backupText(vg: VolumeGroup, description: string, time = Math.floor(Date.now() / 1000)): string {
  const header = makeHeader({
    generator: GENERATOR, description, hostname: hostname(),
    uname: `${type()} ${hostname()} ${release()} ${version()} ${arch()}`, time,
  });
  return printConfig(vgToConfig(vg, { flavour: 'file', codecs: lookupSegtype, header }), { flavour: 'file' });
}

export async function vgcfgbackupCommand(o: VgCfgBackupOptions): Promise<CommandOutput> {
  if (!o.file) throw new LvmkitError('EARGS', 'vgcfgbackup needs -f/--file FILE (lvmkit keeps no /etc/lvm/backup)');
  const scan = await scanDevices(o.devices, { deviceNames: o.deviceNames });
  try {
    const found = findVg(scan, o.vgName);
    await writeFile(o.file, backupText(found.vg, o.description));
    return { stdout: `  Volume group "${found.vg.name}" successfully backed up.\n`, warnings: [...scan.warnings] };
  } finally {
    await scan.close();
  }
}
