/**
 * `lvmkit table`, `dump` and `load` on the sample images (made by real LVM2; the expected LV contents in
 * samples/*.lv-sha256.txt were computed from the source files the script wrote, not by lvmkit): tables
 * worked out from LVM2's vgcfgbackup text, dumps to files, stdout and a directory, sparse output, a
 * failed dump leaving no file, load round trips and refusals, and the progress bar's rules.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, expectOneLineError, hashes, ImageSurgeon, pseudoRandomBytes, runCli, sha256 } from './cli-harness.js';
import { extractSample, makeTempDir, removeDir, sampleMetadata, SAMPLES_DIR, simpleVg, type SimpleSection, type SimpleValue } from '../helpers/images.js';
import { outdirPath } from '../../src/commands/dump.js';
import { progressBar, progressLine } from '../../src/commands/progress.js';

let dir: string;
let pv0: string;
let pv1: string;
let gpt: string;
const expected = new Map<string, { bytes: number; sha: string }>();

beforeAll(() => {
  dir = makeTempDir('lvmkit-dm-cli-');
  pv0 = extractSample('sample-pv0', dir);
  pv1 = extractSample('sample-pv1', dir);
  gpt = extractSample('sample-gpt', dir);
  for (const f of ['sample.lv-sha256.txt', 'samplegpt.lv-sha256.txt']) {
    for (const line of readFileSync(join(SAMPLES_DIR, f), 'utf8').trim().split('\n')) {
      const [, lv, bytes, sha] = line.split(' ');
      expected.set(lv, { bytes: Number(bytes), sha });
    }
  }
});
afterAll(() => removeDir(dir));

/** The table of every LV of a vgcfgbackup text, worked out by hand (device names given per PV key). */
function tableFromBackup(text: string, devName: Record<string, string>): string {
  const vg = simpleVg(text);
  const es = vg.extentSize / 512;
  const lines: string[] = [];
  for (const [name, lv] of Object.entries(vg.lvs).sort()) {
    const segs = Object.keys(lv).filter((k) => /^segment\d+$/.test(k)).map((k) => lv[k] as SimpleSection);
    for (const s of segs) {
      const st = s.stripes as SimpleValue[];
      const areas: string[] = [];
      for (let i = 0; i < st.length; i += 2) areas.push(`${devName[String(st[i])]} ${vg.pvs[String(st[i])].peStart / 512 + Number(st[i + 1]) * es}`);
      const head = `${vg.name}-${name}: ${Number(s.start_extent) * es} ${Number(s.extent_count) * es}`;
      lines.push(areas.length === 1 ? `${head} linear ${areas[0]}\n` : `${head} striped ${areas.length} ${s.stripe_size} ${areas.join(' ')}\n`);
    }
  }
  return lines.join('');
}

