/**
 * The one block-device interface every layer above reads and writes through.
 * Offsets and lengths are byte counts as JS numbers: exact up to 2^53 bytes (8 PiB).
 */
export interface BlockDevice {
  /** Name shown to users (the image path, or path + partition suffix). */
  readonly name: string;
  /** Size in bytes. */
  readonly size: number;
  readonly readOnly: boolean;
  /** Read exactly `length` bytes at `offset`; throws EDEVICE_RANGE past the end, EDEVICE_IO on failure. */
  read(offset: number, length: number): Promise<Uint8Array>;
  /** Read into `buf` (all of it) at `offset`. */
  readInto(offset: number, buf: Uint8Array): Promise<void>;
  /** Write all of `data` at `offset`. */
  write(offset: number, data: Uint8Array): Promise<void>;
  /** Flush to stable storage. */
  sync(): Promise<void>;
  close(): Promise<void>;
}
