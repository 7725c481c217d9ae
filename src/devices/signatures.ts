/**
 * Signature probe, like wipefs/blkid as LVM2's pvcreate uses them: which known signatures (an LVM label,
 * ext2/3/4, xfs, btrfs, swap, vfat, LUKS, MBR/GPT partition tables) a device holds, where their magic bytes
 * are, and the writes that wipe them (zeroing the magic, as wipefs does). Names are blkid's.
 */
import type { BlockDevice } from './block-device.js';

export interface Signature {
  /** blkid's name: LVM2_member, ext4, xfs, btrfs, swap, vfat, crypto_LUKS, dos, gpt, PMBR. */
  type: string;
  /** Byte offset of the magic (what wipefs and LVM2 print). */
  offset: number;
  /** Length of the magic bytes wiping zeroes. */
  length: number;
}

const PROBE_SIZE = 68 * 1024;
const ascii = (b: Uint8Array, at: number, s: string) => {
  if (at + s.length > b.length) return false;
  for (let i = 0; i < s.length; i++) if (b[at + i] !== s.charCodeAt(i)) return false;
  return true;
};
const u16 = (b: Uint8Array, at: number) => b[at] | (b[at + 1] << 8);
const u32 = (b: Uint8Array, at: number) => (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;

/** Every signature found on `dev` (filesystems first, then partition tables as blkid lists them: gpt, its backup, PMBR). Reads the first 68 KiB and the last sector. */
export async function probeSignatures(dev: BlockDevice): Promise<Signature[]> {
  const head = await dev.read(0, Math.min(PROBE_SIZE, dev.size));
  const found: Signature[] = [];
  // LVM2 label: "LABELONE" in one of sectors 0-3, with "LVM2 001" as its type.
  for (let s = 0; s < 4; s++) {
    const at = s * 512;
    if (ascii(head, at, 'LABELONE') && ascii(head, at + 24, 'LVM2 001')) { found.push({ type: 'LVM2_member', offset: at + 24, length: 8 }); break; }
  }
  // ext2/3/4: superblock at 1024, magic 0xEF53 at 1024+56.
  if (head.length >= 2048 && u16(head, 1080) === 0xef53) {
    const compat = u32(head, 1024 + 92);
    const incompat = u32(head, 1024 + 96);
    const roCompat = u32(head, 1024 + 100);
    const ext4 = (incompat & ~0x0006) !== 0 || (roCompat & ~0x0007) !== 0; // beyond filetype/recover, sparse/large_file/btree
    found.push({ type: ext4 ? 'ext4' : compat & 0x4 ? 'ext3' : 'ext2', offset: 1080, length: 2 });
  }
  if (ascii(head, 0, 'XFSB')) found.push({ type: 'xfs', offset: 0, length: 4 });
  if (ascii(head, 65600, '_BHRfS_M')) found.push({ type: 'btrfs', offset: 65600, length: 8 });
  if (ascii(head, 0, 'LUKS\xba\xbe')) found.push({ type: 'crypto_LUKS', offset: 0, length: 6 });
  for (const page of [4096, 8192, 16384, 65536]) {
    for (const magic of ['SWAPSPACE2', 'SWAP-SPACE', 'S1SUSPEND']) {
      if (ascii(head, page - 10, magic)) found.push({ type: 'swap', offset: page - 10, length: 10 });
    }
  }
  const bootSig = head.length >= 512 && head[510] === 0x55 && head[511] === 0xaa;
  const fat = ascii(head, 54, 'FAT1') || ascii(head, 82, 'FAT32') || ascii(head, 54, 'MSDOS') || ascii(head, 3, 'MSDOS') || ascii(head, 3, 'mkfs.fat');
  if (bootSig && fat && (head[0] === 0xeb || head[0] === 0xe9)) {
    found.push({ type: 'vfat', offset: ascii(head, 82, 'FAT32') ? 82 : 54, length: 8 });
  } else if (bootSig) {
    const gptHere = ascii(head, 512, 'EFI PART');
    if (gptHere) {
      found.push({ type: 'gpt', offset: 512, length: 8 });
      if (dev.size >= 1024 && dev.size % 512 === 0) {
        const last = await dev.read(dev.size - 512, 512);
        if (ascii(last, 0, 'EFI PART')) found.push({ type: 'gpt', offset: dev.size - 512, length: 8 });
      }
      found.push({ type: 'PMBR', offset: 510, length: 2 });
    } else if (hasPartitionEntry(head)) {
      found.push({ type: 'dos', offset: 510, length: 2 });
    }
  }
  return found;
}

/** An MBR partition entry with a non-zero type and size. */
function hasPartitionEntry(head: Uint8Array): boolean {
  for (let i = 0; i < 4; i++) {
    const e = 446 + 16 * i;
    if (head[e + 4] !== 0 && u32(head, e + 12) !== 0) return true;
  }
  return false;
}

/** The writes that wipe `sig` (zeros over its magic bytes). */
export function wipeWrite(sig: Signature): { offset: number; data: Uint8Array } {
  return { offset: sig.offset, data: new Uint8Array(sig.length) };
}
