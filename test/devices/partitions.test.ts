import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import CRC32 from 'crc-32';
import { listPartitions, openCandidates } from '../../src/devices/partitions.js';
import { MemoryDevice } from '../../src/devices/memory-device.js';
import { openFileDevice } from '../../src/devices/file-device.js';
import { readLabel } from '../../src/format/label.js';
import type { LvmkitError } from '../../src/errors.js';
import { allAvailable, describeWith, LoopLab, lvm2Available, toolsAvailable } from '../helpers/lvm2.js';

const MiB = 1024 * 1024;

interface SfdiskPart { node: string; start: number; size: number; type: string; uuid?: string; name?: string }
function sfdiskJson(img: string): SfdiskPart[] {
  return JSON.parse(execFileSync('sfdisk', ['--json', img], { encoding: 'utf8' })).partitiontable.partitions;
}

/** Compare our view with sfdisk's (sectors, type, name; numbering from the node suffix). */
function expectSameAsSfdisk(ours: Awaited<ReturnType<typeof listPartitions>>, theirs: SfdiskPart[]): void {
  expect(ours.map((p) => ({
    index: p.index, start: p.start / 512, size: p.size / 512,
    type: typeof p.type === 'number' ? p.type.toString(16) : p.type, name: p.name, uuid: p.uuid,
  }))).toEqual(theirs.map((p) => ({
    index: Number(/(\d+)$/.exec(p.node)![1]), start: p.start, size: p.size, type: p.type, name: p.name, uuid: p.uuid,
  })));
}

/** An MBR sector with the given 4 entries [type, lbaStart, sectors]. */
function mbrSector(entries: [number, number, number][]): Uint8Array {
  const s = new Uint8Array(512);
  const v = new DataView(s.buffer);
  entries.forEach(([type, lba, n], i) => {
    const at = 446 + 16 * i;
    s[at + 4] = type;
    v.setUint32(at + 8, lba, true);
    v.setUint32(at + 12, n, true);
  });
  s[510] = 0x55; s[511] = 0xaa;
  return s;
}

describe('partition tables built in memory', () => {
  it('no table: zeroed device, or a boot sector whose "entries" are not an MBR', async () => {
    expect(await listPartitions(new MemoryDevice(new Uint8Array(4096)))).toEqual([]);
    const s = mbrSector([[0x83, 1, 2]]);
    s[446] = 0x33; // bad boot flag
    const b = new Uint8Array(4096); b.set(s);
    expect(await listPartitions(new MemoryDevice(b))).toEqual([]);
  });
  it('an EBR chain that loops is EPARTITION, not an endless loop', async () => {
    const b = new Uint8Array(64 * 512);
    b.set(mbrSector([[0x83, 1, 3], [0x05, 4, 60]]));
    // EBR links are relative to the extended partition (sector 4): the EBR at 4 points to 8, the EBR at 8 to itself.
    b.set(mbrSector([[0x83, 1, 2], [0x05, 4, 4]]), 4 * 512);
    b.set(mbrSector([[0x83, 1, 2], [0x05, 4, 4]]), 8 * 512);
    const err = await listPartitions(new MemoryDevice(b, { name: 'loop.img' })).catch((e: LvmkitError) => e);
    expect(err).toMatchObject({ code: 'EPARTITION', offset: 8 * 512 });
    expect((err as LvmkitError).message).toContain('loop.img: partition table at offset 4096: EBR chain loops back to sector 8');
    const warnings: LvmkitError[] = [];
    const cands = await openCandidates(new MemoryDevice(b, { name: 'loop.img' }), { onWarning: (e) => warnings.push(e) });
    expect(cands.length).toBe(1);
    expect(warnings[0]!.code).toBe('EPARTITION');
  });
  it('a partition past the end of the device is EPARTITION', async () => {
    const b = new Uint8Array(8 * 512);
    b.set(mbrSector([[0x83, 2, 100]]));
    await expect(listPartitions(new MemoryDevice(b))).rejects.toMatchObject({ code: 'EPARTITION', offset: 1024 });
  });
});

