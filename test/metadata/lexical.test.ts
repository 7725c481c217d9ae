// The lexical and grammar rules of format reference §6, each as LVM2 2.03.16 reads them
// (checked with real `lvmconfig --config`, see interop.test.ts for the live comparison).
import { describe, expect, it } from 'vitest';
import { LvmkitError } from '../../src/errors.js';
import {
  ConfigBareWord,
  ConfigFloat,
  ConfigSingleQuoted,
  findSection,
  findSetting,
  parseConfig,
  type ConfigDocument,
  type ConfigSection,
  type ConfigSetting,
  type ConfigValue,
} from '../../src/metadata/index.js';

/** The value of `x` in `x = <v>`. */
function value(v: string): ConfigValue {
  const s = findSetting(parseConfig(`x = ${v}\n`), 'x');
  if (s === undefined) throw new Error('no x');
  return s.value;
}

function parseError(text: string, source = 't'): LvmkitError {
  try {
    parseConfig(text, source);
  } catch (e) {
    expect(e).toBeInstanceOf(LvmkitError);
    return e as LvmkitError;
  }
  throw new Error(`no error for ${JSON.stringify(text)}`);
}

function settings(doc: ConfigDocument | ConfigSection): ConfigSetting[] {
  return doc.children.filter((c): c is ConfigSetting => c.kind === 'setting');
}

describe('integers (C strtoll, base 0)', () => {
  it('reads decimal, signs and zero', () => {
    expect(value('15')).toBe(15);
    expect(value('+12')).toBe(12);
    expect(value('-1')).toBe(-1);
    expect(value('0')).toBe(0);
    expect(Object.is(value('-0'), 0)).toBe(true);
  });
  it('reads a leading 0 as octal, stopping at the first non-octal digit', () => {
    expect(value('010')).toBe(8);
    expect(value('-010')).toBe(-8);
    expect(value('09')).toBe(0);
    expect(value('08')).toBe(0);
    expect(value('0789')).toBe(7);
    expect(value('0777')).toBe(511);
  });
  it('reads a lone sign as 0', () => {
    expect(value('+')).toBe(0);
    expect(value('-')).toBe(0);
  });
  it('uses bigint beyond Number.MAX_SAFE_INTEGER, up to the int64 limits', () => {
    expect(value('9007199254740991')).toBe(9007199254740991);
    expect(value('9007199254740992')).toBe(9007199254740992n);
    expect(value('9223372036854775807')).toBe(9223372036854775807n);
    expect(value('-9223372036854775808')).toBe(-9223372036854775808n);
    expect(value('0777777777777777777777')).toBe(9223372036854775807n);
  });
  it('refuses integers outside int64 ("Failed to read int token")', () => {
    const e = parseError('a {\nx = 9223372036854775808\n}\n');
    expect(e.code).toBe('EPARSE');
    expect(e.message).toBe('t:2:5: expected an integer in the signed 64-bit range, found 9223372036854775808');
    expect(parseError('x = -9223372036854775809').code).toBe('EPARSE');
  });
  it('ends a number at a letter: hex and exponents are errors', () => {
    expect(parseError('x = 0x10').message).toBe('t:1:9: expected "=" or "{", found end of input'); // key "x10"
    expect(parseError('x = 1e3').message).toMatch(/^t:1:8: expected "=" or "\{", found end of input$/);
    // ...but a following word can be the next key, as in LVM2 (`x = 12abc = 3` is x=12, abc=3)
    const doc = parseConfig('x = 12abc = 3');
    expect(settings(doc).map((s) => [s.key, s.value])).toEqual([['x', 12], ['abc', 3]]);
  });
});

describe('floats', () => {
  it('keeps value and spelling', () => {
    for (const [t, v] of [['1.5', 1.5], ['.5', 0.5], ['5.', 5], ['-.5', -0.5], ['+2.25', 2.25], ['.', 0], ['-.', 0]] as const) {
      const f = value(t);
      expect(f).toBeInstanceOf(ConfigFloat);
      expect((f as ConfigFloat).value).toBe(v);
      expect((f as ConfigFloat).raw).toBe(t);
    }
  });
  it('a second dot ends the number: 1.2.3 and ..5 are errors', () => {
    expect(parseError('x = 1.2.3\n').message).toBe('t:2:1: expected "=" or "{", found end of input');
    expect(parseError('x = ..5\n').code).toBe('EPARSE');
  });
});

