/**
 * Metadata areas as real LVM2 counts them, on volumes the other tests do not build: areas left "ignored" by
 * --vgmetadatacopies, areas whose header or text is damaged, text that does not parse, a copy with the VG's
 * seqno but other text, and PVs in no VG with a damaged area or a bootloader area. In each case lvmkit's
 * pvs/vgs (and lvs) rows must equal LVM2's on the same images, field by field.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeInterop, itInterop, LoopLab, type LabDevice } from '../helpers/lvm2.js';
import { lvmkitRows, sortRows, LV_FIELDS, PV_FIELDS, SEG_FIELDS, VG_FIELDS, type Row } from '../helpers/report-compare.js';
import { ImageSurgeon } from '../cli/cli-harness.js';
import { reportCommand } from '../../src/commands/reporting.js';
import { mdaFreeBytes } from '../../src/format/mda-space.js';

const PV_MORE = `${PV_FIELDS},pv_ba_start,pv_ba_size,pv_ext_vsn`;
const LV_MORE = `${LV_FIELDS},lv_permissions`;

type Kind = 'pvs' | 'vgs' | 'lvs';
interface Case { kind: Kind; fields: string; segments?: boolean; all?: boolean }
const ALL_CASES: Case[] = [
  { kind: 'pvs', fields: PV_MORE }, { kind: 'vgs', fields: VG_FIELDS },
  { kind: 'lvs', fields: LV_MORE, all: true }, { kind: 'lvs', fields: SEG_FIELDS, segments: true, all: true },
];

/** LVM2's rows, loop devices renamed to image paths. */
function realRows(lab: LoopLab, c: Case, devices: string[]): Row[] {
  const args = ['-o', c.fields, ...(c.segments ? ['--segments'] : []), ...(c.all ? ['-a'] : [])];
  return JSON.parse(lab.toImageNames(JSON.stringify(lab.report(c.kind, args, { devices })))) as Row[];
}

async function expectSameRows(lab: LoopLab, devs: LabDevice[], cases: Case[] = ALL_CASES, images = devs.map((d) => d.image)): Promise<void> {
  for (const c of cases) {
    const real = realRows(lab, c, devs.map((d) => d.dev));
    const ours = await lvmkitRows(c.kind, images, { options: c.fields, segments: c.segments, all: c.all });
    expect(sortRows(ours), `${c.kind}${c.segments ? ' --segments' : ''}`).toEqual(sortRows(real));
  }
}

/** Offset of the text of slot 0 of the area at `area` (absolute). */
function textOffset(image: string, area: number): number {
  return new ImageSurgeon(image).areaText(area).textAt;
}

