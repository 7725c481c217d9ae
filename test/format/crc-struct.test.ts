import { describe, expect, it } from 'vitest';
import { lvmCrc, crcHex } from '../../src/format/crc.js';
import { INITIAL_CRC, LABEL_HEADER, RAW_LOCN, MDA_MAGIC } from '../../src/format/layout.js';
import { decodeStruct, encodeStruct, defineStruct } from '../../src/format/struct.js';
import { LvmkitError } from '../../src/errors.js';

const ascii = (s: string) => new TextEncoder().encode(s);

/** Plain table-driven CRC (reference §4), independent of npm crc-32. */
function referenceCrc(buf: Uint8Array, seed = 0xf597a6cf): number {
  const T = new Uint32Array(256);
  for (let n = 0; n < 256; n++) { let c = n; for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; T[n] = c >>> 0; }
  let c = seed >>> 0;
  for (let i = 0; i < buf.length; i++) c = T[(c ^ buf[i]!) & 0xff]! ^ (c >>> 8);
  return c >>> 0;
}

describe('lvmCrc (reference §4 vectors)', () => {
  it('vector 1: fresh default mda header bytes 4..511', () => {
    const h = new Uint8Array(512);
    h.set(ascii(MDA_MAGIC), 4);
    const v = new DataView(h.buffer);
    v.setUint32(20, 1, true);
    v.setBigUint64(24, 4096n, true);
    v.setBigUint64(32, 1044480n, true);
    expect(lvmCrc(h.subarray(4))).toBe(0xdb8ed616);
  });
  it('vector 4: "123456789"', () => expect(lvmCrc(ascii('123456789'))).toBe(0x4991cf02));
  it('vector 5: empty buffer gives the seed', () => {
    expect(lvmCrc(new Uint8Array(0))).toBe(INITIAL_CRC);
    expect(INITIAL_CRC).toBe(0xf597a6cf);
  });
  it('chains and matches a table-driven implementation on random data', () => {
    const data = new Uint8Array(10007);
    for (let i = 0; i < data.length; i++) data[i] = (i * 2654435761) >>> 24;
    const whole = lvmCrc(data);
    expect(whole).toBe(referenceCrc(data));
    expect(lvmCrc(data.subarray(3333), lvmCrc(data.subarray(0, 3333)))).toBe(whole);
  });
  it('formats as 0x + 8 hex digits', () => expect(crcHex(0x88674a71)).toBe('0x88674a71'));
});

describe('struct descriptors', () => {
  it('decodes and re-encodes the real label header of §1.3 byte for byte', () => {
    const bytes = new Uint8Array(32);
    bytes.set([0x4c, 0x41, 0x42, 0x45, 0x4c, 0x4f, 0x4e, 0x45, 1, 0, 0, 0, 0, 0, 0, 0,
      0xa9, 0xd6, 0x3b, 0x8a, 0x20, 0, 0, 0, 0x4c, 0x56, 0x4d, 0x32, 0x20, 0x30, 0x30, 0x31]);
    const h = decodeStruct(LABEL_HEADER, bytes, 0);
    expect(h).toEqual({ id: 'LABELONE', sectorXl: 1, crcXl: 0x8a3bd6a9, offsetXl: 32, type: 'LVM2 001' });
    const out = new Uint8Array(32);
    encodeStruct(LABEL_HEADER, h, out, 0);
    expect(out).toEqual(bytes);
  });

  it('throws a typed error naming the offset for u64 values above 2^53', () => {
    const bytes = new Uint8Array(100);
    new DataView(bytes.buffer).setBigUint64(50 + 8, 1n << 60n, true);
    try {
      decodeStruct(RAW_LOCN, bytes, 50, { file: 'x.img', baseOffset: 4096, code: 'EMDA_HEADER' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(LvmkitError);
      expect((e as LvmkitError).code).toBe('EMDA_HEADER');
      expect((e as LvmkitError).offset).toBe(4096 + 58);
      expect((e as LvmkitError).message).toContain('x.img');
    }
  });

  it('throws ETRUNCATED when the bytes are shorter than the struct', () => {
    expect(() => decodeStruct(RAW_LOCN, new Uint8Array(20), 0)).toThrow(expect.objectContaining({ code: 'ETRUNCATED' }));
  });

  it('refuses values that do not fit on encode, and fields that do not fit in the struct', () => {
    const out = new Uint8Array(24);
    expect(() => encodeStruct(RAW_LOCN, { offset: 1, size: 2, checksum: 2 ** 32, flags: 0 }, out, 0)).toThrow(RangeError);
    expect(() => defineStruct({ name: 'bad', size: 4, fields: [{ name: 'a', offset: 0, type: 'u64le' }] } as const)).toThrow();
  });
});
