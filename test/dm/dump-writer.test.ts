/**
 * The copy loop of `dump` (copyDevice) and its writer for regular files (writePiecesSync): the bytes
 * arrive whole and in place whatever the sizes of the views and blocks, the blocks start small and grow
 * to the block size, and no single write() is larger than WRITE_PIECE. The reference is worked out here
 * byte by byte from the striped layout (chunk k of the LV is chunk floor(k / n) of stripe k mod n).
 */
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryDevice } from '../../src/devices/memory-device.js';
import { DmMapper } from '../../src/dm/mapper.js';
import { stripedTarget } from '../../src/segtypes/striped.js';
import { copyDevice, WRITE_PIECE, writePiecesSync } from '../../src/commands/dump.js';
import { makeTempDir, removeDir } from '../helpers/images.js';
import { pseudoRandomBytes } from '../cli/cli-harness.js';

let dir: string;
beforeAll(() => { dir = makeTempDir('lvmkit-dumpwriter-'); });
afterAll(() => removeDir(dir));

const KiB = 1024;
const concat = (views: Uint8Array[]) => {
  const out = new Uint8Array(views.reduce((n, v) => n + v.length, 0));
  let at = 0;
  for (const v of views) { out.set(v, at); at += v.length; }
  return out;
};

describe('writePiecesSync', () => {
  it('writes views of any sizes in order at an offset, leaving the bytes before it alone', () => {
    const sizes = [1, 100 * KiB, 300 * KiB, ...Array(9).fill(64 * KiB), WRITE_PIECE, 3, WRITE_PIECE - 1, 2 * WRITE_PIECE + 5];
    const views = sizes.map((n, i) => pseudoRandomBytes(n, 1000 + i));
    const path = join(dir, 'pieces.img');
    const fd = openSync(path, 'w');
    try {
      writePiecesSync(fd, path, views, 12345);
    } finally {
      closeSync(fd);
    }
    const got = new Uint8Array(readFileSync(path));
    expect(got.length).toBe(12345 + sizes.reduce((a, b) => a + b, 0));
    expect(got.subarray(0, 12345).every((b) => b === 0)).toBe(true);
    expect(Buffer.compare(got.subarray(12345), concat(views))).toBe(0);
  });

  it('a failing write names the file and the offset of the piece that failed', () => {
    const path = join(dir, 'readonly.img');
    closeSync(openSync(path, 'w'));
    const fd = openSync(path, 'r');
    try {
      expect(() => writePiecesSync(fd, path, [new Uint8Array(3 * WRITE_PIECE)], 4096))
        .toThrow(`${path}: write failed at offset 4096: EBADF`);
    } finally {
      closeSync(fd);
    }
  });
});

describe('copyDevice from a striped mapper', () => {
  const n = 3;
  const chunk = 8 * KiB;
  const rows = 200;
  const stripes = Array.from({ length: n }, (_, s) => pseudoRandomBytes(4 * KiB + rows * chunk, 77 + s));
  const devices = stripes.map((b, s) => new MemoryDevice(b, { name: `pv${s}.img` }));
  const size = n * rows * chunk;
  const mapper = new DmMapper('vg-str', [{
    start: 0, length: size / 512, kind: stripedTarget, chunk: chunk / 512,
    areas: devices.map((d, s) => ({ device: { kind: 'dm' as const, dmName: `pv${s}`, io: d }, offset: 8 })),
  }], { maxIo: 64 * KiB });
  /** Byte x of the LV, from the layout. */
  const reference = new Uint8Array(size);
  for (let x = 0; x < size; x++) {
    const k = Math.floor(x / chunk);
    reference[x] = stripes[k % n][4 * KiB + Math.floor(k / n) * chunk + (x % chunk)];
  }

  for (const blockSize of [64 * KiB, 4096 * KiB, 5 * 1000]) {
    it(`blocks of at most ${blockSize} bytes: whole, in order, growing from a small first block`, async () => {
      const got = new Uint8Array(size);
      const blocks: Array<[number, number]> = [];
      const progress: number[] = [];
      await copyDevice(mapper, async (views, pos) => {
        const b = concat(views);
        blocks.push([pos, b.length]);
        got.set(b, pos);
      }, { blockSize, progress: { update: (p: number) => progress.push(p), finish: () => {} } });
      expect(Buffer.compare(got, reference)).toBe(0);
      let pos = 0;
      for (const [at, len] of blocks) {
        expect(at).toBe(pos);
        expect(len).toBeLessThanOrEqual(blockSize);
        pos += len;
      }
      expect(pos).toBe(size);
      expect(blocks[0][1]).toBeLessThanOrEqual(1024 * KiB);
      for (let i = 1; i < blocks.length - 1; i++) expect(blocks[i][1]).toBeGreaterThanOrEqual(blocks[i - 1][1]);
      // Small block sizes are used from the start; a large one is grown to (1 MiB, then 2 MiB, ...).
      if (blockSize <= 1024 * KiB) expect(blocks.slice(0, -1).every(([, len]) => len === blockSize)).toBe(true);
      else expect(blocks.slice(0, -1).map(([, len]) => len)).toEqual([1024 * KiB, 2048 * KiB].slice(0, blocks.length - 1));
      expect(progress.at(-1)).toBe(size);
    });
  }

  it('into a regular file through dump\'s sink gives the same bytes', async () => {
    const path = join(dir, 'copy.img');
    const fd = openSync(path, 'w');
    try {
      await copyDevice(mapper, async (views, pos) => writePiecesSync(fd, path, views, pos), { blockSize: 96 * KiB });
    } finally {
      closeSync(fd);
    }
    expect(Buffer.compare(new Uint8Array(readFileSync(path)), reference)).toBe(0);
  });
});
