/**
 * The fast path of `dump` and `table` (cli/fast-path.ts) must behave exactly like the full yargs CLI:
 * each command line runs both ways (LVMKIT_NO_FAST_PATH=1 sends it to yargs), and stdout, stderr, the exit
 * code and the files written must be identical - and, where the dump succeeds, equal to the LV contents
 * recorded when real LVM2 made the sample images (samples/sample.lv-sha256.txt). Command lines yargs must
 * judge (help, a missing or extra name, unknown options, a missing value, a bad choice) are declined by
 * the fast path and get yargs' usage errors either way.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractSample, makeTempDir, removeDir, SAMPLES_DIR } from '../helpers/images.js';
import { CLI } from './cli-harness.js';
import { FAST_VERBS, fastArgs, fastPath } from '../../cli/fast-path.js';
import { findVerb, optionsOfVerb, optionTable } from '../../cli/argv.js';
import { verbs } from '../../cli/commands/index.js';
import { DUMP_OPTIONS } from '../../cli/commands/dump.js';
import { TABLE_OPTIONS } from '../../cli/commands/table.js';

let dir: string;
let p0: string;
let p1: string;
const lvSha = new Map<string, string>();

beforeAll(() => {
  dir = makeTempDir('lvmkit-fastdump-');
  p0 = extractSample('sample-pv0', dir);
  p1 = extractSample('sample-pv1', dir);
  for (const line of readFileSync(join(SAMPLES_DIR, 'sample.lv-sha256.txt'), 'utf8').trim().split('\n')) {
    const [, lv, , sha] = line.split(' ');
    lvSha.set(lv, sha);
  }
});
afterAll(() => removeDir(dir));

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

interface Run { code: number | null; stdout: string; stderr: string; files: Record<string, string> }

/** Run the CLI (fast path or yargs) with OUT (a file path) and OUTDIR (a directory) fresh, and collect what it wrote. */
function run(args: (d: { p0: string; p1: string; out: string; outdir: string }) => string[], yargsOnly: boolean): Run {
  const out = join(dir, 'out.img');
  const outdir = join(dir, 'outdir');
  rmSync(out, { force: true });
  rmSync(outdir, { recursive: true, force: true });
  const r = spawnSync(process.execPath, [CLI, ...args({ p0, p1, out, outdir })], {
    maxBuffer: 64 << 20, env: { ...process.env, LC_ALL: 'C', NO_COLOR: '1', ...(yargsOnly ? { LVMKIT_NO_FAST_PATH: '1' } : {}) },
  });
  if (r.error) throw r.error;
  const files: Record<string, string> = {};
  if (existsSync(out)) files['OUT'] = sha(readFileSync(out));
  if (existsSync(outdir)) for (const f of readdirSync(outdir).sort()) files[`OUTDIR/${f}`] = sha(readFileSync(join(outdir, f)));
  for (const f of readdirSync(dir)) if (f.endsWith('.tmp')) files[`left over: ${f}`] = '';
  return { code: r.status, stdout: sha(r.stdout), stderr: r.stderr.toString(), files };
}

type Line = (d: { p0: string; p1: string; out: string; outdir: string }) => string[];

