/**
 * Hostile on-disk structures, each its own test with the exact error: a label or metadata area pointing
 * past the device's end, areas of size 0, raw locations past the area, u64 fields past 2^53, a text size
 * larger than lvmkit reads. The images are the sample PVs made by real LVM2, edited in memory (with
 * correct CRCs, so only the edited field is wrong), and for the CLI cases written to temp files.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryDevice } from '../../src/devices/memory-device.js';
import { readLabel, encodeLabelSector, type DiskLocn } from '../../src/format/label.js';
import { decodeMdaHeader, encodeMdaHeader, readMetadataArea, MAX_METADATA_TEXT_SIZE, type RawLocn } from '../../src/format/mda.js';
import { lvmCrc } from '../../src/format/crc.js';
import { scanMetadataHistory, MAX_HISTORY_AREA_SIZE } from '../../src/format/history.js';
import { samplePath, makeTempDir, removeDir } from '../helpers/images.js';
import { expectOneLineError, hashes, runCli } from '../cli/cli-harness.js';

const NAME = 'pv0.img';
const SIZE = 16 * 1024 * 1024;
const MDA = 4096;
const pristine = gunzipSync(readFileSync(samplePath('sample-pv0.img.gz')));

function image(): Uint8Array {
  return new Uint8Array(pristine);
}

/** Rewrite the label of `img` with `change` applied (CRC recomputed). */
async function relabel(img: Uint8Array, change: (l: { metadataAreas: DiskLocn[]; dataAreas: DiskLocn[]; deviceSize: number }) => void): Promise<void> {
  const l = await readLabel(new MemoryDevice(img, { name: NAME }));
  const input = { labelSector: l.labelSector, pvUuid: l.pvUuid, deviceSize: l.deviceSize, dataAreas: l.dataAreas,
    metadataAreas: l.metadataAreas, extVersion: l.extVersion, extFlags: l.extFlags, bootloaderAreas: l.bootloaderAreas };
  change(input);
  img.set(encodeLabelSector(input), l.labelOffset);
}

/** Rewrite the mda header at MDA with `change` applied (CRC recomputed). */
function reheader(img: Uint8Array, change: (h: { start: number; size: number; slots: RawLocn[] }) => void): void {
  const { header } = decodeMdaHeader(img.subarray(MDA, MDA + 512), NAME, MDA);
  const h = { start: header.start, size: header.size, slots: header.slots.map((s) => ({ ...s })) };
  change(h);
  img.set(encodeMdaHeader(h), MDA);
}

async function mdaError(img: Uint8Array) {
  const dev = new MemoryDevice(img, { name: NAME });
  const label = await readLabel(dev);
  const m = await readMetadataArea(dev, label.metadataAreas[0]!);
  return m.error;
}

describe('a label pointing past the end of the device', () => {
  it('metadata area at 1 TiB on a 16 MiB device', async () => {
    const img = image();
    await relabel(img, (l) => { l.metadataAreas = [{ offset: 2 ** 40, size: 1044480 }]; });
    const e = await mdaError(img);
    expect(e?.code).toBe('EMDA_LOCATION');
    expect(e?.message).toBe(`${NAME}: metadata area header at offset ${2 ** 40} lies past the end of the device (${SIZE} bytes)`);
    expect(e?.offset).toBe(2 ** 40);
  });

  it('metadata area header straddling the end', async () => {
    const img = image();
    await relabel(img, (l) => { l.metadataAreas = [{ offset: SIZE - 100, size: 1044480 }]; });
    expect((await mdaError(img))?.message).toBe(`${NAME}: metadata area header at offset ${SIZE - 100} lies past the end of the device (${SIZE} bytes)`);
  });

  it('a metadata area offset of 2^53 (not exact as a JS number) is refused as the label is decoded', async () => {
    const img = image();
    const l = await readLabel(new MemoryDevice(img, { name: NAME }));
    // The metadata area list follows pv_header (40 bytes) and the data area list (one entry + terminator).
    const at = l.labelOffset + 32 + 40 + 2 * 16;
    new DataView(img.buffer).setBigUint64(at, 2n ** 53n + 8n, true);
    new DataView(img.buffer).setUint32(l.labelOffset + 16, lvmCrc(img.subarray(l.labelOffset + 20, l.labelOffset + 512)), true);
    await expect(readLabel(new MemoryDevice(img, { name: NAME }))).rejects.toThrow(
      `${NAME}: disk_locn.offset at offset ${at} is ${2n ** 53n + 8n}, larger than 2^53`);
  });

  it('the CLI says it in one line and changes nothing', async () => {
    const img = image();
    await relabel(img, (l) => { l.metadataAreas = [{ offset: 2 ** 40, size: 1044480 }]; });
    const path = join(cliDir, 'far.img');
    writeFileSync(path, img);
    const before = hashes([path]);
    for (const verb of ['pvs', 'vgs', 'lvs']) {
      const r = runCli([verb, '--devices', path]);
      expectOneLineError(r, `${path}: metadata area header at offset ${2 ** 40} lies past the end of the device (${SIZE} bytes)`);
      expect(r.code).toBe(5);
    }
    expect(hashes([path])).toEqual(before);
  });
});

