/**
 * Fault injection for tests and the fuzzer: a BlockDevice wrapper that fails the k-th operation
 * (read, write or sync) with EIO, the way a dying disk does. One FaultInjector counts the operations
 * of every device it wraps, so "the k-th operation of a command" means the k-th over all its images.
 * The error is the one FileDevice gives for a real EIO: `<device>: read failed at offset N: EIO`.
 */
import { LvmkitError } from '../errors.js';
import type { BlockDevice } from './block-device.js';

export type FaultOp = 'read' | 'write' | 'sync';

export interface FaultPlan {
  /** 1-based number of the operation (counting only `ops`) that fails; 0 or absent: none fails. */
  failAt?: number;
  /** Operations counted and failed (default: all three). */
  ops?: readonly FaultOp[];
  /** Keep failing every counted operation after the first failure (a dead disk); default: only the k-th. */
  sticky?: boolean;
  /** errno code shown in the message (default EIO). */
  errno?: string;
}

/** One operation seen by the injector, in order. */
export interface FaultLogEntry {
  op: FaultOp;
  device: string;
  offset: number;
  length: number;
  failed: boolean;
}

export class FaultInjector {
  /** Operations counted so far (only the kinds in `plan.ops`). */
  count = 0;
  readonly log: FaultLogEntry[] = [];
  private failedOnce = false;

  constructor(readonly plan: FaultPlan = {}) {}

  /** Wrap `dev` so its operations are counted (and failed) by this injector. */
  wrap = (dev: BlockDevice): BlockDevice => new FaultyDevice(dev, this);

  /** Called by FaultyDevice before each operation; throws the injected error when it is the one. */
  check(op: FaultOp, device: string, offset: number, length: number): void {
    const ops = this.plan.ops ?? ['read', 'write', 'sync'];
    if (!ops.includes(op)) return;
    this.count++;
    const k = this.plan.failAt ?? 0;
    const fail = (k > 0 && this.count === k) || (this.failedOnce && this.plan.sticky === true);
    this.log.push({ op, device, offset, length, failed: fail });
    if (!fail) return;
    this.failedOnce = true;
    const code = this.plan.errno ?? 'EIO';
    throw new LvmkitError('EDEVICE_IO', `${device}: ${op} failed at offset ${offset}: ${code}`,
      { file: device, offset });
  }
}

export class FaultyDevice implements BlockDevice {
  constructor(readonly inner: BlockDevice, readonly injector: FaultInjector) {}

  get name(): string { return this.inner.name; }
  get size(): number { return this.inner.size; }
  get readOnly(): boolean { return this.inner.readOnly; }

  async read(offset: number, length: number): Promise<Uint8Array> {
    this.injector.check('read', this.name, offset, length);
    return this.inner.read(offset, length);
  }

  async readInto(offset: number, buf: Uint8Array): Promise<void> {
    this.injector.check('read', this.name, offset, buf.length);
    return this.inner.readInto(offset, buf);
  }

  async write(offset: number, data: Uint8Array): Promise<void> {
    this.injector.check('write', this.name, offset, data.length);
    return this.inner.write(offset, data);
  }

  async sync(): Promise<void> {
    this.injector.check('sync', this.name, 0, 0);
    return this.inner.sync();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
