/** A window (offset, size) of another BlockDevice, e.g. a partition: "disk.img:p2". */
import { LvmkitError } from '../errors.js';
import type { BlockDevice } from './block-device.js';
import { checkAccess } from './range.js';

export class SubDevice implements BlockDevice {
  readonly name: string;

  constructor(readonly parent: BlockDevice, readonly offset: number, readonly size: number, name?: string) {
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(size) || offset < 0 || size < 0
        || offset + size > parent.size) {
      throw new LvmkitError('EDEVICE_RANGE',
        `${parent.name}: window of ${size} bytes at offset ${offset} is outside the device (size ${parent.size})`,
        { file: parent.name, offset });
    }
    this.name = name ?? `${parent.name}@${offset}`;
  }

  get readOnly(): boolean {
    return this.parent.readOnly;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    checkAccess(this, offset, length, 'read');
    return this.parent.read(this.offset + offset, length);
  }

  async readInto(offset: number, buf: Uint8Array): Promise<void> {
    checkAccess(this, offset, buf.length, 'read');
    return this.parent.readInto(this.offset + offset, buf);
  }

  async write(offset: number, data: Uint8Array): Promise<void> {
    checkAccess(this, offset, data.length, 'write');
    return this.parent.write(this.offset + offset, data);
  }

  async sync(): Promise<void> {
    return this.parent.sync();
  }

  /** Closing a window does not close the parent device. */
  async close(): Promise<void> {}
}