describe('metadata area header fields', () => {
  it('area size past the end of the device', async () => {
    const img = image();
    reheader(img, (h) => { h.size = 2 ** 40; });
    const e = await mdaError(img);
    expect(e?.message).toBe(`${NAME}: metadata area at offset ${MDA} (${2 ** 40} bytes) extends past the end of the device (${SIZE} bytes)`);
    expect(e?.offset).toBe(MDA + 32);
  });

  it('area size 0', async () => {
    const img = image();
    reheader(img, (h) => { h.size = 0; });
    const e = await mdaError(img);
    expect(e?.code).toBe('EMDA_HEADER');
    expect(e?.message).toBe(`${NAME}: metadata area header at offset ${MDA}: area size 0 is too small`);
  });

  it('a label area of size 0 in front of a good header: the header gives the size and the text is read', async () => {
    const img = image();
    await relabel(img, (l) => { l.metadataAreas = [{ offset: MDA, size: 0 }]; });
    const dev = new MemoryDevice(img, { name: NAME });
    const m = await readMetadataArea(dev, (await readLabel(dev)).metadataAreas[0]!);
    expect(m.error).toBeUndefined();
    expect(m.areaSize).toBe(1044480);
    expect(m.text?.startsWith('sample {\nid = "H37bqt-lMJ2-PAcN-z6M1-mTob-5vDX-ByootL"\nseqno = 3\n')).toBe(true);
  });
});

describe('raw locations past the area', () => {
  const AREA = 1044480;
  const slotAt = MDA + 40;

  it('text offset past the area', async () => {
    const img = image();
    reheader(img, (h) => { h.slots[0]!.offset = AREA + 512; });
    const e = await mdaError(img);
    expect(e?.code).toBe('EMDA_LOCATION');
    expect(e?.message).toBe(`${NAME}: metadata area at offset ${MDA}: raw_locn[0]: text offset ${AREA + 512} is outside the text space 512..${AREA - 1}`);
    expect(e?.offset).toBe(slotAt);
  });

  it('text offset inside the header', async () => {
    const img = image();
    reheader(img, (h) => { h.slots[0]!.offset = 100; });
    expect((await mdaError(img))?.message).toBe(`${NAME}: metadata area at offset ${MDA}: raw_locn[0]: text offset 100 is outside the text space 512..${AREA - 1}`);
  });

  it('text size larger than the area', async () => {
    const img = image();
    reheader(img, (h) => { h.slots[0]!.size = AREA; });
    expect((await mdaError(img))?.message).toBe(`${NAME}: metadata area at offset ${MDA}: raw_locn[0]: text size ${AREA} is larger than the text space (${AREA - 512} bytes)`);
  });

  it('text size 0 at a non-zero offset', async () => {
    const img = image();
    reheader(img, (h) => { h.slots[0]!.size = 0; });
    expect((await mdaError(img))?.message).toBe(`${NAME}: metadata area at offset ${MDA}: raw_locn[0]: text size is 0`);
  });

  it('a text that wraps: read in two pieces, and its checksum does not match', async () => {
    const img = image();
    reheader(img, (h) => { h.slots[0]!.offset = AREA - 100; });
    const e = await mdaError(img);
    expect(e?.code).toBe('EMDA_TEXT_CRC');
    expect(e?.message).toMatch(new RegExp(`^${NAME}: metadata text at offset ${MDA + AREA - 100} \\(1625 bytes, wrapped\\): CRC 0x[0-9a-f]{8} does not match computed 0x[0-9a-f]{8}$`));
  });

  it('a raw_locn offset of 2^64-1', async () => {
    const img = image();
    new DataView(img.buffer).setBigUint64(slotAt, 2n ** 64n - 1n, true);
    new DataView(img.buffer).setUint32(MDA, lvmCrc(img.subarray(MDA + 4, MDA + 512)), true);
    expect((await mdaError(img))?.message).toBe(`${NAME}: raw_locn.offset at offset ${slotAt} is ${2n ** 64n - 1n}, larger than 2^53`);
  });
});

