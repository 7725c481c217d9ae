/**
 * Twin images for the LV verbs: PVs and a VG made by real LVM2 on loop devices, then copied; the same LV
 * commands run with real LVM2 on the originals and with lvmkit's CLI on the copies, and the results are
 * compared field by field (PV names mapped to letters). Also: real `vgck` and `pvck` on images lvmkit wrote.
 */
import { copyFileSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { runProgram, parseJsonReport, type LabDevice, type LoopLab } from '../helpers/lvm2.js';
import { CLI, hashes, runCli, type CliResult } from '../cli/cli-harness.js';
import { reportCommand } from '../../src/commands/reporting.js';

/**
 * runCli, waiting out another build of dist/ happening at the same moment (the bundle is briefly missing or
 * half-written while tsup rebuilds it).
 */
export function lvmkit(args: string[]): CliResult {
  for (let i = 0; ; i++) {
    while (!existsSync(CLI) && i < 60) { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500); i++; }
    const r = runCli(args);
    const broken = /Cannot find module|ERR_MODULE_NOT_FOUND|SyntaxError: |ReferenceError: /.test(r.stderr) && !/^(lvmkit: |  )/.test(r.stderr);
    if (!broken || i >= 60) return r;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
  }
}

/** lvmkit() that must leave `images` byte-identical. */
export function lvmkitReadOnly(args: string[], images: string[]): CliResult {
  const before = hashes(images);
  const r = lvmkit(args);
  expect(hashes(images), `lvmkit ${args.join(' ')} changed an image`).toEqual(before);
  return r;
}

export const SEG_COMPARE = 'lv_name,seg_start_pe,seg_size_pe,seg_pe_ranges,stripes,stripe_size';

export interface Twins {
  vg: string;
  /** Letter -> device made by LVM2 (the originals). */
  real: Map<string, LabDevice>;
  /** Letter -> copy of the image, changed by lvmkit only. */
  copies: Map<string, string>;
}

/** PVs named by letter with their sizes; the VG is made by real LVM2 with `vgArgs`, then every image is copied. */
export function makeTwins(lab: LoopLab, sizes: Record<string, string>, vgArgs: string[] = ['-s', '1m']): Twins {
  const vg = lab.vgName();
  const real = new Map<string, LabDevice>();
  for (const [letter, size] of Object.entries(sizes)) real.set(letter, lab.disk(`${vg}-${letter}.img`, size));
  const devs = [...real.values()].map((d) => d.dev);
  lab.pvcreate(devs, [], { devices: devs });
  lab.vgcreate(vg, devs, vgArgs, { devices: devs });
  const copies = new Map<string, string>();
  for (const [letter, d] of real) {
    const copy = join(lab.dir, `${vg}-${letter}.copy.img`);
    copyFileSync(d.image, copy);
    copies.set(letter, copy);
  }
  return { vg, real, copies };
}

export function realDevices(t: Twins): string[] {
  return [...t.real.values()].map((d) => d.dev);
}

export function copyImages(t: Twins): string[] {
  return [...t.copies.values()];
}

/** `@a` -> what `pick` gives for PV a, keeping any `:ranges` suffix; `%vg` -> the VG name. */
function mapArgs(args: string[], vg: string, pick: (letter: string) => string): string[] {
  return args.map((a) => a.replace(/%vg/g, vg).replace(/^@([a-z])/, (_, l: string) => pick(l)));
}

export interface StepOutcome {
  real: { code: number; stdout: string; stderr: string };
  ours: CliResult;
}

/**
 * Run one LV command (`verb`, args with `%vg` and `@a[:ranges]` placeholders) with real LVM2 on the originals
 * and lvmkit on the copies. Real LVM2 gets --driverloaded n (no device-mapper here), lvcreate also -an -Zn.
 */
