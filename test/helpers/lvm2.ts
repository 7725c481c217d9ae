/**
 * Real LVM2 on loop devices, safely, for interop tests.
 *
 * - lvm2Available(): can this process run real LVM2 on loop devices (root, `lvm`, losetup)?
 * - describeInterop()/itInterop(): skip with "skipped: lvm2/loop unavailable (<why>)" when not, but FAIL
 *   when env LVMKIT_REQUIRE_INTEROP=1 (CI), so interop tests can never be skipped silently there.
 * - LoopLab: temp images in its own directory, attached to loop devices it remembers; every lvm command
 *   it runs gets `--devices <its loops>`, so real LVM2 never looks at any other device of the machine.
 *   detach() lets one loop go early; pvckRaw()/pvckDump() run pvck on an image file.
 *   cleanup() removes its VGs, detaches only its own loops and deletes its directory.
 *
 * Everything here is synchronous (child_process *Sync): simple to use in tests, and lvm commands are short.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import {
  createSparseImage, extractSample, fillPattern, makeTempDir, parseSize, readPartitionTable, removeDir, writeGpt, writeMbr,
  type GptPlan, type MbrPlan, type PartitionInfo,
} from './images.js';

// ---------------------------------------------------------------------------------------------
// Availability and the interop wrappers

export interface Availability {
  ok: boolean;
  why?: string;
}

let cachedAvailability: Availability | undefined;

/** Root, `lvm` runs, and losetup can attach and detach a temp file. Computed once per test file. */
export function lvm2Available(): Availability {
  cachedAvailability ??= probeAvailability();
  return cachedAvailability;
}

function probeAvailability(): Availability {
  if (process.env.LVMKIT_NO_INTEROP === '1') return { ok: false, why: 'LVMKIT_NO_INTEROP=1' };
  if (process.platform !== 'linux') return { ok: false, why: `platform is ${process.platform}, not linux` };
  if (process.getuid?.() !== 0) return { ok: false, why: 'not running as root' };
  const lvm = spawnSync('lvm', ['version'], { encoding: 'utf8', env: lvmEnv() });
  if (lvm.error || lvm.status !== 0) return { ok: false, why: `\`lvm version\` failed: ${lvm.error?.message ?? firstLine(lvm.stderr)}` };
  return probeLosetup();
}

function probeLosetup(): Availability {
  const dir = makeTempDir('lvmkit-probe-');
  try {
    const img = createSparseImage(join(dir, 'probe.img'), '1M');
    const att = spawnSync('losetup', ['-f', '--show', img], { encoding: 'utf8' });
    if (att.error || att.status !== 0) return { ok: false, why: `losetup failed: ${att.error?.message ?? firstLine(att.stderr)}` };
    const dev = att.stdout.trim();
    if (!detachLoop(dev)) return { ok: false, why: `could not detach probe loop device ${dev}` };
    return { ok: true };
  } finally {
    removeDir(dir);
  }
}

export type InteropAction = 'run' | 'skip' | 'fail';

/** What an interop test does given availability and the environment (pure, so it can be tested). */
export function interopAction(avail: Availability, env: NodeJS.ProcessEnv = process.env): InteropAction {
  if (avail.ok) return 'run';
  return env.LVMKIT_REQUIRE_INTEROP === '1' ? 'fail' : 'skip';
}

export function skipMessage(avail: Availability): string {
  return `skipped: lvm2/loop unavailable (${avail.why ?? 'unknown reason'})`;
}

function requiredMessage(avail: Availability): string {
  return `LVMKIT_REQUIRE_INTEROP=1 but lvm2/loop is unavailable: ${avail.why ?? 'unknown reason'}`;
}

let warnedSkip = false;
function warnSkipOnce(avail: Availability): void {
  if (warnedSkip) return;
  warnedSkip = true;
  console.warn(`[lvmkit interop] ${skipMessage(avail)}`);
}

/**
 * describe() for tests needing real LVM2 on loop devices. Its body runs even when skipped (vitest collects
 * the tests), so create LoopLabs in beforeAll()/it(), never directly in the body.
 */
export function describeInterop(name: string, fn: () => void): void {
  describeWith(lvm2Available(), name, fn);
}

