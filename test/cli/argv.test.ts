/**
 * LVM2's command-line spellings (cli/argv.ts): glued short options (-L5M, -an, -Zn, -s4m, -olv_name),
 * values starting with '-' or equal to "--" (-O -lv_size, -L -1G, --separator --) and "--" itself, read
 * by the verbs' own option tables. Pinned as the one pass's output, run through both parsers of the CLI,
 * and compared with real LVM2 reading the same command lines.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findVerb, lvmArgv, lvmArgvOfVerbs, optionsOfVerb, optionTable } from '../../cli/argv.js';
import { verbs } from '../../cli/commands/index.js';
import { REPORT_OPTIONS, REPORT_VERBS } from '../../cli/commands/report.js';
import { FAST_VERBS } from '../../cli/fast-path.js';
import { extractSample, makeTempDir, removeDir } from '../helpers/images.js';
import { describeInterop, LoopLab } from '../helpers/lvm2.js';
import { expectOneLineError, runCli, type CliResult } from './cli-harness.js';

const read = (...argv: string[]) => lvmArgvOfVerbs(argv, verbs);

describe('lvmArgvOfVerbs: every option value becomes -X=value / --name=value', () => {
  it('reads values glued to short options, as LVM2 users type them', () => {
    expect(read('lvcreate', '-L5M', '-n', 'x', 'vg')).toEqual(['lvcreate', '-L=5M', '-n=x', 'vg']);
    expect(read('lvcreate', '-an', '-Zn', '-L5M', '-i2', '-I64k', '-nlv0', 'vg'))
      .toEqual(['lvcreate', '-a=n', '-Z=n', '-L=5M', '-i=2', '-I=64k', '-n=lv0', 'vg']);
    expect(read('lvcreate', '-an', '-Zn', '-i2', '-I64k', '-l', '3', 'vg')).toEqual(['lvcreate', '-a=n', '-Z=n', '-i=2', '-I=64k', '-l=3', 'vg']);
    expect(read('vgcreate', '-s4m', 'vg', 'a.img')).toEqual(['vgcreate', '-s=4m', 'vg', 'a.img']);
    expect(read('pvs', '-opv_name,pv_size')).toEqual(['pvs', '-o=pv_name,pv_size']);
    expect(read('lvs', '-olv_name', '-O-lv_size')).toEqual(['lvs', '-o=lv_name', '-O=-lv_size']);
    expect(read('lvextend', '-l+10', 'vg/lv')).toEqual(['lvextend', '-l=+10', 'vg/lv']);
  });

  it('reads LVM2\'s one-word y/n options of every verb that has them', () => {
    expect(read('pvcreate', '-Zn', 'a.img')).toEqual(['pvcreate', '-Z=n', 'a.img']);
    expect(read('vgcreate', '-Zy', 'vg', 'a.img')).toEqual(['vgcreate', '-Z=y', 'vg', 'a.img']);
    expect(read('vgextend', '-Zn', 'vg', 'a.img')).toEqual(['vgextend', '-Z=n', 'vg', 'a.img']);
    expect(read('pvchange', '-xy', 'a.img')).toEqual(['pvchange', '-x=y', 'a.img']);
    expect(read('vgchange', '-xn', 'vg')).toEqual(['vgchange', '-x=n', 'vg']);
  });

  it('takes the next word as the value, whatever it starts with, as getopt does', () => {
    expect(read('lvs', '-O', '-lv_size', '--devices', 'a.img')).toEqual(['lvs', '-O=-lv_size', '--devices=a.img']);
    expect(read('lvs', '--sort', '-vg_name,lv_name')).toEqual(['lvs', '--sort=-vg_name,lv_name']);
    // -o is an option of lvs, but "-origin" is no option word: it is the sort key.
    expect(read('lvs', '-O', '-origin')).toEqual(['lvs', '-O=-origin']);
    expect(read('lvreduce', '-L', '-1G', 'vg/lv')).toEqual(['lvreduce', '-L=-1G', 'vg/lv']);
    expect(read('lvreduce', '-L', '-1.5M', 'vg/lv')).toEqual(['lvreduce', '-L=-1.5M', 'vg/lv']);
    expect(read('lvresize', '--extents', '-10%VG', 'vg/lv')).toEqual(['lvresize', '--extents=-10%VG', 'vg/lv']);
    expect(read('lvextend', '--extents', '+100%FREE', 'vg/lv')).toEqual(['lvextend', '--extents=+100%FREE', 'vg/lv']);
    expect(read('dump', '-o', '-', 'vg/lv')).toEqual(['dump', '-o=-', 'vg/lv']);
    // A value equal to "--" (LVM2: `lvs --separator --` separates columns with "--").
    expect(read('lvs', '--separator', '--', '-o', 'lv_name')).toEqual(['lvs', '--separator=--', '-o=lv_name']);
    expect(read('lvs', '-O', '--')).toEqual(['lvs', '-O=--']);
    expect(read('lvs', '-a', '-O', 'lv_name')).toEqual(['lvs', '-a', '-O=lv_name']);
  });

  it('leaves an option without its value when the next word is an option (yargs then names the missing value)', () => {
    expect(read('lvs', '-o', '--devices', 'a.img')).toEqual(['lvs', '-o', '--devices=a.img']);
    expect(read('lvs', '-O', '-a')).toEqual(['lvs', '-O', '-a']);
    expect(read('lvs', '--devices')).toEqual(['lvs', '--devices']);
    expect(read('lvs', '-o')).toEqual(['lvs', '-o']);
  });

  it('splits flags grouped with a value option, and leaves flag-only groups, unknown letters and "=" forms as typed', () => {
    expect(read('lvcreate', '-tL5M', '-n', 'x', 'vg')).toEqual(['lvcreate', '-t', '-L=5M', '-n=x', 'vg']);
    expect(read('lvremove', '-ty', 'vg/lv')).toEqual(['lvremove', '-ty', 'vg/lv']);
    expect(read('lvcreate', '-ty', '-l', '3', 'vg')).toEqual(['lvcreate', '-ty', '-l=3', 'vg']);
    expect(read('vgremove', '-ff', 'vg')).toEqual(['vgremove', '-ff', 'vg']);
    expect(read('lvs', '-a')).toEqual(['lvs', '-a']);
    // pvs has -a (--all) but no -n: yargs gets the word as typed and names what it does not know.
    expect(read('pvs', '-an')).toEqual(['pvs', '-an']);
    // LVM2's `-an` stays one option (-a with the value n), and the VG name stays a positional.
    expect(read('vgchange', '-an', 'vg')).toEqual(['vgchange', '-a=n', 'vg']);
    expect(read('lvs', '-xy', '-qq')).toEqual(['lvs', '-x=y', '-qq']);
    expect(read('lvcreate', '-L=5M', '--size=6M', 'vg')).toEqual(['lvcreate', '-L=5M', '--size=6M', 'vg']);
    expect(read('lvs', '--bogus', 'x', '-h')).toEqual(['lvs', '--bogus', 'x', '-h']);
  });

  it('reads a short option by the verb: -n is a name for lvcreate and a flag (--nofsck) for lvextend', () => {
    expect(read('lvcreate', '-nL5M', 'vg')).toEqual(['lvcreate', '-n=L5M', 'vg']);
    expect(read('lvextend', '-nL+5M', 'vg/lv')).toEqual(['lvextend', '-n', '-L=+5M', 'vg/lv']);
  });

  it('ends the options at "--": the words after it stay positionals, "--" is dropped unless one starts with "-"', () => {
    expect(read('lvs', '--', '-O', '-x')).toEqual(['lvs', '--', '-O', '-x']);
    expect(read('lvcreate', '--', '-an')).toEqual(['lvcreate', '--', '-an']);
    expect(read('lvcreate', '-n', 'x', '-L8M', '--', '-vg')).toEqual(['lvcreate', '-n=x', '-L=8M', '--', '-vg']);
    expect(read('lvs', '-o', 'lv_name', '--', 'vg', 'vg2/lv')).toEqual(['lvs', '-o=lv_name', 'vg', 'vg2/lv']);
    expect(read('lvremove', '-y', '--', 'vg/-L5M')).toEqual(['lvremove', '-y', 'vg/-L5M']);
    expect(read('lvs', '--')).toEqual(['lvs']);
  });

  it('leaves command lines without a known verb as typed', () => {
    expect(read('nosuchverb', '-L5M', '-O', '-x')).toEqual(['nosuchverb', '-L5M', '-O', '-x']);
    expect(read('--help')).toEqual(['--help']);
    expect(read()).toEqual([]);
  });
});

describe('the option tables are the commands\' own', () => {
  it('the yargs command of each report verb declares exactly REPORT_OPTIONS, the fast path\'s table', () => {
    for (const name of REPORT_VERBS) {
      const declared = optionsOfVerb(findVerb(verbs, name)!);
      expect(Object.keys(declared).sort()).toEqual(Object.keys(REPORT_OPTIONS).sort());
      expect(optionTable(declared)).toEqual(optionTable(REPORT_OPTIONS));
    }
  });

  it('for every verb of the fast path, both parsers read the same option words', () => {
    expect(Object.keys(FAST_VERBS).length).toBeGreaterThan(REPORT_VERBS.length - 1);
    for (const [name, fast] of Object.entries(FAST_VERBS)) {
      expect(optionTable(optionsOfVerb(findVerb(verbs, name)!)), name).toEqual(optionTable(fast.options));
    }
  });

  it('reads each verb\'s declarations: value options, flags, aliases and the global -h', () => {
    const t = (name: string) => optionTable(optionsOfVerb(findVerb(verbs, name)!));
    const lvcreate = t('lvcreate');
    for (const w of ['-L', '--size', '-l', '-n', '--name', '-i', '-I', '-Z', '-a', '--devices', '--addtag']) expect(lvcreate.values, w).toContain(w);
    for (const w of ['-t', '--test', '-y', '-f', '-h', '--help']) expect(lvcreate.flags, w).toContain(w);
    expect(t('lvextend').flags).toContain('-n');
    expect(t('vgcreate').values).toContain('-s');
    expect(t('vgreduce').flags).toContain('-a');
    expect(t('dump').values).toContain('-o');
    expect(t('load').values).toContain('-i');
  });

  it('every verb of the CLI has a table, and no word is both a flag and a value option', () => {
    for (const v of verbs) {
      const table = optionTable(optionsOfVerb(v));
      expect(table.flags, String(v.command)).toContain('--help');
      for (const w of table.values) expect(table.flags.has(w), `${String(v.command)} ${w}`).toBe(false);
    }
  });

  it('lvmArgv takes any yargs option table (as the fast path does)', () => {
    expect(lvmArgv(['x', '-k5', '-qk', '6', 'p'], optionTable({ keep: { alias: 'k', type: 'string' }, quiet: { alias: 'q', type: 'boolean' } })))
      .toEqual(['x', '-k=5', '-q', '-k=6', 'p']);
  });
});

/** The CLI both ways: the report fast path (yargs-parser) and the full yargs CLI must agree. */
function bothPaths(args: string[]): CliResult {
  const fast = runCli(args);
  const slow = runCli(args, { env: { LVMKIT_NO_FAST_PATH: '1' } });
  expect(slow.stdout, args.join(' ')).toBe(fast.stdout);
  expect(slow.stderr, args.join(' ')).toBe(fast.stderr);
  expect(slow.code, args.join(' ')).toBe(fast.code);
  return fast;
}

