/**
 * `lvmkit demo [DIR]` (what `npm start` runs): find the sample images in DIR (gzip-compressed
 * ones are unpacked into a temporary folder), and report on the volumes they hold.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { LvmkitError } from '../errors.js';
import type { CommandOutput } from './output.js';
import { reportCommand } from './reporting.js';
import { tableCommand } from './table.js';
import { copyDevice } from './dump.js';
import { compileLv } from '../dm/table.js';
import { scanDevices } from './scan.js';

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
    const t = await tableCommand({ devices: images, deviceNames: shown });
    parts.push(`$ lvmkit table --devices ${shown.join(',')}\n${t.stdout}`);
    const sums = await dumpSums(o.dir, images, shown);
    parts.push(sums.text);
    return { stdout: parts.join('\n'), warnings, ...(sums.ok ? {} : { exitCode: 5 }) };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Expected LV checksums from DIR/*.lv-sha256.txt ("LV vg/lv bytes sha256" lines): name -> [bytes, sha, file]. */
async function expectedSums(dir: string): Promise<Map<string, [number, string, string]>> {
  const out = new Map<string, [number, string, string]>();
  for (const f of (await readdir(dir)).filter((n) => n.endsWith('.lv-sha256.txt')).sort()) {
    for (const line of (await readFile(join(dir, f), 'utf8')).split('\n')) {
      const m = /^LV (\S+) (\d+) ([0-9a-f]{64})$/.exec(line.trim());
      if (m) out.set(m[1], [Number(m[2]), m[3], f]);
    }
  }
  return out;
}

/** Dump every LV through the userspace mapper into sha256, beside the expected checksums. */
async function dumpSums(dir: string, images: string[], shown: string[]): Promise<{ text: string; ok: boolean }> {
  const expected = await expectedSums(dir);
  const lines = [`$ lvmkit dump VG/LV --devices ${shown.join(',')} -o - | sha256sum   (every LV; expected: ${dir}/*.lv-sha256.txt)`];
  const scan = await scanDevices(images, { deviceNames: shown });
  let ok = true;
  try {
    for (const sv of scan.vgs) {
      for (const lv of sv.vg.lvs) {
        const name = `${sv.vg.name}/${lv.name}`;
        const c = compileLv(sv.vg, lv, { pvDevice: (pv) => sv.pvs.get(pv.id)?.device });
        const hash = createHash('sha256');
        await copyDevice(c.device.mapper, async (views) => { for (const v of views) hash.update(v); });
        const sum = hash.digest('hex');
        const want = expected.get(name);
        const verdict = !want ? 'no expected checksum' : want[1] === sum && want[0] === c.device.size ? `OK, as in ${want[2]}` : `MISMATCH: ${want[2]} says ${want[0]} bytes ${want[1]}`;
        if (verdict.startsWith('MISMATCH')) ok = false;
        lines.push(`LV ${name} ${c.device.size} ${sum}  ${verdict}`);
      }
    }
  } finally {
    await scan.close();
  }
  return { text: `${lines.join('\n')}\n`, ok };
}
