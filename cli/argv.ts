/**
 * LVM2's command-line spellings, rewritten into the form yargs (and yargs-parser, on the fast path) reads
 * the same way. LVM2 parses with getopt_long, so users write:
 *   - values glued to short options: `-L5M`, `-s4m`, `-i2`, `-I64k`, `-olv_name`, `-an`, `-Zn`, `-xy`;
 *   - short flags grouped with them: `-tL5M`;
 *   - values starting with '-' or equal to "--": `lvs -O -lv_size`, `lvreduce -L -1G`, `--separator --`.
 * yargs would read `-L5M` as the flags -L -5 -M and `-O -lv_size` as two options. One pass, driven by the
 * verb's own option table (the yargs options its command module declares, read by optionsOfVerb(), or the
 * fast path's table), writes every option value as `-X=value` / `--name=value` and splits mixed groups.
 *
 * As getopt does, the word after an option that takes a value is its value, whatever it starts with, with
 * one exception kept for clearer errors: a word that is itself an option (`--devices`, or `-a` where the
 * verb has -a) is left an option, so `lvs -o --devices a.img` says the value of -o is missing (LVM2 would
 * take "--devices" as the field list). A lone "--" ends the options (see endOfOptions()).
 */
import type { Options } from 'yargs';
import type { Verb } from './shared.js';

/** An option as a yargs option table declares it (only what decides how its words are read). */
export type OptionSpec = Pick<Options, 'alias' | 'type'>;

/** The option words of one verb (`-L`, `--size`): those taking a value, and flags (boolean, count). */
export interface OptionTable {
  values: Set<string>;
  flags: Set<string>;
}

/** Options yargs adds to every verb (cli/yargs-cli.ts: .help(), .alias('h', 'help'), .version()). */
const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  help: { alias: 'h', type: 'boolean' },
  version: { type: 'boolean' },
};

/** The option table of yargs option specs (REPORT_OPTIONS, or what a verb's builder declares). */
export function optionTable(specs: Record<string, OptionSpec>): OptionTable {
  const table: OptionTable = { values: new Set(), flags: new Set() };
  for (const [name, spec] of Object.entries({ ...GLOBAL_OPTIONS, ...specs })) {
    const aliases = spec.alias === undefined ? [] : Array.isArray(spec.alias) ? spec.alias : [spec.alias];
    const words = [name, ...aliases].map((n: string) => (n.length === 1 ? `-${n}` : `--${n}`));
    const set = spec.type === 'boolean' || spec.type === 'count' ? table.flags : table.values;
    for (const w of words) set.add(w);
  }
  return table;
}

/**
 * The options a verb's yargs builder declares (.option(name, spec) / .options({...}), the only ways the
 * verbs of cli/commands/ declare them), read by running the builder on a recorder instead of yargs: the
 * table is the command's own, so a new option cannot be missing from it.
 */
export function optionsOfVerb(verb: Verb): Record<string, OptionSpec> {
  const found: Record<string, OptionSpec> = {};
  if (typeof verb.builder === 'object' && verb.builder) return { ...(verb.builder as Record<string, OptionSpec>) };
  if (typeof verb.builder !== 'function') return found;
  const recorder: unknown = new Proxy({}, {
    get: (_target, method) => (...args: unknown[]) => {
      if (method === 'option' || method === 'options') {
        if (typeof args[0] === 'string') found[args[0]] = (args[1] ?? {}) as OptionSpec;
        else Object.assign(found, args[0] as Record<string, OptionSpec>);
      }
      return recorder;
    },
  });
  (verb.builder as (y: unknown) => unknown)(recorder);
  return found;
}

/** The verb of `argv` among `verbs` (by the first word of its command), or undefined. */
export function findVerb(verbs: readonly Verb[], name: string | undefined): Verb | undefined {
  return verbs.find((v) => String(v.command).split(' ')[0] === name);
}

/** A word that is an option rather than a value: any `--long[=...]`, or `-X` of a short option the verb has. */
function isOptionWord(w: string, table: OptionTable): boolean {
  if (/^--[a-z][a-z-]*(=|$)/i.test(w)) return true;
  return w.length === 2 && (table.values.has(w) || table.flags.has(w));
}

/**
 * A short-option word (`-an`, `-tL5M`, `-ty`) read as getopt reads it: flags, then at most one option taking
 * a value (glued: `-L=5M`; or pending: its value is the next word). Undefined when a letter is no option of
 * the verb (the word goes to yargs as typed, which names it) or when it is flags only (yargs reads those);
 * but `-Xy`/`-Xn` of an option X the verb lacks becomes `-X=y`, so yargs names X and not a swallowed word.
 */
function splitShortGroup(word: string, table: OptionTable): { words: string[]; pending?: string } | undefined {
  const words: string[] = [];
  for (let j = 1; j < word.length; j++) {
    const opt = `-${word[j]}`;
    if (table.values.has(opt)) {
      const rest = word.slice(j + 1);
      if (rest.startsWith('=')) return j === 1 ? undefined : { words: [...words, opt + rest] };
      return rest ? { words: [...words, `${opt}=${rest}`] } : { words, pending: opt };
    }
    if (!table.flags.has(opt)) {
      // An option the verb lacks, in LVM2's y/n form (`vgchange -an`): kept one option, for yargs to name.
      return j === 1 && /^-[A-Za-z][yn]$/.test(word) ? { words: [`${opt}=${word[2]}`] } : undefined;
    }
    words.push(opt);
  }
  return undefined;
}

/**
 * `argv` (verb first, as after `lvmkit`) with every option value written `-X=value` / `--name=value`, LVM2's
 * glued short options split from their flags. Words yargs reads like LVM2 already are left as typed.
 */
export function lvmArgv(argv: readonly string[], table: OptionTable): string[] {
  const out: string[] = argv.slice(0, 1);
  const valueAfter = (opt: string, i: number): boolean => {
    const next = argv[i + 1];
    if (next === undefined || isOptionWord(next, table)) { out.push(opt); return false; }
    out.push(`${opt}=${next}`);
    return true;
  };
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') { out.push(...endOfOptions(argv.slice(i + 1))); break; }
    if (a.startsWith('--')) {
      if (!table.values.has(a)) out.push(a);
      else if (valueAfter(a, i)) i++;
      continue;
    }
    const group = a.length > 1 && a.startsWith('-') ? splitShortGroup(a, table) : undefined;
    if (!group) { out.push(a); continue; }
    out.push(...group.words);
    if (group.pending !== undefined && valueAfter(group.pending, i)) i++;
  }
  return out;
}

/**
 * The words after "--": all of them are positionals. yargs assigns a command's positionals only from
 * words before "--" (after it they would be dropped: `lvs -- vg` would report every VG), so "--" is left
 * out when no word after it starts with '-'. Otherwise it is kept, so those words are at least not read as
 * options - but yargs then leaves them out of the positionals (`lvs -- -x` reports every VG, where LVM2
 * refuses the name "-x": VG and LV names cannot start with '-').
 */
function endOfOptions(rest: string[]): string[] {
  return rest.some((w) => w.startsWith('-')) ? ['--', ...rest] : rest;
}

/** lvmArgv() with the table of the verb named by argv[0] (argv as typed when it names no verb of `verbs`). */
export function lvmArgvOfVerbs(argv: readonly string[], verbs: readonly Verb[]): string[] {
  const verb = findVerb(verbs, argv[0]);
  return verb ? lvmArgv(argv, optionTable(optionsOfVerb(verb))) : [...argv];
}
