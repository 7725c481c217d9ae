/**
 * Tables in `dmsetup` syntax: `<start> <length> <target> <params>` per target (as `dmsetup table NAME`
 * prints), `<name>: <start> ...` for several devices (as `dmsetup table` prints), and the concise form
 * `dmsetup create --concise` reads: `<name>,<uuid>,<minor>,<flags>,<table>[,<table>...][;<next device>]`.
 */
import type { TargetArea } from '../segtypes/target.js';
import type { DmDevice } from './table.js';

/** Writes an area of a table line: "<device> <offset in sectors>". */
export type DeviceNamer = (a: TargetArea) => string;

/** Devices as lvmkit knows them: PVs by their device name (the image path), dm devices as /dev/mapper/NAME. */
export const imageNamer: DeviceNamer = (a) => `${a.device.kind === 'pv' ? a.device.io.name : `/dev/mapper/${a.device.dmName}`} ${a.offset}`;

/** The table lines of one device, without a trailing newline each. */
export function tableLines(dev: DmDevice, name: DeviceNamer = imageNamer): string[] {
  return dev.targets.map((t) => {
    const p = t.kind.params(t, name);
    // dmsetup prints a space after the target name even when it has no parameters ("0 4096 error ").
    return `${t.start} ${t.length} ${t.kind.name} ${p}`;
  });
}

/** `dmsetup table NAME` output for one device. */
export function formatTable(dev: DmDevice, name?: DeviceNamer): string {
  return tableLines(dev, name).map((l) => `${l}\n`).join('');
}

/** `dmsetup table` output for several devices: each line prefixed with "<name>: ", devices sorted by name. */
export function formatTables(devs: DmDevice[], name?: DeviceNamer): string {
  return [...devs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((d) => tableLines(d, name).map((l) => `${d.name}: ${l}\n`)).join('');
}

/** Backslash-escape what the concise format uses as separators. */
function conciseEscape(s: string): string {
  return s.replace(/[\\,;]/g, (c) => `\\${c}`);
}

/** One line for `dmsetup create --concise`: devices in the order given (helpers before their users). */
export function formatConcise(devs: DmDevice[], name?: DeviceNamer, flags: 'rw' | 'ro' = 'rw'): string {
  return devs.map((d) => [d.name, d.uuid, '', flags, ...tableLines(d, name).map((l) => l.trimEnd())].map(conciseEscape).join(',')).join(';');
}
