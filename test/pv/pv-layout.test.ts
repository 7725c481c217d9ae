/**
 * New-PV layout: the placement rules against the values real pvcreate 2.03.16 chose (format reference §5.2,
 * §5.3 tables, observed with pvck/xxd), then byte-for-byte: lvmkit's pvcreate and real pvcreate with the same
 * UUID on twin pattern-filled images must leave identical files.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planPvLayout } from '../../src/format/pv-layout.js';
import { pvcreateCommand } from '../../src/commands/pvcreate.js';
import { describeInterop, itInterop, LoopLab } from '../helpers/lvm2.js';
import { fillPattern, KiB, MiB } from '../helpers/images.js';

describe('planPvLayout: what real pvcreate chose', () => {
  const mda0 = (o: Parameters<typeof planPvLayout>[0]) => {
    const l = planPvLayout(o);
    return { mdas: l.metadataAreas.map((m) => [m.offset, m.size]), peStart: l.peStart };
  };
  const d64 = 64 * MiB;
  it.each([
    [{}, [[4096, 1044480]], 1048576],
    [{ metadataSize: 100 * KiB }, [[4096, 1044480]], 1048576],
    [{ metadataSize: MiB }, [[4096, 2093056]], 2097152],
    [{ metadataSize: 3000 * KiB }, [[4096, 3141632]], 3145728],
    [{ dataAlignment: 64 * KiB }, [[4096, 1044480]], 1048576],
    [{ dataAlignment: 4 * KiB, metadataSize: 32 * KiB }, [[4096, 32768]], 36864],
    [{ dataAlignment: 4 * MiB }, [[4096, 4190208]], 4194304],
    [{ dataAlignment: MiB, dataAlignmentOffset: 64 * KiB }, [[4096, 1110016]], 1114112],
    [{ metadataCopies: 0 as const }, [], 1048576],
    [{ dataAlignment: 4 * KiB, metadataSize: 33 * KiB }, [[4096, 36864]], 40960],
    [{ dataAlignment: 3 * KiB, metadataSize: 64 * KiB }, [[4096, 66560]], 70656],
    [{ dataAlignment: 1536 * KiB }, [[4096, 1568768]], 1572864],
  ])('64 MiB device, %o', (opts, mdas, peStart) => {
    expect(mda0({ deviceSize: d64, ...opts })).toEqual({ mdas, peStart });
  });

  it('rule 3: a request larger than the device (8 MiB, --metadatasize 16m / 7m)', () => {
    expect(mda0({ deviceSize: 8 * MiB, metadataSize: 16 * MiB })).toEqual({ mdas: [[4096, 6287360]], peStart: 6291456 });
    expect(mda0({ deviceSize: 8 * MiB, metadataSize: 7 * MiB })).toEqual({ mdas: [[4096, 8384512]], peStart: 8388608 });
  });

  it('second metadata area at the end (§5.3 and observed on 16 MiB + 300 KiB)', () => {
    expect(mda0({ deviceSize: d64, metadataCopies: 2 }).mdas[1]).toEqual([66060288, 1048576]);
    expect(mda0({ deviceSize: d64 + 512, metadataCopies: 2 }).mdas[1]).toEqual([66060288, 1049088]);
    expect(mda0({ deviceSize: 70 * MiB, metadataCopies: 2, dataAlignment: 4 * MiB }).mdas).toEqual([[4096, 4190208], [71303168, 2097152]]);
    expect(mda0({ deviceSize: 16 * MiB, metadataCopies: 2, metadataSize: 8 * MiB })).toEqual({ mdas: [[4096, 9433088], [9437184, 7340032]], peStart: 9437184 });
    const odd = 16 * MiB + 300 * KiB;
    expect(mda0({ deviceSize: odd, metadataCopies: 2 }).mdas[1]).toEqual([15728640, 1355776]);
    expect(mda0({ deviceSize: odd, metadataCopies: 2, metadataSize: 100 * KiB, dataAlignment: 64 * KiB }).mdas).toEqual([[4096, 126976], [16973824, 110592]]);
  });

  it('refuses what LVM2 refuses, in its words', () => {
    expect(() => planPvLayout({ deviceSize: MiB, name: 'a.img' })).toThrow(/Cannot use a\.img: device is too small \(pv_min_size\)/);
    expect(() => planPvLayout({ deviceSize: d64, dataAlignment: 4 * KiB, metadataSize: 28 * KiB }))
      .toThrow(/Metadata area size too small: 28672 bytes\. It must be at least 32768 bytes/);
    expect(() => planPvLayout({ deviceSize: d64, dataAlignment: KiB, metadataSize: 10 * KiB }))
      .toThrow(/Metadata area size too small: 10240 bytes/);
  });
});

describeInterop('pvcreate: byte for byte what real pvcreate writes', () => {
  let lab: LoopLab;
  beforeAll(() => { lab = new LoopLab(); });
  afterAll(() => lab?.cleanup());
  let n = 0;

  const cases: Array<[string, number, string[], Record<string, unknown>]> = [
    ['defaults', 16 * MiB, [], {}],
    ['two metadata areas, odd size', 16 * MiB + 300 * KiB, ['--pvmetadatacopies', '2'], { metadataCopies: 2 }],
    ['2 mdas, 100k, 64k alignment', 16 * MiB + 300 * KiB, ['--pvmetadatacopies', '2', '--metadatasize', '100k', '--dataalignment', '64k'],
      { metadataCopies: 2, metadataSize: 100 * KiB, dataAlignment: 64 * KiB }],
    ['no metadata area', 16 * MiB, ['--pvmetadatacopies', '0'], { metadataCopies: 0 }],
    ['metadatasize 16m on 8 MiB with 2 copies', 8 * MiB, ['--metadatasize', '16m', '--pvmetadatacopies', '2'], { metadataSize: 16 * MiB, metadataCopies: 2 }],
    ['alignment offset 7s', 16 * MiB, ['--dataalignmentoffset', '7s', '--pvmetadatacopies', '2'], { dataAlignmentOffset: 3584, metadataCopies: 2 }],
    ['--zero n', 16 * MiB, ['-Zn'], { zero: false }],
    ['3k alignment, 64k metadata', 16 * MiB, ['--dataalignment', '3k', '--metadatasize', '64k'], { dataAlignment: 3 * KiB, metadataSize: 64 * KiB }],
  ];
  for (const [name, size, lvmArgs, ours] of cases) {
    itInterop(name, async () => {
      const tag = name.replace(/\W+/g, '-');
      const UUID = `abcdef-1234-5678-9012-3456-7890-ABCD${String(10 + n++)}`;
      const real = lab.disk(`real-${tag}.img`, size);
      fillPattern(real.image, 'twin');
      const mine = lab.image(`kit-${tag}.img`, size);
      fillPattern(mine, 'twin');
      lab.pvcreate([real.dev], ['--uuid', UUID, '--norestorefile', ...lvmArgs], { devices: [real.dev] });
      await pvcreateCommand({ images: [mine], uuid: UUID, ...ours });
      const a = readFileSync(real.image);
      const b = readFileSync(mine);
      let differ = 0;
      for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) differ++;
      expect(b.length).toBe(a.length);
      expect(differ).toBe(0);
    });
  }
});