describeWith(toolsAvailable('sfdisk', 'sgdisk'), 'partition tables built by sfdisk and sgdisk', () => {
  let lab: LoopLab;
  beforeAll(() => { lab = new LoopLab(); });
  afterAll(() => lab?.cleanup());

  it('MBR with 1 primary, an extended partition and 2 logical partitions', async () => {
    const img = lab.image('mbr.img', 64 * MiB);
    execFileSync('sfdisk', ['-q', img], {
      input: 'label: dos\nstart=2048, size=20480, type=83\nstart=22528, type=5\nstart=24576, size=10240, type=8e\nstart=36864, size=10240, type=83\n',
    });
    const dev = await openFileDevice(img);
    const parts = await listPartitions(dev);
    expectSameAsSfdisk(parts, sfdiskJson(img));
    expect(parts.map((p) => p.index)).toEqual([1, 2, 5, 6]);
    expect(parts.find((p) => p.index === 2)!.extended).toBe(true);
    const cands = await openCandidates(dev);
    expect(cands.map((c) => c.name)).toEqual([img, `${img}:p1`, `${img}:p5`, `${img}:p6`]);
    expect(cands[2]!.size).toBe(10240 * 512);
    await dev.close();
  });

  it('GPT with names; a corrupted primary header falls back to the backup; both corrupted is EPARTITION', async () => {
    const img = lab.image('gpt.img', 64 * MiB);
    execFileSync('sgdisk', ['-n1:2048:+10M', '-c1:boot', '-t1:8300', '-n2:0:+20M', '-c2:lvm pv', '-t2:8e00', img], { stdio: 'ignore' });
    let dev = await openFileDevice(img);
    const parts = await listPartitions(dev);
    await dev.close();
    expectSameAsSfdisk(parts, sfdiskJson(img));
    expect(parts[1]).toMatchObject({ index: 2, type: 'E6D6D379-F507-44C2-A23C-238F2A3DF928', name: 'lvm pv', scheme: 'gpt' });

    // Flip a byte of the primary header's disk GUID: its CRC no longer matches.
    const bytes = new Uint8Array(readFileSync(img));
    bytes[512 + 60] ^= 0xff;
    expect(await listPartitions(new MemoryDevice(bytes))).toEqual(parts);
    const last = bytes.length - 512;
    bytes[last + 60] ^= 0xff;
    const err = await listPartitions(new MemoryDevice(bytes, { name: 'g.img' })).catch((e: LvmkitError) => e);
    expect(err).toMatchObject({ code: 'EPARTITION', offset: 512 + 16 });
    expect((err as LvmkitError).message).toMatch(/^g\.img: partition table at offset 528: GPT header CRC 0x[0-9a-f]{8} does not match computed 0x[0-9a-f]{8}$/);
  });

  it('GPT entry array CRC is checked', async () => {
    const img = lab.image('gpt2.img', 16 * MiB);
    execFileSync('sgdisk', ['-n1:2048:+4M', img], { stdio: 'ignore' });
    const bytes = new Uint8Array(readFileSync(img));
    const entries = 2 * 512;
    bytes[entries + 56] ^= 0x01; // a name byte of entry 1 in the primary array
    bytes[bytes.length - 512 + 60] ^= 0xff; // and break the backup header, so the primary's error is reported
    await expect(listPartitions(new MemoryDevice(bytes))).rejects.toMatchObject({ code: 'EPARTITION', offset: entries });
    // sanity: the header CRC itself is the standard zlib CRC-32
    const hdr = bytes.slice(512, 512 + 92); const stored = new DataView(hdr.buffer).getUint32(16, true); hdr.fill(0, 16, 20);
    expect(CRC32.buf(hdr) >>> 0).toBe(stored);
  });
});

describeWith(allAvailable(lvm2Available(), toolsAvailable('sfdisk', 'sgdisk')), 'a real PV inside a partition', () => {
  let lab: LoopLab;
  beforeAll(() => { lab = new LoopLab(); });
  afterAll(() => lab?.cleanup());

  it('pvcreate on a logical partition (losetup -o/--sizelimit) is found through openCandidates on the disk image', async () => {
    const img = lab.image('pvpart.img', 64 * MiB);
    execFileSync('sfdisk', ['-q', img], { input: 'label: dos\nstart=2048, size=8192, type=83\nstart=12288, type=5\nstart=14336, size=40960, type=8e\n' });
    const loop = lab.attach(img, { offset: 14336 * 512, sizeLimit: 40960 * 512 }).dev;
    let uuid: string;
    try {
      lab.lvm('pvcreate', ['-q', loop]);
      uuid = lab.report('pvs', ['-o', 'pv_uuid', loop])[0]!.pv_uuid!;
    } finally {
      lab.detach(loop);
    }
    const dev = await openFileDevice(img);
    try {
      await expect(readLabel(dev)).rejects.toMatchObject({ code: 'ENOT_PV' });
      const found: string[] = [];
      for (const c of await openCandidates(dev)) {
        const l = await readLabel(c).catch(() => undefined);
        if (l) {
          found.push(c.name);
          expect(l.pvUuid).toBe(uuid);
          expect(l.deviceSize).toBe(c.size);
        }
      }
      expect(found).toEqual([`${img}:p5`]);
    } finally {
      await dev.close();
    }
  });
});
