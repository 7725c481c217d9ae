/** Size formatting, checked against LVM2 2.03.16 output for the same byte counts. */
import { describe, expect, it } from 'vitest';
import { formatSize, parseUnits } from '../../src/commands/report/units.js';
import { isLvmkitError } from '../../src/errors.js';

// vgs --units X -o vg_mda_free,vg_size,vg_free on a VG of two 64 MiB PVs (real LVM2 output)
const BYTES = [519680, 125829120, 109051904];
const LVM2: Record<string, string[]> = {
  h: ['507.50k', '120.00m', '104.00m'],
  H: ['519.68K', '125.83M', '109.05M'],
  r: ['507.50k', '120.00m', '104.00m'],
  R: ['519.68K', '<125.83M', '109.05M'],
  b: ['519680B', '125829120B', '109051904B'],
  B: ['519680B', '125829120B', '109051904B'],
  s: ['1015S', '245760S', '212992S'],
  S: ['1015S', '245760S', '212992S'],
  k: ['507.50k', '122880.00k', '106496.00k'],
  K: ['519.68K', '125829.12K', '109051.90K'],
  m: ['0.50m', '120.00m', '104.00m'],
  M: ['0.52M', '125.83M', '109.05M'],
  g: ['0.00g', '0.12g', '0.10g'],
  G: ['0.00G', '0.13G', '0.11G'],
  t: ['0.00t', '0.00t', '0.00t'],
  T: ['0.00T', '0.00T', '0.00T'],
  e: ['0.00e', '0.00e', '0.00e'],
  E: ['0.00E', '0.00E', '0.00E'],
};
// the same with --nosuffix
const LVM2_NOSUFFIX: Record<string, string[]> = {
  h: ['507.50k', '120.00m', '104.00m'],
  R: ['519.68K', '<125.83M', '109.05M'],
  b: ['519680', '125829120', '109051904'],
  s: ['1015', '245760', '212992'],
  k: ['507.50', '122880.00', '106496.00'],
  K: ['519.68', '125829.12', '109051.90'],
  g: ['0.00', '0.12', '0.10'],
};

describe('formatSize', () => {
  for (const [u, want] of Object.entries(LVM2)) {
    it(`--units ${u}`, () => {
      expect(BYTES.map((b) => formatSize(b, parseUnits(u)))).toEqual(want);
    });
  }
  for (const [u, want] of Object.entries(LVM2_NOSUFFIX)) {
    it(`--units ${u} --nosuffix`, () => {
      expect(BYTES.map((b) => formatSize(b, parseUnits(u), true))).toEqual(want);
    });
  }
  it('rounding mark of r/R (format reference §10.4)', () => {
    const R = parseUnits('R');
    expect([132120576, 126877696, 1048576].map((b) => formatSize(b, R))).toEqual(['132.12M', '<126.88M', '<1.05M']);
    expect(formatSize(1023 * 1048576, parseUnits('r'))).toBe('1023.00m');
    expect(formatSize(1024 * 1048576, parseUnits('r'))).toBe('1.00g');
    // 1 MiB + 4 KiB = 1.0039 MiB: printed 1.00, smaller than the value, so no mark
    expect(formatSize(1052672, parseUnits('r'))).toBe('1.00m');
    // 1 MiB + 6 KiB = 1.00586 MiB: printed 1.01, rounded up
    expect(formatSize(1054720, parseUnits('r'))).toBe('<1.01m');
  });
  it('zero', () => {
    expect(formatSize(0, parseUnits('r'))).toBe('0 ');
    expect(formatSize(0, parseUnits('h'))).toBe('0 ');
    expect(formatSize(0, parseUnits('r'), true)).toBe('0');
    expect(formatSize(0, parseUnits('b'))).toBe('0B');
    expect(formatSize(0, parseUnits('m'))).toBe('0m');
    expect(formatSize(0, parseUnits('M'))).toBe('0M');
    expect(formatSize(0, parseUnits('S'))).toBe('0S');
    expect(formatSize(0, parseUnits('m'), true)).toBe('0');
  });
  it('default units are r', () => {
    expect(parseUnits(undefined).letter).toBe('r');
  });
  it('rejects unknown units with EARGS', () => {
    for (const bad of ['x', 'kb', '', '4k']) {
      try { parseUnits(bad); expect.unreachable(); } catch (e) {
        expect(isLvmkitError(e) && e.code).toBe('EARGS');
      }
    }
  });
});
