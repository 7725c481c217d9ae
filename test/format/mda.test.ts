import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  encodeMdaHeader, encodeMetadataText, maxMetadataTextSize, metadataTextWrites, nextRawLocation, readMetadataArea,
  textPieces, type RawLocn,
} from '../../src/format/mda.js';
import { lvmCrc } from '../../src/format/crc.js';
import { readLabel } from '../../src/format/label.js';
import { RAW_LOCN_IGNORED } from '../../src/format/layout.js';
import { MemoryDevice } from '../../src/devices/memory-device.js';
import { openFileDevice } from '../../src/devices/file-device.js';
import { describeInterop, LoopLab } from '../helpers/lvm2.js';
import { ImageSurgeon } from '../cli/cli-harness.js';

const MiB = 1024 * 1024;
const locn = (offset: number, size: number, flags = 0): RawLocn => ({ offset, size, checksum: 0, flags });

describe('mda header encoding (reference §3.1)', () => {
  it('fresh default header: checksum 0xdb8ed616, layout as on disk', () => {
    const h = encodeMdaHeader({ start: 4096, size: 1044480 });
    const v = new DataView(h.buffer);
    expect(v.getUint32(0, true)).toBe(0xdb8ed616);
    expect(Array.from(h.subarray(4, 20))).toEqual([0x20, 0x4c, 0x56, 0x4d, 0x32, 0x20, 0x78, 0x5b, 0x35, 0x41, 0x25, 0x72, 0x30, 0x4e, 0x2a, 0x3e]);
    expect(v.getUint32(20, true)).toBe(1);
    expect(h.subarray(40).every((b) => b === 0)).toBe(true);
  });
  it('a2vg1 seqno 6 header: checksum 0x0d0363a0', () => {
    const h = encodeMdaHeader({ start: 4096, size: 1044480, slots: [{ offset: 9216, size: 2053, checksum: 0x88674a71, flags: 0 }] });
    expect(new DataView(h.buffer).getUint32(0, true)).toBe(0x0d0363a0);
    expect(Array.from(h.subarray(0x28, 0x40))).toEqual([0, 0x24, 0, 0, 0, 0, 0, 0, 5, 8, 0, 0, 0, 0, 0, 0, 0x71, 0x4a, 0x67, 0x88, 0, 0, 0, 0]);
  });
});

describe('nextRawLocation (reference §3.3 verified sequences, A = 32768)', () => {
  const A = 32768;
  it('first text goes to 512; an ignored slot counts as empty', () => {
    expect(nextRawLocation(A, undefined, 727).offset).toBe(512);
    expect(nextRawLocation(A, locn(0, 0), 727).offset).toBe(512);
    expect(nextRawLocation(A, locn(9216, 2000, RAW_LOCN_IGNORED), 727).offset).toBe(512);
  });
  it('sequence 1', () => {
    const steps: [RawLocn, number, number][] = [
      [locn(512, 727), 1081, 1536], [locn(1536, 1081), 1391, 3072], [locn(3072, 1391), 1708, 4608],
      [locn(25088, 3926), 4251, 29184], [locn(29184, 4251), 4491, 1536],
    ];
    for (const [old, size, expected] of steps) expect(nextRawLocation(A, old, size).offset).toBe(expected);
    const wrapped = nextRawLocation(A, locn(25088, 3926), 4251);
    expect(wrapped.wrapped).toBe(true);
    expect(wrapped.pieces).toEqual([{ offset: 29184, length: 3584 }, { offset: 512, length: 667 }]);
  });
  it('sequence 2: wrap at 31744 with 4210 bytes, then 4096', () => {
    const w = nextRawLocation(A, locn(27648, 4000), 4210);
    expect(w.offset).toBe(31744);
    expect(w.pieces).toEqual([{ offset: 31744, length: 1024 }, { offset: 512, length: 3186 }]);
    expect(nextRawLocation(A, locn(31744, 4210), 4000).offset).toBe(4096);
  });
  it('back to 512 when fewer than 512 bytes remain after the old text', () => {
    expect(nextRawLocation(A, locn(31744, 700), 100).offset).toBe(512); // old_last 32443 -> A - old_last < 512
    expect(nextRawLocation(A, locn(31744, 513), 100).offset).toBe(512); // new start 32768 > A - 512
    expect(nextRawLocation(A, locn(31744, 300), 100).offset).toBe(32256); // exactly A - 512 is still used
  });
  it('size limit: floor((A-512)/2) - 512 = 15616', () => {
    expect(maxMetadataTextSize(A)).toBe(15616);
    expect(nextRawLocation(A, undefined, 15616).size).toBe(15616);
    expect(() => nextRawLocation(A, undefined, 16208, 'pv.img')).toThrow(expect.objectContaining({
      code: 'EMDA_LOCATION', message: expect.stringContaining('16208 bytes) exceeds maximum metadata size (15616 bytes)'),
    }));
  });
  it('text writes are padded with zeros to the next 512 boundary after the last piece', () => {
    const text = encodeMetadataText('x'.repeat(4250));
    const loc = nextRawLocation(A, locn(25088, 3926), text.length);
    const writes = metadataTextWrites(4096, loc, text);
    expect(writes.map((w) => [w.offset, w.data.length])).toEqual([[4096 + 29184, 3584], [4096 + 512, 1024]]);
    expect(writes[1]!.data.subarray(667).every((b) => b === 0)).toBe(true);
  });
});

