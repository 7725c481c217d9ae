/**
 * Tables, load and dump against real LVM2 and an independent reader:
 * - LVs built by real LVM2 (linear; striped with 2/3/4 stripes and 4K/64K/1M chunks; a mixed LV whose
 *   segments are linear and striped on different PVs): `lvmkit table` must equal the tables worked out
 *   here from LVM2's own segment report (seg_start_pe, seg_size_pe, seg_pe_ranges, stripes, stripe_size)
 *   and pe_start;
 * - `lvmkit load` puts random data (and an ext4 made with `mkfs.ext4 -d`) into the LVs, GRUB's
 *   grub-fstest reads them back from the same image files (crc of the blocklist, ls and cp of the files),
 *   and `lvmkit dump` gives back the exact bytes;
 * - with a PV left out, the LVs on it are refused without --partial, and dumped with zeros for the
 *   missing chunks with it.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import CRC32 from 'crc-32';
import { afterAll, beforeAll, expect } from 'vitest';
import { describeInterop, itInterop, LoopLab, runProgram, type LabDevice } from '../helpers/lvm2.js';
import { pseudoRandomBytes, runCli, sha256 } from '../cli/cli-harness.js';
import { tableCommand } from '../../src/commands/table.js';
import { dumpCommand } from '../../src/commands/dump.js';
import { loadCommand } from '../../src/commands/load.js';

const STRIPES = [2, 3, 4];
const CHUNKS: Array<[string, number]> = [['4k', 4096], ['64k', 65536], ['1m', 1048576]];

function grubAvailable(): boolean {
  return spawnSync('grub-fstest', ['--help'], { stdio: 'ignore' }).status === 0;
}

/** The table lines of every LV of `vg`, worked out from LVM2's own reports (`name: start len target args`). */
function tablesFromLvm2(lab: LoopLab, vg: string): string {
  const es = Number(lab.report('vgs', ['-o', 'vg_extent_size', vg])[0].vg_extent_size) / 512;
  const peStart = new Map(lab.report('pvs', ['-o', 'pv_name,pe_start']).map((r) => [r.pv_name, Number(r.pe_start) / 512]));
  const rows = lab.report('lvs', ['--segments', '-o', 'lv_name,seg_start_pe,seg_size_pe,seg_pe_ranges,stripes,stripe_size', vg]);
  const lines = rows.map((r) => {
    const ranges = r.seg_pe_ranges.trim().split(/\s+/).map((s) => {
      const m = /^(\/dev\/\S+):(\d+)-(\d+)$/.exec(s);
      if (!m) throw new Error(`unexpected seg_pe_ranges item "${s}"`);
      const image = lab.imageOf(m[1])!.image;
      return `${image} ${peStart.get(m[1])! + Number(m[2]) * es}`;
    });
    const start = Number(r.seg_start_pe) * es;
    const len = Number(r.seg_size_pe) * es;
    const n = Number(r.stripes);
    const dm = `${vg}-${r.lv_name}`;
    if (n === 1) return `${dm}: ${start} ${len} linear ${ranges[0]}`;
    return `${dm}: ${start} ${len} striped ${n} ${Number(r.stripe_size) / 512} ${ranges.join(' ')}`;
  });
  return lines.sort((a, b) => (a.split(':')[0] < b.split(':')[0] ? -1 : a.split(':')[0] > b.split(':')[0] ? 1 : Number(a.split(' ')[1]) - Number(b.split(' ')[1]))).map((l) => `${l}\n`).join('');
}

function grubCrc(images: string[], vg: string, lv: string, bytes: number): number {
  const r = runProgram('grub-fstest', ['-c', String(images.length), ...images, 'crc', `(lvm/${vg}-${lv})0+${bytes / 512}`]);
  return Number.parseInt(r.stdout.trim(), 16) >>> 0;
}

