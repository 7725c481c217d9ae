/**
 * `lvmkit metadata`: print a VG's current metadata text; with --all, list every older version
 * still readable in the circular buffers of the metadata areas (seqno, where, checksum status),
 * and print any of them with --seqno, so that a removed LV's layout can be recovered.
 */
import { LvmkitError } from '../errors.js';
import { crcHex } from '../format/crc.js';
import { scanMetadataHistory, type MetadataHistoryEntry } from '../format/history.js';
import { printConfig } from '../metadata/printer.js';
import { vgToConfig } from '../model/to-config.js';
import { lookupSegtype } from '../segtypes/registry.js';
import type { CommandOutput } from './output.js';
import { scanDevices, uniqueVg, type ScanOptions, type ScanResult, type ScannedVg } from './scan.js';

export interface MetadataCommandOptions {
  devices: string[];
  vg?: string;
  all?: boolean;
  seqno?: number;
  /** raw: the text as stored on disk; file: LVM2's vgcfgbackup layout. */
  flavour?: 'raw' | 'file';
  /** Wrap each opened image before it is read (fault injection: devices/faulty-device.ts). */
  wrapDevice?: ScanOptions['wrapDevice'];
}

export interface MetadataVersion {
  vgName: string;
  vgId: string;
  seqno: number;
  crc: number;
  size: number;
  /** "current", "old" (complete older copy) or "damaged" (partly overwritten or cut). */
  /** "current (checksum BAD)": the text slot 0 points at, damaged in place (its checksum does not match). */
  status: 'current' | 'current (checksum BAD)' | 'old' | 'damaged';
  /** Where copies were found: "<device> @<byte offset>". */
  locations: string[];
  text: string;
}

export async function metadataCommand(o: MetadataCommandOptions): Promise<CommandOutput> {
  const history = !!o.all || o.seqno !== undefined;
  const scan = await scanDevices(o.devices, { allowUnreadable: history, wrapDevice: o.wrapDevice });
  try {
    if (history) {
      const versions = (await metadataHistory(scan)).filter((v) => !o.vg || v.vgName === o.vg);
      if (o.seqno !== undefined) {
        const hit = versions.find((v) => v.seqno === o.seqno && (v.status === 'current' || v.status === 'old')) ?? versions.find((v) => v.seqno === o.seqno);
        if (!hit) throw new LvmkitError('EVG_NOT_FOUND', `no metadata with seqno ${o.seqno}${o.vg ? ` for VG ${o.vg}` : ''} is readable on ${o.devices.join(', ')} (see lvmkit metadata --all)`);
        return { stdout: hit.text, warnings: scan.warnings };
      }
      return { stdout: formatHistory(versions), warnings: scan.warnings };
    }
    const sv = pickVg(scan, o.vg);
    const text = o.flavour === 'file'
      ? printConfig(vgToConfig(sv.vg, { flavour: 'file', codecs: lookupSegtype, header: sv.vg.header }), { flavour: 'file' })
      : sv.copy.mda.text!;
    return { stdout: text, warnings: scan.warnings };
  } finally {
    await scan.close();
  }
}

export function pickVg(scan: ScanResult, name: string | undefined): ScannedVg {
  if (name) {
    const v = uniqueVg(scan, name);
    if (!v) {
      const bad = scan.errors.find((e) => e.message.includes(`VG ${name}`));
      throw bad ?? new LvmkitError('EVG_NOT_FOUND', `Volume group "${name}" not found on ${scan.devices.map((d) => d.name).join(', ')}`);
    }
    return v;
  }
  if (scan.vgs.length === 1) return scan.vgs[0];
  if (!scan.vgs.length) throw scan.errors[0] ?? new LvmkitError('EVG_NOT_FOUND', `no volume group found on ${scan.devices.map((d) => d.name).join(', ')}`);
  throw new LvmkitError('EARGS', `several volume groups found (${scan.vgs.map((v) => v.vg.name).join(', ')}): name one`);
}

/** Every metadata version readable on the scanned PVs, newest first, copies merged by seqno + checksum. */
export async function metadataHistory(scan: ScanResult): Promise<MetadataVersion[]> {
  const byKey = new Map<string, MetadataVersion>();
  for (const pv of scan.pvs) {
    for (const mda of pv.mdas) {
      if (!mda.header) continue;
      let entries: MetadataHistoryEntry[];
      try {
        entries = await scanMetadataHistory(pv.device, mda);
      } catch (e) {
        if (e instanceof LvmkitError && e.code !== 'EDEVICE_IO') { scan.warnings.push(e.message); continue; }
        throw e;
      }
      for (const e of entries) {
        const key = `${e.vgId}:${e.seqno}:${e.crc}:${e.size}`;
        const status: MetadataVersion['status'] = e.isCurrent ? (e.checksumOk === false ? 'current (checksum BAD)' : 'current') : e.complete ? 'old' : 'damaged';
        const loc = `${pv.device.name} @${e.deviceOffset}${e.wrapped ? ' (wrapped)' : ''}`;
        const v = byKey.get(key);
        if (v) {
          v.locations.push(loc);
          if (status === 'current' || (status === 'current (checksum BAD)' && v.status !== 'current')) v.status = status;
        } else {
          byKey.set(key, { vgName: e.vgName, vgId: e.vgId, seqno: e.seqno, crc: e.crc, size: e.size, status, locations: [loc], text: e.text });
        }
      }
    }
  }
  return [...byKey.values()].sort((a, b) => (a.vgName < b.vgName ? -1 : a.vgName > b.vgName ? 1 : b.seqno - a.seqno));
}

function formatHistory(versions: MetadataVersion[]): string {
  const rows = [['VG', 'Seqno', 'Checksum', 'Size', 'Status', 'Location']];
  for (const v of versions) rows.push([v.vgName, String(v.seqno), crcHex(v.crc), String(v.size), v.status, v.locations.join(', ')]);
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => '  ' + r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join(' ')).join('\n') + '\n';
}