/** A device with one metadata area at 4096 of `A` bytes holding `text` written by the writer functions. */
function deviceWithText(A: number, slot0: RawLocn | undefined, text: string, devSize = 4096 + A): { dev: MemoryDevice; loc: RawLocn } {
  const bytes = new Uint8Array(devSize);
  const stored = encodeMetadataText(text);
  const next = nextRawLocation(A, slot0, stored.length);
  for (const w of metadataTextWrites(4096, next, stored)) bytes.set(w.data, w.offset);
  const loc = { offset: next.offset, size: next.size, checksum: lvmCrc(stored), flags: 0 };
  bytes.set(encodeMdaHeader({ start: 4096, size: A, slots: [loc] }), 4096);
  return { dev: new MemoryDevice(bytes, { name: 'pv.img' }), loc };
}

describe('readMetadataArea on synthetic areas', () => {
  const A = 32768;
  const text = 'vg0 {\nid = "x"\nseqno = 3\n}\n' + 'é'.repeat(2000) + '\n';

  it('reads a wrapped text and checks its chained CRC', async () => {
    const { dev, loc } = deviceWithText(A, locn(25088, 3926), text);
    const r = await readMetadataArea(dev, { offset: 4096, size: A });
    expect(r.error).toBeUndefined();
    expect(r).toMatchObject({ wrapped: true, textCrcOk: true, text, textOffset: loc.offset, textSize: loc.size, headerCrcOk: true, ignored: false });
  });
  it('a fresh area has no text and no error', async () => {
    const bytes = new Uint8Array(4096 + A);
    bytes.set(encodeMdaHeader({ start: 4096, size: A }), 4096);
    const r = await readMetadataArea(new MemoryDevice(bytes), { offset: 4096, size: A });
    expect(r.error).toBeUndefined();
    expect(r.text).toBeUndefined();
  });
  it('reports (not throws) a raw_locn outside the area', async () => {
    const { dev } = deviceWithText(A, undefined, text);
    dev.bytes.set(encodeMdaHeader({ start: 4096, size: A, slots: [{ offset: A + 512, size: 100, checksum: 0, flags: 0 }] }), 4096);
    const r = await readMetadataArea(dev, { offset: 4096, size: A });
    expect(r.error).toMatchObject({ code: 'EMDA_LOCATION', offset: 4096 + 40, file: 'pv.img' });
    expect(r.error!.message).toContain(`text offset ${A + 512} is outside the text space`);
  });
  it('reports an area that runs past the end of the device', async () => {
    const { dev } = deviceWithText(A, undefined, text);
    const short = new MemoryDevice(dev.bytes.subarray(0, 4096 + 8192), { name: 'short.img' });
    const r = await readMetadataArea(short, { offset: 4096, size: A });
    expect(r.error).toMatchObject({ code: 'EMDA_LOCATION', file: 'short.img' });
    const r2 = await readMetadataArea(short, { offset: 1 * MiB, size: A });
    expect(r2.error).toMatchObject({ code: 'EMDA_LOCATION', offset: MiB });
  });
  it('wrong start gives EMDA_HEADER; ignored flag is reported', async () => {
    const { dev, loc } = deviceWithText(A, undefined, text);
    dev.bytes.set(encodeMdaHeader({ start: 8192, size: A, slots: [loc] }), 4096);
    expect((await readMetadataArea(dev, { offset: 4096, size: A })).error).toMatchObject({ code: 'EMDA_HEADER', offset: 4096 + 24 });
    dev.bytes.set(encodeMdaHeader({ start: 4096, size: A, slots: [{ ...loc, flags: RAW_LOCN_IGNORED }] }), 4096);
    const r = await readMetadataArea(dev, { offset: 4096, size: A });
    expect(r.ignored).toBe(true);
    expect(r.text).toBe(text);
  });
  it('textPieces splits at the end of the area', () => {
    expect(textPieces(A, 512, 100)).toEqual([{ offset: 512, length: 100 }]);
    expect(textPieces(A, 32256, 600)).toEqual([{ offset: 32256, length: 512 }, { offset: 512, length: 88 }]);
  });
});

