/**
 * The report verbs' fast path (cli/fast-path.ts) must behave exactly like the full yargs CLI.
 * LVMKIT_NO_FAST_PATH=1 sends a command line to yargs, so every command line here runs both ways and
 * the outputs and exit codes must be identical. Command lines the fast path
 * must hand over (help, bad choices, unknown options, a missing value) get yargs' own usage errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractSample, makeTempDir, removeDir } from '../helpers/images.js';
import { runCli } from './cli-harness.js';
import { reportFastPath } from '../../cli/fast-path.js';

let dir: string;
let p0: string;
let p1: string;

beforeAll(() => {
  dir = makeTempDir('lvmkit-fastpath-');
  p0 = extractSample('sample-pv0.img.gz', dir);
  p1 = extractSample('sample-pv1.img.gz', dir);
});
afterAll(() => removeDir(dir));

describe('report fast path', () => {
  const lines: Array<(d: { p0: string; p1: string }) => string[]> = [
    (d) => ['lvs', '--devices', `${d.p0},${d.p1}`],
    (d) => ['lvs', '--devices', d.p0, '--devices', d.p1, '-a', '--units', 'b', '--nosuffix', '--reportformat', 'json'],
    (d) => ['pvs', '--devices', `${d.p0},${d.p1}`, '-o', '+pv_uuid,dev_size', '-O', '-pv_name', '--noheadings', '--separator', ':'],
    (d) => ['vgs', '--devices', `${d.p0},${d.p1}`, '-o', 'vg_name,vg_size,vg_free', '--units', 'k', '--aligned', '--separator', '|'],
    (d) => ['lvs', '--devices', `${d.p0},${d.p1}`, '--segments', '-o', '+seg_pe_ranges,stripes,stripe_size', 'sample/str'],
    (d) => ['lvs', '--devices', `${d.p0},${d.p1}`, '-o', 'lv_name,no_such_field'],
    (d) => ['lvs', '--devices', d.p0, 'sample'],
    (d) => ['vgs', '--devices', `${d.p0},${d.p1}`, 'nosuchvg'],
  ];
  for (const [i, make] of lines.entries()) {
    it(`command line ${i + 1} gives the same output both ways`, () => {
      const args = make({ p0, p1 });
      const fast = runCli(args);
      const slow = runCli(args, { env: { LVMKIT_NO_FAST_PATH: '1' } });
      expect(fast.stdout).toBe(slow.stdout);
      expect(fast.stderr).toBe(slow.stderr);
      expect(fast.code).toBe(slow.code);
    });
  }

  it('takes plain report command lines and declines everything yargs must judge', () => {
    // Declined: returns undefined before doing any work.
    for (const argv of [
      ['lvs', '--help'], ['lvs', '-h'], ['vgs', '--version'], ['lvs', '--bogus'], ['lvs', '--devices'],
      ['lvs', '--reportformat', 'xml'], ['lvs', '-o', 'a', '-o', 'b'], ['lvs', '--', '-vg'], ['inspect', 'a.img'],
    ]) {
      expect(reportFastPath(argv), argv.join(' ')).toBeUndefined();
    }
  });

  it('runs a plain report command line itself', async () => {
    const run = reportFastPath(['lvs', '--devices', `${dir}/no-such.img`, '-o', 'lv_name', '--units', 'b', '-a']);
    expect(run).toBeInstanceOf(Promise);
    await expect(run).rejects.toMatchObject({ code: 'EDEVICE_OPEN' });
  });

  it('hands usage errors to yargs, which names them', () => {
    const bad = runCli(['lvs', '--devices', p0, '--reportformat', 'xml']);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/^lvmkit: Invalid values:/);
    const missing = runCli(['lvs', '--devices']);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toBe('lvmkit: Not enough arguments following: devices (run "lvmkit --help" for usage)\n');
    const unknown = runCli(['vgs', '--devices', p0, '--bogus']);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toMatch(/Unknown argument: bogus/);
  });
});