function lines(s: string): string[] {
  return s.split('\n').map((l) => l.trim()).filter(Boolean);
}

describe('the CLI takes such command lines (both parsers)', () => {
  let dir: string;
  let devs: string;
  beforeAll(() => {
    dir = makeTempDir('lvmkit-argv-');
    devs = `${extractSample('sample-pv0.img.gz', dir)},${extractSample('sample-pv1.img.gz', dir)}`;
  });
  afterAll(() => removeDir(dir));

  it('lvs -O -lv_size sorts by size, largest first', () => {
    const r = bothPaths(['lvs', '--devices', devs, '-O', '-lv_size', '-o', 'lv_name', '--noheadings']);
    expect(r.stderr).toBe('');
    expect(lines(r.stdout)).toEqual(['str', 'lin']);
  });

  it('-olv_name,lv_size -O-lv_size glued, and --separator -- as the separator', () => {
    const glued = bothPaths(['lvs', '--devices', devs, '-olv_name,lv_size', '-O-lv_size', '--noheadings', '--units', 'm']);
    expect(lines(glued.stdout).map((l) => l.split(/\s+/))).toEqual([['str', '8.00m'], ['lin', '4.00m']]);
    const sep = bothPaths(['lvs', '--devices', devs, '--separator', '--', '-o', 'lv_name,lv_size', '--units', 'm']);
    expect(lines(sep.stdout)).toEqual(['LV--LSize', 'lin--4.00m', 'str--8.00m']);
  });

  it('vgchange -an / -ay: refused in one line saying that nothing is activated offline (the VG name is not swallowed)', () => {
    for (const a of ['-an', '-ay']) {
      expectOneLineError(runCli(['vgchange', '--devices', devs, a, 'sample']), 'lvmkit: lvmkit does not activate LVs (there is no device-mapper offline)');
    }
  });

  it('names after "--" are the names to report', () => {
    const r = bothPaths(['lvs', '--devices', devs, '-o', 'lv_name', '--noheadings', '--', 'sample/lin']);
    expect(r.stderr).toBe('');
    expect(lines(r.stdout)).toEqual(['lin']);
  });
});

