/**
 * Test helper for the PV/VG verb tests: real `pvck` on one loop device (limited by a devices filter in a
 * private lvm.conf, as `pvck --devices X X` fails in LVM2 2.03.16) and `vgck`, both required to pass clean.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { runProgram, type LoopLab } from '../helpers/lvm2.js';

let n = 0;

/** Real `pvck DEV` passes (exit 0, no CHECK: line). */
export function expectPvckClean(lab: LoopLab, dev: string): void {
  const sys = join(lab.dir, `pvck-sys-${n++}`);
  mkdirSync(sys, { recursive: true });
  writeFileSync(join(sys, 'lvm.conf'), `devices { filter = [ "a|^${dev}$|", "r|.*|" ] }\n`);
  const r = runProgram('lvm', ['pvck', dev], { allowFail: true, env: { ...process.env, LVM_SUPPRESS_FD_WARNINGS: '1', LC_ALL: 'C', LVM_SYSTEM_DIR: sys } });
  expect(r.code, `pvck ${dev}: ${r.stdout}${r.stderr}`).toBe(0);
  expect(`${r.stdout}${r.stderr}`).not.toMatch(/CHECK:/);
}

/** Real `vgck VG` passes with no warning. */
export function expectVgckClean(lab: LoopLab, vg: string): void {
  const r = lab.lvm('vgck', [vg], { allowFail: true });
  expect(r.code, `vgck ${vg}: ${r.stdout}${r.stderr}`).toBe(0);
  expect(r.stderr.trim(), `vgck ${vg}`).toBe('');
}
