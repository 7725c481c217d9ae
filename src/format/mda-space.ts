/**
 * Free space in a metadata area as LVM2 2.03 reports it (pv_mda_free, vg_mda_free): the buffer after
 * the header must hold the current text and a new one, so half of what the current text leaves is free.
 * LVM2 2.03 counts the current text as its size + 512 bytes (not rounded to a sector); checked against
 * real `pvs -o pv_mda_free` for text sizes 731, 1044, 1323, 1602, 1881, 2160, 2194 and 758..1822 in steps
 * of 18, among them 1281, where size + 511 would give one sector more than LVM2 shows.
 */
import { MDA_HEADER_SIZE, SECTOR_SIZE } from './layout.js';

export function mdaFreeBytes(areaSize: number, textSize: number): number {
  const buffer = areaSize - MDA_HEADER_SIZE;
  const usage = textSize + SECTOR_SIZE;
  if (usage * 2 >= buffer) return 0;
  return Math.floor(Math.floor((buffer - 2 * usage) / 2) / SECTOR_SIZE) * SECTOR_SIZE;
}