describeInterop('device-mapper tables, load and dump against real LVM2 and GRUB', () => {
  let lab: LoopLab;
  let disks: LabDevice[];
  let images: string[];
  let vg: string;
  const lvSizes = new Map<string, number>();

  beforeAll(() => {
    lab = new LoopLab();
    disks = [0, 1, 2, 3].map((i) => lab.disk(`d${i}.img`, '48M'));
    images = disks.map((d) => d.image);
    vg = lab.vgName();
    lab.pvcreate(disks.map((d) => d.dev));
    lab.vgcreate(vg, disks.map((d) => d.dev), ['-s', '1m']);
    lab.lvcreate(vg, ['-n', 'lin', '-l', '3'], [`${disks[2].dev}:5-7`]);
    for (const n of STRIPES) {
      for (const [c] of CHUNKS) lab.lvcreate(vg, ['-n', `s${n}c${c}`, '-i', String(n), '-I', c, '-l', String(n * 3)]);
    }
    // Mixed: linear on d1, then 2 stripes x 64K, linear on d3, 3 stripes x 4K.
    lab.lvcreate(vg, ['-n', 'mixed', '-l', '2'], [disks[1].dev]);
    lab.lvm('lvextend', ['--driverloaded', 'n', '-i', '2', '-I', '64k', '-l', '+4', `${vg}/mixed`, disks[0].dev, disks[2].dev]);
    lab.lvm('lvextend', ['--driverloaded', 'n', '-i', '1', '-l', '+2', `${vg}/mixed`, disks[3].dev]);
    lab.lvm('lvextend', ['--driverloaded', 'n', '-i', '3', '-I', '4k', '-l', '+3', `${vg}/mixed`, disks[0].dev, disks[1].dev, disks[2].dev]);
    for (const r of lab.report('lvs', ['-o', 'lv_name,lv_size', vg])) lvSizes.set(r.lv_name, Number(r.lv_size));
  });
  afterAll(() => lab?.cleanup());

  itInterop('tables equal the ones worked out from LVM2\'s segment report', async () => {
    const segs = lab.report('lvs', ['--segments', '-o', 'lv_name,segtype', `${vg}/mixed`]);
    expect(segs.map((s) => s.segtype)).toEqual(['linear', 'striped', 'linear', 'striped']);
    const expected = tablesFromLvm2(lab, vg);
    expect(expected.split('\n').length).toBeGreaterThan(STRIPES.length * CHUNKS.length + 4);
    const out = await tableCommand({ devices: images, names: [vg] });
    expect(out.stdout).toBe(expected);
    // One LV: no name prefix, as `dmsetup table NAME` prints it.
    const one = await tableCommand({ devices: images, names: [`${vg}/s3c64k`] });
    const prefix = `${vg}-s3c64k: `;
    expect(one.stdout).toBe(expected.split('\n').filter((l) => l.startsWith(prefix)).map((l) => `${l.slice(prefix.length)}\n`).join(''));
    // --map with the loop devices: the table the kernel would get for these devices.
    const map = disks.map((d) => `${d.image}=${d.dev}`);
    const mapped = await tableCommand({ devices: images, names: [vg], map });
    let withLoops = expected;
    for (const d of disks) withLoops = withLoops.split(`${d.image} `).join(`${d.dev} `);
    expect(mapped.stdout).toBe(withLoops);
  });

  itInterop('load of random data is read back by grub-fstest and by dump, byte for byte', async () => {
    expect(grubAvailable(), 'grub-fstest is needed (package grub-common)').toBe(true);
    const work = join(lab.dir, 'data');
    mkdirSync(work);
    let seed = 1;
    for (const [name, size] of lvSizes) {
      const data = pseudoRandomBytes(size, seed++);
      const file = join(work, `${name}.in`);
      writeFileSync(file, data);
      const r = await loadCommand({ devices: images, name: `${vg}/${name}`, input: file });
      expect(r.bytes).toBe(size);
      expect(grubCrc(images, vg, name, size), `grub-fstest crc of ${name}`).toBe(CRC32.buf(data) >>> 0);
      const out = join(work, `${name}.out`);
      await dumpCommand({ devices: images, name: `${vg}/${name}`, output: out });
      expect(sha256(out), `dump of ${name}`).toBe(createHash('sha256').update(data).digest('hex'));
    }
  });

  itInterop('an ext4 made with mkfs.ext4 -d, loaded into the mixed LV, is listed and copied out by grub-fstest', async () => {
    const work = join(lab.dir, 'fs');
    const tree = join(work, 'tree');
    mkdirSync(join(tree, 'sub', 'deeper'), { recursive: true });
    const big = pseudoRandomBytes(3 * 1024 * 1024 + 123, 77);
    writeFileSync(join(tree, 'hello.txt'), 'hello from an LV loaded by lvmkit\n');
    writeFileSync(join(tree, 'big.bin'), big);
    writeFileSync(join(tree, 'sub', 'deeper', 'note.txt'), 'deep\n');
    const fs = join(work, 'fs.ext4');
    const size = lvSizes.get('mixed')!;
    writeFileSync(fs, new Uint8Array(0));
    runProgram('truncate', ['-s', String(size), fs]);
    runProgram('mkfs.ext4', ['-q', '-F', '-b', '1024', '-d', tree, fs]);
    const r = runCli(['load', `${vg}/mixed`, '--devices', images.join(','), '-i', fs]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    const grub = (...args: string[]) => runProgram('grub-fstest', ['-c', String(images.length), ...images, ...args]).stdout;
    expect(grub('ls', `(lvm/${vg}-mixed)/`).trim().split(/\s+/).sort()).toEqual(['big.bin', 'hello.txt', 'lost+found/', 'sub/']);
    expect(grub('ls', `(lvm/${vg}-mixed)/sub/deeper`).trim()).toBe('note.txt');
    grub('cp', `(lvm/${vg}-mixed)/big.bin`, join(work, 'big.out'));
    expect(Buffer.compare(readFileSync(join(work, 'big.out')), big)).toBe(0);
    expect(grub('cat', `(lvm/${vg}-mixed)/hello.txt`)).toBe('hello from an LV loaded by lvmkit\n');
    const out = join(work, 'mixed.dump');
    const d = runCli(['dump', `${vg}/mixed`, '--devices', images.join(','), '-o', out]);
    expect(d.code, d.stderr).toBe(0);
    expect(d.stderr).toBe(''); // not a terminal: no progress bar
    expect(sha256(out)).toBe(sha256(fs));
  });

  itInterop('with a PV left out: refused without --partial, zeros for the missing chunks with it', async () => {
    // Give the LV known content first.
    const size = lvSizes.get('s4c64k')!;
    const data = pseudoRandomBytes(size, 4242);
    const file = join(lab.dir, 'partial.in');
    writeFileSync(file, data);
    await loadCommand({ devices: images, name: `${vg}/s4c64k`, input: file });
    const some = [images[0], images[1], images[3]];
    const refused = runCli(['dump', `${vg}/s4c64k`, '--devices', some.join(','), '-o', join(lab.dir, 'x.img')]);
    expect(refused.code).toBe(5);
    expect(refused.stderr).toContain(`lvmkit: Refusing activation of partial LV ${vg}/s4c64k.  Use '--activationmode partial' to override.`);
    const out = join(lab.dir, 'partial.out');
    const r = runCli(['dump', `${vg}/s4c64k`, '--devices', some.join(','), '-o', out, '--partial']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`s4c64k: stripe 3 of 4 of bytes 0-${size - 1} .*is on missing PV .*: written as zeros`));
    // Which stripe is on d2 comes from LVM2's report.
    const ranges = lab.report('lvs', ['--segments', '-o', 'seg_pe_ranges', `${vg}/s4c64k`])[0].seg_pe_ranges.trim().split(/\s+/);
    const missingStripe = ranges.findIndex((s) => s.startsWith(`${disks[2].dev}:`));
    expect(missingStripe).toBe(2);
    const want = Buffer.from(data);
    const chunk = 65536;
    for (let x = 0; x < size; x += chunk) if ((x / chunk) % 4 === missingStripe) want.fill(0, x, x + chunk);
    expect(Buffer.compare(readFileSync(out), want)).toBe(0);
    const t = runCli(['table', `${vg}/s4c64k`, '--devices', some.join(','), '-P']);
    expect(t.code, t.stderr).toBe(0);
    const len = size / 512;
    expect(t.stdout).toContain(`${vg}-s4c64k-missing_0_2: 0 ${len} error \n`);
    expect(t.stdout).toMatch(new RegExp(`^${vg}-s4c64k: 0 ${len} striped 4 128 \\S+ \\d+ \\S+ \\d+ /dev/mapper/${vg}-s4c64k-missing_0_2 0 \\S+ \\d+\\n`, 'm'));
  });
});
