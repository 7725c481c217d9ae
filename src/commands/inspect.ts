/**
 * `lvmkit inspect IMG...`: what is on each image - partitions, the label, the PV header, every
 * metadata area with its raw locations, checksums and their status, and the VG/seqno of the text.
 */
import { LvmkitError, isLvmkitError } from '../errors.js';
import type { BlockDevice } from '../devices/block-device.js';
import { openFileDevice } from '../devices/file-device.js';
import { listPartitions, type PartitionInfo } from '../devices/partitions.js';
import { SubDevice } from '../devices/sub-device.js';
import { crcHex } from '../format/crc.js';
import { readLabel, type PvLabel } from '../format/label.js';
import { readMetadataArea, type MdaRead } from '../format/mda.js';
import { MDA_MAGIC, PV_EXT_USED } from '../format/layout.js';
import type { CommandOutput } from './output.js';

export interface InspectedMda {
  index: number;
  offset: number;
  size: number;
  headerCrc?: string;
  headerCrcOk: boolean;
  magicOk: boolean;
  version?: number;
  start?: number;
  slots: Array<{ slot: number; offset: number; size: number; checksum: string; flags: number; ignored: boolean }>;
  text?: { deviceOffset: number; size: number; wrapped: boolean; checksumOk: boolean; computed?: string; vgName?: string; seqno?: number };
  error?: string;
}

export interface InspectedDevice {
  name: string;
  size: number;
  partitions?: Array<{ index: number; start: number; size: number; type: string; scheme: string }>;
  label?: {
    sector: number; offset: number; crc: string; computedCrc: string; crcOk: boolean;
    pvUuid: string; deviceSize: number;
    dataAreas: Array<{ offset: number; size: number }>;
    metadataAreas: Array<{ offset: number; size: number }>;
    bootloaderAreas: Array<{ offset: number; size: number }>;
    extVersion: number; extFlags: number; inUse: boolean;
  };
  mdas: InspectedMda[];
  /** Not an error: e.g. a partitioned disk whose PVs are in its partitions (listed after it). */
  note?: string;
  error?: string;
}

export interface InspectOptions {
  /** Wrap each opened image before it is read (fault injection: devices/faulty-device.ts). */
  wrapDevice?: (dev: BlockDevice) => BlockDevice;
}

export async function inspectImages(paths: string[], options: InspectOptions = {}): Promise<InspectedDevice[]> {
  const out: InspectedDevice[] = [];
  for (const path of paths) {
    const opened = await openFileDevice(path);
    const dev = options.wrapDevice ? options.wrapDevice(opened) : opened;
    try {
      out.push(...await inspectOpenDevice(dev));
    } finally {
      await dev.close();
    }
  }
  return out;
}

/** What is on one open device (and on its partitions when the device itself holds no PV). Does not close it. */
export async function inspectOpenDevice(dev: BlockDevice): Promise<InspectedDevice[]> {
  const out: InspectedDevice[] = [];
  const info = await inspectDevice(dev);
  let parts: PartitionInfo[] = [];
  try { parts = await listPartitions(dev); } catch (e) { if (!isLvmkitError(e) || e.code === 'EDEVICE_IO') throw e; info.error ??= e.message; }
  out.push(info);
  if (parts.length) {
    info.partitions = parts.map((p) => ({ index: p.index, start: p.start, size: p.size, type: typeof p.type === 'number' ? `0x${p.type.toString(16).padStart(2, '0')}` : p.type, scheme: p.scheme }));
    // A PV on the whole image hides the partition table, as for LVM2; otherwise show each PV partition.
    if (!info.label) {
      for (const p of parts.filter((x) => !x.extended)) {
        const sub = await inspectDevice(new SubDevice(dev, p.start, p.size, `${dev.name}:p${p.index}`));
        if (sub.label) out.push(sub);
      }
      // No label on the whole disk is what a partitioned disk looks like: not an error when a partition is a PV.
      if (out.length > 1 && noLabel.has(info)) {
        delete info.error;
        info.note = `no LVM2 label on the whole disk: its PV partitions follow`;
      }
    }
  }
  return out;
}

/** Devices whose only problem is that they hold no LVM2 label at all. */
const noLabel = new WeakSet<InspectedDevice>();

async function inspectDevice(dev: BlockDevice): Promise<InspectedDevice> {
  const info: InspectedDevice = { name: dev.name, size: dev.size, mdas: [] };
  let label: PvLabel;
  try {
    label = await readLabel(dev, { allowBadCrc: true });
  } catch (e) {
    if (!isLvmkitError(e) || e.code === 'EDEVICE_IO') throw e;
    info.error = e.message;
    if (e.code === 'ENOT_PV') noLabel.add(info);
    return info;
  }
  info.label = {
    sector: label.labelSector, offset: label.labelOffset, crc: crcHex(label.crc), computedCrc: crcHex(label.computedCrc),
    crcOk: label.crcOk, pvUuid: label.pvUuid, deviceSize: label.deviceSize,
    dataAreas: label.dataAreas, metadataAreas: label.metadataAreas, bootloaderAreas: label.bootloaderAreas,
    extVersion: label.extVersion, extFlags: label.extFlags, inUse: (label.extFlags & PV_EXT_USED) !== 0,
  };
  if (!label.crcOk) info.error = `${dev.name}: label at offset ${label.labelOffset}: CRC ${crcHex(label.crc)} does not match computed ${crcHex(label.computedCrc)}`;
  let i = 0;
  for (const area of label.metadataAreas) info.mdas.push(describeMda(i++, await readMetadataArea(dev, area)));
  return info;
}

