/**
 * --test on every writing PV/VG verb: exit 0, LVM2's TEST MODE notice and the usual success lines, a
 * description of the writes it would do, and not one byte changed (hashes); the same command without
 * --test then does change the images, so it is --test that kept them unchanged.
 */
import { existsSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashes, runCli } from '../cli/cli-harness.js';
import { createSparseImage, makeTempDir, removeDir } from '../helpers/images.js';

describe('--test writes nothing', () => {
  let dir: string;
  let imgs: string[];
  beforeAll(() => {
    dir = makeTempDir('lvmkit-testmode-');
    imgs = ['t1.img', 't2.img', 't3.img', 't4.img'].map((n) => createSparseImage(join(dir, n), '32M'));
  });
  afterAll(() => removeDir(dir));

  /** Run with --test (unchanged, notice, `expect` on stdout), then for real (changed). */
  function both(args: string[], stdout: string | RegExp): void {
    const before = hashes(imgs);
    const t = runCli([...args, '--test']);
    expect(t.code, `${args.join(' ')} --test: ${t.stderr}`).toBe(0);
    expect(t.stderr).toContain('TEST MODE: Metadata will NOT be updated and volumes will not be (de)activated.');
    expect(t.stderr).toMatch(/Test mode: would write \d+ bytes at offset \d+ of |Test mode: would write VG /);
    if (typeof stdout === 'string') expect(t.stdout).toContain(stdout); else expect(t.stdout).toMatch(stdout);
    expect(hashes(imgs), `${args.join(' ')} --test changed an image`).toEqual(before);
    const r = runCli(args);
    expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    expect(r.stdout).toBe(t.stdout);
    expect(hashes(imgs), `${args.join(' ')} changed nothing`).not.toEqual(before);
  }

  it('every verb, in a sequence that makes each one possible', () => {
    const devs = ['--devices', imgs.join(',')];
    both(['pvcreate', imgs[3]], `Physical volume "${imgs[3]}" successfully created.`);
    both(['vgcreate', ...devs, 'lktestvg', imgs[0], imgs[1]], 'Volume group "lktestvg" successfully created');
    both(['vgextend', ...devs, 'lktestvg', imgs[2]], 'Volume group "lktestvg" successfully extended');
    both(['vgchange', ...devs, '--addtag', 'x', 'lktestvg'], 'Volume group "lktestvg" successfully changed');
    both(['pvchange', ...devs, '--addtag', 'p', imgs[0]], `Physical volume "${imgs[0]}" changed`);
    const backup = join(dir, 'b.vg');
    expect(runCli(['vgcfgbackup', ...devs, '-f', backup, 'lktestvg']).code).toBe(0);
    both(['vgreduce', ...devs, 'lktestvg', imgs[2]], `Removed "${imgs[2]}" from volume group "lktestvg"`);
    both(['vgcfgrestore', ...devs, '-f', backup, 'lktestvg'], 'Restored volume group lktestvg.');
    truncateSync(imgs[1], 48 * 1024 * 1024);
    both(['pvresize', ...devs, imgs[1]], `Physical volume "${imgs[1]}" changed`);
    both(['vgrename', ...devs, 'lktestvg', 'lktestvg2'], 'Volume group "lktestvg" successfully renamed to "lktestvg2"');
    both(['vgremove', ...devs, 'lktestvg2'], 'Volume group "lktestvg2" successfully removed');
    both(['pvremove', ...devs, imgs[3]], `Labels on physical volume "${imgs[3]}" successfully wiped.`);
  });

  it('pvcreate --size --test does not create the file', () => {
    const img = join(dir, 'new.img');
    const t = runCli(['pvcreate', '--size', '16m', '--test', img]);
    expect(t.code, t.stderr).toBe(0);
    expect(t.stderr).toContain(`Test mode: would create ${img} as a sparse file of 16777216 bytes (pe_start 1048576, metadata areas 4096+1044480)`);
    expect(existsSync(img)).toBe(false);
  });
});
