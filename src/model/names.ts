/** LVM2's rules for VG, LV and tag names (§11.1 of the format reference). */

const NAME_RE = /^[a-zA-Z0-9+_.-]+$/;
const TAG_RE = /^[A-Za-z0-9_+.\-/=!:&#]+$/;
const RESERVED_LV_PREFIXES = ['snapshot', 'pvmove'];
const RESERVED_LV_SUBSTRINGS = ['_cdata', '_cmeta', '_corig', '_cpool', '_cvol', '_wcorig', '_mimage', '_mlog', '_rimage',
  '_rmeta', '_tdata', '_tmeta', '_vdata', '_imeta', '_iorig', '_pmspare', '_vorigin'];
/** Any reserved prefix or substring: one test per name (a VG may hold thousands of LVs). */
const RESERVED_LV_RE = new RegExp(`^(?:${RESERVED_LV_PREFIXES.join('|')})|${RESERVED_LV_SUBSTRINGS.join('|')}`);

/**
 * A name as shown in messages: hostile metadata may hold names of megabytes, which a one-line error
 * must not repeat. Names LVM2 allows (up to 127 characters) are shown whole.
 */
export function shownName(name: string): string {
  return shownText(name, 128);
}

/**
 * Text from the metadata as quoted in a one-line message: control characters (a newline in a quoted name
 * or value) written as escapes, and text longer than `max` characters cut, saying how long it was.
 */
export function shownText(text: string, max = 256): string {
  const cut = text.length <= max ? text : `${text.slice(0, 32)}...(${text.length} characters)`;
  // eslint-disable-next-line no-control-regex
  return /[\x00-\x1f\x7f]/.test(cut) ? cut.replace(/[\x00-\x1f\x7f]/g, (c) => (c === '\n' ? '\\n' : c === '\t' ? '\\t' : c === '\r' ? '\\r' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)) : cut;
}

/** Returns why `name` is not a valid VG/LV name, or undefined when it is. */
export function nameProblem(name: string): string | undefined {
  if (name.length === 0) return 'name is empty';
  if (name === '.' || name === '..') return `name "${shownName(name)}" is not allowed`;
  if (name.startsWith('-')) return `name "${shownName(name)}" starts with "-"`;
  if (!NAME_RE.test(name)) return `name "${shownName(name)}" contains invalid character, valid set includes: [a-zA-Z0-9.-_+]`;
  return undefined;
}

export function vgNameProblem(name: string): string | undefined {
  const p = nameProblem(name);
  if (p) return p;
  if (name.length > 127) return `name "${name.slice(0, 20)}..." length ${name.length} exceeds maximum limit of 127`;
  return undefined;
}

/** LV names: name rules, reserved prefixes/substrings, and len(vg)+len(lv) <= 124. Hidden sub-LVs are checked by the caller. */
export function lvNameProblem(name: string, vgName: string, { internal = false } = {}): string | undefined {
  const p = nameProblem(name);
  if (p) return p;
  if (!internal && RESERVED_LV_RE.test(name)) {
    for (const pre of RESERVED_LV_PREFIXES) if (name.startsWith(pre)) return `names starting "${pre}" are reserved`;
    for (const sub of RESERVED_LV_SUBSTRINGS) if (name.includes(sub)) return `names including "${sub}" are reserved`;
  }
  if (vgName.length + name.length + 3 >= 128) return `LV name "${shownName(vgName)}/${shownName(name)}" length ${vgName.length + name.length + 1} is not supported`;
  return undefined;
}

export function tagProblem(tag: string): string | undefined {
  if (!tag.length) return 'tag is empty';
  if (!TAG_RE.test(tag)) return `tag "${shownText(tag)}" contains invalid character, valid set includes: [A-Za-z0-9_+.-/=!:&#]`;
  return undefined;
}
