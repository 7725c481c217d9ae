/**
 * Image-file helpers for tests: sizes, sparse files, a recognisable data pattern, partition tables
 * (GPT with sgdisk, MBR with an extended partition with sfdisk) and the gzipped sample images in samples/.
 * Nothing here touches loop devices or LVM; see lvm2.ts for that.
 */
import { execFileSync } from 'node:child_process';
import {
  closeSync, existsSync, fstatSync, ftruncateSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeFileSync, writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

export const SECTOR = 512;
export const KiB = 1024;
export const MiB = 1024 * KiB;
export const GiB = 1024 * MiB;

/** Repository root (this file is test/helpers/images.ts). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SAMPLES_DIR = join(REPO_ROOT, 'samples');

/** "16M", "512k", "2G", "4096" (bytes), "8s" (sectors) -> bytes. Binary units, case-insensitive. */
export function parseSize(size: number | string): number {
  if (typeof size === 'number') return checkBytes(size, String(size));
  const m = /^(\d+)([bskmgt]?)$/i.exec(size.trim());
  if (!m) throw new Error(`parseSize: cannot parse "${size}" (expected e.g. 16M, 512k, 8s, 4096)`);
  const unit = m[2].toLowerCase();
  const mult: Record<string, number> = { '': 1, b: 1, s: SECTOR, k: KiB, m: MiB, g: GiB, t: 1024 * GiB };
  return checkBytes(Number(m[1]) * mult[unit], size);
}

function checkBytes(n: number, what: string): number {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`parseSize: "${what}" is not a byte count`);
  return n;
}

/** A fresh directory under os.tmpdir(); the caller removes it (removeDir). */
export function makeTempDir(prefix = 'lvmkit-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Create (or truncate) a sparse file of exactly `size` bytes. */
export function createSparseImage(path: string, size: number | string): string {
  const bytes = parseSize(size);
  const fd = openSync(path, 'w');
  try {
    ftruncateSync(fd, bytes);
  } finally {
    closeSync(fd);
  }
  return path;
}

/**
 * The pattern sector written at byte `offset` of an image tagged `tag`: an ASCII line
 * "lvmkit <tag> @<offset>\n" repeated to fill 512 bytes. A dump of any sector therefore says
 * which image and which byte offset it came from.
 */
export function patternSector(tag: string, offset: number): Uint8Array {
  const line = `lvmkit ${tag} @${offset}\n`;
  const out = new Uint8Array(SECTOR);
  const enc = new TextEncoder().encode(line);
  for (let i = 0; i < SECTOR; i++) out[i] = enc[i % enc.length];
  return out;
}

/** Fill bytes [start, start+length) of `path` with patternSector()s (start/length multiples of 512). */
export function fillPattern(path: string, tag: string, start = 0, length?: number): void {
  const fd = openSync(path, 'r+');
  try {
    const total = length ?? fileSize(path) - start;
    if (start % SECTOR !== 0 || total % SECTOR !== 0) throw new Error('fillPattern: start and length must be multiples of 512');
    const chunkSectors = 2048;
    const chunk = new Uint8Array(chunkSectors * SECTOR);
    for (let pos = start; pos < start + total; pos += chunk.length) {
      const n = Math.min(chunk.length, start + total - pos);
      for (let s = 0; s < n; s += SECTOR) chunk.set(patternSector(tag, pos + s), s);
      writeSync(fd, chunk, 0, n, pos);
    }
  } finally {
    closeSync(fd);
  }
}

export function fileSize(path: string): number {
  const fd = openSync(path, 'r');
  try {
    return fstatSync(fd).size;
  } finally {
    closeSync(fd);
  }
}

/** Read `length` bytes at `offset` of a file. */
export function readBytes(path: string, offset: number, length: number): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const buf = new Uint8Array(length);
    let done = 0;
    while (done < length) {
      const n = readSync(fd, buf, done, length - done, offset + done);
      if (n === 0) throw new Error(`readBytes: ${path} ends before byte ${offset + length}`);
      done += n;
    }
    return buf;
  } finally {
    closeSync(fd);
  }
}

// ---------------------------------------------------------------------------------------------
// Partition tables (written into the image file with the real tools, no loop device needed)

export interface PartitionInfo {
  /** Partition number as the kernel names it (1.., logical partitions of MBR from 5). */
  number: number;
  /** Byte offset of the partition within the image. */
  offset: number;
  /** Size in bytes. */
  size: number;
  /** Type as sfdisk reports it: GPT type GUID (upper case) or MBR type in hex ("8e", "5"). */
  type: string;
}

export interface GptPlan {
  /** Sizes of the partitions in order; the last may be "rest" to take the remaining space. */
  partitions: Array<{ size: number | string | 'rest'; type?: string; name?: string }>;
}

/**
 * Write a GPT with sgdisk. Default plan: partition 1 = 2 MiB (Linux filesystem),
 * partition 2 = rest (Linux LVM, 8E00). Partitions are 1 MiB aligned. Returns the table as read back.
 */
