/**
 * Running the built CLI (dist/cli.js) from tests, and damaging copies of PV images on purpose.
 *
 * - runCli(args): spawn `node dist/cli.js ...args` (built by `npm test`'s pretest, or `npm run build`).
 * - expectOneLineError(r, ...patterns): non-zero exit, stderr exactly one "lvmkit: " line matching every
 *   pattern, no stack trace.
 * - sha256(file) / hashes(files): to assert that lvmkit never changed an image it read.
 * - ImageSurgeon: edits of an image file copy (never a loop device): flip a byte, truncate, and replace
 *   the committed metadata text of a metadata area while fixing raw_locn checksum and header CRC, so that
 *   only the intended layer (parser, model) sees the damage.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, copyFileSync, existsSync, openSync, readFileSync, readSync, truncateSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { REPO_ROOT } from '../helpers/images.js';
import { decodeMdaHeader, encodeMdaHeader, lvmCrc, type MdaHeader } from '../../src/format/index.js';

export const CLI = join(REPO_ROOT, 'dist', 'cli.js');

export interface CliResult {
  args: string[];
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): CliResult {
  if (!existsSync(CLI)) throw new Error(`${CLI} does not exist: run "npm run build" (npm test does it in pretest)`);
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8', cwd: opts.cwd ?? REPO_ROOT, timeout: 60_000, maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, LC_ALL: 'C', NO_COLOR: '1', ...opts.env },
  });
  if (r.error) throw r.error;
  return { args, code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** stderr lines without the empty last one. */
export function stderrLines(r: CliResult): string[] {
  return r.stderr.split('\n').filter((l, i, a) => !(l === '' && i === a.length - 1));
}

/** A failure as the CLI must report it: non-zero exit, ONE "lvmkit: " line matching every pattern, no stack. */
export function expectOneLineError(r: CliResult, ...patterns: Array<RegExp | string>): string {
  const what = `lvmkit ${r.args.join(' ')}\nexit ${r.code}\nstderr:\n${r.stderr}`;
  expect(r.code, what).not.toBe(0);
  expect(r.stderr, what).not.toContain('    at ');
  expect(r.stderr, what).not.toMatch(/internal error/);
  const lines = stderrLines(r);
  expect(lines, what).toHaveLength(1);
  const line = lines[0] ?? '';
  expect(line.startsWith('lvmkit: '), what).toBe(true);
  for (const p of patterns) {
    if (typeof p === 'string') expect(line, what).toContain(p);
    else expect(line, what).toMatch(p);
  }
  return line;
}

export function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

export function hashes(files: string[]): string[] {
  return files.map(sha256);
}

/** Run the CLI and assert that none of `images` changed. */
export function runCliReadOnly(args: string[], images: string[]): CliResult {
  const before = hashes(images);
  const r = runCli(args);
  expect(hashes(images), `lvmkit ${args.join(' ')} changed an image`).toEqual(before);
  return r;
}

/** Bytes from a small deterministic generator (xorshift32), so "random" images are the same on every run. */
export function pseudoRandomBytes(length: number, seed = 0x1234567): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

/** The committed text of one metadata area and where it is. */
export interface AreaText {
  areaOffset: number;
  header: MdaHeader;
  /** Absolute byte offset of the text on the image. */
  textAt: number;
  /** The text without its NUL (assumed not wrapped: tests use fresh VGs). */
  text: string;
}

/** Edits of an image FILE (a copy made for the test). */
export class ImageSurgeon {
  constructor(readonly path: string) {}

  static copy(from: string, to: string): ImageSurgeon {
    copyFileSync(from, to);
    return new ImageSurgeon(to);
  }

  read(offset: number, length: number): Uint8Array {
    const fd = openSync(this.path, 'r');
    try {
      const b = new Uint8Array(length);
      const n = readSync(fd, b, 0, length, offset);
      return b.subarray(0, n);
    } finally {
      closeSync(fd);
    }
  }

  write(offset: number, bytes: Uint8Array): void {
    const fd = openSync(this.path, 'r+');
    try {
      writeSync(fd, bytes, 0, bytes.length, offset);
    } finally {
      closeSync(fd);
    }
  }

  flipByte(offset: number, mask = 0x01): void {
    const b = this.read(offset, 1);
    b[0] ^= mask;
    this.write(offset, b);
  }

  truncate(size: number): void {
    truncateSync(this.path, size);
  }

  areaText(areaOffset: number): AreaText {
    const { header } = decodeMdaHeader(this.read(areaOffset, 512), this.path, areaOffset);
    const s0 = header.slots[0];
    if (!s0 || s0.size === 0) throw new Error(`${this.path}: no committed text in the area at ${areaOffset}`);
    if (s0.offset + s0.size > header.size) throw new Error(`${this.path}: the text at ${areaOffset} wraps; not handled here`);
    const textAt = areaOffset + s0.offset;
    const bytes = this.read(textAt, s0.size - 1);
    return { areaOffset, header, textAt, text: new TextDecoder().decode(bytes) };
  }

  /**
   * Replace the committed text of the area by `text` of the SAME byte length (so the location stays valid),
   * then fix slot 0's checksum and the header CRC: only the text's content is wrong afterwards.
   */
  replaceText(areaOffset: number, edit: (text: string) => string): AreaText {
    const before = this.areaText(areaOffset);
    const text = edit(before.text);
    const bytes = new TextEncoder().encode(text + '\0');
    const s0 = before.header.slots[0]!;
    if (bytes.length !== s0.size) throw new Error(`replaceText: the edit changed the size (${s0.size} -> ${bytes.length})`);
    this.write(before.textAt, bytes);
    const slots = [{ ...s0, checksum: lvmCrc(bytes) }, before.header.slots[1]!];
    this.write(areaOffset, encodeMdaHeader({ start: before.header.start, size: before.header.size, slots }));
    return { ...before, text };
  }
}

/** 1-based line and column of the character at `index` of `text`. */
export function lineColumn(text: string, index: number): { line: number; column: number } {
  const before = text.slice(0, index);
  const line = before.split('\n').length;
  return { line, column: index - before.lastIndexOf('\n') };
}
