import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig, printConfig, findSection, findSetting, type ConfigDocument, type ConfigItem } from '../../src/metadata/index.js';

const dir = join(__dirname, '..', 'fixtures', 'metadata');
const files = readdirSync(dir).sort();
const fileFlavour = files.filter((f) => f.endsWith('.vg'));
const rawFlavour = files.filter((f) => f.endsWith('.raw'));
const read = (f: string) => readFileSync(join(dir, f), 'latin1');

/** Deep copy without positions, for parse(print(x)) == x. */
function strip(doc: ConfigDocument): unknown {
  const items = (list: ConfigItem[]): unknown[] => list.map((it) => {
    const { pos: _pos, ...rest } = it;
    return it.kind === 'section' ? { ...rest, children: items(it.children) } : rest;
  });
  return { ...doc, children: items(doc.children) };
}

describe('LVM2 backup files (file flavour) print back byte-identically', () => {
  it('has fixtures', () => expect(fileFlavour.length).toBeGreaterThanOrEqual(5));
  for (const f of fileFlavour) {
    it(f, () => {
      const text = read(f);
      const doc = parseConfig(text, f);
      expect(printConfig(doc, { flavour: 'file' })).toBe(text);
      expect(strip(parseConfig(printConfig(doc, { flavour: 'raw' })))).not.toBeUndefined();
    });
  }
});

describe('on-disk metadata texts (raw flavour) print back byte-identically', () => {
  it('has fixtures', () => expect(rawFlavour.length).toBeGreaterThanOrEqual(4));
  for (const f of rawFlavour) {
    it(f, () => {
      const text = read(f);
      expect(printConfig(parseConfig(text, f), { flavour: 'raw' })).toBe(text);
      // on disk the text ends with a NUL: same tree
      expect(strip(parseConfig(text + '\0', f))).toEqual(strip(parseConfig(text, f)));
    });
  }
});

describe('parse(print(x)) equals x', () => {
  for (const f of [...fileFlavour, ...rawFlavour]) {
    for (const flavour of ['file', 'raw'] as const) {
      it(`${f} via ${flavour}`, () => {
        const doc = parseConfig(read(f), f);
        expect(strip(parseConfig(printConfig(doc, { flavour })))).toEqual(strip(doc));
      });
    }
  }
});