export function writeGpt(path: string, plan: GptPlan = defaultGptPlan()): PartitionInfo[] {
  const args: string[] = ['-o'];
  plan.partitions.forEach((p, i) => {
    const n = i + 1;
    const end = p.size === 'rest' ? '0' : `+${parseSize(p.size) / KiB}K`;
    args.push(`-n${n}:0:${end}`, `-t${n}:${p.type ?? '8300'}`);
    if (p.name) args.push(`-c${n}:${p.name}`);
  });
  execFileSync('sgdisk', [...args, path], { stdio: ['ignore', 'ignore', 'pipe'] });
  return readPartitionTable(path);
}

export function defaultGptPlan(): GptPlan {
  return { partitions: [{ size: '2M', type: '8300', name: 'boot' }, { size: 'rest', type: '8E00', name: 'lvm' }] };
}

export interface MbrPlan {
  /** Primary partitions before the extended one. */
  primary: Array<{ size: number | string; type?: string }>;
  /** Logical partitions inside the extended partition (numbered 5, 6, ...); the last may be "rest". */
  logical: Array<{ size: number | string | 'rest'; type?: string }>;
}

/**
 * Write an MBR (DOS) table with sfdisk: the primaries, then one extended partition over the rest of the
 * disk holding the logical partitions. Default: p1 = 2 MiB (83), extended, p5 = 8 MiB (8e), p6 = rest (83).
 */
export function writeMbr(path: string, plan: MbrPlan = defaultMbrPlan()): PartitionInfo[] {
  const lines = ['label: dos', 'unit: sectors'];
  let next = MiB / SECTOR;
  for (const p of plan.primary) {
    const sectors = parseSize(p.size) / SECTOR;
    lines.push(`start=${next}, size=${sectors}, type=${p.type ?? '83'}`);
    next += sectors;
  }
  lines.push(`start=${next}, type=5`);
  for (const l of plan.logical) {
    // sfdisk places each logical partition after its EBR; 1 MiB alignment leaves room for it.
    next += MiB / SECTOR;
    if (l.size === 'rest') {
      lines.push(`start=${next}, type=${l.type ?? '83'}`);
    } else {
      const sectors = parseSize(l.size) / SECTOR;
      lines.push(`start=${next}, size=${sectors}, type=${l.type ?? '83'}`);
      next += sectors;
    }
  }
  execFileSync('sfdisk', ['-q', '--no-reread', '--no-tell-kernel', path], { input: lines.join('\n') + '\n', stdio: ['pipe', 'ignore', 'pipe'] });
  return readPartitionTable(path);
}

export function defaultMbrPlan(): MbrPlan {
  return { primary: [{ size: '2M', type: '83' }], logical: [{ size: '8M', type: '8e' }, { size: 'rest', type: '83' }] };
}

/** The partition table of an image as sfdisk reads it (sorted by number). */
export function readPartitionTable(path: string): PartitionInfo[] {
  const json = JSON.parse(execFileSync('sfdisk', ['-J', path], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })) as {
    partitiontable: { sectorsize?: number; partitions?: Array<{ node: string; start: number; size: number; type: string }> };
  };
  const sectorSize = json.partitiontable.sectorsize ?? SECTOR;
  return (json.partitiontable.partitions ?? [])
    .map((p) => ({
      number: Number(/(\d+)$/.exec(p.node)?.[1] ?? NaN),
      offset: p.start * sectorSize,
      size: p.size * sectorSize,
      type: p.type,
    }))
    .sort((a, b) => a.number - b.number);
}

// ---------------------------------------------------------------------------------------------
// Samples (samples/*.img.gz, made by scripts/make-samples.sh)

/** Path of a sample file in samples/ (throws if it is missing). */
export function samplePath(name: string): string {
  const p = join(SAMPLES_DIR, name);
  if (!existsSync(p)) throw new Error(`sample ${name} not found in samples/ (run scripts/make-samples.sh as root)`);
  return p;
}

/** Gunzip samples/<name>.img.gz into `dir` and return the path of the .img. */
export function extractSample(name: string, dir: string): string {
  const base = name.replace(/\.img(\.gz)?$/, '');
  const out = join(dir, `${base}.img`);
  writeFileSync(out, gunzipSync(readFileSync(samplePath(`${base}.img.gz`))));
  return out;
}

/** The vgcfgbackup text kept beside the samples (samples/<vg>.vg.txt). */
export function sampleMetadata(name: string): string {
  return readFileSync(samplePath(name.endsWith('.vg.txt') ? name : `${name}.vg.txt`), 'utf8');
}

// ---------------------------------------------------------------------------------------------
// A small, independent reader of LVM2 metadata text and of linear/striped LV bytes on image files.
// It exists to check samples and fixtures without lvmkit's own code (a test oracle, not the product).

export type SimpleValue = string | number | SimpleValue[];
export interface SimpleSection {
  [key: string]: SimpleValue | SimpleSection;
}

