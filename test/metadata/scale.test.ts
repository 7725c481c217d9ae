import { describe, expect, it } from 'vitest';
import { parseConfig, printConfig, findSection, type ConfigDocument, type ConfigSection } from '../../src/metadata/index.js';
import { bigVgText } from './big-vg.js';

describe('scale', () => {
  it('parses and prints the metadata of a VG with 2,000 LVs (about 1 MB)', () => {
    const text = bigVgText(2000);
    expect(text.length).toBeGreaterThan(900_000);
    parseConfig(text); // warm-up
    const t0 = performance.now();
    const doc = parseConfig(text, 'big');
    const t1 = performance.now();
    const back = printConfig(doc, { flavour: 'raw' });
    const t2 = performance.now();
    console.log(`2000 LVs, ${text.length} chars: parse ${(t1 - t0).toFixed(1)} ms, print ${(t2 - t1).toFixed(1)} ms`);
    expect(back).toBe(text);
    const lvs = findSection(findSection(doc, 'big')!, 'logical_volumes')!;
    expect(lvs.children.length).toBe(2000);
    const last = lvs.children[1999] as ConfigSection;
    expect(last.name).toBe('lv1999');
    expect(last.pos?.line).toBeGreaterThan(60_000);
  });

  it('supports nesting 10,000 sections deep (no recursion on the JS stack)', () => {
    const depth = 10_000;
    const text = 'a {\n'.repeat(depth) + 'x = 1\n' + '}\n'.repeat(depth);
    const doc = parseConfig(text, 'deep');
    let s: ConfigDocument | ConfigSection = doc;
    let n = 0;
    while (s.children.length === 1 && s.children[0].kind === 'section') { s = s.children[0]; n++; }
    expect(n).toBe(depth);
    expect(s.children[0]).toMatchObject({ kind: 'setting', key: 'x', value: 1, pos: { line: depth + 1, column: 1 } });
    expect(printConfig(doc, { flavour: 'raw' })).toBe(text);
    const file = printConfig(doc, { flavour: 'file' });
    expect(file.split('\n')[depth]).toBe('\t\t\t\t\tx = 1'); // indentation is capped at 5 TABs
  });

  it('reports an unclosed deep nest with the line of the innermost open section', () => {
    expect(() => parseConfig('a {\n'.repeat(10_000), 'deep')).toThrow(/^deep:10001:1: expected "}" to close section "a" opened at line 10000 column 1, found end of input$/);
  });
});
