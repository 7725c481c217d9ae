import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync, openSync, ftruncateSync, closeSync, readSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openFileDevice } from '../../src/devices/file-device.js';
import { MemoryDevice } from '../../src/devices/memory-device.js';
import { SubDevice } from '../../src/devices/sub-device.js';
import { describeInterop, LoopLab } from '../helpers/lvm2.js';

const GiB = 1024 ** 3;
const TiB = 1024 ** 4;
const dir = mkdtempSync(join(tmpdir(), 'lvmkit-dev-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sparse(name: string, size: number): string {
  const p = join(dir, name);
  const fd = openSync(p, 'w');
  try { ftruncateSync(fd, size); } finally { closeSync(fd); }
  return p;
}

describe('MemoryDevice', () => {
  it('reads copies, writes in place, refuses out-of-range access', async () => {
    const bytes = new Uint8Array(1024).map((_, i) => i & 0xff);
    const dev = new MemoryDevice(bytes, { name: 'mem' });
    const r = await dev.read(10, 4);
    expect(Array.from(r)).toEqual([10, 11, 12, 13]);
    r[0] = 99;
    expect(bytes[10]).toBe(10);
    await dev.write(1020, new Uint8Array([1, 2, 3, 4]));
    expect(Array.from(bytes.subarray(1020))).toEqual([1, 2, 3, 4]);
    await expect(dev.read(1021, 4)).rejects.toMatchObject({ code: 'EDEVICE_RANGE', offset: 1021, file: 'mem' });
    await expect(dev.read(-1, 1)).rejects.toMatchObject({ code: 'EDEVICE_RANGE' });
    await expect(dev.write(1024, new Uint8Array(1))).rejects.toMatchObject({ code: 'EDEVICE_RANGE' });
    await expect(new MemoryDevice(bytes, { readOnly: true }).write(0, new Uint8Array(1))).rejects.toMatchObject({ code: 'EDEVICE_IO' });
  });
});

describe('SubDevice', () => {
  it('maps offsets into the parent and keeps to its window', async () => {
    const bytes = new Uint8Array(4096).map((_, i) => (i >> 4) & 0xff);
    const parent = new MemoryDevice(bytes, { name: 'disk.img' });
    const sub = new SubDevice(parent, 1024, 2048, 'disk.img:p2');
    expect(sub.name).toBe('disk.img:p2');
    expect(sub.size).toBe(2048);
    expect(Array.from(await sub.read(0, 2))).toEqual([64, 64]);
    await sub.write(2047, new Uint8Array([7]));
    expect(bytes[1024 + 2047]).toBe(7);
    await expect(sub.read(2047, 2)).rejects.toMatchObject({ code: 'EDEVICE_RANGE', file: 'disk.img:p2' });
    expect(() => new SubDevice(parent, 3000, 2000)).toThrow(expect.objectContaining({ code: 'EDEVICE_RANGE' }));
  });
});

describe('FileDevice', () => {
  it('reads and writes far past 4 GiB on a huge sparse file', async () => {
    // 16 TiB where the file system allows it; ext4's limit is 16 TiB - 4 KiB.
    let size = 16 * TiB;
    let path: string;
    try { path = sparse('huge.img', size); } catch { size = 16 * TiB - 4096; path = sparse('huge.img', size); }
    const dev = await openFileDevice(path, { write: true });
    try {
      expect(dev.size).toBe(size);
      expect(dev.readOnly).toBe(false);
      const far = size - 8192;
      const pattern = new Uint8Array(4096).map((_, i) => (i * 7) & 0xff);
      await dev.write(far, pattern);
      await dev.write(5 * GiB, new Uint8Array([0xde, 0xad, 0xbe, 0xef]));
      await dev.sync();
      expect(await dev.read(far, 4096)).toEqual(pattern);
      expect(Array.from(await dev.read(5 * GiB - 1, 6))).toEqual([0, 0xde, 0xad, 0xbe, 0xef, 0]);
      // Checked independently with node:fs at the same 64-bit positions.
      const fd = openSync(path, 'r');
      const b = Buffer.alloc(4);
      readSync(fd, b, 0, 4, 5 * GiB);
      closeSync(fd);
      expect(b.toString('hex')).toBe('deadbeef');
      await expect(dev.read(size - 10, 11)).rejects.toMatchObject({ code: 'EDEVICE_RANGE', offset: size - 10 });
    } finally {
      await dev.close();
      rmSync(path, { force: true });
    }
  });

  it('opens read-only by default and refuses writes', async () => {
    const p = join(dir, 'small.img');
    writeFileSync(p, new Uint8Array(8192).fill(5));
    const dev = await openFileDevice(p);
    try {
      expect(dev.readOnly).toBe(true);
      expect(dev.name).toBe(p);
      expect((await dev.read(8190, 2))[1]).toBe(5);
      await expect(dev.write(0, new Uint8Array(1))).rejects.toMatchObject({ code: 'EDEVICE_IO', file: p, offset: 0 });
    } finally {
      await dev.close();
    }
  });

  it('EDEVICE_OPEN names the file', async () => {
    const p = join(dir, 'missing.img');
    await expect(openFileDevice(p)).rejects.toMatchObject({ code: 'EDEVICE_OPEN', message: `${p}: cannot open: no such file` });
    await expect(openFileDevice(dir)).rejects.toMatchObject({ code: 'EDEVICE_OPEN' });
  });
});

describeInterop('FileDevice on a block device node', () => {
  let lab: LoopLab;
  beforeAll(() => { lab = new LoopLab(); });
  afterAll(() => lab?.cleanup());

  it('finds the size of a loop device (fstat reports 0 for block devices)', async () => {
    const img = lab.image('blk.img', 3 * 1024 * 1024 + 512);
    const loop = lab.attach(img).dev;
    try {
      const dev = await openFileDevice(loop);
      try {
        expect(dev.size).toBe(3 * 1024 * 1024 + 512);
        expect((await dev.read(dev.size - 512, 512)).length).toBe(512);
      } finally {
        await dev.close();
      }
    } finally {
      lab.detach(loop);
    }
  });
});