describeInterop('metadata areas of real PVs', () => {
  let lab: LoopLab;
  beforeAll(() => { lab = new LoopLab(); });
  afterAll(() => lab?.cleanup());

  it('20 lvcreates with --metadatasize 32k and 2 mdas: every slot, wrap and text matches LVM', async () => {
    const img = lab.image('wrap.img', 128 * MiB);
    const loop = lab.attach(img).dev;
    const vg = lab.vgName();
    let sawWrap = false;
    try {
      lab.lvm('pvcreate', ['-q', '--dataalignment', '4k', '--metadatasize', '32k', '--pvmetadatacopies', '2', loop]);
      lab.lvm('vgcreate', ['-q', '-s', '1m', vg, loop]);
      const dev0 = await openFileDevice(img);
      const label = await readLabel(dev0);
      await dev0.close();
      expect(label.metadataAreas.length).toBe(2);
      let prev: RawLocn[] = [];
      for (let i = 0; i <= 20; i++) {
        if (i > 0) lab.lvm('lvcreate', ['-q', '--driverloaded', 'n', '-an', '-Zn', '-l1', '-n', `lv${i}`, vg]);
        const pvck = lab.pvckDump(img);
        const seqno = Number(lab.report('vgs', ['-o', 'vg_seqno', vg])[0]!.vg_seqno);
        const dev = await openFileDevice(img);
        const reads = await Promise.all(label.metadataAreas.map((a) => readMetadataArea(dev, a)));
        await dev.close();
        reads.forEach((r, m) => {
          const key = `mda_header_${m + 1}`;
          expect(r.error).toBeUndefined();
          expect(r.headerCrcOk).toBe(true);
          expect(r.header!.checksum).toBe(Number(pvck.get(`${key}.checksum`)));
          expect(r.areaSize).toBe(Number(pvck.get(`${key}.size`)));
          expect(r.textOffset).toBe(Number(pvck.get(`${key}.raw_locn[0].offset`)));
          expect(r.textSize).toBe(Number(pvck.get(`${key}.raw_locn[0].size`)));
          expect(r.slots[0]!.checksum).toBe(Number(pvck.get(`${key}.raw_locn[0].checksum`)));
          expect(r.textCrcOk).toBe(true);
          expect(r.text!.startsWith(`${vg} {\nid = "`)).toBe(true);
          expect(r.text).toContain(`\nseqno = ${seqno}\n`);
          expect(r.textBytes![r.textSize - 1]).toBe(0);
          if (prev[m]) expect(nextRawLocation(r.areaSize, prev[m], r.textSize).offset).toBe(r.textOffset);
          if (r.wrapped) sawWrap = true;
        });
        expect(reads[0]!.text).toBe(reads[1]!.text);
        if (reads[0]!.wrapped) {
          const out = join(lab.dir, `dump-${i}.txt`);
          lab.pvckRaw(img, 'metadata', ['-f', out]);
          expect(reads[0]!.text).toBe(readFileSync(out, 'latin1'));
        }
        prev = reads.map((r) => r.slots[0]!);
      }
      expect(sawWrap).toBe(true);
    } finally {
      lab.detach(loop);
    }

    // Damage copies of the image: each error is reported with its offset, the other mda stays good.
    const [a0, a1] = [{ offset: 4096, size: 32768 }, (await (async () => { const d = await openFileDevice(img); const l = await readLabel(d); await d.close(); return l.metadataAreas[1]!; })())];
    const damaged = async (name: string, at: (r0: Awaited<ReturnType<typeof readMetadataArea>>) => number) => {
      const copy = join(lab.dir, name);
      copyFileSync(img, copy);
      let dev = await openFileDevice(copy);
      const before = await readMetadataArea(dev, a0);
      await dev.close();
      new ImageSurgeon(copy).flipByte(at(before), 0xff);
      dev = await openFileDevice(copy);
      const [r0, r1] = [await readMetadataArea(dev, a0), await readMetadataArea(dev, a1)];
      await dev.close();
      expect(r1.error).toBeUndefined();
      expect(r1.textCrcOk).toBe(true);
      return { r0, before, copy };
    };
    const crc = await damaged('hdr-crc.img', () => 4096 + 100);
    expect(crc.r0.error).toMatchObject({ code: 'EMDA_CRC', offset: 4096, file: crc.copy });
    expect(crc.r0.headerCrcOk).toBe(false);
    const magic = await damaged('hdr-magic.img', () => 4096 + 6);
    expect(magic.r0.error).toMatchObject({ code: 'EMDA_HEADER', offset: 4096 + 4 });
    const text = await damaged('text.img', (r) => 4096 + r.textOffset + 10);
    expect(text.r0.error).toMatchObject({ code: 'EMDA_TEXT_CRC', offset: 4096 + text.before.textOffset });
    expect(text.r0.error!.message).toContain(`metadata text at offset ${4096 + text.before.textOffset} (${text.before.textSize} bytes`);
    expect(text.r0.textCrcOk).toBe(false);
    expect(text.r0.text).toBeDefined();
  });

  it('pvcreate writes a header and no text', async () => {
    const img = lab.image('fresh.img', 64 * MiB);
    const loop = lab.attach(img).dev;
    try {
      lab.lvm('pvcreate', ['-q', loop]);
    } finally {
      lab.detach(loop);
    }
    const dev = await openFileDevice(img);
    const l = await readLabel(dev);
    const r = await readMetadataArea(dev, l.metadataAreas[0]!);
    await dev.close();
    expect(r.error).toBeUndefined();
    expect(r.text).toBeUndefined();
    expect(r).toMatchObject({ areaOffset: 4096, areaSize: 1044480, headerCrcOk: true, textSize: 0 });
    expect(r.header!.checksum).toBe(0xdb8ed616);
  });
});