function describeMda(index: number, m: MdaRead): InspectedMda {
  const d: InspectedMda = {
    index, offset: m.areaOffset, size: m.areaSize, headerCrcOk: m.headerCrcOk,
    magicOk: false,
    slots: m.slots.map((s, slot) => ({ slot, offset: s.offset, size: s.size, checksum: crcHex(s.checksum), flags: s.flags, ignored: (s.flags & 1) !== 0 })),
  };
  if (m.header) {
    d.headerCrc = crcHex(m.header.checksum);
    d.version = m.header.version;
    d.start = m.header.start;
    d.magicOk = m.header.magic === MDA_MAGIC;
  }
  if (m.textBytes) {
    const head = /^([^\s{]+) \{[\s\S]*?\nseqno = (\d+)/.exec(m.text?.slice(0, 400) ?? '');
    d.text = {
      deviceOffset: m.areaOffset + m.textOffset, size: m.textSize, wrapped: m.wrapped, checksumOk: m.textCrcOk,
      computed: m.textCrc !== undefined ? crcHex(m.textCrc) : undefined,
      vgName: head?.[1], seqno: head ? Number(head[2]) : undefined,
    };
  }
  if (m.error) d.error = m.error.message;
  return d;
}

export async function inspectCommand(o: { images: string[]; json?: boolean } & InspectOptions): Promise<CommandOutput> {
  if (!o.images.length) throw new LvmkitError('EARGS', 'name at least one image to inspect');
  const devs = await inspectImages(o.images, { wrapDevice: o.wrapDevice });
  const anyError = devs.some((d) => d.error || d.mdas.some((m) => m.error));
  const stdout = o.json ? JSON.stringify(devs, null, 2) + '\n' : devs.map(formatDevice).join('\n');
  return { stdout, warnings: [], exitCode: anyError ? 5 : 0 };
}

const ok = (b: boolean) => (b ? 'ok' : 'BAD');

function formatDevice(d: InspectedDevice): string {
  const L: string[] = [`${d.name}: ${d.size} bytes`];
  if (d.partitions) {
    L.push(`  partition table (${d.partitions[0]?.scheme ?? ''}):`);
    for (const p of d.partitions) L.push(`    p${p.index}: start ${p.start} size ${p.size} type ${p.type}`);
  }
  if (d.label) {
    const l = d.label;
    L.push(`  label: sector ${l.sector} (offset ${l.offset}), crc ${l.crc} ${l.crcOk ? 'ok' : `BAD (computed ${l.computedCrc})`}`);
    L.push(`  pv_header: uuid ${l.pvUuid}, device_size ${l.deviceSize}`);
    l.dataAreas.forEach((a, i) => L.push(`    data area ${i}: offset ${a.offset} size ${a.size}`));
    l.metadataAreas.forEach((a, i) => L.push(`    metadata area ${i}: offset ${a.offset} size ${a.size}`));
    l.bootloaderAreas.forEach((a, i) => L.push(`    bootloader area ${i}: offset ${a.offset} size ${a.size}`));
    L.push(`    extension: version ${l.extVersion}, flags 0x${l.extFlags.toString(16)}${l.inUse ? ' (in use by a VG)' : ''}`);
  }
  for (const m of d.mdas) {
    L.push(`  mda${m.index} at offset ${m.offset} (${m.size} bytes): header crc ${m.headerCrc ?? '-'} ${ok(m.headerCrcOk)}, magic ${ok(m.magicOk)}, version ${m.version ?? '-'}, start ${m.start ?? '-'}`);
    for (const s of m.slots) {
      const name = s.slot === 0 ? 'committed' : 'precommitted';
      if (!s.offset && !s.size) { L.push(`    slot ${s.slot} (${name}): empty${s.ignored ? ', ignored' : ''}`); continue; }
      L.push(`    slot ${s.slot} (${name}): offset ${s.offset} size ${s.size} checksum ${s.checksum} flags ${s.flags}${s.ignored ? ' (ignored)' : ''}`);
    }
    if (m.text) {
      const t = m.text;
      L.push(`    text at offset ${t.deviceOffset}, ${t.size} bytes${t.wrapped ? ', wrapped' : ''}: checksum ${t.checksumOk ? 'ok' : `BAD (computed ${t.computed})`}${t.vgName ? `, VG ${t.vgName} seqno ${t.seqno}` : ''}`);
    }
    if (m.error) L.push(`    error: ${m.error}`);
  }
  if (d.note) L.push(`  ${d.note}`);
  if (d.error) L.push(`  error: ${d.error}`);
  return L.join('\n') + '\n';
}
