// Differential test against real LVM2: the same config text is read by `lvmconfig --config TEXT`
// (libdevmapper's config parser, the one that reads metadata) and by parseConfig; both must accept
// or refuse it, and read the same values. No devices are involved.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { describeWith } from '../helpers/lvm2.js';
import {
  ConfigBareWord,
  ConfigFloat,
  ConfigSingleQuoted,
  findSection,
  parseConfig,
  type ConfigItem,
  type ConfigScalar,
} from '../../src/metadata/index.js';

const lvmconfigWorks = (() => {
  try {
    return spawnSync('lvmconfig', ['--version'], { encoding: 'latin1' }).status === 0;
  } catch {
    return false;
  }
})();

/** What lvmconfig prints for section `foo` of `text`, or 'error'. */
function lvmRead(text: string): string {
  const r = spawnSync('lvmconfig', ['--config', text, '--type', 'current', 'foo'], {
    encoding: 'latin1',
    env: { ...process.env, LVM_SUPPRESS_FD_WARNINGS: '1' },
  });
  if (r.status !== 0) return 'error';
  return r.stdout.replace(/\n$/, '');
}

/** The same view from our tree: lvmconfig's `key=value` dump of section foo. */
function ourRead(text: string): string {
  let doc;
  try {
    doc = parseConfig(text, 'cfg');
  } catch {
    return 'error';
  }
  const foo = findSection(doc, 'foo');
  return foo === undefined ? '' : dump(foo.children, 1).join('\n');
}

function dump(items: ConfigItem[], depth: number): string[] {
  const tabs = '\t'.repeat(depth);
  const out: string[] = [];
  for (const it of items) {
    if (it.kind === 'comment') continue;
    const raw = it.kind === 'section' ? it.name : it.key;
    const name = /[\s"\\#={}]/.test(raw) ? lvmString(raw) : raw;
    if (it.kind === 'section') {
      out.push(`${tabs}${name} {`, ...dump(it.children, depth + 1), `${tabs}}`);
    } else if (Array.isArray(it.value)) {
      out.push(`${tabs}${name}=${it.value.length === 1 ? lvmScalar(it.value[0]) : `[${it.value.map(lvmScalar).join(',')}]`}`);
    } else {
      out.push(`${tabs}${name}=${lvmScalar(it.value)}`);
    }
  }
  return out;
}

function lvmString(s: string): string {
  return '"' + s.replace(/["\\]/g, '\\$&') + '"';
}

function lvmScalar(v: ConfigScalar): string {
  if (v instanceof ConfigFloat) return v.value.toFixed(6);
  if (v instanceof ConfigSingleQuoted || v instanceof ConfigBareWord) return lvmString(v.value);
  if (typeof v === 'string') return lvmString(v);
  return String(v);
}

const cases: string[] = [
  // integers
  'x = 15', 'x = +12', 'x = -1', 'x = 010', 'x = 09', 'x = 0789', 'x = -010', 'x = +', 'x = -',
  'x = 9223372036854775807 y = -9223372036854775808', 'x = 9223372036854775808', 'x = -9223372036854775809',
  'x = 0777777777777777777777', 'x = 01777777777777777777777', 'x = 0x10', 'x = 1e3', 'x = 12abc = 3',
  // floats
  'x = 1.5', 'x = .5', 'x = 5.', 'x = -.5', 'x = .', 'x = 1.2.3', 'x = ..5',
  // strings
  'x = "a\\"b\\\\c\\nd"', "x = 'a\\b'", 'x = "abc', "x = 'abc", 'x = "multi\nline"', 'x = "# { } = [ ] ,"',
  // bare words
  'x = auto', 'x = a,b y = 2', 'x = [t1]', 'x = [a, b ]', 'x = a]b',
  // arrays
  'x = ["a" "b"]', 'x = ["a" 1]', 'x = ["a",]', 'x = [,"a"]', 'x = [,]', 'x = []', 'x = [ 1 2 ]', 'x = [[1]]',
  'x = [ "a" # c\n, 1 ]', 'x = ["pv0", 0,\n"pv1", 15\n]', "x = ['a', \"b\", 3, -4, 1.5, w]",
  // names
  '"x" = 1', "'x' = 1", '"" = 1', 'a"b = 1', 'a[b] = 1', 'x.y+z-w = 1', 'x = "a" "y" = 2', '-1 = 2',
  // structure and errors
  'x = 1 } }', 'x = 1 ', 'x }', 'x = }', 'x = = ', '{}', 'bar { y = 1 } z = 2', 'x = 4 y = 6',
  'x = 3 # comment here', 'x # c\n= # c\n5', 'x\r\n=\r\n1\r\n', 'x\v=\f1',
];

describeWith(lvmconfigWorks ? { ok: true } : { ok: false, why: '`lvmconfig --version` failed' }, 'parseConfig reads config text like real LVM2 (lvmconfig --config)', () => {
  it.each(cases)('%j', (body) => {
    const text = `foo { ${body} }`;
    expect(ourRead(text)).toBe(lvmRead(text));
  });
});
