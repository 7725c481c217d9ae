/**
 * lvmkit's metadata commit against real LVM2: texts lvmkit writes (including ones that wrap round a small
 * metadata area) pass `vgck`, are read by `vgs/lvs`, and LVM2 can go on modifying the VG afterwards.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { describeInterop, itInterop, LoopLab } from '../helpers/lvm2.js';
import { scanDevices } from '../../src/commands/scan.js';
import { commitVg } from '../../src/commands/commit.js';
import { metadataCommand } from '../../src/commands/metadata.js';

async function addTag(images: string[], vgName: string, tag: string): Promise<void> {
  const scan = await scanDevices(images, { write: true });
  try {
    const sv = scan.vgs.find((v) => v.vg.name === vgName)!;
    sv.vg.tags.push(tag);
    sv.vg.seqno += 1;
    await commitVg(sv.vg, [...sv.pvs.values()], { description: `lvmkit test: add tag ${tag}` });
  } finally {
    await scan.close();
  }
}

describeInterop('metadata commits that real LVM2 accepts', () => {
  let lab: LoopLab;
  beforeAll(() => { lab = new LoopLab(); });
  afterAll(() => lab?.cleanup());

  itInterop('commits on two PVs (one with two metadata areas), wrapping a small area, then LVM2 goes on', async () => {
    const a = lab.disk('c1.img', '64M');
    const b = lab.disk('c2.img', '64M');
    const vg = lab.vgName();
    lab.pvcreate([a.dev], ['--metadatasize', '32k', '--dataalignment', '4k']);
    lab.pvcreate([b.dev], ['--pvmetadatacopies', '2']);
    lab.vgcreate(vg, [a.dev, b.dev], ['-s', '1m']);
    for (let i = 0; i < 8; i++) lab.lvcreate(vg, ['-n', `base${i}`, '-L', '1M']);
    const images = [a.image, b.image];
    let wrapped = false;
    for (let i = 0; i < 25; i++) {
      await addTag(images, vg, `t${i}`);
      const scan = await scanDevices(images);
      wrapped ||= scan.pvs.some((p) => p.mdas.some((m) => m.wrapped));
      await scan.close();
    }
    expect(wrapped).toBe(true);
    expect(lab.lvm('vgck', [vg]).code).toBe(0);
    const row = lab.report('vgs', ['-o', 'vg_tags,vg_seqno,vg_mda_count', vg])[0];
    expect(row.vg_seqno).toBe(String(1 + 8 + 25));
    expect(row.vg_tags.split(',')).toHaveLength(25);
    expect(row.vg_mda_count).toBe('3');
    // LVM2 continues from lvmkit's version, and lvmkit reads what LVM2 wrote next.
    lab.lvcreate(vg, ['-n', 'after', '-L', '2M']);
    const out = await metadataCommand({ devices: images, vg });
    expect(out.stdout).toMatch(new RegExp(`seqno = ${1 + 8 + 25 + 1}\\n`));
    expect(out.stdout).toContain('\nafter {\n');
    expect(out.stdout).toContain('"t24"');
    lab.lvm('vgremove', ['-ff', '-y', vg]);
  });
});