describe('strings', () => {
  it('unescapes only \\" and \\\\ in double-quoted strings', () => {
    expect(value('"a\\"b"')).toBe('a"b');
    expect(value('"a\\\\b"')).toBe('a\\b');
    expect(value('"a\\nb"')).toBe('a\\nb');
    expect(value('"a\\"b\\\\c\\nd"')).toBe('a"b\\c\\nd');
    expect(value('"\\\\\\""')).toBe('\\"');
  });
  it('lets a double-quoted string span lines and hold # { } = [ ]', () => {
    expect(value('"a\nb # {}=[],"')).toBe('a\nb # {}=[],');
  });
  it('reads single-quoted strings without escapes', () => {
    const v = value("'a\\b\"c'");
    expect(v).toBeInstanceOf(ConfigSingleQuoted);
    expect((v as ConfigSingleQuoted).value).toBe('a\\b"c');
  });
  it('reports an unterminated string where the input ends', () => {
    expect(parseError('a {\nx = "abc }\n').message).toBe(
      't:3:1: expected \'"\' to close the string started at line 2 column 5, found end of input');
    expect(parseError("x = 'abc").message).toBe(
      't:1:9: expected "\'" to close the string started at line 1 column 5, found end of input');
  });
});

describe('bare words', () => {
  it('reads an unquoted value word up to whitespace, #, =, { or }', () => {
    expect(value('auto')).toEqual(new ConfigBareWord('auto'));
    expect(value('a,b')).toEqual(new ConfigBareWord('a,b'));
    expect(value('a]b"c')).toEqual(new ConfigBareWord('a]b"c'));
    expect(value('auto#c')).toEqual(new ConfigBareWord('auto'));
  });
  it('[t1] is an error: the word is "t1]" and the array never closes', () => {
    const e = parseError('a {\n  tags = [t1]\n}\n');
    expect(e.message).toBe('t:3:1: expected ",", quoted string or "]", found "}"');
  });
});

describe('arrays', () => {
  it('mixes strings and numbers', () => {
    expect(value('["pv0", 0, "pv1", 15]')).toEqual(['pv0', 0, 'pv1', 15]);
    expect(value('[]')).toEqual([]);
    expect(value('[ ]')).toEqual([]);
  });
  it('allows leaving out the comma only before a quoted string', () => {
    expect(value('["t1" "t2" \'t3\']')).toEqual(['t1', 't2', new ConfigSingleQuoted('t3')]);
    const e = parseError('lv {\nstripes = ["pv0" 0]\n}');
    expect(e.code).toBe('EPARSE');
    expect(e.message).toBe('t:2:18: expected ",", quoted string or "]", found "0"');
    expect(parseError('x = [1 2]').message).toBe('t:1:8: expected ",", quoted string or "]", found "2"');
  });
  it('accepts one trailing comma, but no empty elements', () => {
    expect(value('["x1",]')).toEqual(['x1']);
    expect(value('["x1" , ]')).toEqual(['x1']);
    expect(parseError('x = [,"a"]').message).toBe('t:1:6: expected value or "]", found ","');
    expect(parseError('x = [,]').code).toBe('EPARSE');
    expect(parseError('x = ["a",,]').code).toBe('EPARSE');
  });
  it('cannot be nested', () => {
    expect(parseError('x = [[1]]').message).toBe('t:1:6: expected value or "]", found "["');
  });
  it('may span lines and hold comments; keeps how many elements stand on each line', () => {
    const doc = parseConfig('stripes = [\n\t"pv0", 2,  # first\n\t"pv1", 0\n]\nraids = [\n"a",\n"b",\n"c"\n]\none = ["a",\n"b"]\n');
    const [stripes, raids, one] = settings(doc);
    expect(stripes.value).toEqual(['pv0', 2, 'pv1', 0]);
    expect(stripes.elementsPerLine).toBe(2);
    expect(raids.elementsPerLine).toBe(1);
    expect(one.elementsPerLine).toBeUndefined();
    expect(settings(parseConfig('x = [\n]\n'))[0]).toMatchObject({ value: [], elementsPerLine: 1 });
    expect(settings(parseConfig('x = [\n"a", "b"\n]\n'))[0]).toMatchObject({ value: ['a', 'b'], elementsPerLine: 2 });
  });
});

