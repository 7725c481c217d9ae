/**
 * One descriptor mechanism for every fixed on-disk struct: a table of fields drives both
 * `decodeStruct` and `encodeStruct`, so reader and writer cannot drift apart.
 */
import { LvmkitError, type ErrorCode } from '../errors.js';

export type FieldType = 'u32le' | 'u64le' | 'bytes' | 'ascii';

export interface FieldDesc {
  readonly name: string;
  /** Byte offset from the start of the struct. */
  readonly offset: number;
  readonly type: FieldType;
  /** Byte length, required for 'bytes' and 'ascii'. */
  readonly length?: number;
}

export interface StructDesc {
  /** Name used in error messages (e.g. "mda_header"). */
  readonly name: string;
  readonly size: number;
  readonly fields: readonly FieldDesc[];
}

type FieldValue<F extends FieldDesc> =
  F['type'] extends 'u32le' | 'u64le' ? number : F['type'] extends 'bytes' ? Uint8Array : string;

/** The decoded value type of a descriptor declared `as const`. */
export type StructValue<D extends StructDesc> = {
  [F in D['fields'][number] as F['name']]: FieldValue<F>;
};

/** Context for error messages: which file, which absolute offset the struct bytes came from. */
export interface StructContext {
  file?: string;
  /** Absolute device offset of `bytes[0]`. */
  baseOffset?: number;
  /** Error code for values out of range (default ELABEL). */
  code?: ErrorCode;
}

/** Check a descriptor is self-consistent (used once per descriptor, at module load). */
export function defineStruct<const D extends StructDesc>(desc: D): D {
  for (const f of desc.fields) {
    const len = fieldLength(f);
    if (f.offset < 0 || f.offset + len > desc.size) {
      throw new Error(`struct ${desc.name}: field ${f.name} does not fit in ${desc.size} bytes`);
    }
  }
  return desc;
}

export function fieldLength(f: FieldDesc): number {
  if (f.type === 'u32le') return 4;
  if (f.type === 'u64le') return 8;
  if (f.length === undefined) throw new Error(`field ${f.name}: length required for ${f.type}`);
  return f.length;
}

export function decodeStruct<D extends StructDesc>(desc: D, bytes: Uint8Array, at: number, ctx: StructContext = {}): StructValue<D> {
  if (at < 0 || at + desc.size > bytes.length) {
    throw structError('ETRUNCATED', ctx, at, `${desc.name} needs ${desc.size} bytes at offset ${abs(ctx, at)}, only ${Math.max(0, bytes.length - at)} available`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Record<string, number | string | Uint8Array> = {};
  for (const f of desc.fields) {
    const p = at + f.offset;
    switch (f.type) {
      case 'u32le': out[f.name] = view.getUint32(p, true); break;
      case 'u64le': out[f.name] = readU64(view, p, desc, f, ctx); break;
      case 'bytes': out[f.name] = bytes.slice(p, p + f.length!); break;
      case 'ascii': out[f.name] = latin1(bytes.subarray(p, p + f.length!)); break;
    }
  }
  return out as StructValue<D>;
}

export function encodeStruct<D extends StructDesc>(desc: D, value: StructValue<D>, bytes: Uint8Array, at: number): void {
  if (at < 0 || at + desc.size > bytes.length) {
    throw new RangeError(`${desc.name}: ${desc.size} bytes do not fit at offset ${at} of a ${bytes.length}-byte buffer`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const rec = value as Record<string, number | string | Uint8Array>;
  for (const f of desc.fields) {
    const p = at + f.offset;
    const v = rec[f.name];
    switch (f.type) {
      case 'u32le': view.setUint32(p, checkInt(desc, f, v, 0xffffffff), true); break;
      case 'u64le': view.setBigUint64(p, BigInt(checkInt(desc, f, v, Number.MAX_SAFE_INTEGER)), true); break;
      case 'bytes': writeBytes(desc, f, v, bytes, p); break;
      case 'ascii': writeBytes(desc, f, typeof v === 'string' ? asciiBytes(v) : v, bytes, p); break;
    }
  }
}

function readU64(view: DataView, p: number, desc: StructDesc, f: FieldDesc, ctx: StructContext): number {
  const v = view.getBigUint64(p, true);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw structError(ctx.code ?? 'ELABEL', ctx, p,
      `${desc.name}.${f.name} at offset ${abs(ctx, p)} is ${v}, larger than 2^53`);
  }
  return Number(v);
}

function checkInt(desc: StructDesc, f: FieldDesc, v: unknown, max: number): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0 || v > max) {
    throw new RangeError(`${desc.name}.${f.name}: ${String(v)} is not an integer in 0..${max}`);
  }
  return v;
}

function writeBytes(desc: StructDesc, f: FieldDesc, v: unknown, bytes: Uint8Array, p: number): void {
  if (!(v instanceof Uint8Array) || v.length > f.length!) {
    throw new RangeError(`${desc.name}.${f.name}: expected at most ${f.length} bytes`);
  }
  bytes.fill(0, p, p + f.length!);
  bytes.set(v, p);
}

/** One byte per character; throws for characters above 0xFF. */
export function asciiBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0xff) throw new RangeError(`character ${JSON.stringify(s[i])} is not a single byte`);
    out[i] = c;
  }
  return out;
}

export function latin1(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]!);
  return s;
}

function abs(ctx: StructContext, at: number): number {
  return (ctx.baseOffset ?? 0) + at;
}

function structError(code: ErrorCode, ctx: StructContext, at: number, what: string): LvmkitError {
  const file = ctx.file ?? 'buffer';
  return new LvmkitError(code, `${file}: ${what}`, { file, offset: abs(ctx, at) });
}
