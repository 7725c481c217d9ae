/**
 * Printing a ConfigDocument back to LVM2 config text, in LVM2's two layouts (format reference §7.1, §7.8):
 *
 *  - 'file' (vgcfgbackup, /etc/lvm/backup): one TAB of indentation per nesting level (at most 5;
 *    the element lines of a multi-line array count as one level more). A trailing comment is
 *    written after its `commentSeparator` when the tree kept one, else after TABs by LVM2's rule:
 *    with L = byte length of the line text without indentation and c = floor((L + 8*indent)/8) + 1,
 *    the number of TABs is max(1, 6 - c).
 *  - 'raw' (the on-disk text in a metadata area): no indentation; trailing comments are written
 *    only when the tree kept their separator (LVM2 writes the aligned comments such as
 *    `# 4 Megabytes` only in files, while the header lines `creation_host = "h"\t# Linux ...`
 *    carry their comment literally in both layouts). Build aligned comments without a separator
 *    and header comments with separator "\t".
 *
 * Full-line comments are written in both layouts. Blank lines come from the layout fields
 * (blankLinesBefore, blankLinesBeforeClose, trailingBlankLines). Every line ends with "\n";
 * the NUL that ends on-disk text is not part of the result.
 *
 * Printing is iterative, so any nesting depth works.
 */
import {
  ConfigBareWord,
  ConfigFloat,
  ConfigSingleQuoted,
  type ConfigDocument,
  type ConfigItem,
  type ConfigScalar,
  type ConfigSection,
  type ConfigSetting,
} from './config-tree.js';

export type PrintFlavour = 'file' | 'raw';

export interface PrintOptions {
  flavour: PrintFlavour;
}

const MAX_INDENT = 5;
const COMMENT_TAB = 6;
const TABS = ['', '\t', '\t\t', '\t\t\t', '\t\t\t\t', '\t\t\t\t\t'];

export function printConfig(doc: ConfigDocument, opts: PrintOptions): string {
  const p = new Printer(opts.flavour === 'file');
  p.items(doc.children);
  p.newlines(doc.trailingBlankLines);
  return p.out;
}

/** A section whose children are being printed. */
interface Frame {
  section: ConfigSection;
  depth: number;
  next: number;
}

class Printer {
  out = '';
  constructor(private readonly file: boolean) {}

  items(top: ConfigItem[]): void {
    const stack: Frame[] = [];
    let list = top;
    let depth = 0;
    let i = 0;
    for (;;) {
      if (i < list.length) {
        const item = list[i++];
        this.newlines(item.blankLinesBefore);
        if (item.kind !== 'section') {
          if (item.kind === 'setting') this.setting(item, depth);
          else this.out += this.indent(depth) + item.text + '\n';
          continue;
        }
        this.sectionHead(item, depth);
        stack.push({ section: item, depth, next: i });
        list = item.children;
        depth++;
        i = 0;
        continue;
      }
      const done = stack.pop();
      if (done === undefined) return;
      this.newlines(done.section.blankLinesBeforeClose);
      this.out += this.indent(done.depth) + '}\n';
      depth = done.depth;
      i = done.next;
      list = stack.length > 0 ? stack[stack.length - 1].section.children : top;
    }
  }

  newlines(n: number | undefined): void {
    if (n !== undefined && n > 0) this.out += '\n'.repeat(n);
  }

  indent(depth: number): string {
    return this.file ? TABS[depth < MAX_INDENT ? depth : MAX_INDENT] : '';
  }

  sectionHead(s: ConfigSection, depth: number): void {
    const text = nameText(s.name, s.quotedName === true) + ' {';
    this.out += this.indent(depth) + text + this.trailingComment(s, text, depth) + '\n';
  }

