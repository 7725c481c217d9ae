/**
 * The fuzz corpus: images and metadata texts made by real LVM2 (samples/, test/fixtures/), and the
 * committed metadata text of every image. Images whose data past the first MiBs is zeros are kept short
 * in memory (`size` says how large they are). Node-only (reads files).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createGunzip, gunzipSync } from 'node:zlib';
import type { Corpus, CorpusImage } from './engine.js';

const MDA_MAGIC = ' LVM2 x[5A%r0N*>';

/** Committed metadata texts of the areas found by their magic in the first 4 MiB of `b`. */
function areaTexts(b: Uint8Array): string[] {
  const out: string[] = [];
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  for (let at = 0; at + 512 <= Math.min(b.length, 4 * 2 ** 20); at += 512) {
    if (String.fromCharCode(...b.subarray(at + 4, at + 20)) !== MDA_MAGIC) continue;
    const off = Number(v.getBigUint64(at + 40, true));
    const size = Number(v.getBigUint64(at + 48, true));
    if (off && size > 1 && at + off + size <= b.length) out.push(new TextDecoder().decode(b.subarray(at + off, at + off + size - 1)));
  }
  return out;
}

/** The first `keep` bytes of a gzipped image (decompressing no further), and its full size from the gzip trailer. */
async function gunzipHead(path: string, keep: number): Promise<{ bytes: Uint8Array; size: number }> {
  const gz = readFileSync(path);
  const size = gz.readUInt32LE(gz.length - 4); // ISIZE: the size modulo 2^32 (the images are far smaller)
  const chunks: Buffer[] = [];
  let have = 0;
  await new Promise<void>((resolve, reject) => {
    const z = createGunzip();
    z.on('data', (c: Buffer) => {
      chunks.push(c);
      have += c.length;
      if (have >= keep) { z.destroy(); resolve(); }
    });
    z.on('end', resolve);
    z.on('error', (e) => (have >= keep ? resolve() : reject(e)));
    z.end(gz);
  });
  return { bytes: new Uint8Array(Buffer.concat(chunks).subarray(0, keep)), size };
}

export async function loadCorpus(root: string): Promise<Corpus> {
  const images = new Map<string, CorpusImage>();
  const add = async (name: string, path: string, keep?: number) => {
    if (!existsSync(path)) return;
    if (keep) {
      const { bytes, size } = await gunzipHead(path, keep);
      images.set(name, size > bytes.length ? { name, bytes, size } : { name, bytes });
    } else {
      images.set(name, { name, bytes: new Uint8Array(gunzipSync(readFileSync(path))) });
    }
  };
  for (const name of ['sample-pv0', 'sample-pv1', 'sample-gpt']) await add(name, join(root, 'samples', `${name}.img.gz`));
  // VMs' images with raid, mirror, thin, cache, integrity and old-style snapshots: metadata in the first MiB.
  for (const x of ['a', 'b', 'c']) await add(`adv-${x}`, join(root, 'test', 'fixtures', 'advanced', `adv-${x}.img.gz`), 2 * 2 ** 20);
  await add('snapshot-vm', join(root, 'test', 'fixtures', 'snapshot', 'snapshot-vm.img.gz'), 2 * 2 ** 20);
  const groups = [['sample-pv0', 'sample-pv1'], ['sample-gpt'], ['sample-pv0'], ['sample-pv1', 'sample-gpt'],
    ['adv-a', 'adv-b', 'adv-c'], ['adv-b'], ['snapshot-vm']].filter((g) => g.every((n) => images.has(n)));
  const texts: { name: string; text: string }[] = [];
  const seen = new Set<string>();
  const addText = (name: string, text: string) => { if (!seen.has(text)) { seen.add(text); texts.push({ name, text }); } };
  for (const f of readdirSync(join(root, 'samples')).filter((f) => f.endsWith('.vg.txt'))) {
    addText(`samples/${f}`, readFileSync(join(root, 'samples', f), 'utf8'));
  }
  for (const [dir, test] of [['metadata', (f: string) => f.endsWith('.vg') || f.endsWith('.raw')], ['report', (f: string) => /^vg\d+\.txt$/.test(f)]] as const) {
    const fx = join(root, 'test', 'fixtures', dir);
    if (!existsSync(fx)) continue;
    for (const f of readdirSync(fx).filter(test)) addText(`test/fixtures/${dir}/${f}`, readFileSync(join(fx, f), 'utf8'));
  }
  for (const img of images.values()) for (const t of areaTexts(img.bytes)) addText(`${img.name} (metadata area)`, t);
  if (!images.size || !texts.length) throw new Error(`fuzz corpus not found under ${root} (samples/, test/fixtures/)`);
  return { images, groups, texts };
}
