import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { encodeLabelSector, findLabel, readLabel } from '../../src/format/label.js';
import { formatUuid, parseUuid } from '../../src/format/uuid.js';
import { MemoryDevice } from '../../src/devices/memory-device.js';
import { openFileDevice } from '../../src/devices/file-device.js';
import { PV_EXT_USED } from '../../src/format/layout.js';
import { LvmkitError } from '../../src/errors.js';
import { describeInterop, LoopLab } from '../helpers/lvm2.js';
import { ImageSurgeon } from '../cli/cli-harness.js';

const MiB = 1024 * 1024;
const REAL_UUID = 'fCB5tXKh3ai348x10IMqv44o7RkAazKc';

/** The real label sector of §1.3 (xxd of /dev/loop0 after pvcreate). */
function realSector(): Uint8Array {
  const hex = [
    '4c41 4245 4c4f 4e45 0100 0000 0000 0000', 'a9d6 3b8a 2000 0000 4c56 4d32 2030 3031',
    '6643 4235 7458 4b68 3361 6933 3438 7831', '3049 4d71 7634 346f 3752 6b41 617a 4b63',
    '0000 0004 0000 0000 0000 1000 0000 0000', '0000 0000 0000 0000 0000 0000 0000 0000',
    '0000 0000 0000 0000 0010 0000 0000 0000', '00f0 0f00 0000 0000 0000 0000 0000 0000',
    '0000 0000 0000 0000 0200 0000 0000 0000',
  ].join('').replace(/ /g, '');
  const s = new Uint8Array(512);
  for (let i = 0; i < hex.length / 2; i++) s[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return s;
}

const defaultInput = {
  pvUuid: REAL_UUID, deviceSize: 64 * MiB,
  dataAreas: [{ offset: MiB, size: 0 }], metadataAreas: [{ offset: 4096, size: 1044480 }],
};

describe('label encode/decode (reference vectors)', () => {
  it('encodes the real sector of §1.3 byte for byte (CRC vector 2)', () => {
    const s = encodeLabelSector(defaultInput);
    expect(s).toEqual(realSector());
    expect(new DataView(s.buffer).getUint32(16, true)).toBe(0x8a3bd6a9);
  });
  it('CRC vector 2b: PV_EXT_USED set', () => {
    const s = encodeLabelSector({ ...defaultInput, extFlags: PV_EXT_USED });
    expect(new DataView(s.buffer).getUint32(16, true)).toBe(0x8b722347);
  });
  it('decodes the real sector', () => {
    const scan = new Uint8Array(2048);
    scan.set(realSector(), 512);
    const l = findLabel(scan, 'disk.img');
    expect(l).toMatchObject({
      labelSector: 1, labelOffset: 512, pvUuid: 'fCB5tX-Kh3a-i348-x10I-Mqv4-4o7R-kAazKc', pvUuidRaw: REAL_UUID,
      deviceSize: 64 * MiB, dataAreas: [{ offset: MiB, size: 0 }], metadataAreas: [{ offset: 4096, size: 1044480 }],
      extVersion: 2, extFlags: 0, bootloaderAreas: [], crcOk: true, crc: 0x8a3bd6a9,
    });
  });
  it('round-trips two mdas, a bootloader area and label sector 3', () => {
    const input = {
      ...defaultInput, labelSector: 3, extFlags: 1,
      metadataAreas: [{ offset: 4096, size: 1044480 }, { offset: 63 * MiB, size: MiB }],
      bootloaderAreas: [{ offset: MiB, size: MiB }],
    };
    const scan = new Uint8Array(2048);
    scan.set(encodeLabelSector(input), 3 * 512);
    const l = findLabel(scan, 'd');
    expect(l.labelSector).toBe(3);
    expect(l.metadataAreas).toEqual(input.metadataAreas);
    expect(l.bootloaderAreas).toEqual(input.bootloaderAreas);
    expect(l.extFlags).toBe(1);
  });
  it('reads a PV without extension (version 0)', () => {
    const scan = new Uint8Array(2048);
    scan.set(encodeLabelSector({ ...defaultInput, extVersion: 0 }), 512);
    expect(findLabel(scan, 'd')).toMatchObject({ extVersion: 0, extFlags: 0, bootloaderAreas: [] });
  });
  it('uuid helpers', () => {
    expect(formatUuid(REAL_UUID)).toBe('fCB5tX-Kh3a-i348-x10I-Mqv4-4o7R-kAazKc');
    expect(parseUuid('fCB5tX-Kh3a-i348-x10I-Mqv4-4o7R-kAazKc')).toBe(REAL_UUID);
    expect(parseUuid('short')).toBeUndefined();
    expect(parseUuid('fCB5tX-Kh3a-i348-x10I-Mqv4-4o7R-kAaz%c')).toBeUndefined();
  });
});

describe('label errors', () => {
  const withSector = (s: Uint8Array, at = 512) => { const b = new Uint8Array(4096); b.set(s, at); return new MemoryDevice(b, { name: 'disk.img' }); };

  it('ENOT_PV on a zeroed device', async () => {
    await expect(readLabel(new MemoryDevice(new Uint8Array(8192), { name: 'z.img' })))
      .rejects.toMatchObject({ code: 'ENOT_PV', message: 'z.img: no LVM2 label in sectors 0-3' });
  });
  it('ELABEL_CRC naming the offset and both CRCs; allowBadCrc returns it', async () => {
    const s = realSector();
    s[0x30] ^= 1;
    const dev = withSector(s);
    const err = (await readLabel(dev).catch((e: unknown) => e)) as LvmkitError;
    expect(err).toBeInstanceOf(LvmkitError);
    expect(err.code).toBe('ELABEL_CRC');
    expect(err.message).toMatch(/^disk\.img: label at offset 512: CRC 0x8a3bd6a9 does not match computed 0x[0-9a-f]{8}$/);
    expect((await readLabel(dev, { allowBadCrc: true })).crcOk).toBe(false);
  });
  it('a label whose sector_xl differs from its sector is ignored (ENOT_PV)', async () => {
    await expect(readLabel(withSector(realSector(), 1024))).rejects.toMatchObject({ code: 'ENOT_PV' });
  });
  it('a good label in a later sector wins over a bad-CRC one in an earlier sector', async () => {
    const b = new Uint8Array(4096);
    const bad = encodeLabelSector({ ...defaultInput, labelSector: 0 }); bad[100] ^= 1;
    b.set(bad, 0);
    b.set(encodeLabelSector({ ...defaultInput, labelSector: 2 }), 1024);
    expect((await readLabel(new MemoryDevice(b))).labelSector).toBe(2);
  });
  it('ELABEL when a list is not terminated inside the sector', async () => {
    const s = realSector();
    for (let at = 0x48; at < 512; at += 16) s[at] = 1; // every disk_locn offset non-zero
    const fixed = new DataView(s.buffer);
    const { lvmCrc } = await import('../../src/format/crc.js');
    fixed.setUint32(16, lvmCrc(s.subarray(20)), true);
    await expect(readLabel(withSector(s))).rejects.toMatchObject({ code: 'ELABEL' });
  });
  it('a device shorter than 4 sectors is scanned as far as it goes', async () => {
    const b = new Uint8Array(1024);
    b.set(realSector(), 512);
    expect((await readLabel(new MemoryDevice(b))).labelSector).toBe(1);
  });
});

describeInterop('label on real PVs (pvcreate, pvck --dump headers, pvs)', () => {
  let lab: LoopLab;
  beforeAll(() => { lab = new LoopLab(); });
  afterAll(() => lab?.cleanup());

  interface Case { name: string; args: string[]; mdas: number; sector: number }
  const cases: Case[] = [
    { name: 'default', args: [], mdas: 1, sector: 1 },
    { name: '--pvmetadatacopies 0', args: ['--pvmetadatacopies', '0'], mdas: 0, sector: 1 },
    { name: '--pvmetadatacopies 2', args: ['--pvmetadatacopies', '2'], mdas: 2, sector: 1 },
    { name: '--labelsector 2', args: ['--labelsector', '2'], mdas: 1, sector: 2 },
    { name: '--bootloaderareasize 1m', args: ['--bootloaderareasize', '1m'], mdas: 1, sector: 1 },
  ];

  for (const c of cases) {
    it(`decodes every field like pvck/pvs: ${c.name}`, async () => {
      const img = lab.image(`label-${c.sector}-${c.mdas}-${c.args.join('')}.img`, 64 * MiB);
      const loop = lab.attach(img).dev;
      try {
        lab.lvm('pvcreate', ['-q', ...c.args, loop]);
        const pvck = lab.pvckDump(img, 'headers', c.sector === 1 ? [] : ['--labelsector', String(c.sector)]);
        const pvs = lab.report('pvs', ['-o', 'pv_uuid,pv_mda_count,pe_start,dev_size', loop])[0]!;
        const dev = await openFileDevice(img);
        const l = await readLabel(dev);
        await dev.close();
        expect(l.labelSector).toBe(c.sector);
        expect(l.labelOffset).toBe(Number(pvck.get('label_header')!.replace('at ', '')));
        expect(l.crc).toBe(Number(pvck.get('label_header.crc')));
        expect(l.crcOk).toBe(true);
        expect(l.pvUuidRaw).toBe(pvck.get('pv_header.pv_uuid'));
        expect(l.pvUuid).toBe(pvs.pv_uuid);
        expect(l.deviceSize).toBe(Number(pvck.get('pv_header.device_size')));
        expect(l.deviceSize).toBe(Number(pvs.dev_size));
        expect(l.dataAreas).toEqual([{ offset: Number(pvs.pe_start), size: 0 }]);
        expect(l.metadataAreas.length).toBe(Number(pvs.pv_mda_count));
        expect(l.metadataAreas.length).toBe(c.mdas);
        // pvck numbers disk_locn entries across both lists: [0] data, [1] end, [2..] mdas.
        l.metadataAreas.forEach((m, i) => {
          expect(m.offset).toBe(Number(pvck.get(`pv_header.disk_locn[${2 + i}].offset`)));
          expect(m.size).toBe(Number(pvck.get(`pv_header.disk_locn[${2 + i}].size`)));
        });
        expect(l.extVersion).toBe(Number(pvck.get('pv_header_extension.version')));
        expect(l.extFlags).toBe(0);
        if (c.args[0] === '--bootloaderareasize') {
          expect(l.bootloaderAreas).toEqual([{ offset: MiB, size: MiB }]);
          expect(l.dataAreas[0]!.offset).toBe(2 * MiB);
        } else {
          expect(l.bootloaderAreas).toEqual([]);
        }
        // The writer reproduces LVM's sector exactly.
        const onDisk = readFileSync(img).subarray(c.sector * 512, c.sector * 512 + 512);
        expect(encodeLabelSector({ ...l, pvUuid: l.pvUuidRaw })).toEqual(new Uint8Array(onDisk));
      } finally {
        lab.detach(loop);
      }
    });
  }

  it('vgcreate sets PV_EXT_USED; a flipped byte gives ELABEL_CRC at the label offset', async () => {
    const img = lab.image('used.img', 64 * MiB);
    const loop = lab.attach(img).dev;
    const vg = lab.vgName();
    try {
      lab.lvm('pvcreate', ['-q', loop]);
      lab.lvm('vgcreate', ['-q', vg, loop]);
      const dev = await openFileDevice(img);
      const l = await readLabel(dev);
      await dev.close();
      expect(l.extFlags).toBe(PV_EXT_USED);
      expect(l.crc).toBe(Number(lab.pvckDump(img).get('label_header.crc')));
    } finally {
      lab.detach(loop);
    }
    new ImageSurgeon(img).flipByte(0x220 + 5, 0xff);
    const dev = await openFileDevice(img);
    try {
      await expect(readLabel(dev)).rejects.toMatchObject({ code: 'ELABEL_CRC', offset: 512 + 16, file: img });
      await expect(readLabel(dev)).rejects.toThrow(`${img}: label at offset 512: CRC `);
    } finally {
      await dev.close();
    }
  });
});