describeInterop('real LVM2 reads the same command lines the same way', () => {
  let lab: LoopLab;
  let vg: string;
  let images: string;
  const lvm = (args: string[]) => lab.lvm(args[0]!, args.slice(1)).stdout;
  const mine = (args: string[]) => {
    const r = runCli([args[0]!, '--devices', images, ...args.slice(1)]);
    expect(r.code, `lvmkit ${args.join(' ')}\n${r.stderr}`).toBe(0);
    return r.stdout;
  };

  beforeAll(() => {
    lab = new LoopLab();
    vg = lab.vgName();
    // The same VG twice: by LVM2 on loop devices, and by lvmkit on two other image files.
    const loops = [lab.disk('l0.img', '32M'), lab.disk('l1.img', '32M')];
    const mineImgs = [lab.image('m0.img', '32M'), lab.image('m1.img', '32M')];
    images = mineImgs.join(',');
    lvm(['vgcreate', '-s2m', vg, ...loops.map((l) => l.dev)]);
    mine(['vgcreate', '-s2m', vg, ...mineImgs]);
    for (const line of [['-an', '-Zn', '-i2', '-I64k', '-L5M', '-n', 'x', vg], ['-an', '-Zn', '-L5M', '-n', 'y', vg], ['-an', '-Zn', '-l3', '-nz', vg]]) {
      lvm(['lvcreate', '--driverloaded', 'n', ...line]);
      mine(['lvcreate', ...line]);
    }
  });
  afterAll(() => lab?.cleanup());

  it('vgcreate -s2m, lvcreate -an -Zn -i2 -I64k -L5M / -L5M / -l3 -nz: the same VG', () => {
    const fields = ['--units', 'b', '--nosuffix', '--noheadings', '--separator', ':'];
    const vgs = ['vgs', ...fields, '-o', 'vg_name,vg_extent_size,vg_extent_count,vg_free_count', vg];
    expect(lines(mine(vgs))).toEqual(lines(lvm(vgs)));
    expect(lines(lvm(vgs))[0]).toBe(`${vg}:${2 * 1024 * 1024}:30:${30 - 4 - 3 - 3}`);
    const segs = ['lvs', ...fields, '--segments', '-o', 'lv_name,seg_size_pe,stripes,stripe_size', vg];
    expect(lines(mine(segs))).toEqual(lines(lvm(segs)));
    expect(lines(lvm(segs))).toEqual(['x:4:2:65536', 'y:3:1:0', 'z:3:1:0']);
  });

  it('lvs -O -lv_size, -olv_name -O-lv_name, --separator --, -- VG: the same reports', () => {
    for (const args of [
      ['lvs', '-O', '-lv_size,lv_name', '-o', 'lv_name,lv_size', '--units', 'm'],
      ['lvs', '-olv_name,lv_size', '-O-lv_name', '--noheadings'],
      ['lvs', '--separator', '--', '-o', 'lv_name,lv_size,seg_count'],
      ['lvs', '-o', 'lv_name', '--', vg],
      ['vgs', '-ovg_name,pv_count,lv_count', '--noheadings', vg],
    ]) {
      expect(lines(mine(args)), args.join(' ')).toEqual(lines(lvm(args)));
    }
  });
});