describe('lvmkit table', () => {
  it('prints the tables LVM2 would load, worked out from vgcfgbackup', () => {
    const r = runCli(['table', 'sample', '--devices', `${pv0},${pv1}`]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(tableFromBackup(sampleMetadata('sample'), { pv0, pv1 }));
    expect(r.stdout).toContain('sample-str: 0 16384 striped 2 128 ');
    const g = runCli(['table', 'samplegpt', '--devices', gpt]);
    expect(g.stdout).toBe(tableFromBackup(sampleMetadata('samplegpt'), { pv0: `${gpt}:p2` }));
    expect(g.stdout.split('\n').filter((l) => l.startsWith('samplegpt-data: '))).toHaveLength(3);
  });

  it('prints one LV without the name prefix, and every VG when no name is given', () => {
    const one = runCli(['table', 'sample/lin', '--devices', `${pv0},${pv1}`]);
    expect(one.stdout).toBe(`0 8192 linear ${pv0} 2048\n`);
    const all = runCli(['table', '--devices', `${pv0},${pv1},${gpt}`]);
    expect(all.stdout.split('\n').filter(Boolean).map((l) => l.split(':')[0])).toEqual(['sample-lin', 'sample-str', 'samplegpt-data', 'samplegpt-data', 'samplegpt-data', 'samplegpt-hole']);
  });

  it('--map and --dmsetup: block devices (partition offsets added for a whole disk) and the concise line', () => {
    const r = runCli(['table', 'samplegpt/data', '--devices', gpt, '--map', `${gpt}=/dev/vdc`]);
    // partition 2 starts at sector 6144 of the disk
    expect(r.stdout).toBe('0 4096 linear /dev/vdc 16384\n4096 4096 linear /dev/vdc 8192\n8192 6144 linear /dev/vdc 22528\n');
    const p = runCli(['table', 'samplegpt/hole', '--devices', gpt, '--map', `${gpt}:p2=/dev/vdc2`]);
    expect(p.stdout).toBe('0 2048 linear /dev/vdc2 14336\n');
    const c = runCli(['table', 'sample', '--devices', `${pv0},${pv1}`, '--dmsetup', '--map', `${pv0}=/dev/loop0`, '--map', `${pv1}=7:1`]);
    expect(c.code, c.stderr).toBe(0);
    expect(c.stdout).toBe('sample-lin,LVM-H37bqtlMJ2PAcNz6M1mTob5vDXByootLOARkBH6T8jHGU427x8fErak7D5HepQod,,rw,0 8192 linear /dev/loop0 2048;'
      + 'sample-str,LVM-H37bqtlMJ2PAcNz6M1mTob5vDXByootLxswELDZtpCp0UWDP5XZUzvZWDpX2I4Xi,,rw,0 16384 striped 2 128 /dev/loop0 10240 7:1 2048\n');
    const missing = runCli(['table', 'sample', '--devices', `${pv0},${pv1}`, '--dmsetup', '--map', `${pv0}=/dev/loop0`]);
    expectOneLineError(missing, `--dmsetup needs a block device for ${pv1}`);
    const bad = runCli(['table', 'sample', '--devices', `${pv0},${pv1}`, '--map', 'nonsense']);
    expectOneLineError(bad, '--map nonsense: expected IMAGE=DEVICE');
    expect(bad.code).toBe(3);
  });

  it('refuses an LV with a missing PV without --partial, in LVM2 words; maps it to error devices with it', () => {
    const r = runCli(['table', 'sample/str', '--devices', pv0]);
    expect(r.code).toBe(5);
    expect(r.stderr.trim().split('\n').pop()).toBe("lvmkit: Refusing activation of partial LV sample/str.  Use '--activationmode partial' to override.");
    for (const flag of ['--partial', '-P', '--activationmode=partial']) {
      const p = runCli(['table', 'sample/str', '--devices', pv0, flag]);
      expect(p.code, p.stderr).toBe(0);
      expect(p.stdout).toBe(`sample-str: 0 16384 striped 2 128 ${pv0} 10240 /dev/mapper/sample-str-missing_0_1 0\nsample-str-missing_0_1: 0 16384 error \n`);
    }
  });
});

describe('lvmkit dump', () => {
  it('writes each sample LV exactly (file and stdout)', () => {
    for (const [lv, want] of expected) {
      const devs = lv.startsWith('samplegpt/') ? gpt : `${pv0},${pv1}`;
      const out = join(dir, `${lv.replace('/', '_')}.img`);
      const r = runCli(['dump', lv, '--devices', devs, '-o', out]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe('');
      expect(statSync(out).size).toBe(want.bytes);
      expect(sha256(out), lv).toBe(want.sha);
      const s = spawnSync(process.execPath, [CLI, 'dump', lv, '--devices', devs, '-o', '-'], { maxBuffer: 64 << 20 });
      expect(s.status).toBe(0);
      expect(createHash('sha256').update(s.stdout).digest('hex'), `${lv} on stdout`).toBe(want.sha);
    }
  });

  it('dumps a VG into DIR/LV.img, sparse, without following a symlink out of DIR', () => {
    const out = join(dir, 'outdir');
    mkdirSync(out);
    const victim = join(dir, 'victim.txt');
    writeFileSync(victim, 'do not touch\n');
    symlinkSync(victim, join(out, 'hole.img'));
    const r = runCli(['dump', 'samplegpt', '--devices', gpt, '--outdir', out, '--sparse']);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['data.img', 'hole.img']);
    expect(readFileSync(victim, 'utf8')).toBe('do not touch\n');
    expect(lstatSync(join(out, 'hole.img')).isFile()).toBe(true);
    for (const lv of ['data', 'hole']) expect(sha256(join(out, `${lv}.img`))).toBe(expected.get(`samplegpt/${lv}`)!.sha);
    // The ext4 in data has long runs of zeros: --sparse leaves them as holes.
    const st = statSync(join(out, 'data.img'));
    expect(st.blocks * 512).toBeLessThan(st.size * 0.9);
  });

  it('--outdir: a missing DIR is created, a file in its place is refused', () => {
    const fresh = join(dir, 'fresh-outdir');
    const r = runCli(['dump', 'sample', '--devices', `${pv0},${pv1}`, '--outdir', fresh]);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(fresh).sort()).toEqual(['lin.img', 'str.img']);
    expect(sha256(join(fresh, 'str.img'))).toBe(expected.get('sample/str')!.sha);
    const synced = join(dir, 'synced-str.img');
    const rs = runCli(['dump', 'sample/str', '--devices', `${pv0},${pv1}`, '-o', synced, '--sync']);
    expect(rs.code, rs.stderr).toBe(0);
    expect(sha256(synced)).toBe(expected.get('sample/str')!.sha);
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    expectOneLineError(runCli(['dump', 'sample', '--devices', `${pv0},${pv1}`, '--outdir', file]), 'not a directory');
    expectOneLineError(runCli(['dump', 'sample', '--devices', `${pv0},${pv1}`, '--outdir', join(dir, 'no', 'such', 'parent')]), 'cannot create the directory');
  });

  it('refuses LV names that would land outside the directory', () => {
    for (const bad of ['..', '.', '../x', 'a/b', 'a\\b', '.hidden', '']) expect(() => outdirPath('/some/dir', bad), bad).toThrow(/outside|cannot be used/);
    expect(outdirPath('/some/dir', 'lv_1')).toBe('/some/dir/lv_1.img');
  });

  it('a failed dump leaves no output file (and no temporary file)', () => {
    const work = join(dir, 'fail');
    mkdirSync(work);
    const bad = ImageSurgeon.copy(pv1, join(work, 'pv1-short.img'));
    bad.truncate(3 * 1024 * 1024); // str needs pv1 bytes up to 5 MiB
    const out = join(work, 'str.img');
    const r = runCli(['dump', 'sample/str', '--devices', `${pv0},${bad.path}`, '-o', out]);
    expectOneLineError(r, 'pv1-short.img', /offset \d+/);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(work)).toEqual(['pv1-short.img']);
  });

  it('needs an output, and --outdir for a whole VG', () => {
    expectOneLineError(runCli(['dump', 'sample/lin', '--devices', `${pv0},${pv1}`]), '-o FILE');
    expectOneLineError(runCli(['dump', 'sample', '--devices', `${pv0},${pv1}`, '-o', join(dir, 'x')]), '--outdir');
    expectOneLineError(runCli(['dump', 'sample/nope', '--devices', `${pv0},${pv1}`, '-o', join(dir, 'x')]), 'Failed to find logical volume "sample/nope"');
  });
});

