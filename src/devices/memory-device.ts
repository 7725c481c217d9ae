/** A BlockDevice over a Uint8Array: for tests and the browser. */
import { LvmkitError } from '../errors.js';
import type { BlockDevice } from './block-device.js';
import { checkAccess } from './range.js';

export interface MemoryDeviceOptions {
  name?: string;
  readOnly?: boolean;
}

export class MemoryDevice implements BlockDevice {
  readonly name: string;
  readonly readOnly: boolean;

  /** `bytes` is used in place (not copied): writes change it. */
  constructor(readonly bytes: Uint8Array, options: MemoryDeviceOptions = {}) {
    this.name = options.name ?? 'memory';
    this.readOnly = options.readOnly === true;
  }

  get size(): number {
    return this.bytes.length;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    checkAccess(this, offset, length, 'read');
    return this.bytes.slice(offset, offset + length);
  }

  async readInto(offset: number, buf: Uint8Array): Promise<void> {
    checkAccess(this, offset, buf.length, 'read');
    buf.set(this.bytes.subarray(offset, offset + buf.length));
  }

  async write(offset: number, data: Uint8Array): Promise<void> {
    if (this.readOnly) {
      throw new LvmkitError('EDEVICE_IO', `${this.name}: cannot write at offset ${offset}: device is read-only`,
        { file: this.name, offset });
    }
    checkAccess(this, offset, data.length, 'write');
    this.bytes.set(data, offset);
  }

  async sync(): Promise<void> {}

  async close(): Promise<void> {}
}