/** Programs a test needs besides LVM2 (e.g. sfdisk, sgdisk, grub-fstest): available when all run. */
export function toolsAvailable(...programs: string[]): Availability {
  const missing = programs.filter((p) => spawnSync('sh', ['-c', `command -v ${p}`], { stdio: 'ignore' }).status !== 0);
  return missing.length ? { ok: false, why: `missing ${missing.join(', ')}` } : { ok: true };
}

/** Both available (the first reason given when not). */
export function allAvailable(...list: Availability[]): Availability {
  return list.find((a) => !a.ok) ?? { ok: true };
}

/**
 * describe() for tests needing something of the machine (`avail`): skipped with the reason when it is
 * missing, but FAILED when env LVMKIT_REQUIRE_INTEROP=1 (CI), as describeInterop does.
 */
export function describeWith(avail: Availability, name: string, fn: () => void): void {
  const action = interopAction(avail);
  if (action === 'fail') {
    describe(name, () => {
      it('needs real LVM2 and loop devices', () => {
        throw new Error(requiredMessage(avail));
      });
    });
    return;
  }
  if (action === 'skip') warnSkipOnce(avail);
  describe.skipIf(action === 'skip')(action === 'skip' ? `${name} [${skipMessage(avail)}]` : name, fn);
}

/** it() for a single test needing real LVM2 on loop devices. */
export function itInterop(name: string, fn: () => unknown | Promise<unknown>, timeout?: number): void {
  const avail = lvm2Available();
  const action = interopAction(avail);
  if (action === 'fail') {
    it(name, () => {
      throw new Error(requiredMessage(avail));
    });
    return;
  }
  if (action === 'skip') warnSkipOnce(avail);
  it.skipIf(action === 'skip')(action === 'skip' ? `${name} [${skipMessage(avail)}]` : name, fn, timeout);
}

// ---------------------------------------------------------------------------------------------
// Running commands

export interface RunResult {
  /** The command line that ran (for messages). */
  command: string[];
  stdout: string;
  /** stderr without LVM's device-mapper/activation noise of this kernel (see LVM_NOISE). */
  stderr: string;
  rawStderr: string;
  code: number;
}

export interface RunOptions {
  /** Do not throw on a non-zero exit code. */
  allowFail?: boolean;
  /** Text for stdin. */
  input?: string;
  /** Devices for --devices instead of all the lab's devices (e.g. to leave a PV out). */
  devices?: string[];
}

/**
 * Lines LVM prints on every command on a kernel without device-mapper, or because of --driverloaded n /
 * -Zn; they are kept in rawStderr only.
 */
export const LVM_NOISE: RegExp[] = [
  /leaked on lvm invocation/,
  /WARNING: Activation disabled/,
  /\/dev\/mapper\/control: open failed/,
  /Failure to communicate with kernel device-mapper driver/,
  /Check that device-mapper is available in the kernel/,
  /Incompatible libdevmapper .* and kernel driver/,
  /WARNING: Logical volume .* not zeroed/,
];

function dropNoise(stderr: string): string {
  return stderr
    .split('\n')
    .filter((l) => !LVM_NOISE.some((re) => re.test(l)))
    .join('\n');
}

function lvmEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, LVM_SUPPRESS_FD_WARNINGS: '1', LC_ALL: 'C', ...extra };
}

function firstLine(s: string | undefined): string {
  return (s ?? '').trim().split('\n')[0] ?? '';
}

export class CommandError extends Error {
  constructor(readonly result: RunResult) {
    super(`${result.command.join(' ')} exited ${result.code}: ${result.stderr.trim() || result.rawStderr.trim()}`);
    this.name = 'CommandError';
  }
}