export function twinStep(lab: LoopLab, t: Twins, verb: string, args: string[]): StepOutcome {
  const devs = realDevices(t);
  const realArgs = mapArgs(args, t.vg, (l) => t.real.get(l)!.dev);
  const extra = verb === 'lvcreate' ? ['--driverloaded', 'n', '-an', '-Zn', '-y'] : ['--driverloaded', 'n', '-y'];
  const r = lab.lvm(verb, [...extra, ...realArgs], { devices: devs, allowFail: true });
  const ourArgs = mapArgs(args, t.vg, (l) => t.copies.get(l)!);
  const before = hashes(copyImages(t));
  const ours = lvmkit([verb, ...ourArgs, '--devices', copyImages(t).join(',')]);
  const what = `${verb} ${args.join(' ')}\nLVM2 (${r.code}): ${r.stdout}${r.stderr}\nlvmkit (${ours.code}): ${ours.stdout}${ours.stderr}`;
  expect(ours.code === 0, what).toBe(r.code === 0);
  if (r.code !== 0) expect(hashes(copyImages(t)), `${what}\nlvmkit failed but changed an image`).toEqual(before);
  // LVM2's words on stdout, line for line (device names aside).
  else expect(ours.stdout.split(copyImages(t)[0]).join('@'), what).toBe(r.stdout.split(realDevices(t)[0]).join('@'));
  return { real: { code: r.code, stdout: r.stdout, stderr: r.stderr }, ours };
}

type Row = Record<string, string>;

function letterise(rows: Row[], names: Map<string, string>): Row[] {
  return rows.map((row) => {
    const out: Row = {};
    for (const [k, v] of Object.entries(row)) {
      let s = v;
      for (const [name, letter] of [...names].sort((x, y) => y[0].length - x[0].length)) s = s.split(name).join(letter);
      out[k] = s;
    }
    return out;
  }).sort((a, b) => (a.lv_name + '/' + a.seg_start_pe.padStart(8, '0') < b.lv_name + '/' + b.seg_start_pe.padStart(8, '0') ? -1 : 1));
}

/** LVM2's segments of the originals and lvmkit's of the copies, PV names replaced by their letters. */
export async function twinSegments(lab: LoopLab, t: Twins, fields = SEG_COMPARE): Promise<{ real: Row[]; ours: Row[] }> {
  const real = lab.report('lvs', ['--segments', '-o', fields, t.vg], { devices: realDevices(t) });
  const realNames = new Map([...t.real].map(([l, d]) => [d.dev, l] as [string, string]));
  const out = await reportCommand('lvs', {
    devices: copyImages(t), segments: true, options: fields, reportformat: 'json', units: 'b', nosuffix: true, names: [t.vg],
  });
  const ours = parseJsonReport(out.stdout);
  const ourNames = new Map([...t.copies].map(([l, p]) => [p, l] as [string, string]));
  return { real: letterise(real, realNames), ours: letterise(ours, ourNames) };
}

/**
 * Real LVM2's checks of images lvmkit wrote: `vgck` on loops over them, and `pvck` on each (pvck ignores
 * --devices lists in 2.03.16, so it runs with an lvm.conf filter accepting only that device).
 * Returns the loop devices attached to the copies.
 */
export function realChecks(lab: LoopLab, vg: string, images: string[], attached?: LabDevice[]): LabDevice[] {
  const loops = attached ?? images.map((img) => lab.attach(img));
  const devs = loops.map((d) => d.dev);
  lab.lvm('vgck', [vg], { devices: devs });
  const sys = join(lab.dir, 'lvm-system');
  for (const d of devs) {
    writeFileSync(join(sys, 'lvm.conf'), `devices {\n\tfilter = [ "a|^${d}$|", "r|.*|" ]\n}\n`);
    try {
      const r = runProgram('lvm', ['pvck', d], { env: { ...process.env, LVM_SYSTEM_DIR: sys, LVM_SUPPRESS_FD_WARNINGS: '1', LC_ALL: 'C' } });
      expect(r.stdout + r.stderr).toMatch(/Found label on/);
    } finally {
      rmSync(join(sys, 'lvm.conf'), { force: true });
    }
  }
  return loops;
}