describe('names and keys', () => {
  it('accepts any run of non-space characters except # = { }', () => {
    const doc = parseConfig('x.y+z-w = 1\na[b] = 2\n12 = 3\na"b = 4\n-1 = 5\n');
    expect(settings(doc).map((s) => s.key)).toEqual(['x.y+z-w', 'a[b]', '12', 'a"b', '-1']);
  });
  it('accepts quoted keys and section names, but not empty ones', () => {
    const doc = parseConfig('"max_lv" = 5\n\'x y\' = 1\n"s\\"q" {\n}\n');
    expect(doc.children[0]).toMatchObject({ key: 'max_lv', value: 5, quotedKey: true });
    expect(doc.children[1]).toMatchObject({ key: 'x y', quotedKey: true });
    expect(doc.children[2]).toMatchObject({ kind: 'section', name: 's"q', quotedName: true });
    expect(parseError('foo {\n"" = 1\n}').message).toBe('t:2:1: expected a non-empty section or key name, found ""');
  });
  it('needs = or { after a name', () => {
    expect(parseError('foo { x }').message).toBe('t:1:9: expected "=" or "{", found "}"');
    expect(parseError('foo {\n  x = \n}').message).toBe('t:3:1: expected value, found "}"');
    expect(parseError('foo { = 1 }').message).toBe('t:1:7: expected name, quoted string or "}", found "="');
    expect(parseError('= 1').message).toBe('t:1:1: expected name, quoted string or end of input, found "="');
  });
});

describe('structure', () => {
  it('needs no newlines or semicolons between items', () => {
    const doc = parseConfig('vg { max_lv = 4 max_pv = 6 pv0 { id = "x" } }');
    const vg = findSection(doc, 'vg')!;
    expect(settings(vg).map((s) => [s.key, s.value])).toEqual([['max_lv', 4], ['max_pv', 6]]);
    expect(findSetting(findSection(vg, 'pv0')!, 'id')!.value).toBe('x');
  });
  it('keeps duplicate keys and sections as separate nodes, in order', () => {
    const doc = parseConfig('vg {\nmax_lv = 7\nmax_lv = 9\npv0 {\n}\npv0 {\na = 1\n}\n}\n');
    const vg = findSection(doc, 'vg')!;
    expect(settings(vg).map((s) => s.value)).toEqual([7, 9]);
    expect(findSetting(vg, 'max_lv')!.value).toBe(7); // the first one, as LVM2 reads on-disk metadata
    expect(vg.children.filter((c) => c.kind === 'section')).toHaveLength(2);
  });
  it('refuses an unmatched } and an unclosed section', () => {
    expect(parseError('foo { x = 1 } }').message).toBe('t:1:15: expected a key, a section name or end of input, found "}" (no section is open)');
    expect(parseError('vg {\n  pv0 {\n  }\n', 'mda0').message).toBe('mda0:4:1: expected "}" to close section "vg" opened at line 1 column 1, found end of input');
  });
  it('parses an empty text and a text of only comments', () => {
    expect(parseConfig('')).toEqual({ kind: 'document', children: [] });
    expect(parseConfig('\n\n# c\n')).toMatchObject({ children: [{ kind: 'comment', text: '# c', blankLinesBefore: 2 }] });
  });
});