describe('lvmkit load', () => {
  it('writes a file into an LV (striped too), dump gives it back; the rest of the LV is left as it was', () => {
    const work = join(dir, 'load');
    mkdirSync(work);
    const a = ImageSurgeon.copy(pv0, join(work, 'a.img')).path;
    const b = ImageSurgeon.copy(pv1, join(work, 'b.img')).path;
    const data = pseudoRandomBytes(5 * 1024 * 1024 + 777, 31);
    const input = join(work, 'in.bin');
    writeFileSync(input, data);
    const r = runCli(['load', 'sample/str', '--devices', `${a},${b}`, '-i', input]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).toBe('');
    const s = spawnSync(process.execPath, [CLI, 'dump', 'sample/str', '--devices', `${a},${b}`, '-o', '-'], { maxBuffer: 64 << 20 });
    expect(Buffer.compare(s.stdout.subarray(0, data.length), data)).toBe(0);
    // Past the input, the sample's own text is still there: "lvmkit sample/str @<offset>".
    const tail = s.stdout.subarray(6 * 1024 * 1024, 6 * 1024 * 1024 + 64).toString('latin1');
    expect(tail.startsWith(`lvmkit sample/str @${6 * 1024 * 1024}\n`)).toBe(true);
    // From stdin.
    const small = pseudoRandomBytes(100000, 5);
    const st = spawnSync(process.execPath, [CLI, 'load', 'sample/lin', '--devices', `${a},${b}`, '-i', '-'], { input: small });
    expect(st.status, String(st.stderr)).toBe(0);
    const back = spawnSync(process.execPath, [CLI, 'dump', 'sample/lin', '--devices', `${a},${b}`, '-o', '-'], { maxBuffer: 64 << 20 });
    expect(Buffer.compare(back.stdout.subarray(0, small.length), small)).toBe(0);
  });

  it('--test checks the LV and the input, says what it would write, and opens the images read-only', () => {
    const work = join(dir, 'load-test');
    mkdirSync(work);
    const a = ImageSurgeon.copy(pv0, join(work, 'a.img')).path;
    const b = ImageSurgeon.copy(pv1, join(work, 'b.img')).path;
    chmodSync(a, 0o444);
    chmodSync(b, 0o444);
    // chmod does not stop root: make the images immutable too (chattr, as the read-only tests do).
    const immutable = spawnSync('chattr', ['+i', a, b]).status === 0;
    const before = hashes([a, b]);
    const input = join(work, 'in.bin');
    writeFileSync(input, pseudoRandomBytes(1000, 3));
    let r;
    try {
      r = runCli(['load', 'sample/lin', '--devices', `${a},${b}`, '-i', input, '--test']);
    } finally {
      if (immutable) spawnSync('chattr', ['-i', a, b]);
    }
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('  TEST MODE: Metadata will NOT be updated and volumes will not be (de)activated.\n'
      + `  Test mode: would write 1000 bytes of ${input} into LV sample/lin (4194304 bytes), from its first byte\n`);
    expect(hashes([a, b])).toEqual(before);
    // The checks still apply in test mode.
    writeFileSync(input, new Uint8Array(4194305));
    expectOneLineError(runCli(['load', 'sample/lin', '--devices', `${a},${b}`, '-i', input, '--test']), 'larger than LV sample/lin');
  });

  it('refuses input larger than the LV and changes nothing', () => {
    const work = join(dir, 'load2');
    mkdirSync(work);
    const a = ImageSurgeon.copy(pv0, join(work, 'a.img')).path;
    const b = ImageSurgeon.copy(pv1, join(work, 'b.img')).path;
    const input = join(work, 'big.bin');
    writeFileSync(input, pseudoRandomBytes(4 * 1024 * 1024 + 1, 8));
    const before = hashes([a, b]);
    const r = runCli(['load', 'sample/lin', '--devices', `${a},${b}`, '-i', input]);
    expectOneLineError(r, `${input}: input is 4194305 bytes, larger than LV sample/lin (4194304 bytes): nothing was written`);
    expect(hashes([a, b])).toEqual(before);
    const s = spawnSync(process.execPath, [CLI, 'load', 'sample/lin', '--devices', `${a},${b}`, '-i', '-'], { input: pseudoRandomBytes(4 * 1024 * 1024 + 10, 9) });
    expect(s.status).toBe(3);
    expect(String(s.stderr)).toMatch(/^lvmkit: stdin: input is more than 4194304 bytes, larger than LV sample\/lin/);
    const missing = runCli(['load', 'sample/str', '--devices', a, '-i', input]);
    expectOneLineError(missing, "Refusing activation of partial LV sample/str.  Use '--activationmode partial' to override.");
  });
});