describeInterop('metadata areas counted as LVM2 counts them', () => {
  let lab: LoopLab;
  beforeAll(() => { lab = new LoopLab(); });
  afterAll(() => lab?.cleanup());

  itInterop('--vgmetadatacopies 2 leaves areas ignored: 0 bytes free on them, VG minimums over the areas in use', async () => {
    const a = lab.disk('ign-a.img', '64M');
    const b = lab.disk('ign-b.img', '70M');
    const c = lab.disk('ign-c.img', '50M');
    const d = lab.disk('ign-d.img', '33M');
    lab.pvcreate([a.dev], ['--labelsector', '3', '--dataalignment', '3m']);
    lab.pvcreate([b.dev], ['--dataalignment', '1m', '--dataalignmentoffset', '512k', '--metadatasize', '300k']);
    lab.pvcreate([c.dev], ['--pvmetadatacopies', '2', '--bootloaderareasize', '1m', '--metadatasize', '777k']);
    lab.pvcreate([d.dev], ['--pvmetadatacopies', '0']);
    lab.lvm('pvresize', ['-y', '--setphysicalvolumesize', '20m', d.dev]);
    const vg = lab.vgName();
    lab.vgcreate(vg, [a.dev, b.dev, c.dev, d.dev], ['-s', '2m', '--vgmetadatacopies', '2', '--alloc', 'cling', '-p', '7', '-l', '9', '--addtag', 'T+_.-/=!:&#']);
    lab.lvcreate(vg, ['-n', 'full', '-l', '50%VG']);
    lab.lvcreate(vg, ['-n', 'st3', '-i', '3', '-I', '4k', '-l', '60%FREE']);
    lab.lvcreate(vg, ['-n', 'ro', '-p', 'r', '-r', '256', '--addtag', 'x', '--alloc', 'anywhere', '-l', '1'], [a.dev]);
    // The case is the one meant: LVM2 left some areas ignored, and one PV with an ignored and a used area.
    const real = lab.report('pvs', ['-o', 'pv_name,pv_mda_count,pv_mda_used_count']);
    expect(real.some((r) => Number(r.pv_mda_used_count) < Number(r.pv_mda_count))).toBe(true);
    await expectSameRows(lab, [a, b, c, d]);
    const perms = await lvmkitRows('lvs', [a, b, c, d].map((x) => x.image), { options: 'lv_name,lv_permissions' });
    expect(Object.fromEntries(perms.map((r) => [r.lv_name, r.lv_permissions]))).toEqual({ full: 'unknown', st3: 'unknown', ro: 'read-only' });
    lab.lvm('vgremove', ['-ff', '-y', vg]);
  });

  itInterop('an area with a bad text CRC, a bad header CRC, or text that does not parse is left out of #PMda and #VMda', async () => {
    const a = lab.disk('dmg-a.img', '40M');
    const b = lab.disk('dmg-b.img', '40M');
    const c = lab.disk('dmg-c.img', '40M');
    const d = lab.disk('dmg-d.img', '40M');
    lab.pvcreate([a.dev], ['--pvmetadatacopies', '2']);
    lab.pvcreate([b.dev, c.dev, d.dev]);
    const vg = lab.vgName();
    lab.vgcreate(vg, [a.dev, b.dev, c.dev, d.dev], ['-s', '1m']);
    lab.lvcreate(vg, ['-n', 'lin', '-L', '20M'], [a.dev]);
    lab.lvcreate(vg, ['-n', 'st', '-i', '3', '-I', '64k', '-L', '30M'], [a.dev, b.dev, c.dev]);
    const devs = [a, b, c, d];
    // a: the first area's text overwritten (its CRC no longer matches); its second area is intact.
    new ImageSurgeon(a.image).write(textOffset(a.image, 4096), new TextEncoder().encode('GARBAGE'.repeat(40)));
    // b: the area header's CRC broken.
    new ImageSurgeon(b.image).write(4096, new Uint8Array([0xff, 0xff, 0xff, 0xff]));
    // c: text with a good CRC that does not parse.
    new ImageSurgeon(c.image).replaceText(4096, (t) => t.replace('extent_size = ', 'extent_size { '));
    const real = lab.report('pvs', ['-o', 'pv_name,pv_mda_count'], { devices: devs.map((x) => x.dev) }).length;
    expect(real).toBe(4);
    await expectSameRows(lab, devs);
    const counts = await lvmkitRows('pvs', devs.map((x) => x.image), { options: 'pv_name,pv_mda_count' });
    expect(counts.map((r) => r.pv_mda_count)).toEqual(['1', '0', '0', '1']);
    lab.lvm('vgremove', ['-ff', '-y', vg], { allowFail: true });
  });

  itInterop('a copy with the VG\'s seqno but other text is left out, the first copy is used (as LVM2 does)', async () => {
    const a = lab.disk('mis-a.img', '24M');
    const b = lab.disk('mis-b.img', '24M');
    lab.pvcreate([a.dev, b.dev]);
    const vg = lab.vgName();
    lab.vgcreate(vg, [a.dev, b.dev], ['-s', '1m']);
    lab.lvcreate(vg, ['-n', 'x', '-L', '3M'], [a.dev]);
    // Same seqno, same length, other creation_host (outside the VG section: the VG itself is the same).
    new ImageSurgeon(b.image).replaceText(4096, (t) => t.replace(/creation_host = "(.)/, 'creation_host = "#'));
    const r = lab.lvm('pvs', ['-o', 'pv_name'], { devices: [a.dev, b.dev] });
    // LVM2 names the copy it left out ("scan of VG .. from DEV mda1 found mda_checksum ..."): name the other
    // image first for lvmkit, which prefers the first copy of a seqno, as LVM2 prefers the first it scanned.
    const m = /scan of VG \S+ from (\S+) mda1 found mda_checksum/.exec(r.stderr);
    expect(m, r.stderr).not.toBeNull();
    const odd = lab.imageOf(m![1]!)!.image;
    const images = odd === b.image ? [a.image, b.image] : [b.image, a.image];
    await expectSameRows(lab, [a, b], ALL_CASES, images);
    const out = await reportCommand('pvs', { devices: images, options: 'pv_name' });
    expect(out.warnings.join('\n')).toContain(`scan of VG ${vg} from ${odd} found mda_checksum`);
    lab.lvm('vgremove', ['-ff', '-y', vg], { allowFail: true });
  });

  itInterop('PVs in no VG: one with a damaged area header, one with a bootloader area', async () => {
    const e = lab.disk('orph-e.img', '20M');
    const f = lab.disk('orph-f.img', '21M');
    const g = lab.disk('orph-g.img', '20M');
    lab.pvcreate([e.dev, g.dev]);
    lab.pvcreate([f.dev], ['--metadatasize', '3333k', '--pvmetadatacopies', '2', '--bootloaderareasize', '333k']);
    new ImageSurgeon(e.image).flipByte(4100, 0xff);
    const real = lab.report('pvs', ['-o', 'pv_name,pv_mda_count,pv_ba_size'], { devices: [e.dev, f.dev, g.dev] });
    expect(real.map((r) => r.pv_mda_count).sort()).toEqual(['0', '1', '2']);
    expect(real.some((r) => r.pv_ba_size !== '0')).toBe(true);
    await expectSameRows(lab, [e, f, g], [{ kind: 'pvs', fields: PV_MORE }]);
  });
});

describe('pv_mda_free arithmetic', () => {
  it('gives what real LVM2 2.03.16 printed for these text sizes in a 1044480-byte area (1281: one sector less than size + 511 gives)', () => {
    // [text size, pv_mda_free] read off `pvs -o pv_mda_free --units b` after vgchange --addtag of growing tags.
    const seen: Array<[number, number]> = [[758, 520704], [776, 520192], [1263, 520192], [1281, 519680], [1299, 519680], [1786, 519680], [1804, 519168]];
    expect(seen.map(([size]) => [size, mdaFreeBytes(1044480, size)])).toEqual(seen);
  });
});
