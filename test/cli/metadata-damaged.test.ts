/**
 * `metadata --all` lists the current text of an area even when it is damaged in place (a checksum that
 * no longer matches slot 0), with that status, beside the good copy of the other PV.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractSample, makeTempDir, removeDir } from '../helpers/images.js';
import { ImageSurgeon, runCli } from './cli-harness.js';

let dir: string;
let p0: string;
let p1: string;
beforeAll(() => {
  dir = makeTempDir('lvmkit-mdadamage-');
  p0 = extractSample('sample-pv0.img.gz', dir);
  p1 = extractSample('sample-pv1.img.gz', dir);
});
afterAll(() => removeDir(dir));

describe('metadata --all with a damaged current text', () => {
  it('lists it as "current (checksum BAD)" where it lies, and the good copy as current', () => {
    const good = runCli(['metadata', '--all', '--devices', `${p0},${p1}`]);
    expect(good.code).toBe(0);
    const cur = /^\s*sample\s+(\d+)\s+(0x[0-9a-f]+)\s+(\d+)\s+current\s+(.*)$/m.exec(good.stdout)!;
    expect(cur).not.toBeNull();
    const at = Number(/sample-pv0\.img @(\d+)/.exec(cur[4]!)![1]);
    for (const [what, offset] of [['first line', at + 2], ['middle', at + 300]] as const) {
      const img = ImageSurgeon.copy(p0, `${dir}/pv0-${offset}.img`);
      img.flipByte(offset, 0x04);
      const r = runCli(['metadata', '--all', '--devices', `${img.path},${p1}`]);
      expect(r.code, `${what}: ${r.stderr}`).toBe(0);
      const lines = r.stdout.split('\n');
      const bad = lines.find((l) => l.includes('current (checksum BAD)'));
      expect(bad, `${what}:\n${r.stdout}`).toBeDefined();
      expect(bad).toContain(`pv0-${offset}.img @${at}`);
      expect(bad).toContain(` ${cur[3]} `);                       // same size as the good copy
      const ok = lines.find((l) => / current /.test(l) && !l.includes('BAD'));
      expect(ok, what).toContain(`sample-pv1.img @`);
      expect(ok).toContain(cur[2]!);                               // the good copy's checksum
    }
  });
});
