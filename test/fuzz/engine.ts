/**
 * The fuzzer's engine, shared by `npm run fuzz` (scripts/fuzz.mjs), the short seeded property tests and
 * the replay of saved findings: a seeded random source, mutators of images (bit flips, interesting
 * integers in the on-disk fields, truncation, splices of fields from other images, a mutated metadata
 * text written back with correct checksums) and of metadata texts (character and grammar-aware token
 * mutations, splices of lines from other texts), the targets that run lvmkit's readers on a case, and
 * the judgement of an outcome. Nothing here touches files: the corpus is handed in (corpus.ts loads it).
 *
 * Targets: add an entry to TARGETS (the device-mapper table compiler of src/dm is one).
 */
import { LvmkitError } from '../../src/errors.js';
import type { BlockDevice } from '../../src/devices/block-device.js';
import { MemoryDevice } from '../../src/devices/memory-device.js';
import { lvmCrc } from '../../src/format/crc.js';
import { readLabel } from '../../src/format/label.js';
import { readMetadataArea } from '../../src/format/mda.js';
import { scanMetadataHistory } from '../../src/format/history.js';
import { parseConfig } from '../../src/metadata/parse.js';
import { printConfig } from '../../src/metadata/printer.js';
import { vgFromConfig } from '../../src/model/from-config.js';
import { vgToConfig } from '../../src/model/to-config.js';
import { validateVg } from '../../src/model/validate.js';
import { lookupSegtype } from '../../src/segtypes/registry.js';
import { scanOpenDevices } from '../../src/commands/scan.js';
import { toReportInput } from '../../src/commands/reporting.js';
import { runReport, type ReportInput, type ReportOptions } from '../../src/commands/report/index.js';
import { inspectOpenDevice } from '../../src/commands/inspect.js';
import { metadataHistory } from '../../src/commands/metadata.js';
import { compileVg } from '../../src/dm/table.js';
import { formatTables } from '../../src/dm/format.js';
import type { VolumeGroup } from '../../src/model/types.js';

// ------------------------------------------------------------------ random source

/** xorshift128+-like generator on 32-bit halves, seeded from (seed, index): every case is reproducible alone. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  constructor(seed: number, index = 0) {
    this.a = (seed ^ 0x9e3779b9) >>> 0;
    this.b = (index * 0x85ebca6b + 0x165667b1) >>> 0;
    this.c = (seed * 0xc2b2ae35 + index) >>> 0 || 1;
    this.d = 0x27d4eb2f;
    for (let i = 0; i < 16; i++) this.u32();
  }
  /** sfc32 */
  u32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }
  int(n: number): number { return n <= 0 ? 0 : this.u32() % n; }
  range(lo: number, hi: number): number { return lo + this.int(hi - lo + 1); }
  chance(p: number): boolean { return this.u32() / 2 ** 32 < p; }
  pick<T>(xs: readonly T[]): T { return xs[this.int(xs.length)]!; }
}

// ------------------------------------------------------------------ corpus and cases

/** `size`: the image's real size when only its first `bytes` are kept (the rest is zeros: a sparse image). */
export interface CorpusImage { name: string; bytes: Uint8Array; size?: number }
export interface Corpus {
  /** Images made by real LVM2, by name (sample-pv0, ...). */
  images: Map<string, CorpusImage>;
  /** Images read together (the PVs of one VG). */
  groups: string[][];
  /** Metadata texts made by real LVM2 (on-disk and vgcfgbackup). */
  texts: { name: string; text: string }[];
}

export interface ImagePatch { image: string; offset: number; hex: string }
export interface ImageCase {
  kind: 'image';
  group: string[];
  /** Applied in order to copies of the corpus images. */
  patches: ImagePatch[];
  /** Image name -> new length (cut). */
  truncate?: Record<string, number>;
  /** Image name -> size the device claims (a huge sparse image: zeros past the real bytes). */
  claim?: Record<string, number>;
  /** What was done, for people reading a finding. */
  steps: string[];
}
export interface TextCase { kind: 'text'; text: string; steps: string[] }
export type FuzzCase = ImageCase | TextCase;

