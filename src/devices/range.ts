/** Argument and bounds checks shared by every BlockDevice implementation. */
import { LvmkitError } from '../errors.js';

export interface Named { readonly name: string; readonly size: number }

/** Throws EDEVICE_RANGE unless [offset, offset+length) is a valid range inside the device. */
export function checkAccess(dev: Named, offset: number, length: number, what: 'read' | 'write'): void {
  if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(length) || length < 0) {
    throw new LvmkitError('EDEVICE_RANGE', `${dev.name}: invalid ${what} of ${length} bytes at offset ${offset}`,
      { file: dev.name, offset: Number.isFinite(offset) ? offset : undefined });
  }
  if (offset + length > dev.size) {
    throw new LvmkitError('EDEVICE_RANGE',
      `${dev.name}: ${what} of ${length} bytes at offset ${offset} goes past the end of the device (size ${dev.size})`,
      { file: dev.name, offset });
  }
}
