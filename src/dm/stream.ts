/**
 * A mapped device (or any BlockDevice) as a Node readable stream of its bytes. Node-only.
 * Reads `chunkSize` bytes at a time (default 4 MiB) into fresh buffers handed to the consumer, so
 * memory stays bounded by the stream's high-water mark whatever the device's size.
 */
import { Readable } from 'node:stream';
import type { BlockDevice } from '../devices/block-device.js';

export interface DeviceStreamOptions {
  /** First byte (default 0). */
  start?: number;
  /** End, exclusive (default the device's size). */
  end?: number;
  /** Bytes per read (default 4 MiB). */
  chunkSize?: number;
}

export function createDeviceReadStream(dev: BlockDevice, options: DeviceStreamOptions = {}): Readable {
  const chunk = options.chunkSize ?? 4 * 1024 * 1024;
  let pos = options.start ?? 0;
  const end = Math.min(options.end ?? dev.size, dev.size);
  return new Readable({
    highWaterMark: chunk,
    read() {
      if (pos >= end) { this.push(null); return; }
      const n = Math.min(chunk, end - pos);
      const buf = Buffer.allocUnsafe(n);
      const at = pos;
      pos += n;
      dev.readInto(at, buf).then(() => { this.push(buf); }, (e: unknown) => { this.destroy(e as Error); });
    },
  });
}
