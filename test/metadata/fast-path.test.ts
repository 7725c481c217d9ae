// The grammar's fast path (a whole `key = value` line read by one regular expression, see fastSetting in
// grammar/lvm-config.peggy) must build exactly the tree the general rules build. Every text made by real
// LVM2 in the fixtures (on-disk metadata and backup files), plus texts that mix both paths line by line,
// is parsed both ways and compared item by item, positions included.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/metadata/generated/lvm-config-parser.js';

const fixtures = join(__dirname, '..', 'fixtures', 'metadata');
const samples = join(__dirname, '..', '..', 'samples');
const texts: [string, string][] = [
  ...readdirSync(fixtures).filter((f) => f.endsWith('.vg') || f.endsWith('.raw')).map((f): [string, string] => [f, readFileSync(join(fixtures, f), 'utf8')]),
  ...readdirSync(samples).filter((f) => f.endsWith('.vg.txt')).map((f): [string, string] => [f, readFileSync(join(samples, f), 'utf8')]),
];

function bothWays(text: string): { fast: unknown; general: unknown } {
  const cut = text.indexOf('\0');
  const input = cut === -1 ? text : text.slice(0, cut);
  return { fast: parse(input, {}), general: parse(input, { noFastPath: true }) };
}

/** How many settings a tree holds, at any depth. */
function settings(tree: unknown): number {
  let n = 0;
  const walk = (items: { kind: string; children?: unknown[] }[]): void => {
    for (const it of items) {
      if (it.kind === 'setting') n++;
      if (it.children) walk(it.children as { kind: string; children?: unknown[] }[]);
    }
  };
  walk((tree as { children: { kind: string }[] }).children);
  return n;
}

describe('grammar fast path = general rules', () => {
  it('has real LVM2 texts to compare (fixtures and samples)', () => {
    expect(texts.length).toBeGreaterThanOrEqual(8);
  });

  for (const [name, text] of texts) {
    it(`${name}: the same tree both ways`, () => {
      const { fast, general } = bothWays(text);
      expect(settings(fast)).toBeGreaterThan(5);
      expect(fast).toEqual(general);
    });
  }

  it('lines the fast path refuses (spacing, comments, octal, floats, bare words, multi-line arrays) mixed with ones it takes', () => {
    const text = [
      'vg {',
      'id = "abc"',
      'seqno  = 3',
      'a = 0755',
      'b = 1.5',
      'c = -7',
      'd = 123456789012345678',
      'e = word',
      'f = ["x", "y\\"z"]',
      'g = [',
      '"p", 1,',
      '"q", 2',
      ']',
      'h = "s" # trailing comment',
      '# full-line comment',
      'i = []',
      '',
      '',
      'j = "back\\\\slash"',
      '\tk = 5',
      '}',
      '',
    ].join('\n');
    const { fast, general } = bothWays(text);
    expect(settings(general)).toBe(13);
    expect(fast).toEqual(general);
  });
});
