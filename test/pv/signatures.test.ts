/**
 * Signature probe and pvcreate's refusal: images made by mkfs.ext2/3/4, mkswap, sgdisk and sfdisk are probed
 * and compared with wipefs (util-linux's own probe, which LVM2's pvcreate uses). pvcreate refuses them without
 * -y/--force (one line naming the signature and its offset, image unchanged), wipes them with -y (after which
 * wipefs finds only the LVM2 label), and real LVM2 reads the PV.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeSignatures } from '../../src/devices/signatures.js';
import { openFileDevice } from '../../src/devices/file-device.js';
import { createSparseImage, makeTempDir, removeDir } from '../helpers/images.js';
import { expectOneLineError, runCli, sha256 } from '../cli/cli-harness.js';
import { describeInterop, itInterop, LoopLab } from '../helpers/lvm2.js';

const have = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const tools = ['wipefs', 'mkfs.ext4', 'mkfs.ext3', 'mkfs.ext2', 'mkswap', 'sgdisk', 'sfdisk'].filter((t) => !have(t));

function wipefs(img: string): Array<{ type: string; offset: number }> {
  const out = execFileSync('wipefs', ['-J', img], { encoding: 'utf8' }).trim();
  if (!out) return [];
  const j = JSON.parse(out) as { signatures: Array<{ type: string; offset: string }> };
  return j.signatures.map((s) => ({ type: s.type, offset: Number.parseInt(s.offset, 16) })).sort((a, b) => a.offset - b.offset);
}

async function probe(img: string): Promise<Array<{ type: string; offset: number }>> {
  const dev = await openFileDevice(img);
  try {
    return (await probeSignatures(dev)).map((s) => ({ type: s.type, offset: s.offset })).sort((a, b) => a.offset - b.offset);
  } finally {
    await dev.close();
  }
}

const makers: Record<string, (img: string) => void> = {
  ext4: (img) => execFileSync('mkfs.ext4', ['-q', '-F', img]),
  ext3: (img) => execFileSync('mkfs.ext3', ['-q', '-F', img]),
  ext2: (img) => execFileSync('mkfs.ext2', ['-q', '-F', img]),
  swap: (img) => execFileSync('mkswap', [img], { stdio: 'ignore' }),
  gpt: (img) => execFileSync('sgdisk', ['-n1:2048:0', img], { stdio: 'ignore' }),
  dos: (img) => execFileSync('sfdisk', ['-q', img], { input: 'label: dos\n2048,,8e\n' }),
};

describe.skipIf(tools.length > 0)(`signatures as wipefs sees them${tools.length ? ` [skipped: missing ${tools.join(', ')}]` : ''}`, () => {
  let dir: string;
  beforeAll(() => { dir = makeTempDir('lvmkit-sig-'); });
  afterAll(() => removeDir(dir));

  for (const kind of Object.keys(makers)) {
    it(`${kind}: same types and offsets as wipefs; pvcreate refuses, then wipes with -y`, async () => {
      const img = createSparseImage(join(dir, `${kind}.img`), '16M');
      makers[kind](img);
      const seen = wipefs(img);
      expect(seen.length).toBeGreaterThan(0);
      expect(await probe(img)).toEqual(seen);
      const before = sha256(img);
      const r = runCli(['pvcreate', img]);
      const first = seen.find((s) => s.type !== 'PMBR') ?? seen[0];
      expectOneLineError(r, `${first.type} signature detected on ${img} at offset ${first.offset}`, '-y/--yes');
      expect(sha256(img)).toBe(before);
      const ok = runCli(['pvcreate', '-y', img]);
      expect(ok.code, ok.stderr).toBe(0);
      for (const s of seen) expect(ok.stdout).toContain(`Wiping ${s.type} signature on ${img}.`);
      expect(ok.stdout).toContain(`Physical volume "${img}" successfully created.`);
      expect(wipefs(img)).toEqual([{ type: 'LVM2_member', offset: 536 }]);
    });
  }

  it('an LVM label is reported where wipefs reports it, and a second pvcreate needs --force', async () => {
    const img = createSparseImage(join(dir, 'pv.img'), '16M');
    expect(runCli(['pvcreate', img]).code).toBe(0);
    expect(await probe(img)).toEqual(wipefs(img));
    const before = sha256(img);
    expectOneLineError(runCli(['pvcreate', img]), `${img} is already a physical volume`, '--force');
    expect(sha256(img)).toBe(before);
    expect(runCli(['pvcreate', '-f', img]).code).toBe(0);
    expect(sha256(img)).not.toBe(before);
  });

  it('a PV of a VG needs -ff', () => {
    const a = createSparseImage(join(dir, 'ff.img'), '16M');
    expect(runCli(['vgcreate', 'lkffvg', a]).code).toBe(0);
    const before = sha256(a);
    expectOneLineError(runCli(['pvcreate', '-f', a]), `Can't initialize physical volume "${a}" of volume group "lkffvg" without -ff`);
    expect(sha256(a)).toBe(before);
    expect(runCli(['pvcreate', '-ff', a]).code).toBe(0);
  });
});

describeInterop('pvcreate on wiped images: real LVM2 reads the PV', () => {
  let lab: LoopLab;
  beforeAll(() => { lab = new LoopLab(); });
  afterAll(() => lab?.cleanup());

  itInterop('ext4 wiped by lvmkit pvcreate -y, then pvs/pvck of real LVM2', () => {
    const img = lab.image('fs.img', '32M');
    makers.ext4(img);
    expect(runCli(['pvcreate', '-y', img]).code).toBe(0);
    const d = lab.attach(img);
    const rows = lab.report('pvs', ['-o', 'pv_name,pv_size,pe_start,pv_mda_count']);
    expect(rows).toEqual([{ pv_name: d.dev, pv_size: String(32 * 1024 * 1024), pe_start: '1048576', pv_mda_count: '1' }]);
    expect(spawnSync('blkid', ['-p', '-o', 'value', '-s', 'TYPE', img], { encoding: 'utf8' }).stdout.trim()).toBe('LVM2_member');
  });
});
