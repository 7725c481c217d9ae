/**
 * Free space in a metadata area as LVM2 reports it (pv_mda_free, vg_mda_free): the buffer after the
 * header must hold the current text and a new one, so half of what the current text leaves is free.
 */
import { MDA_HEADER_SIZE, SECTOR_SIZE } from './layout.js';

export function mdaFreeBytes(areaSize: number, textSize: number): number {
  const buffer = areaSize - MDA_HEADER_SIZE;
  const usage = textSize + SECTOR_SIZE - (textSize % SECTOR_SIZE);
  if (usage * 2 >= buffer) return 0;
  return Math.floor((buffer - 2 * usage) / 2 / SECTOR_SIZE) * SECTOR_SIZE;
}
