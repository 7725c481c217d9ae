/**
 * `lvmkit demo [DIR]` (what `npm start` runs): find the sample images in DIR (gzip-compressed
 * ones are unpacked into a temporary folder), and report on the volumes they hold.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { LvmkitError } from '../errors.js';
import type { CommandOutput } from './output.js';
import { reportCommand } from './reporting.js';

export async function demoCommand(o: { dir: string }): Promise<CommandOutput> {
  let names: string[];
  try {
    names = (await readdir(o.dir)).filter((n) => /\.img(\.gz)?$/.test(n)).sort();
  } catch (e) {
    throw new LvmkitError('EDEVICE_OPEN', `${o.dir}: cannot list the sample folder (${(e as Error).message})`);
  }
  if (!names.length) throw new LvmkitError('EDEVICE_OPEN', `${o.dir}: no sample images (*.img, *.img.gz) found`);
  const work = await mkdtemp(join(tmpdir(), 'lvmkit-demo-'));
  try {
    const images: string[] = [];
    for (const n of names) {
      if (n.endsWith('.gz')) {
        const out = join(work, n.slice(0, -3));
        await writeFile(out, gunzipSync(await readFile(join(o.dir, n))));
        images.push(out);
      } else {
        images.push(join(o.dir, n));
      }
    }
    const parts: string[] = [];
    const warnings: string[] = [];
    const shown = names.map((n) => join(o.dir, n.replace(/\.gz$/, '')));
    parts.push(`# Sample images (gzip ones unpacked to a temporary folder): ${shown.join(', ')}\n`);
    for (const [title, kind, extra] of [
      ['pvs', 'pvs', {}], ['vgs', 'vgs', {}], ['lvs', 'lvs', {}],
      ['lvs --segments -o +seg_pe_ranges,devices', 'lvs', { segments: true, options: '+seg_pe_ranges,devices' }],
    ] as const) {
      const r = await reportCommand(kind, { devices: images, deviceNames: shown, ...extra });
      parts.push(`$ lvmkit ${title} --devices ${shown.join(',')}\n${r.stdout}`);
      warnings.push(...r.warnings);
    }
    return { stdout: parts.join('\n'), warnings };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