describe('areas larger than lvmkit reads (a damaged header on a huge sparse image)', () => {
  /** A device that claims 16 TiB: reads beyond the sample's 16 MiB give zeros, as a sparse file does. */
  class SparseDevice extends MemoryDevice {
    override get size(): number { return 16 * 2 ** 40; }
    override async read(offset: number, length: number): Promise<Uint8Array> {
      if (length > 512 * 1024 * 1024) throw new Error(`read of ${length} bytes: the reader did not bound the allocation`);
      const out = new Uint8Array(length);
      if (offset < this.bytes.length) out.set(this.bytes.subarray(offset, Math.min(this.bytes.length, offset + length)));
      return out;
    }
    override async readInto(offset: number, buf: Uint8Array): Promise<void> { buf.set(await this.read(offset, buf.length)); }
  }

  it(`a text size over ${MAX_METADATA_TEXT_SIZE} bytes is refused before allocating it`, async () => {
    const img = image();
    const huge = 2 ** 40;
    reheader(img, (h) => { h.size = huge; h.slots[0]!.size = MAX_METADATA_TEXT_SIZE + 1; });
    const dev = new SparseDevice(img, { name: NAME });
    const m = await readMetadataArea(dev, (await readLabel(dev)).metadataAreas[0]!);
    expect(m.error?.message).toBe(`${NAME}: metadata area at offset ${MDA}: raw_locn[0]: text size ${MAX_METADATA_TEXT_SIZE + 1} is larger than lvmkit reads (${MAX_METADATA_TEXT_SIZE} bytes)`);
  });

  it('the history scan refuses an area over its limit instead of reading it whole', async () => {
    const img = image();
    reheader(img, (h) => { h.size = MAX_HISTORY_AREA_SIZE + 512; });
    const dev = new SparseDevice(img, { name: NAME });
    const m = await readMetadataArea(dev, (await readLabel(dev)).metadataAreas[0]!);
    await expect(scanMetadataHistory(dev, m)).rejects.toThrow(
      `${NAME}: metadata area at offset ${MDA} is ${MAX_HISTORY_AREA_SIZE + 512} bytes: larger than lvmkit searches for older versions (${MAX_HISTORY_AREA_SIZE} bytes)`);
  });
});

let cliDir: string;
beforeAll(() => { cliDir = makeTempDir('lvmkit-hostile-cli-'); });
afterAll(() => removeDir(cliDir));

describe('a truncated image', () => {
  it('cut inside the metadata area header: one line naming the file and offset', () => {
    const path = join(cliDir, 'cut.img');
    writeFileSync(path, pristine.subarray(0, MDA + 200));
    const r = runCli(['vgs', '--devices', path]);
    expectOneLineError(r, `${path}: metadata area header at offset ${MDA} lies past the end of the device (${MDA + 200} bytes)`);
  });
});