/** Parse LVM2 config text (either flavour) into nested objects; comments dropped, arrays kept. */
export function parseConfigSimple(text: string): SimpleSection {
  const tokens = text.match(/#[^\n]*|"(?:[^"\\]|\\.)*"|[{}[\]=,]|[^\s{}[\]=,"#]+/g) ?? [];
  let i = 0;
  const toks = tokens.filter((t) => !t.startsWith('#'));
  const value = (t: string): SimpleValue => (t.startsWith('"') ? JSON.parse(t) : Number.isNaN(Number(t)) ? t : Number(t));
  const section = (): SimpleSection => {
    const out: SimpleSection = {};
    while (i < toks.length && toks[i] !== '}') {
      const key = toks[i++];
      if (toks[i] === '{') {
        i++;
        out[key] = section();
        i++; // }
      } else if (toks[i] === '=') {
        i++;
        if (toks[i] === '[') {
          i++;
          const arr: SimpleValue[] = [];
          while (toks[i] !== ']') {
            if (toks[i] !== ',') arr.push(value(toks[i]));
            i++;
          }
          i++;
          out[key] = arr;
        } else {
          out[key] = value(toks[i++]);
        }
      } else {
        throw new Error(`parseConfigSimple: unexpected token "${toks[i]}" after "${key}"`);
      }
    }
    return out;
  };
  return section();
}

export interface SimpleVg {
  name: string;
  /** Bytes. */
  extentSize: number;
  /** pvN -> uuid without hyphens and pe_start in bytes. */
  pvs: Record<string, { uuid: string; peStart: number }>;
  lvs: Record<string, SimpleSection>;
}

/** The (only) VG of a metadata text. */
export function simpleVg(text: string): SimpleVg {
  const root = parseConfigSimple(text);
  const name = Object.keys(root).find((k) => typeof root[k] === 'object' && !Array.isArray(root[k]));
  if (!name) throw new Error('simpleVg: no VG section');
  const vg = root[name] as SimpleSection;
  const pvs: SimpleVg['pvs'] = {};
  for (const [key, pv] of Object.entries(vg.physical_volumes as SimpleSection)) {
    const p = pv as SimpleSection;
    pvs[key] = { uuid: String(p.id).replace(/-/g, ''), peStart: Number(p.pe_start) * SECTOR };
  }
  return { name, extentSize: Number(vg.extent_size) * SECTOR, pvs, lvs: (vg.logical_volumes ?? {}) as Record<string, SimpleSection> };
}

/** The 32-character PV uuid of the LVM2 label in sector 1 of the device at `offset` of `image`, if any. */
export function pvLabelUuid(image: string, offset = 0): string | undefined {
  const sector = readBytes(image, offset + SECTOR, SECTOR);
  const text = new TextDecoder('latin1').decode(sector);
  if (!text.startsWith('LABELONE') || text.slice(24, 32) !== 'LVM2 001') return undefined;
  return text.slice(32, 64);
}

/** Where each PV of a VG is: the image and the byte offset of the PV in it. */
export type PvLocator = Record<string, { image: string; offset: number }>;

/** Find the PVs of `vg` among candidate devices (image + offset) by the uuid in their labels. */
export function locatePvs(vg: SimpleVg, candidates: Array<{ image: string; offset: number }>): PvLocator {
  const out: PvLocator = {};
  for (const c of candidates) {
    const uuid = pvLabelUuid(c.image, c.offset);
    const key = Object.keys(vg.pvs).find((k) => vg.pvs[k].uuid === uuid);
    if (key) out[key] = c;
  }
  return out;
}

/** The bytes of a linear/striped LV read straight from the image files (a test oracle). */
export function readLvBytes(vg: SimpleVg, lvName: string, where: PvLocator): Uint8Array {
  const lv = vg.lvs[lvName];
  if (!lv) throw new Error(`readLvBytes: no LV ${lvName} in ${vg.name}`);
  const segs = Object.keys(lv).filter((k) => /^segment\d+$/.test(k)).map((k) => lv[k] as SimpleSection);
  const total = segs.reduce((n, s) => n + Number(s.extent_count), 0) * vg.extentSize;
  const out = new Uint8Array(total);
  for (const s of segs) {
    if (s.type !== 'striped') throw new Error(`readLvBytes: segment type ${String(s.type)} not supported`);
    const stripes = s.stripes as SimpleValue[];
    const n = stripes.length / 2;
    const segStart = Number(s.start_extent) * vg.extentSize;
    const segLen = Number(s.extent_count) * vg.extentSize;
    const chunk = n === 1 ? segLen : Number(s.stripe_size) * SECTOR;
    const areaStart = (k: number) => {
      const pv = String(stripes[2 * k]);
      const loc = where[pv];
      if (!loc) throw new Error(`readLvBytes: ${pv} not located`);
      return { image: loc.image, at: loc.offset + vg.pvs[pv].peStart + Number(stripes[2 * k + 1]) * vg.extentSize };
    };
    for (let c = 0; c < segLen / chunk; c++) {
      const a = areaStart(c % n);
      out.set(readBytes(a.image, a.at + Math.floor(c / n) * chunk, chunk), segStart + c * chunk);
    }
  }
  return out;
}