describe('dump and table: the fast path gives what yargs gives', () => {
  const lines: Array<[string, Line, ((r: Run) => void)?]> = [
    ['dump VG/LV -o OUT', (d) => ['dump', 'sample/lin', '--devices', `${d.p0},${d.p1}`, '-o', d.out],
      (r) => expect(r.files).toEqual({ OUT: lvSha.get('sample/lin') })],
    ['options first, --devices twice, --sparse', (d) => ['dump', '--devices', d.p0, '--devices', d.p1, '--sparse', 'sample/str', '--output', d.out],
      (r) => expect(r.files).toEqual({ OUT: lvSha.get('sample/str') })],
    ['-o - (stdout)', (d) => ['dump', 'sample/str', '--devices', `${d.p0},${d.p1}`, '-o', '-'],
      (r) => expect(r.stdout).toBe(lvSha.get('sample/str'))],
    ['--outdir with --sync', (d) => ['dump', 'sample', '--devices', `${d.p0},${d.p1}`, '--outdir', d.outdir, '--sync'],
      (r) => expect(r.files).toEqual({ 'OUTDIR/lin.img': lvSha.get('sample/lin'), 'OUTDIR/str.img': lvSha.get('sample/str') })],
    ['-o=OUT and --devices=', (d) => ['dump', `--devices=${d.p0},${d.p1}`, 'sample/lin', `-o=${d.out}`],
      (r) => expect(r.files).toEqual({ OUT: lvSha.get('sample/lin') })],
    ['a PV missing: refused', (d) => ['dump', 'sample/str', '--devices', d.p0, '-o', d.out],
      (r) => { expect(r.code).toBe(5); expect(r.files).toEqual({}); }],
    ['a PV missing, -Po OUT (grouped as getopt reads it): zeros and the missing ranges', (d) => ['dump', 'sample/str', '--devices', d.p0, '-Po', d.out],
      (r) => { expect(r.code).toBe(0); expect(r.stderr).toContain('PARTIAL MODE'); expect(r.stderr).toContain('written as zeros'); }],
    ['--activationmode partial', (d) => ['dump', 'sample/str', '--devices', d.p0, '--activationmode', 'partial', '-o', d.out],
      (r) => expect(r.stderr).toContain('PARTIAL MODE')],
    ['--sparse=yes (yargs-parser reads it as false, both ways)', (d) => ['dump', 'sample/lin', '--devices', `${d.p0},${d.p1}`, '--sparse=yes', '-o', d.out],
      (r) => expect(r.files).toEqual({ OUT: lvSha.get('sample/lin') })],
    ['no output named', (d) => ['dump', 'sample/lin', '--devices', `${d.p0},${d.p1}`],
      (r) => { expect(r.code).toBe(3); expect(r.stderr).toMatch(/^lvmkit: .*-o FILE/); }],
    ['no such LV', (d) => ['dump', 'sample/nope', '--devices', `${d.p0},${d.p1}`, '-o', d.out],
      (r) => expect(r.stderr).toContain('Failed to find logical volume "sample/nope"')],
    // Declined by the fast path: yargs' own usage errors.
    ['no name', (d) => ['dump', '--devices', `${d.p0},${d.p1}`, '-o', d.out], (r) => expect(r.code).toBe(3)],
    ['two names', (d) => ['dump', 'sample/lin', 'sample/str', '--devices', `${d.p0},${d.p1}`, '-o', d.out]],
    ['unknown option', (d) => ['dump', 'sample/lin', '--devices', `${d.p0},${d.p1}`, '-o', d.out, '--bogus'],
      (r) => { expect(r.code).toBe(3); expect(r.stderr).toMatch(/Unknown argument: bogus/); }],
    ['-o without a value', (d) => ['dump', 'sample/lin', '--devices', `${d.p0},${d.p1}`, '-o'], (r) => expect(r.code).toBe(3)],
    ['-o twice', (d) => ['dump', 'sample/lin', '--devices', `${d.p0},${d.p1}`, '-o', d.out, '-o', d.out]],
    ['bad --activationmode', (d) => ['dump', 'sample/lin', '--devices', d.p0, '--activationmode', 'bogus', '-o', d.out],
      (r) => { expect(r.code).toBe(3); expect(r.stderr).toMatch(/^lvmkit: Invalid values:/); }],
    ['dump --help', () => ['dump', '--help'], (r) => { expect(r.code).toBe(0); expect(r.stdout).not.toBe(sha(new Uint8Array(0))); }],
    ['table of a VG', (d) => ['table', 'sample', '--devices', `${d.p0},${d.p1}`]],
    ['table of everything, --devices twice', (d) => ['table', '--devices', d.p0, '--devices', d.p1]],
    ['table --dmsetup with --map twice', (d) => ['table', 'sample/str', '--devices', `${d.p0},${d.p1}`, '--dmsetup', '--map', `${d.p0}=/dev/loop7`, '--map', `${d.p1}=7:9`]],
    ['table, a PV missing, -P', (d) => ['table', 'sample', '--devices', d.p0, '-P']],
    ['table, a PV missing', (d) => ['table', 'sample', '--devices', d.p0], (r) => expect(r.code).not.toBe(0)],
    ['table --map without a value', (d) => ['table', '--devices', d.p0, '--map'], (r) => expect(r.code).toBe(3)],
  ];
  for (const [what, line, check] of lines) {
    it(what, () => {
      const fast = run(line, false);
      const slow = run(line, true);
      expect(fast).toEqual(slow);
      check?.(fast);
    });
  }
});

