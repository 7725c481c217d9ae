/**
 * Read faults: every real read-only command (pvs, vgs, lvs, lvs --segments, pvs --segments, inspect,
 * metadata, metadata --all, metadata --seqno) run on the sample images (made by real LVM2) with the k-th
 * device operation failing with EIO, for EVERY k the command performs. Each run must fail with one
 * LvmkitError EDEVICE_IO whose one-line message names the device and the offset of the failed read,
 * and no image may change. Read-only verbs must also work on files that cannot be opened for writing.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, openSync, closeSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultInjector } from '../../src/devices/faulty-device.js';
import { LvmkitError } from '../../src/errors.js';
import { reportCommand } from '../../src/commands/reporting.js';
import { inspectCommand } from '../../src/commands/inspect.js';
import { metadataCommand } from '../../src/commands/metadata.js';
import type { CommandOutput } from '../../src/commands/output.js';
import type { BlockDevice } from '../../src/devices/block-device.js';
import { extractSample, makeTempDir, removeDir } from '../helpers/images.js';
import { hashes, runCli } from '../cli/cli-harness.js';

let dir: string;
let pv0: string;
let pv1: string;
let gpt: string;

beforeAll(() => {
  dir = makeTempDir('lvmkit-faults-');
  pv0 = extractSample('sample-pv0', dir);
  pv1 = extractSample('sample-pv1', dir);
  gpt = extractSample('sample-gpt', dir);
});
afterAll(() => removeDir(dir));

type Wrap = (dev: BlockDevice) => BlockDevice;
/** `exit`: exit code of the clean run (inspect says 5 for a partitioned disk: its whole-disk label is missing). */
interface Case { name: string; images: () => string[]; run: (wrap: Wrap) => Promise<CommandOutput>; exit?: number }

const cases: Case[] = [
  { name: 'pvs', images: () => [pv0, pv1], run: (w) => reportCommand('pvs', { devices: [pv0, pv1], wrapDevice: w }) },
  { name: 'vgs', images: () => [pv0, pv1], run: (w) => reportCommand('vgs', { devices: [pv0, pv1], wrapDevice: w }) },
  { name: 'lvs', images: () => [pv0, pv1], run: (w) => reportCommand('lvs', { devices: [pv0, pv1], wrapDevice: w }) },
  { name: 'lvs --segments (GPT)', images: () => [gpt], run: (w) => reportCommand('lvs', { devices: [gpt], segments: true, wrapDevice: w }) },
  { name: 'pvs --segments -a', images: () => [pv0, pv1, gpt], run: (w) => reportCommand('pvs', { devices: [pv0, pv1, gpt], segments: true, all: true, wrapDevice: w }) },
  { name: 'inspect', images: () => [pv0, pv1], run: (w) => inspectCommand({ images: [pv0, pv1], wrapDevice: w }) },
  { name: 'inspect (GPT)', images: () => [gpt], run: (w) => inspectCommand({ images: [gpt], wrapDevice: w }) },
  { name: 'metadata', images: () => [pv0, pv1], run: (w) => metadataCommand({ devices: [pv0, pv1], wrapDevice: w }) },
  { name: 'metadata --all', images: () => [gpt], run: (w) => metadataCommand({ devices: [gpt], all: true, wrapDevice: w }) },
  { name: 'metadata --seqno 2', images: () => [pv0, pv1], run: (w) => metadataCommand({ devices: [pv0, pv1], seqno: 2, wrapDevice: w }) },
];