describe('lvmkit demo (npm start)', () => {
  it('dumps every sample LV and shows checksums equal to samples/*.lv-sha256.txt', () => {
    const r = runCli(['demo', 'samples']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n').filter((l) => l.startsWith('LV '));
    expect(lines).toHaveLength(expected.size);
    for (const [lv, want] of expected) expect(lines).toContain(`LV ${lv} ${want.bytes} ${want.sha}  OK, as in ${lv.split('/')[0]}.lv-sha256.txt`);
  });
});

describe('progress bar', () => {
  it('draws only on a terminal, and erases itself at the end', () => {
    const writes: string[] = [];
    const pipe = progressBar('vg/lv', 100, { isTTY: false, write: (s: string) => writes.push(s) });
    pipe.update(50);
    pipe.finish();
    expect(writes).toEqual([]);
    const tty = progressBar('vg/lv', 100, { isTTY: true, columns: 100, write: (s: string) => writes.push(s) });
    tty.update(100);
    tty.finish();
    expect(writes).toHaveLength(2);
    expect(writes[0]).toMatch(/^\rvg\/lv \[#+\] 100% 100 B\/100 B \S+ \S*B\/s ETA (0:00|--:--)\x1b\[K$/);
    expect(writes[1]).toBe('\r\x1b[K');
  });

  it('shows bytes, rate and ETA', () => {
    expect(progressLine('x', 512 * 1024 * 1024, 1024 * 1024 * 1024, 2, 80)).toMatch(/^x \[#+-+\]  50% 512\.0 MiB\/1\.0 GiB 256\.0 MiB\/s ETA 0:02$/);
  });
});
