/** LVM2's CRC-32 (§4): zlib's reflected table, seed INITIAL_CRC, no pre/post inversion. */
import CRC32 from 'crc-32';
import { INITIAL_CRC } from './layout.js';

/**
 * CRC of `buf` as LVM computes it. Chain pieces with `lvmCrc(b2, lvmCrc(b1))`.
 * npm crc-32 computes ~raw(~seed); undoing both inversions gives LVM's raw value.
 */
export function lvmCrc(buf: Uint8Array, seed: number = INITIAL_CRC): number {
  return (CRC32.buf(buf, ~seed) ^ -1) >>> 0;
}

/** Hex form used in messages: 0x0d0363a0. */
export function crcHex(crc: number): string {
  return `0x${(crc >>> 0).toString(16).padStart(8, '0')}`;
}
