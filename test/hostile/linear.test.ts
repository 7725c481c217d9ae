/**
 * Parsing stays linear in the input size: for each shape of input (many LVs, deep nesting, a long string,
 * a long array, many comments) the parser's work and the memory it keeps are compared between an input
 * and one 4 times larger. Work is counted, not timed: characters visited through the String and RegExp
 * primitives the parser uses (charCodeAt, indexOf, substring/slice, sticky RegExp matches), measured by
 * wrapping them during the parse. Memory is the heap kept by the parsed tree after a full GC.
 * A quadratic step would show a ratio near 16; the bound is 4 x 1.5.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/metadata/parse.js';
import { vgFromConfig } from '../../src/model/from-config.js';
import { lookupSegtype } from '../../src/segtypes/registry.js';
import { SAMPLE_TEXT, editFirst } from './helpers.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

interface Work { calls: number; chars: number }

/** Runs `fn` with the string/regexp primitives wrapped, counting calls and characters they cover. */
function countWork(fn: () => unknown): Work {
  const w: Work = { calls: 0, chars: 0 };
  const S = String.prototype;
  const R = RegExp.prototype;
  const orig = { charCodeAt: S.charCodeAt, indexOf: S.indexOf, substring: S.substring, slice: S.slice, test: R.test, exec: R.exec };
  S.charCodeAt = function (this: string, i: number) { w.calls++; w.chars++; return orig.charCodeAt.call(this, i); };
  S.indexOf = function (this: string, search: string, from?: number) {
    const r = orig.indexOf.call(this, search, from);
    w.calls++; w.chars += (r === -1 ? this.length : r) - (from ?? 0) + 1;
    return r;
  };
  S.substring = function (this: string, a: number, b?: number) { const r = orig.substring.call(this, a, b); w.calls++; w.chars += r.length; return r; };
  S.slice = function (this: string, a?: number, b?: number) { const r = orig.slice.call(this, a, b); w.calls++; w.chars += r.length; return r; };
  const track = (re: RegExp, start: number, matched: boolean) => {
    w.calls++;
    w.chars += matched && re.sticky ? re.lastIndex - start + 1 : 1;
  };
  R.test = function (this: RegExp, s: string) { const start = this.lastIndex; const r = orig.test.call(this, s); track(this, start, r); return r; };
  R.exec = function (this: RegExp, s: string) { const start = this.lastIndex; const r = orig.exec.call(this, s); track(this, start, r !== null); return r; };
  try {
    fn();
  } finally {
    Object.assign(S, { charCodeAt: orig.charCodeAt, indexOf: orig.indexOf, substring: orig.substring, slice: orig.slice });
    Object.assign(R, { test: orig.test, exec: orig.exec });
  }
  return w;
}

/** Heap bytes kept by what `fn` returns (the least of 3 tries: the heap counter is noisy). */
function keptBytes(fn: () => unknown): number {
  let least = Infinity;
  for (let i = 0; i < 3; i++) {
    gc();
    const before = process.memoryUsage().heapUsed;
    const kept = fn();
    gc();
    const after = process.memoryUsage().heapUsed;
    expect(kept).toBeDefined();
    least = Math.min(least, after - before);
  }
  return least;
}

const LV = SAMPLE_TEXT.slice(SAMPLE_TEXT.indexOf('\t\tlin {'), SAMPLE_TEXT.indexOf('\t\tstr {'));

const shapes: Array<[string, (n: number) => string, number]> = [
  ['many LVs', (n) => editFirst(SAMPLE_TEXT, LV, Array.from({ length: n }, (_, i) => LV.replace('lin {', `lv${i} {`)).join('')), 200],
  ['deep nesting', (n) => 'a {\n'.repeat(n) + '}\n'.repeat(n), 2500],
  ['a long string', (n) => `description = "${'x'.repeat(n * 100)}"\n`, 5000],
  ['a long array', (n) => `tags = [${Array.from({ length: n }, (_, i) => `"t${i}"`).join(', ')}]\n`, 2500],
  ['many comments and blank lines', (n) => '# comment line\n\n'.repeat(n) + 'x = 1\n', 2500],
  ['a long string with escapes', (n) => `s = "${'a\\"b\\\\'.repeat(n * 4)}"\n`, 5000],
];

describe('parse work and memory grow linearly with the input', () => {
  for (const [name, make, n] of shapes) {
    it(name, () => {
      const small = make(n);
      const large = make(4 * n);
      expect(large.length / small.length).toBeGreaterThan(3.5);
      const ws = countWork(() => parseConfig(small, 'small'));
      const wl = countWork(() => parseConfig(large, 'large'));
      const workRatio = wl.chars / ws.chars;
      const callRatio = wl.calls / ws.calls;
      if (process.env.LVMKIT_SHOW_RATIOS) console.log(name, ws, wl, workRatio.toFixed(2), callRatio.toFixed(2));
      expect(workRatio, `work ${ws.chars} -> ${wl.chars}`).toBeLessThan(6);
      expect(callRatio, `calls ${ws.calls} -> ${wl.calls}`).toBeLessThan(6);
      const ms = keptBytes(() => parseConfig(small, 'small'));
      const ml = keptBytes(() => parseConfig(large, 'large'));
      // Small trees are near the noise of the heap counter: compare only when the small one keeps 256 KiB or more.
      if (ms > 256 * 1024) expect(ml / ms, `memory ${ms} -> ${ml}`).toBeLessThan(6);
      expect(ml).toBeLessThan(large.length * 64 + 4 * 1024 * 1024);
    });
  }

  it('the model of many LVs: work linear too', () => {
    const make = (n: number) => parseConfig(editFirst(SAMPLE_TEXT, LV, Array.from({ length: n }, (_, i) => LV.replace('lin {', `lv${i} {`)).join('')), 'm');
    const small = make(500);
    const large = make(2000);
    const ws = countWork(() => vgFromConfig(small, { codecs: lookupSegtype }));
    const wl = countWork(() => vgFromConfig(large, { codecs: lookupSegtype }));
    expect(wl.calls / Math.max(1, ws.calls)).toBeLessThan(6);
    expect(wl.chars / Math.max(1, ws.chars)).toBeLessThan(6);
  });
});