/** Run a program synchronously; throws CommandError on a non-zero exit unless allowFail. */
export function runProgram(
  program: string,
  args: string[],
  opts: { allowFail?: boolean; input?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): RunResult {
  const r = spawnSync(program, args, {
    encoding: 'utf8',
    input: opts.input,
    env: opts.env ?? lvmEnv(),
    timeout: opts.timeoutMs ?? 120_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.error) throw new Error(`${program} ${args.join(' ')}: ${r.error.message}`);
  const rawStderr = r.stderr ?? '';
  const result: RunResult = {
    command: [program, ...args],
    stdout: r.stdout ?? '',
    stderr: dropNoise(rawStderr),
    rawStderr,
    code: r.status ?? -1,
  };
  if (result.code !== 0 && !opts.allowFail) throw new CommandError(result);
  return result;
}

/** Parse `--reportformat json` output: the rows of the first report (pv, vg, lv, seg or pvseg). */
export function parseJsonReport(stdout: string): Array<Record<string, string>> {
  const all = parseJsonReportAll(stdout);
  const first = all[0];
  if (!first) return [];
  const key = Object.keys(first)[0];
  return key === undefined ? [] : first[key];
}

/** All reports of a `--reportformat json` output (one object per report, each keyed pv/vg/lv/seg/pvseg). */
export function parseJsonReportAll(stdout: string): Array<Record<string, Array<Record<string, string>>>> {
  // With damaged metadata LVM2 2.03 prints "Retrying metadata scan." on stdout, inside the JSON.
  stdout = stdout.split('\n').filter((l) => !/^\s*Retrying metadata scan\.\s*$/.test(l)).join('\n');
  const start = stdout.indexOf('{');
  if (start < 0) throw new Error(`not JSON report output: ${firstLine(stdout)}`);
  const obj = JSON.parse(stdout.slice(start)) as { report?: Array<Record<string, Array<Record<string, string>>>> };
  if (!Array.isArray(obj.report)) throw new Error('JSON report output has no "report" array');
  return obj.report;
}

function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

// ---------------------------------------------------------------------------------------------
// Loop devices

export interface LoopInfo {
  name: string;
  backFile: string;
  offset: number;
  sizeLimit: number;
}

/** Every loop device of the machine and its backing file (`losetup -l -J`); read-only. */
export function listLoops(): LoopInfo[] {
  const out = runProgram('losetup', ['-l', '-J', '-O', 'NAME,BACK-FILE,OFFSET,SIZELIMIT'], { allowFail: true }).stdout.trim();
  if (!out) return [];
  const j = JSON.parse(out) as { loopdevices?: Array<{ name: string; 'back-file': string | null; offset: number | string; sizelimit: number | string }> };
  return (j.loopdevices ?? []).map((l) => ({
    name: l.name,
    backFile: (l['back-file'] ?? '').replace(/ \(deleted\)$/, ''),
    offset: Number(l.offset),
    sizeLimit: Number(l.sizelimit),
  }));
}

/** Detach one loop device, retrying while it is busy. True when it is gone. */
function detachLoop(dev: string, tries = 20): boolean {
  for (let i = 0; i < tries; i++) {
    const r = spawnSync('losetup', ['-d', dev], { encoding: 'utf8' });
    if (r.status === 0) return true;
    if (/No such device or address|not a block device/i.test(r.stderr ?? '')) return true;
    sleepMs(50 * (i + 1));
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// The lab

/** One block device the lab made: a whole image, a kernel partition of it, or a loop over a byte range. */
export interface LabDevice {
  /** /dev/loopN or /dev/loopNpK */
  dev: string;
  image: string;
  /** Partition number (1.., MBR logical from 5) when this is a partition of `image`. */
  partition?: number;
  /** Byte offset in `image` where this device starts. */
  offset: number;
  /** Size in bytes. */
  size: number;
  kind: 'whole' | 'partition' | 'slice';
}

export interface PartitionedDisk {
  whole: LabDevice;
  table: PartitionInfo[];
  /** One LabDevice per partition of the table (extended MBR container excluded). */
  partitions: LabDevice[];
  /** The partition meant for the PV (GPT: 2, MBR: 5). */
  pv: LabDevice;
}

export interface LabOptions {
  /**
   * Point LVM_SYSTEM_DIR at a directory inside the lab (default true): LVM then reads no lvm.conf or devices
   * file of the machine and keeps its archive/backup files inside the lab, so /etc/lvm is left alone.
   */
  isolateConfig?: boolean;
}

const liveLabs = new Set<LoopLab>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const lab of liveLabs) lab.cleanup();
  });
}

export class LoopLab {
  /** The lab's own temp directory (under os.tmpdir()). */
  readonly dir: string;
  private readonly env: NodeJS.ProcessEnv;
  private readonly loops: LabDevice[] = [];
  /** Whole-image loop devices we attached (what we detach). */
  private readonly attached: string[] = [];
  private cleaned = false;