/** A device over bytes that claims `size` (>= the bytes): reads past the bytes give zeros, like a sparse file. */
export class ClaimedDevice extends MemoryDevice {
  constructor(bytes: Uint8Array, private readonly claimed: number, name: string) {
    super(bytes, { name, readOnly: true });
  }
  override get size(): number { return this.claimed; }
  override async read(offset: number, length: number): Promise<Uint8Array> {
    const out = new Uint8Array(length);
    await this.readInto(offset, out);
    return out;
  }
  override async readInto(offset: number, buf: Uint8Array): Promise<void> {
    if (!Number.isSafeInteger(offset) || offset < 0 || offset + buf.length > this.claimed) {
      throw new LvmkitError('EDEVICE_RANGE', `${this.name}: read of ${buf.length} bytes at offset ${offset} goes past the end of the device (size ${this.claimed})`, { file: this.name, offset });
    }
    buf.fill(0);
    if (offset < this.bytes.length) buf.set(this.bytes.subarray(offset, Math.min(this.bytes.length, offset + buf.length)));
  }
}

export function hex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}
export function unhex(s: string): Uint8Array {
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** The devices of an image case (fresh copies of the corpus bytes with the patches applied). */
export function buildDevices(c: ImageCase, corpus: Corpus): BlockDevice[] {
  const bytes = new Map<string, Uint8Array>();
  for (const name of c.group) {
    const img = corpus.images.get(name);
    if (!img) throw new Error(`corpus image ${name} is missing`);
    bytes.set(name, new Uint8Array(img.bytes));
  }
  for (const p of c.patches) {
    const b = bytes.get(p.image)!;
    const data = unhex(p.hex);
    b.set(data.subarray(0, Math.max(0, Math.min(data.length, b.length - p.offset))), p.offset);
  }
  return c.group.map((name) => {
    let b = bytes.get(name)!;
    const cut = c.truncate?.[name];
    if (cut !== undefined) b = b.subarray(0, Math.min(cut, b.length));
    const claim = c.claim?.[name] ?? (cut === undefined ? corpus.images.get(name)!.size : undefined);
    return claim !== undefined ? new ClaimedDevice(b, Math.max(claim, b.length), `${name}.img`) : new MemoryDevice(b, { name: `${name}.img`, readOnly: true });
  });
}

// ------------------------------------------------------------------ interesting values

const U32 = [0, 1, 2, 7, 8, 15, 16, 31, 32, 511, 512, 513, 1024, 4096, 0x7fff_ffff, 0x8000_0000, 0xffff_fffe, 0xffff_ffff];
const U64 = [0n, 1n, 512n, 4096n, 1044480n, 1048576n, 16777216n, 16777215n, 2n ** 31n, 2n ** 32n - 1n, 2n ** 32n, 2n ** 40n,
  2n ** 53n - 1n, 2n ** 53n, 2n ** 63n - 1n, 2n ** 63n, 2n ** 64n - 1n];
const NUMBERS = ['0', '-1', '1', '-0', '00', '09', '0x10', '2147483647', '2147483648', '4294967295', '4294967296', '9007199254740991',
  '9007199254740993', '9223372036854775807', '9223372036854775808', '-9223372036854775809', '18446744073709551616',
  '1'.repeat(40), '1.5', '.', '-.', '1e9', '+5'];
const NAMES = ['__proto__', 'constructor', 'toString', 'prototype', 'hasOwnProperty', 'valueOf', '', ' ', 'pv0', 'pv1', 'lin', 'str',
  'segment1', 'striped', 'linear', 'error', 'zero', 'thin', 'thin-pool', 'snapshot', 'mirror', 'raid1', 'raid5', 'cache', 'VISIBLE',
  'READ', 'WRITE', 'RESIZEABLE', 'ALLOCATABLE', 'MISSING', '[unknown]', 'a/b', '-x', '..', 'x'.repeat(200)];
const PUNCT = ['{', '}', '[', ']', '=', '"', "'", ',', '#', '\n', '\\', '\0', ' ', '\t', '\r', 'é', '\u{1F600}', '\uFFFD'];

// ------------------------------------------------------------------ text mutators

/** Tokens of LVM2 config text (approximate; enough to mutate with grammar in mind). */
const TOKEN = /"(?:[^"\\]|\\.)*"|'[^']*'|#[^\n]*|[-+.0-9][0-9.]*|[^\s#={}[\],"']+|[{}[\],=]|\s+/g;