  setting(s: ConfigSetting, depth: number): void {
    const head = nameText(s.key, s.quotedKey === true) + ' = ';
    const v = s.value;
    if (!Array.isArray(v) || s.elementsPerLine === undefined) {
      const text = head + (Array.isArray(v) ? arrayText(v, s.key) : scalarText(v, s.key));
      this.out += this.indent(depth) + text + this.trailingComment(s, text, depth) + '\n';
      return;
    }
    const indent = this.indent(depth);
    const inner = this.indent(depth + 1);
    const per = Math.max(1, Math.floor(s.elementsPerLine));
    this.out += indent + head + '[\n';
    for (let start = 0; start < v.length; start += per) {
      const end = Math.min(start + per, v.length);
      let line = scalarText(v[start], s.key);
      for (let k = start + 1; k < end; k++) line += ', ' + scalarText(v[k], s.key);
      this.out += inner + line + (end < v.length ? ',\n' : '\n');
    }
    this.out += indent + ']' + this.trailingComment(s, ']', depth) + '\n';
  }

  /** The separator and comment after a line whose text (without indentation) is `text`. */
  trailingComment(item: ConfigSetting | ConfigSection, text: string, depth: number): string {
    if (item.comment === undefined) return '';
    if (item.commentSeparator !== undefined) return item.commentSeparator + item.comment;
    if (!this.file) return '';
    return alignmentTabs(byteLength(text), depth < MAX_INDENT ? depth : MAX_INDENT) + item.comment;
  }
}

/** LVM2's comment alignment in files: TABs up to about column 40 (at least one). */
export function alignmentTabs(textBytes: number, indent: number): string {
  const c = Math.floor((textBytes + 8 * indent) / 8) + 1;
  return '\t'.repeat(Math.max(1, COMMENT_TAB - c));
}

const NON_ASCII = /[^\x00-\x7f]/;

/** Length in UTF-8 bytes (LVM2 counts bytes when it aligns comments). */
function byteLength(s: string): number {
  return NON_ASCII.test(s) ? new TextEncoder().encode(s).length : s.length;
}

/** A key or section name that may be written without quotes. */
const BARE_NAME = /^[^\s#={}[\],"'\0][^\s#={}\0]*$/;
/** A value word that may be written without quotes (it must not read as a number). */
const BARE_WORD = /^[^\s#={}[\],"'+\-.0-9\0][^\s#={}\0]*$/;
const NEEDS_ESCAPE = /["\\]/;

function nameText(name: string, quoted: boolean): string {
  return quoted || !BARE_NAME.test(name) ? quote(name) : name;
}

/** A double-quoted string with LVM2's escapes: `"` -> `\"`, `\` -> `\\`. */
export function quote(s: string): string {
  return '"' + (NEEDS_ESCAPE.test(s) ? s.replace(/["\\]/g, '\\$&') : s) + '"';
}

function arrayText(values: ConfigScalar[], key: string): string {
  if (values.length === 0) return '[]';
  let text = '[' + scalarText(values[0], key);
  for (let i = 1; i < values.length; i++) text += ', ' + scalarText(values[i], key);
  return text + ']';
}

/** Text of one value. Values that cannot be written faithfully are programming errors (RangeError). */
function scalarText(v: ConfigScalar, key: string): string {
  switch (typeof v) {
    case 'string': return quote(v);
    case 'number':
      if (!Number.isSafeInteger(v)) throw new RangeError(`printConfig: "${key}" holds ${v}, not a safe integer (use ConfigFloat or bigint)`);
      return v === 0 ? '0' : String(v);
    case 'bigint':
      if (v < -(2n ** 63n) || v >= 2n ** 63n) throw new RangeError(`printConfig: "${key}" holds ${v}, outside the signed 64-bit range`);
      return v.toString();
    default:
      return objectScalarText(v, key);
  }
}

function objectScalarText(v: ConfigFloat | ConfigSingleQuoted | ConfigBareWord, key: string): string {
  if (v instanceof ConfigFloat) return v.raw;
  if (v instanceof ConfigSingleQuoted) {
    if (v.value.includes("'") || v.value.includes('\0')) throw new RangeError(`printConfig: "${key}" holds a single-quoted string containing a quote or NUL`);
    return "'" + v.value + "'";
  }
  if (v instanceof ConfigBareWord) {
    if (!BARE_WORD.test(v.value)) throw new RangeError(`printConfig: "${key}" holds ${JSON.stringify(v.value)}, which cannot be written as a bare word`);
    return v.value;
  }
  throw new RangeError(`printConfig: "${key}" holds a value of unknown kind`);
}