  constructor(opts: LabOptions = {}) {
    this.dir = makeTempDir('lvmkit-lab-');
    const extra: Record<string, string> = {};
    if (opts.isolateConfig ?? true) {
      const sys = join(this.dir, 'lvm-system');
      mkdirSync(sys);
      extra.LVM_SYSTEM_DIR = sys;
    }
    this.env = lvmEnv(extra);
    liveLabs.add(this);
    installExitHook();
  }

  // --- images and loops

  /** Create a sparse image file in the lab directory; `pattern` fills it with patternSector()s tagged with `name`. */
  image(name: string, size: number | string, opts: { pattern?: boolean } = {}): string {
    const path = join(this.dir, name);
    createSparseImage(path, size);
    if (opts.pattern) fillPattern(path, name);
    return path;
  }

  /** Attach an image (whole, or a byte range of it with offset/sizeLimit) to a new loop device. */
  attach(image: string, opts: { partscan?: boolean; offset?: number; sizeLimit?: number; partition?: number } = {}): LabDevice {
    const args = ['-f', '--show'];
    if (opts.partscan) args.push('-P');
    if (opts.offset !== undefined) args.push('-o', String(opts.offset));
    if (opts.sizeLimit !== undefined) args.push('--sizelimit', String(opts.sizeLimit));
    const dev = runProgram('losetup', [...args, image], { env: this.env }).stdout.trim();
    if (!/^\/dev\/loop\d+$/.test(dev)) throw new Error(`losetup printed "${dev}", expected /dev/loopN`);
    this.attached.push(dev);
    const size = Number(readFileSync(`/sys/block/${dev.slice(5)}/size`, 'utf8').trim()) * 512;
    const d: LabDevice = { dev, image, offset: opts.offset ?? 0, size, kind: opts.offset !== undefined || opts.sizeLimit !== undefined ? 'slice' : 'whole' };
    if (opts.partition !== undefined) d.partition = opts.partition;
    this.loops.push(d);
    return d;
  }

  /**
   * Detach one loop device the lab attached, now (e.g. before reading its image file directly); the devices
   * of that loop (its partition nodes) leave the lab's device list too. Throws for a device not the lab's.
   */
  detach(device: LabDevice | string): void {
    const dev = typeof device === 'string' ? device : device.dev;
    const i = this.attached.indexOf(dev);
    if (i < 0) throw new Error(`${dev} is not a loop device this lab attached`);
    if (!detachLoop(dev)) throw new Error(`could not detach ${dev}`);
    this.attached.splice(i, 1);
    for (let j = this.loops.length - 1; j >= 0; j--) {
      const d = this.loops[j]!.dev;
      if (d === dev || d.startsWith(`${dev}p`)) this.loops.splice(j, 1);
    }
  }

  /** Gunzip samples/<name>.img.gz into the lab directory; returns the image path (not attached). */
  sample(name: string): string {
    return extractSample(name, this.dir);
  }

  /** image() + attach(). */
  disk(name: string, size: number | string, opts: { pattern?: boolean } = {}): LabDevice {
    return this.attach(this.image(name, size, opts));
  }

  /** Every device of the lab usable by LVM (whole loops, partition nodes, slices), in creation order. */
  get devices(): string[] {
    return this.loops.map((l) => l.dev);
  }

  get labDevices(): readonly LabDevice[] {
    return this.loops;
  }

  /**
   * A whole-disk image with a GPT (default: p1 2 MiB, p2 rest as Linux LVM), its partitions attached as
   * devices: kernel partitions (losetup -P, then partx -a if the kernel did not scan), or loops over byte
   * ranges when `mode` is 'slices' or partition nodes cannot be made. `pv` is partition 2.
   */
  gptDisk(name: string, size: number | string, opts: { plan?: GptPlan; mode?: 'partscan' | 'slices'; pattern?: boolean } = {}): PartitionedDisk {
    const image = this.image(name, size, { pattern: opts.pattern });
    const table = writeGpt(image, opts.plan);
    return this.attachPartitioned(image, 2, opts.mode ?? 'partscan', table);
  }