describe('whitespace, comments and the end of input', () => {
  it('treats every C isspace character as whitespace, CRLF included', () => {
    const lf = 'vg {\n\tx = 1 # c\n\n\ty = ["a", "b"]\n}\n';
    const crlf = lf.replace(/\n/g, '\r\n');
    const strip = (d: ConfigDocument) => JSON.parse(JSON.stringify(d, (k, v) => (k === 'pos' ? undefined : v)));
    expect(strip(parseConfig(crlf))).toEqual(strip(parseConfig(lf)));
    const vt = parseConfig('vg\v{\fx\t=\v1\r}');
    expect(findSetting(findSection(vt, 'vg')!, 'x')!.value).toBe(1);
  });
  it('keeps a comment after a value, with its separator', () => {
    const doc = parseConfig('max_lv = 3 # comment here\nformat = "lvm2"\t\t\t# informational\nn = 5# tight\n');
    expect(doc.children[0]).toMatchObject({ value: 3, comment: '# comment here', commentSeparator: ' ' });
    expect(doc.children[1]).toMatchObject({ value: 'lvm2', comment: '# informational', commentSeparator: '\t\t\t' });
    expect(doc.children[2]).toMatchObject({ value: 5, comment: '# tight', commentSeparator: '' });
  });
  it('allows comments anywhere whitespace may be', () => {
    const doc = parseConfig('vg # after name\n{ # after brace\nx # k\n= # eq\n[ # open\n"a" # el\n, # comma\n1 ] # end\n} # close\n');
    const vg = findSection(doc, 'vg')!;
    expect(findSetting(vg, 'x')!.value).toEqual(['a', 1]);
    expect(findSetting(vg, 'x')!.comment).toBe('# end');
  });
  it('keeps full-line comments as items and a comment after "{" on the section', () => {
    const doc = parseConfig('# top\n\nvg { # the vg\n\t# inside\n\tx = 1\n}\n');
    expect(doc.children[0]).toMatchObject({ kind: 'comment', text: '# top' });
    expect(doc.children[1]).toMatchObject({ kind: 'section', name: 'vg', comment: '# the vg', commentSeparator: ' ', blankLinesBefore: 1 });
    expect((doc.children[1] as ConfigSection).children[0]).toMatchObject({ kind: 'comment', text: '# inside' });
  });
  it('ends the input at a NUL character', () => {
    const doc = parseConfig('vg {\nx = 1\n}\n\0garbage { { {');
    expect(findSetting(findSection(doc, 'vg')!, 'x')!.value).toBe(1);
    // a NUL inside the VG section truncates it: the section is never closed
    expect(parseError('vg {\nx = 1\0\n}\n').message).toBe('t:2:6: expected "}" to close section "vg" opened at line 1 column 1, found end of input');
  });
});

describe('layout and positions', () => {
  it('counts blank lines before items, before "}" and at the end', () => {
    const doc = parseConfig('\na = 1\n\n\nb {\n\nc = 2\n\n}\n\n');
    expect(doc.children[0]).toMatchObject({ key: 'a', blankLinesBefore: 1 });
    expect(doc.children[1]).toMatchObject({ name: 'b', blankLinesBefore: 2, blankLinesBeforeClose: 1 });
    expect((doc.children[1] as ConfigSection).children[0]).toMatchObject({ key: 'c', blankLinesBefore: 1 });
    expect(doc.trailingBlankLines).toBe(1);
  });
  it('records 1-based line and column and 0-based offset of each item', () => {
    const doc = parseConfig('# c\nvg {\n\tid = "x"\n  "q" = 1\n}\n');
    const vg = doc.children[1] as ConfigSection;
    expect(doc.children[0].pos).toEqual({ line: 1, column: 1, offset: 0 });
    expect(vg.pos).toEqual({ line: 2, column: 1, offset: 4 });
    expect(vg.children[0].pos).toEqual({ line: 3, column: 2, offset: 10 });
    expect(vg.children[1].pos).toEqual({ line: 4, column: 3, offset: 21 });
  });
  it('gives one-line EPARSE messages with source, line and column', () => {
    const e = parseError('vg {\n\tstatus = ["READ" 1]\n}\n', '/dev/loop0 mda0');
    expect(e.code).toBe('EPARSE');
    expect(e.file).toBe('/dev/loop0 mda0');
    expect(e.offset).toBe(23);
    expect(e.message).toBe('/dev/loop0 mda0:2:19: expected ",", quoted string or "]", found "1"');
    expect(e.message).not.toContain('\n');
  });
});
