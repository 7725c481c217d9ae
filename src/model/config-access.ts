/**
 * Typed access to config-tree settings for the model builder, with errors that name the
 * source and line:column of the offending item ("vg.txt:12:1: pe_count: expected an integer").
 */
import { shownText } from './names.js';
import { LvmkitError } from '../errors.js';
import {
  ConfigBareWord, ConfigFloat, ConfigSingleQuoted,
  type ConfigItem, type ConfigScalar, type ConfigSection, type ConfigSetting, type ConfigValue, type Position,
} from '../metadata/config-tree.js';

export function where(source: string, pos: Position | undefined): string {
  return pos ? `${source}:${pos.line}:${pos.column}` : source;
}

export function metadataError(source: string, pos: Position | undefined, msg: string): LvmkitError {
  return new LvmkitError('EMETADATA', `${where(source, pos)}: ${msg}`);
}

/** Sections with more children than this get a key index; smaller ones (nearly all) are searched in order. */
const INDEX_FROM = 16;

/** Reads the settings of one section; remembers which keys were consumed so the rest can be kept as `extra`. */
export class SectionReader {
  /** First setting of each key (LVM2 uses the first of duplicate keys), for large sections only. */
  private readonly byKey: Map<string, ConfigSetting> | undefined;
  /** Items consumed: a list for small sections, a set for large ones (a reader per segment: keep it small). */
  private readonly used: ConfigItem[] | Set<ConfigItem>;
  private whatText: string | (() => string);
  /** `what` names the section in messages ("LV vg0/lv1 segment1"); a function is called only when a message needs it. */
  constructor(readonly sec: ConfigSection, readonly source: string, what: string | (() => string)) {
    this.whatText = what;
    if (sec.children.length > INDEX_FROM) {
      this.byKey = new Map();
      this.used = new Set();
      for (const c of sec.children) {
        if (c.kind === 'setting' && !this.byKey.has(c.key)) this.byKey.set(c.key, c);
      }
    } else {
      this.used = [];
    }
  }

  get what(): string {
    if (typeof this.whatText === 'function') this.whatText = this.whatText();
    return this.whatText;
  }

  /** The first setting `key` of the section, or undefined. */
  private find(key: string): ConfigSetting | undefined {
    if (this.byKey) return this.byKey.get(key);
    for (const c of this.sec.children) if (c.kind === 'setting' && c.key === key) return c;
    return undefined;
  }

  has(key: string): boolean { return this.find(key) !== undefined; }

  private take(key: string): ConfigSetting | undefined {
    const s = this.find(key);
    if (s) this.markUsed(s);
    return s;
  }

  markUsed(item: ConfigItem): void {
    if (Array.isArray(this.used)) this.used.push(item);
    else this.used.add(item);
  }

  private isUsed(item: ConfigItem): boolean {
    return Array.isArray(this.used) ? this.used.includes(item) : this.used.has(item);
  }

  private fail(s: ConfigSetting | undefined, msg: string): never {
    throw metadataError(this.source, s?.pos ?? this.sec.pos, `${this.what}: ${msg}`);
  }

  private missing(key: string): never {
    this.fail(undefined, `missing required setting "${key}"`);
  }

  int(key: string): number;
  int(key: string, optional: true): number | undefined;
  int(key: string, optional?: boolean): number | undefined {
    const s = this.take(key);
    if (!s) return optional ? undefined : this.missing(key);
    const v = s.value;
    if (typeof v === 'number' && Number.isInteger(v)) return v;
    if (typeof v === 'bigint') this.fail(s, `${key} = ${v} is out of range`);
    return this.fail(s, `${key}: expected an integer, found ${describeValue(v)}`);
  }

  /** An unsigned integer stored by LVM2 as u32 (`bits` 32) or u64 (`bits` 64): negative or too large is refused. */
  uint(key: string, bits: 32 | 64): number;
  uint(key: string, bits: 32 | 64, optional: true): number | undefined;
  uint(key: string, bits: 32 | 64, optional?: boolean): number | undefined {
    const v = optional ? this.int(key, true) : this.int(key);
    if (v === undefined) return undefined;
    const max = bits === 32 ? 0xffffffff : Number.MAX_SAFE_INTEGER;
    if (v < 0 || v > max) this.fail(this.find(key), `${key} = ${v} is out of range (0..${max})`);
    return v;
  }

  str(key: string): string;
  str(key: string, optional: true): string | undefined;
  str(key: string, optional?: boolean): string | undefined {
    const s = this.take(key);
    if (!s) return optional ? undefined : this.missing(key);
    const v = s.value;
    if (typeof v === 'string') return v;
    if (v instanceof ConfigSingleQuoted || v instanceof ConfigBareWord) return v.value;
    return this.fail(s, `${key}: expected a string, found ${describeValue(v)}`);
  }

  strList(key: string): string[];
  strList(key: string, optional: true): string[] | undefined;
  strList(key: string, optional?: boolean): string[] | undefined {
    const s = this.take(key);
    if (!s) return optional ? undefined : this.missing(key);
    if (!Array.isArray(s.value)) return this.fail(s, `${key}: expected a list of strings, found ${describeValue(s.value)}`);
    return s.value.map((e) => {
      if (typeof e === 'string') return e;
      if (e instanceof ConfigSingleQuoted) return e.value;
      return this.fail(s, `${key}: expected a list of strings, found element ${describeValue(e)}`);
    });
  }

  /** The raw setting (marked used), for type-specific handling. */
  raw(key: string): ConfigSetting | undefined { return this.take(key); }

  /** Items not consumed so far, in source order (kept and written back unchanged). */
  rest(exclude: (item: ConfigItem) => boolean = () => false): ConfigItem[] {
    return this.sec.children.filter((c) => !this.isUsed(c) && !exclude(c));
  }
}

export function describeValue(v: ConfigValue): string {
  if (Array.isArray(v)) return 'a list';
  return describeScalar(v);
}

/** A value as quoted in a one-line message (escaped control characters, long text cut: see shownText). */
export function describeScalar(v: ConfigScalar): string {
  if (typeof v === 'string') return `string "${shownText(v)}"`;
  if (typeof v === 'number' || typeof v === 'bigint') return `number ${v}`;
  if (v instanceof ConfigFloat) return `number ${shownText(v.raw)}`;
  if (v instanceof ConfigSingleQuoted) return `string '${shownText(v.value)}'`;
  return `word ${shownText(v.value)}`;
}