  /**
   * A whole-disk image with an MBR: primaries, an extended partition, logical partitions from 5
   * (default: p1 2 MiB, p5 8 MiB type 8e, p6 rest). `pv` is partition 5.
   */
  mbrDisk(name: string, size: number | string, opts: { plan?: MbrPlan; mode?: 'partscan' | 'slices'; pattern?: boolean } = {}): PartitionedDisk {
    const image = this.image(name, size, { pattern: opts.pattern });
    const table = writeMbr(image, opts.plan);
    return this.attachPartitioned(image, 5, opts.mode ?? 'partscan', table);
  }

  /**
   * Attach an image that already holds a partition table (e.g. a sample) with its partitions as devices;
   * `pv` is partition `pvNumber`.
   */
  attachPartitioned(image: string, pvNumber: number, mode: 'partscan' | 'slices' = 'partscan', table = readPartitionTable(image)): PartitionedDisk {
    const real = table.filter((p) => !isExtendedContainer(p));
    const whole = this.attach(image, { partscan: mode === 'partscan' });
    let partitions: LabDevice[] | undefined;
    if (mode === 'partscan') partitions = this.partitionNodes(whole, real);
    partitions ??= real.map((p) => this.attach(image, { offset: p.offset, sizeLimit: p.size, partition: p.number }));
    const pv = partitions.find((p) => p.partition === pvNumber);
    if (!pv) throw new Error(`${image}: no partition ${pvNumber} in the table (${table.map((p) => p.number).join(',')})`);
    return { whole, table, partitions, pv };
  }

  /** /dev/loopNpK nodes for the table, asking partx to add them if the kernel's own scan made none. */
  private partitionNodes(whole: LabDevice, table: PartitionInfo[]): LabDevice[] | undefined {
    const node = (n: number) => `${whole.dev}p${n}`;
    const allThere = () => table.every((p) => existsSync(node(p.number)));
    if (!allThere()) runProgram('partx', ['-a', whole.dev], { allowFail: true, env: this.env });
    for (let i = 0; i < 40 && !allThere(); i++) sleepMs(25);
    if (!allThere()) return undefined;
    return table.map((p) => {
      const d: LabDevice = { dev: node(p.number), image: whole.image, partition: p.number, offset: p.offset, size: p.size, kind: 'partition' };
      this.loops.push(d);
      return d;
    });
  }

  /** The image (and partition) behind a device of this lab, or undefined for a device that is not ours. */
  imageOf(dev: string): LabDevice | undefined {
    return this.loops.find((l) => l.dev === dev);
  }

  /**
   * Replace every /dev/loopN[pK] of this lab in `text` by the name lvmkit shows for it: the image path for a
   * whole device, `partitionName(image, K)` for a partition (default `${image}:p${K}`, as
   * src/devices/partitions.ts names its sub-devices).
   */
  toImageNames(text: string, partitionName: (image: string, n: number) => string = (img, n) => `${img}:p${n}`): string {
    return text.replace(/\/dev\/loop\d+(?:p\d+)?/g, (dev) => {
      const d = this.imageOf(dev);
      if (!d) return dev;
      return d.partition === undefined ? d.image : partitionName(d.image, d.partition);
    });
  }

  // --- LVM

  /** A fresh random VG name: "lk" + 8 characters of [a-z0-9]. */
  vgName(): string {
    const abc = 'abcdefghijklmnopqrstuvwxyz0123456789';
    let s = 'lk';
    for (let i = 0; i < 8; i++) s += abc[Math.floor(Math.random() * abc.length)];
    return s;
  }

  /** Run `lvm <cmd> --devices <lab devices> ...args`. Throws CommandError on failure unless allowFail. */
  lvm(cmd: string, args: string[] = [], opts: RunOptions = {}): RunResult {
    const devices = opts.devices ?? this.devices;
    if (devices.length === 0) throw new Error(`lvm ${cmd}: the lab has no devices; refusing to run lvm without --devices`);
    return runProgram('lvm', [cmd, '--devices', devices.join(','), ...args], { allowFail: opts.allowFail, input: opts.input, env: this.env });
  }

  pvcreate(devs: string[], args: string[] = [], opts: RunOptions = {}): RunResult {
    return this.lvm('pvcreate', ['-y', ...args, ...devs], opts);
  }