describe('a read failing with EIO at any point of a read-only command', () => {
  for (const c of cases) {
    it(`${c.name}: every k gives one line naming the device and offset`, async () => {
      const before = hashes(c.images());
      // A clean run: succeeds, reads only, and tells how many operations the command does.
      const counter = new FaultInjector();
      const ok = await c.run(counter.wrap);
      expect(ok.exitCode ?? 0).toBe(c.exit ?? 0);
      const n = counter.count;
      expect(n).toBeGreaterThan(2);
      expect(counter.log.every((e) => e.op === 'read')).toBe(true);
      for (let k = 1; k <= n; k++) {
        const inj = new FaultInjector({ failAt: k });
        let err: unknown;
        try {
          await c.run(inj.wrap);
        } catch (e) {
          err = e;
        }
        const failed = inj.log.find((e) => e.failed);
        expect(failed, `k=${k}: the k-th operation was reached`).toBeDefined();
        expect(err, `k=${k} (${failed!.device} @${failed!.offset}) did not fail the command`).toBeInstanceOf(LvmkitError);
        const le = err as LvmkitError;
        expect(le.code).toBe('EDEVICE_IO');
        expect(le.message).toBe(`${failed!.device}: read failed at offset ${failed!.offset}: EIO`);
        expect(le.file).toBe(failed!.device);
        expect(le.offset).toBe(failed!.offset);
        // Nothing was read after the failure (the command stopped there).
        expect(inj.log.length).toBe(k);
      }
      expect(hashes(c.images())).toEqual(before);
    });
  }

  it('a dead disk (every read after the first failure fails too) still gives the first failure', async () => {
    const inj = new FaultInjector({ failAt: 3, sticky: true });
    await expect(reportCommand('lvs', { devices: [pv0, pv1], wrapDevice: inj.wrap }))
      .rejects.toThrow(/: read failed at offset \d+: EIO$/);
    const first = inj.log.find((e) => e.failed)!;
    expect(inj.log.indexOf(first)).toBe(2);
  });

  it('the errno given by the plan is shown', async () => {
    const inj = new FaultInjector({ failAt: 1, errno: 'ENXIO' });
    await expect(reportCommand('vgs', { devices: [pv0], wrapDevice: inj.wrap }))
      .rejects.toThrow(`${pv0}: read failed at offset 0: ENXIO`);
  });
});

describe('read-only verbs on files that cannot be opened for writing', () => {
  it('pvs, vgs, lvs, inspect and metadata work, and the images stay unchanged', () => {
    const ro = makeTempDir('lvmkit-ro-');
    const imgs = [extractSample('sample-pv0', ro), extractSample('sample-pv1', ro), extractSample('sample-gpt', ro)];
    const immutable: string[] = [];
    try {
      for (const f of imgs) {
        chmodSync(f, 0o444);
        // root ignores file modes: make the file immutable as well (ext4/xfs/btrfs), so r+ really fails.
        if (process.getuid?.() === 0) {
          try { execFileSync('chattr', ['+i', f], { stdio: 'ignore' }); immutable.push(f); } catch { /* fs without attributes */ }
        }
      }
      let writable = 0;
      for (const f of imgs) {
        try { closeSync(openSync(f, 'r+')); writable++; } catch { /* expected: EACCES or EPERM */ }
      }
      expect(writable, 'the test images could be opened for writing (run on a file system with chattr, or as non-root)').toBe(0);
      const before = hashes(imgs);
      const devs = imgs.join(',');
      const vgs = runCli(['vgs', '--devices', devs, '--noheadings', '-o', 'vg_name,pv_count,lv_count']);
      expect(vgs.stderr).toBe('');
      expect(vgs.code).toBe(0);
      expect(vgs.stdout.split('\n').map((l) => l.trim().split(/\s+/).join(' ')).filter(Boolean))
        .toEqual(['sample 2 2', 'samplegpt 1 2']);
      for (const args of [['pvs'], ['lvs', '--segments'], ['metadata', 'sample'], ['metadata', '--all']]) {
        const r = runCli([...args, '--devices', devs]);
        expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
        expect(r.stdout.length).toBeGreaterThan(0);
      }
      const ins = runCli(['inspect', imgs[0]!, imgs[1]!]);
      expect(ins.code, ins.stderr).toBe(0);
      expect(ins.stdout).toContain('VG sample seqno 3');
      // A partitioned disk has no label of its own: not an error when a partition is a PV (exit 0).
      const gptIns = runCli(['inspect', imgs[2]!]);
      expect(gptIns.code, gptIns.stderr).toBe(0);
      expect(gptIns.stdout).toContain('no LVM2 label on the whole disk: its PV partitions follow');
      expect(gptIns.stdout).toContain('VG samplegpt seqno');
      expect(hashes(imgs)).toEqual(before);
    } finally {
      for (const f of immutable) execFileSync('chattr', ['-i', f], { stdio: 'ignore' });
      removeDir(ro);
    }
  });
});

