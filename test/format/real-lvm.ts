/**
 * Test helper: scratch image files, loop devices and real LVM2 commands (always with --devices).
 * Only loop devices this helper attached are detached again.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, closeSync, openSync, ftruncateSync, readSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

const ENV = { ...process.env, LVM_SUPPRESS_FD_WARNINGS: '1' };

function hasCommand(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Real LVM2 and loop devices usable (root, lvm and losetup present). */
export const haveLvm = process.getuid?.() === 0 && hasCommand('lvm') && hasCommand('losetup') && existsSync('/dev/loop-control');
export const haveSfdisk = hasCommand('sfdisk') && hasCommand('sgdisk');

export function randomVgName(): string {
  return `lk${randomBytes(5).toString('hex')}`;
}

export interface AttachOptions { offset?: number; sizelimit?: number }

export class Scratch {
  readonly dir = mkdtempSync(join(tmpdir(), 'lvmkit-test-'));
  private readonly loops: string[] = [];

  /** A sparse image file of `size` bytes. */
  image(name: string, size: number): string {
    const path = join(this.dir, name);
    const fd = openSync(path, 'w');
    try { ftruncateSync(fd, size); } finally { closeSync(fd); }
    return path;
  }

  attach(image: string, opts: AttachOptions = {}): string {
    const args = ['-f', '--show'];
    if (opts.offset !== undefined) args.push('-o', String(opts.offset));
    if (opts.sizelimit !== undefined) args.push('--sizelimit', String(opts.sizelimit));
    const dev = execFileSync('losetup', [...args, image], { encoding: 'utf8' }).trim();
    this.loops.push(dev);
    return dev;
  }

  detach(dev: string): void {
    const i = this.loops.indexOf(dev);
    if (i < 0) return;
    this.loops.splice(i, 1);
    execFileSync('losetup', ['-d', dev], { stdio: 'ignore' });
  }

  /** `lvm <cmd> --devices <devs> <args...>`; returns stdout. */
  lvm(cmd: string, devices: string[], args: string[]): string {
    return execFileSync('lvm', [cmd, '--devices', devices.join(','), ...args], { encoding: 'utf8', env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
  }

  /** `pvck --dump <what>` run on an image file (pvck reads files directly); parsed `key value` lines. */
  pvckDump(image: string, what = 'headers', extra: string[] = []): Map<string, string> {
    const out = this.lvm('pvck', [image], ['--dump', what, ...extra, image]);
    const map = new Map<string, string>();
    for (const line of out.split('\n')) {
      const m = /^\s*(\S+) (.*?)(?:\s+#.*)?$/.exec(line);
      if (m && !map.has(m[1]!)) map.set(m[1]!, m[2]!);
    }
    return map;
  }

  /** The raw `pvck --dump <what>` output. */
  pvckRaw(image: string, what: string, extra: string[] = []): string {
    return this.lvm('pvck', [image], ['--dump', what, ...extra, image]);
  }

  /** First row of a `pvs`/`vgs` JSON report with --units b. */
  report(cmd: 'pvs' | 'vgs', devices: string[], fields: string, target: string): Record<string, string> {
    const out = this.lvm(cmd, devices, ['--reportformat', 'json', '--units', 'b', '--nosuffix', '-o', fields, target]);
    const key = cmd === 'pvs' ? 'pv' : 'vg';
    return (JSON.parse(out).report[0][key] as Record<string, string>[])[0]!;
  }

  cleanup(): void {
    for (const dev of [...this.loops].reverse()) {
      try { this.detach(dev); } catch { /* keep going: detach the rest */ }
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Flip (xor 0xff) one byte of a file in place. */
export function flipByte(path: string, offset: number): void {
  const fd = openSync(path, 'r+');
  try {
    const b = Buffer.alloc(1);
    readSync(fd, b, 0, 1, offset);
    b[0] = b[0]! ^ 0xff;
    writeSync(fd, b, 0, 1, offset);
  } finally {
    closeSync(fd);
  }
}