  vgcreate(vg: string, devs: string[], args: string[] = [], opts: RunOptions = {}): RunResult {
    return this.lvm('vgcreate', [...args, vg, ...devs], opts);
  }

  /** lvcreate with `--driverloaded n -an -Zn` (no device-mapper needed); pvs = optional PV[:PE-range] args. */
  lvcreate(vg: string, args: string[], pvs: string[] = [], opts: RunOptions = {}): RunResult {
    return this.lvm('lvcreate', ['--driverloaded', 'n', '-an', '-Zn', '-y', ...args, vg, ...pvs], opts);
  }

  /** `lvm <pvs|vgs|lvs> --reportformat json --units b --nosuffix ...args` -> rows (all values are strings). */
  report(cmd: 'pvs' | 'vgs' | 'lvs' | 'fullreport', args: string[] = [], opts: RunOptions & { rawUnits?: boolean } = {}): Array<Record<string, string>> {
    const units = opts.rawUnits ? [] : ['--units', 'b', '--nosuffix'];
    return parseJsonReport(this.lvm(cmd, ['--reportformat', 'json', ...units, ...args], opts).stdout);
  }

  /** `vgcfgbackup -f <file> <vg>` and return the file's text. */
  vgcfgbackup(vg: string, opts: RunOptions = {}): string {
    const file = join(this.dir, `${vg}.backup.${Date.now()}.vg`);
    this.lvm('vgcfgbackup', ['-f', file, vg], opts);
    try {
      return readFileSync(file, 'utf8');
    } finally {
      rmSync(file, { force: true });
    }
  }

  /**
   * `pvck --dump <what> [...extra] <image>` on an image file (pvck reads files directly; --devices names
   * only that file), e.g. what = headers, metadata, metadata_all. Returns the raw output.
   */
  pvckRaw(image: string, what: string, extra: string[] = [], opts: RunOptions = {}): string {
    return this.lvm('pvck', ['--dump', what, ...extra, image], { ...opts, devices: [image] }).stdout;
  }

  /** pvckRaw() as a map of its `key value` lines (the first of each key; trailing `# comments` dropped). */
  pvckDump(image: string, what = 'headers', extra: string[] = []): Map<string, string> {
    const map = new Map<string, string>();
    for (const line of this.pvckRaw(image, what, extra).split('\n')) {
      const m = /^\s*(\S+) (.*?)(?:\s+#.*)?$/.exec(line);
      if (m && !map.has(m[1]!)) map.set(m[1]!, m[2]!);
    }
    return map;
  }

  /** Names of the VGs LVM sees on the lab's devices. */
  visibleVgs(): string[] {
    if (this.devices.length === 0) return [];
    const r = this.lvm('vgs', ['--reportformat', 'json', '-o', 'vg_name'], { allowFail: true });
    if (r.code !== 0) return [];
    return parseJsonReport(r.stdout).map((row) => row.vg_name);
  }

  // --- cleanup

  /**
   * Remove every VG on the lab's devices (vgremove -ff with --devices: only the lab's VGs can be seen), detach the loop devices it attached (with retries),
   * delete its directory. Safe to call twice. Throws if a loop device of the lab could not be detached.
   */
  cleanup(): void {
    if (this.cleaned) return;
    this.cleaned = true;
    liveLabs.delete(this);
    const problems: string[] = [];
    try {
      this.removeVgs();
    } catch (e) {
      problems.push(`vgremove: ${(e as Error).message}`);
    }
    for (const dev of [...this.attached].reverse()) {
      if (!detachLoop(dev)) problems.push(`could not detach ${dev}`);
    }
    this.loops.length = 0;
    this.attached.length = 0;
    removeDir(this.dir);
    if (problems.length) throw new Error(`LoopLab cleanup: ${problems.join('; ')}`);
  }

  private removeVgs(): void {
    if (this.devices.length === 0) return;
    for (const vg of this.visibleVgs()) this.lvm('vgremove', ['-ff', '-y', vg], { allowFail: true });
  }
}

function isExtendedContainer(p: PartitionInfo): boolean {
  return /^(5|f|85)$/i.test(p.type);
}

/** Re-read a partition table through sfdisk (re-exported for tests that build images by hand). */
export { readPartitionTable, parseSize };