function tokens(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

/** Ranges [start, end) of balanced `name { ... }` blocks. */
function blocks(text: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const open: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') { i = skipString(text, i); continue; }
    if (c === '#') { const nl = text.indexOf('\n', i); i = nl < 0 ? text.length : nl; continue; }
    if (c === '{') open.push(text.lastIndexOf('\n', i) + 1);
    else if (c === '}' && open.length) out.push([open.pop()!, i + 1]);
  }
  return out;
}
function skipString(t: string, i: number): number {
  for (let j = i + 1; j < t.length; j++) {
    if (t[j] === '\\') j++;
    else if (t[j] === '"') return j;
  }
  return t.length;
}

type TextMutator = (t: string, r: Rng, corpus: Corpus) => string;

const TEXT_MUTATORS: Array<[string, TextMutator]> = [
  ['flip char', (t, r) => { if (!t.length) return t; const i = r.int(t.length); return t.slice(0, i) + String.fromCharCode(t.charCodeAt(i) ^ (1 << r.int(7))) + t.slice(i + 1); }],
  ['delete span', (t, r) => { const i = r.int(t.length); return t.slice(0, i) + t.slice(i + r.range(1, 64)); }],
  ['insert punctuation', (t, r) => { const i = r.int(t.length + 1); return t.slice(0, i) + r.pick(PUNCT) + t.slice(i); }],
  ['truncate', (t, r) => t.slice(0, r.int(t.length + 1))],
  ['number', (t, r) => {
    const tk = tokens(t);
    const idx = tk.map((x, i) => (/^[-+.0-9]/.test(x) ? i : -1)).filter((i) => i >= 0);
    if (!idx.length) return t;
    tk[r.pick(idx)] = r.pick(NUMBERS);
    return tk.join('');
  }],
  ['string', (t, r) => {
    const tk = tokens(t);
    const idx = tk.map((x, i) => (x.startsWith('"') ? i : -1)).filter((i) => i >= 0);
    if (!idx.length) return t;
    const v = r.chance(0.1) ? 'y'.repeat(r.range(1000, 200_000)) : r.pick(NAMES);
    tk[r.pick(idx)] = JSON.stringify(v);
    return tk.join('');
  }],
  ['name', (t, r) => {
    const tk = tokens(t);
    const idx = tk.map((x, i) => (/^[A-Za-z_]/.test(x) ? i : -1)).filter((i) => i >= 0);
    if (!idx.length) return t;
    const name = r.pick(NAMES.filter((n) => /^[^\s#={}[\],"']+$/.test(n)));
    const old = tk[r.pick(idx)]!;
    // rename every occurrence (keys, sections, and the same word in strings) half of the time
    return r.chance(0.5) ? t.split(old).join(name) : (tk[tk.indexOf(old)] = name, tk.join(''));
  }],
  ['token swap', (t, r) => {
    const tk = tokens(t);
    if (tk.length < 2) return t;
    const i = r.int(tk.length);
    const j = r.int(tk.length);
    [tk[i], tk[j]] = [tk[j]!, tk[i]!];
    return tk.join('');
  }],
  ['duplicate block', (t, r) => {
    const bs = blocks(t);
    if (!bs.length) return t;
    const [a, b] = r.pick(bs);
    if (b - a > 1_000_000) return t;
    const at = r.chance(0.5) ? b : a;
    return t.slice(0, at) + '\n' + t.slice(a, b) + '\n' + t.slice(at);
  }],
  ['delete block', (t, r) => { const bs = blocks(t); if (!bs.length) return t; const [a, b] = r.pick(bs); return t.slice(0, a) + t.slice(b); }],
  ['wrap in section', (t, r) => {
    const lines = t.split('\n');
    const i = r.int(lines.length);
    const j = Math.min(lines.length, i + r.range(1, 20));
    return [...lines.slice(0, i), `${r.pick(NAMES.slice(0, 6))} {`, ...lines.slice(i, j), '}', ...lines.slice(j)].join('\n');
  }],
  ['deep nesting', (t, r) => { const n = r.range(100, 20_000); const i = t.indexOf('\n', r.int(t.length)) + 1; return t.slice(0, i) + 'n {\n'.repeat(n) + '}\n'.repeat(r.chance(0.8) ? n : r.int(n)) + t.slice(i); }],
  ['delete line', (t, r) => { const l = t.split('\n'); l.splice(r.int(l.length), 1); return l.join('\n'); }],
  ['swap lines', (t, r) => { const l = t.split('\n'); const i = r.int(l.length); const j = r.int(l.length); [l[i], l[j]] = [l[j]!, l[i]!]; return l.join('\n'); }],
  ['splice line from another text', (t, r, c) => {
    const other = r.pick(c.texts).text.split('\n');
    const l = t.split('\n');
    l.splice(r.int(l.length + 1), r.int(2), r.pick(other));
    return l.join('\n');
  }],
  ['splice block from another text', (t, r, c) => {
    const o = r.pick(c.texts).text;
    const bs = blocks(o);
    if (!bs.length) return t;
    const [a, b] = r.pick(bs);
    const i = t.indexOf('\n', r.int(t.length)) + 1;
    return t.slice(0, i) + o.slice(a, b) + '\n' + t.slice(i);
  }],
  ['many segments', (t, r) => {
    const m = /segment_count = 1\n([\s\S]*?\n\t*segment1 \{[\s\S]*?\n\t*\})/.exec(t);
    if (!m) return t;
    const seg = m[1]!;
    // Bounded by the size of a text case (the copies of a huge segment would exhaust the fuzzer itself).
    const n = Math.min(r.range(2, 3000), Math.max(2, Math.floor(1_000_000 / Math.max(1, seg.length))));
    const parts: string[] = [];
    for (let i = 0; i < n; i++) parts.push(seg.replace('segment1 {', `segment${i + 1} {`).replace(/start_extent = \d+/, `start_extent = ${i}`).replace(/extent_count = \d+/, 'extent_count = 1'));
    return t.replace(m[0], `segment_count = ${n}\n${parts.join('\n')}`);
  }],
];

export function mutateText(text: string, r: Rng, corpus: Corpus, steps: string[]): string {
  let t = text;
  const n = r.range(1, 4);
  for (let i = 0; i < n; i++) {
    const [name, fn] = r.pick(TEXT_MUTATORS);
    t = fn(t, r, corpus);
    steps.push(name);
    // An LVM2 metadata area of the default size holds about 0.5 MiB of text; larger texts are the scale tests' business.
    if (t.length > 1_000_000) t = t.slice(0, 1_000_000);
  }
  return t;
}

// ------------------------------------------------------------------ image mutators

const LABEL_ID = 'LABELONE';
const MDA_MAGIC = ' LVM2 x[5A%r0N*>';

function findAscii(b: Uint8Array, text: string, step: number, limit = b.length): number[] {
  const out: number[] = [];
  const c0 = text.charCodeAt(0);
  for (let at = 0; at + text.length <= limit; at += step) {
    if (b[at] !== c0) continue;
    let ok = true;
    for (let i = 1; i < text.length && ok; i++) ok = b[at + i] === text.charCodeAt(i);
    if (ok) out.push(at);
  }
  return out;
}

/** Where the structures of an image are: label sectors, metadata area headers (by magic), partition tables. */
interface HotMap { labels: number[]; mdas: number[]; regions: Array<[number, number]> }
const hotCache = new WeakMap<Uint8Array, HotMap>();
function hotMap(b: Uint8Array): HotMap {
  let h = hotCache.get(b);
  if (h) return h;
  const labels = findAscii(b, LABEL_ID, 512);
  const mdas = findAscii(b, MDA_MAGIC, 512).map((x) => x - 4).filter((x) => x >= 0);
  const regions: Array<[number, number]> = [[0, 34 * 512], [Math.max(0, b.length - 33 * 512), b.length]];
  for (const l of labels) regions.push([l, l + 512]);
  for (const m of mdas) {
    const v = new DataView(b.buffer, b.byteOffset);
    const off = Number(v.getBigUint64(m + 40, true));
    const size = Number(v.getBigUint64(m + 48, true));
    regions.push([m, m + 512]);
    if (off && size && m + off + size <= b.length) regions.push([m + off, m + off + size]);
  }
  h = { labels, mdas, regions };
  hotCache.set(b, h);
  return h;
}

class ImageEditor {
  readonly bytes = new Map<string, Uint8Array>();
  readonly patches: ImagePatch[] = [];
  constructor(readonly c: ImageCase, readonly corpus: Corpus) {
    for (const n of c.group) this.bytes.set(n, new Uint8Array(corpus.images.get(n)!.bytes));
  }
  write(image: string, offset: number, data: Uint8Array): void {
    const b = this.bytes.get(image)!;
    if (offset < 0 || offset >= b.length) return;
    const d = data.subarray(0, b.length - offset);
    b.set(d, offset);
    this.patches.push({ image, offset, hex: hex(d) });
  }
  base(image: string): Uint8Array { return this.corpus.images.get(image)!.bytes; }
}

function u64le(v: bigint): Uint8Array { const b = new Uint8Array(8); new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, v), true); return b; }
function u32le(v: number): Uint8Array { const b = new Uint8Array(4); new DataView(b.buffer).setUint32(0, v >>> 0, true); return b; }

type ImageMutator = (e: ImageEditor, image: string, r: Rng) => void;

const IMAGE_MUTATORS: Array<[string, ImageMutator]> = [
  ['bit flip in a structure', (e, img, r) => {
    const [a, b] = r.pick(hotMap(e.base(img)).regions);
    const at = r.range(a, Math.max(a, b - 1));
    const cur = e.bytes.get(img)![at] ?? 0;
    e.write(img, at, Uint8Array.of(cur ^ (1 << r.int(8))));
  }],
  ['interesting u32 in a header field', (e, img, r) => {
    const h = hotMap(e.base(img));
    const base = r.pick([...h.labels, ...h.mdas, 512, 1024]);
    e.write(img, base + 4 * r.int(32), u32le(r.pick(U32)));
  }],
  ['interesting u64 in a header field', (e, img, r) => {
    const h = hotMap(e.base(img));
    const base = r.pick([...h.labels, ...h.mdas, 512]);
    e.write(img, base + 8 * r.int(16), u64le(r.pick(U64)));
  }],
  ['random bytes in a structure', (e, img, r) => {
    const [a, b] = r.pick(hotMap(e.base(img)).regions);
    const at = r.range(a, Math.max(a, b - 1));
    const d = new Uint8Array(r.range(1, 32));
    for (let i = 0; i < d.length; i++) d[i] = r.int(256);
    e.write(img, at, d);
  }],
  ['splice a field from another image', (e, img, r) => {
    const other = r.pick([...e.corpus.images.keys()]);
    const ob = e.corpus.images.get(other)!.bytes;
    const oh = hotMap(ob);
    const h = hotMap(e.base(img));
    const src = r.pick([...oh.labels, ...oh.mdas]);
    const dst = r.pick([...h.labels, ...h.mdas]);
    if (src === undefined || dst === undefined) return;
    const off = 8 * r.int(40);
    const len = r.pick([4, 8, 16, 24, 64, 512]);
    e.write(img, dst + off, ob.slice(src + off, src + off + len));
  }],
  ['truncate', (e, img, r) => {
    const h = hotMap(e.base(img));
    const points = [...h.labels, ...h.mdas].flatMap((x) => [x, x + 100, x + 512, x + 4096]);
    const cut = r.chance(0.7) && points.length ? r.pick(points) : r.int(e.base(img).length);
    (e.c.truncate ??= {})[img] = cut;
  }],
  ['claim a huge size', (e, img, r) => {
    (e.c.claim ??= {})[img] = r.pick([2 ** 40, 16 * 2 ** 40, 2 ** 53 - 1, e.base(img).length + 512]);
  }],
];

/** Replace the committed text of the mda at `mda` by a mutated one (fits the area; slot and CRCs fixed). */
function mutateMdaText(e: ImageEditor, img: string, mda: number, r: Rng, steps: string[], texts: Map<string, string>): void {
  const b = e.bytes.get(img)!;
  const v = new DataView(b.buffer, b.byteOffset);
  const areaSize = Number(v.getBigUint64(mda + 32, true));
  const off = Number(v.getBigUint64(mda + 40, true));
  const size = Number(v.getBigUint64(mda + 48, true));
  if (!areaSize || !off || !size || off + size > areaSize || mda + areaSize > b.length) return;
  const oldText = new TextDecoder().decode(b.subarray(mda + off, mda + off + size - 1));
  // The same mutated text goes to every PV of the group that had the same text (as one commit writes it).
  let text = texts.get(oldText);
  if (text === undefined) {
    text = mutateText(oldText, r, e.corpus, steps);
    texts.set(oldText, text);
  }
  const enc = new TextEncoder().encode(text + '\0');
  if (off + enc.length > areaSize) return;
  e.write(img, mda + off, enc);
  e.write(img, mda + 48, u64le(BigInt(enc.length)));
  e.write(img, mda + 56, u32le(lvmCrc(enc)));
  fixMdaCrc(e, img, mda);
}

function fixMdaCrc(e: ImageEditor, img: string, mda: number): void {
  const b = e.bytes.get(img)!;
  if (mda + 512 > b.length) return;
  e.write(img, mda, u32le(lvmCrc(b.subarray(mda + 4, mda + 512))));
}
function fixLabelCrc(e: ImageEditor, img: string, at: number): void {
  const b = e.bytes.get(img)!;
  if (at + 512 > b.length) return;
  e.write(img, at + 16, u32le(lvmCrc(b.subarray(at + 20, at + 512))));
}
function fixTextCrc(e: ImageEditor, img: string, mda: number): void {
  const b = e.bytes.get(img)!;
  if (mda + 512 > b.length) return;
  const v = new DataView(b.buffer, b.byteOffset);
  const areaSize = Number(v.getBigUint64(mda + 32, true));
  const off = Number(v.getBigUint64(mda + 40, true));
  const size = Number(v.getBigUint64(mda + 48, true));
  if (!off || !size || off + size > areaSize || mda + areaSize > b.length || size > 4_000_000) return;
  e.write(img, mda + 56, u32le(lvmCrc(b.subarray(mda + off, mda + off + size))));
}

export function makeImageCase(r: Rng, corpus: Corpus): ImageCase {
  const group = r.pick(corpus.groups);
  const c: ImageCase = { kind: 'image', group, patches: [], steps: [] };
  const e = new ImageEditor(c, corpus);
  const texts = new Map<string, string>();
  const n = r.range(1, 4);
  for (let i = 0; i < n; i++) {
    const img = r.pick(group);
    if (r.chance(0.35)) {
      const mdas = hotMap(e.base(img)).mdas;
      if (!mdas.length) continue;
      c.steps.push(`${img}: metadata text:`);
      // one text mutation, applied to every PV of the group that holds the same text
      for (const other of r.chance(0.7) ? group : [img]) {
        for (const m of hotMap(e.base(other)).mdas) mutateMdaText(e, other, m, r, c.steps, texts);
      }
      continue;
    }
    const [name, fn] = r.pick(IMAGE_MUTATORS);
    fn(e, img, r);
    c.steps.push(`${img}: ${name}`);
  }
  // Mostly make the checksums right again, so the mutation reaches the readers behind the CRC checks.
  if (r.chance(0.8)) {
    for (const img of group) {
      const h = hotMap(e.base(img));
      for (const m of h.mdas) { fixTextCrc(e, img, m); fixMdaCrc(e, img, m); }
      for (const l of h.labels) fixLabelCrc(e, img, l);
    }
    c.steps.push('checksums fixed');
  }
  c.patches = e.patches;
  return c;
}

export function makeTextCase(r: Rng, corpus: Corpus): TextCase {
  const steps: string[] = [];
  const base = r.pick(corpus.texts);
  steps.push(`from ${base.name}`);
  return { kind: 'text', text: mutateText(base.text, r, corpus, steps), steps };
}

export function makeCase(seed: number, index: number, corpus: Corpus, kind?: 'image' | 'text'): FuzzCase {
  const r = new Rng(seed, index);
  const k = kind ?? (r.chance(0.5) ? 'image' : 'text');
  return k === 'image' ? makeImageCase(r, corpus) : makeTextCase(r, corpus);
}

// ------------------------------------------------------------------ targets

export interface Target {
  name: string;
  kind: 'image' | 'text';
  run(c: FuzzCase, corpus: Corpus): Promise<void>;
}

const REPORTS: Array<Partial<ReportOptions> & { kind: ReportOptions['kind'] }> = [
  { kind: 'pvs' }, { kind: 'vgs' }, { kind: 'lvs' },
  { kind: 'lvs', segments: true, all: true }, { kind: 'pvs', segments: true, all: true },
  { kind: 'lvs', fields: 'lv_all', reportFormat: 'json', all: true }, { kind: 'vgs', fields: 'vg_all', units: 'h' },
  { kind: 'pvs', fields: 'pv_all', units: 'b' }, { kind: 'lvs', segments: true, fields: 'seg_all', reportFormat: 'json_std' },
];

/** Report output must not show values the code failed to compute. */
const BAD_OUTPUT = /\bNaN\b|\bundefined\b|\[object |Infinity|native code/;

function reports(input: ReportInput): void {
  for (const o of REPORTS) {
    const res = runReport(input, { reportFormat: 'basic', ...o });
    const m = BAD_OUTPUT.exec(res.stdout);
    if (m) throw new FuzzFinding('bad-output', `report ${JSON.stringify(o)} printed "${m[0]}": ${res.stdout.slice(Math.max(0, m.index - 200), m.index + 100)}`);
  }
}

function vgReports(vg: VolumeGroup): void {
  const devices = new Map(vg.pvs.map((pv) => [pv.id, { name: `/dev/${pv.key}`, size: 16 * 1024 * 1024 }]));
  reports({ vgs: [{ vg, devices }], orphans: [] });
}

/** Something the fuzzer finds wrong although no exception was thrown. */
export class FuzzFinding extends Error {
  constructor(readonly what: string, message: string) { super(message); this.name = 'FuzzFinding'; }
}

export const TARGETS: Target[] = [
  {
    name: 'label+mda', kind: 'image',
    async run(c, corpus) {
      for (const dev of buildDevices(c as ImageCase, corpus)) {
        let label;
        try { label = await readLabel(dev, { allowBadCrc: true }); } catch (e) { if (e instanceof LvmkitError) continue; throw e; }
        for (const area of label.metadataAreas) {
          const m = await readMetadataArea(dev, area);
          if (m.header) {
            try { await scanMetadataHistory(dev, m); } catch (e) { if (!(e instanceof LvmkitError)) throw e; }
          }
        }
      }
    },
  },
  {
    name: 'inspect', kind: 'image',
    async run(c, corpus) {
      for (const dev of buildDevices(c as ImageCase, corpus)) {
        const out = JSON.stringify(await inspectOpenDevice(dev));
        if (/\bNaN\b|null,"size":null/.test(out)) throw new FuzzFinding('bad-output', `inspect: ${out.slice(0, 300)}`);
      }
    },
  },
  {
    name: 'scan+reports', kind: 'image',
    async run(c, corpus) {
      const scan = await scanOpenDevices(buildDevices(c as ImageCase, corpus), { allowUnreadable: true });
      try {
        for (const m of [...scan.warnings, ...scan.errors.map((e) => e.message)]) checkMessage(m);
        reports(toReportInput(scan));
        await metadataHistory(scan);
      } finally {
        await scan.close();
      }
    },
  },
  {
    name: 'parse+model+print+reports', kind: 'text',
    async run(c) {
      const doc = parseConfig((c as TextCase).text, 'fuzz.vg');
      printConfig(doc, { flavour: 'file' });
      const vg = vgFromConfig(doc, { source: 'fuzz.vg', codecs: lookupSegtype });
      const problems = validateVg(vg);
      for (const p of problems) checkMessage(p.message);
      for (const flavour of ['file', 'raw'] as const) printConfig(vgToConfig(vg, { flavour, codecs: lookupSegtype }), { flavour });
      if (problems.some((p) => p.severity === 'error')) return;
      vgReports(vg);
    },
  },
  {
    // The device-mapper table compiler (src/dm) and the mapper: tables of every LV, and reads of its ends.
    name: 'dm tables+reads', kind: 'image',
    async run(c, corpus) {
      const scan = await scanOpenDevices(buildDevices(c as ImageCase, corpus), { allowUnreadable: true });
      try {
        for (const sv of scan.vgs) {
          for (const partial of [false, true]) {
            const compiled = compileVg(sv.vg, { pvDevice: (pv) => sv.pvs.get(pv.id)?.device, partial });
            for (const sk of compiled.skipped) checkMessage(sk.error.message);
            const text = formatTables(compiled.devices);
            const m = BAD_OUTPUT.exec(text);
            if (m) throw new FuzzFinding('bad-output', `dm table printed "${m[0]}": ${text.slice(Math.max(0, m.index - 200), m.index + 100)}`);
            for (const cl of compiled.lvs) {
              const dev = cl.device;
              if (dev.size <= 0) continue;
              const n = Math.min(4096, dev.size);
              for (const at of [0, dev.size - n]) {
                try { await dev.mapper.read(at, n); } catch (e) { if (!(e instanceof LvmkitError)) throw e; checkMessage(e.message); }
              }
            }
          }
        }
      } finally {
        await scan.close();
      }
    },
  },
  // Add more targets here: { name, kind: 'image' | 'text', run(case, corpus) } (throw only LvmkitErrors).
];

// ------------------------------------------------------------------ judging an outcome

export interface Outcome {
  /** 'ok' (a result), 'error' (an LvmkitError), or a finding. */
  status: 'ok' | 'error' | 'exception' | 'bad-message' | 'bad-output';
  message?: string;
  code?: string;
  stack?: string;
}

/** One line, not empty, no sign of a value that was not computed. */
function messageProblem(m: string): string | undefined {
  if (!m.trim()) return 'empty message';
  if (m.includes('\n')) return 'message spans several lines';
  if (/\bNaN\b|\[object |\bundefined\b(?! reference)/.test(m)) return 'message shows an uncomputed value';
  return undefined;
}

function checkMessage(m: string): void {
  // Messages may quote hostile text (names, values); judge only the text around what they quote.
  const outside = m.replace(/"[^"\n]*"|'[^'\n]*'/g, '""');
  const p = messageProblem(outside.length > 20_000 ? outside.slice(0, 20_000) : outside);
  if (p && p !== 'message spans several lines') throw new FuzzFinding('bad-message', `${p}: ${m.slice(0, 500)}`);
}

export async function runCase(target: Target, c: FuzzCase, corpus: Corpus): Promise<Outcome> {
  try {
    await target.run(c, corpus);
    return { status: 'ok' };
  } catch (e) {
    if (e instanceof LvmkitError) {
      const outside = e.message.replace(/"[^"\n]*"|'[^'\n]*'/g, '""');
      const p = messageProblem(outside.slice(0, 20_000));
      if (p) return { status: 'bad-message', message: `${p}: ${e.message.slice(0, 2000)}`, code: e.code, stack: e.stack };
      return { status: 'error', code: e.code, message: e.message.slice(0, 500) };
    }
    if (e instanceof FuzzFinding) return { status: e.what as Outcome['status'], message: e.message };
    const err = e as Error;
    return { status: 'exception', message: `${err?.name ?? 'thrown'}: ${String(err?.message ?? e).slice(0, 2000)}`, stack: err?.stack };
  }
}

export function isFinding(o: Outcome): boolean {
  return o.status !== 'ok' && o.status !== 'error';
}

// ------------------------------------------------------------------ saved findings

export interface SavedFinding {
  target: string;
  /** 'exception' | 'bad-message' | 'bad-output' | 'slow' | 'memory' | 'crash' */
  what: string;
  message: string;
  stack?: string;
  seed?: number;
  index?: number;
  /** Milliseconds, heap MiB when known. */
  ms?: number;
  memoryMb?: number;
  input: FuzzCase;
  /** Set by a person once the bug is fixed: what was wrong. */
  fixed?: string;
}

export function targetByName(name: string): Target {
  const t = TARGETS.find((x) => x.name === name);
  if (!t) throw new Error(`no fuzz target ${name}`);
  return t;
}

/** A short stable name for a finding file. */
export function findingSignature(f: Pick<SavedFinding, 'target' | 'what' | 'message' | 'stack'>): string {
  const frame = (f.stack ?? '').split('\n').find((l) => l.includes(' at ')) ?? '';
  const msg = f.message.replace(/\d+/g, 'N').replace(/"[^"]*"/g, 'S').slice(0, 120);
  const key = `${f.target}|${f.what}|${msg}|${frame.replace(/:\d+:\d+\)?$/, '')}`;
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193) >>> 0;
  return `${f.target.replace(/[^a-z0-9]+/gi, '-')}-${f.what}-${h.toString(16).padStart(8, '0')}`;
}