describe('the fast path\'s tables and choices', () => {
  it('the yargs commands of dump and table declare exactly the tables the fast path reads', () => {
    for (const [name, table] of [['dump', DUMP_OPTIONS], ['table', TABLE_OPTIONS]] as const) {
      const declared = optionsOfVerb(findVerb(verbs, name)!);
      expect(declared).toEqual(table);
      expect(FAST_VERBS[name].options).toBe(table);
      expect(optionTable(declared)).toEqual(optionTable(FAST_VERBS[name].options));
    }
  });

  it('gives the handler what yargs would: the name, the options under their long names', () => {
    expect(fastArgs(FAST_VERBS.dump, ['dump', 'vg/lv', '--devices', 'a.img,b.img', '-o', 'out.img', '--sparse', '-P']))
      .toEqual({ name: 'vg/lv', devices: 'a.img,b.img', output: 'out.img', sparse: true, partial: true });
    expect(fastArgs(FAST_VERBS.dump, ['dump', '--devices', 'a.img', '--devices', 'b.img', 'vg', '--outdir', 'd']))
      .toEqual({ name: 'vg', devices: ['a.img', 'b.img'], outdir: 'd' });
    expect(fastArgs(FAST_VERBS.table, ['table', '--devices', 'a.img', '--map', 'a.img=/dev/loop0', '--map', 'b.img=7:1', 'vg', 'vg2/lv']))
      .toEqual({ names: ['vg', 'vg2/lv'], devices: 'a.img', map: ['a.img=/dev/loop0', 'b.img=7:1'] });
    expect(fastArgs(FAST_VERBS.table, ['table', '--devices', 'a.img'])).toEqual({ names: [], devices: 'a.img' });
  });

  it('declines what yargs must judge', () => {
    for (const argv of [
      ['dump', '--help'], ['dump', 'vg/lv', '-h'], ['dump', '--version'], ['dump', '--devices', 'a.img', '-o', 'x'],
      ['dump', 'a', 'b', '--devices', 'a.img', '-o', 'x'], ['dump', 'vg/lv', '--bogus'], ['dump', 'vg/lv', '-o'],
      ['dump', 'vg/lv', '-o', 'x', '-o', 'y'], ['dump', 'vg/lv', '--activationmode', 'full'],
      ['dump', '-o', 'x', '--', '-vg/lv'], ['table', '--map'], ['table', '--activationmode', 'x'], ['load', 'vg/lv'],
    ]) {
      const work = fastPath(argv);
      work?.catch(() => {});
      expect(work, argv.join(' ')).toBeUndefined();
    }
  });

  it('runs a plain dump command line itself', async () => {
    const work = fastPath(['dump', 'vg/lv', '--devices', join(dir, 'no-such.img'), '-o', join(dir, 'x.img')]);
    expect(work).toBeInstanceOf(Promise);
    await expect(work).rejects.toMatchObject({ code: 'EDEVICE_OPEN' });
  });
});
