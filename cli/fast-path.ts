/**
 * The CLI's fast path: plain command lines of the verbs run most (`pvs`, `vgs`, `lvs`, often in scripts)
 * or where start-up time shows (`dump`, whose speed is measured against `cat`; `table`) run without
 * yargs, which alone costs about as long to load and set up as node's own start-up. Each such verb has
 * ONE option table, read both by its yargs command (cli/commands/) and here, where yargs-parser (the
 * parser yargs itself uses) reads the command line. Anything else - help, version, an unknown or
 * malformed option, a bad choice, a missing or extra positional - is handed to the full yargs CLI, which
 * parses it again and gives its usual messages. The fast path never decides anything yargs would decide
 * differently: it only runs the verb's handler with the arguments yargs would have given it.
 */
import parse from 'yargs-parser';
import { lvmArgv, optionTable } from './argv.js';
import { REPORT_OPTIONS, REPORT_VERBS, runReportVerb, type ReportVerb } from './commands/report.js';
import { DUMP_OPTIONS, runDump } from './commands/dump.js';
import { TABLE_OPTIONS, runTable } from './commands/table.js';

/** An option as a verb's option table declares it (the part the fast path reads). */
interface Spec { alias?: string; type: 'string' | 'boolean'; requiresArg?: boolean; choices?: readonly string[] }

/** A verb the fast path may run. */
export interface FastVerb {
  /** The option table its yargs command declares (the same object). */
  options: Record<string, Spec>;
  /** Options that may be given more than once (yargs collects their values in an array). */
  repeatable: readonly string[];
  /** Its positional: `<name>` (exactly one word) or `[names..]` (any number of words). */
  positional: { name: string; many: boolean };
  /** Its handler, given the arguments as yargs would. */
  run(a: Record<string, unknown>): Promise<void>;
}

const reportVerb = (kind: ReportVerb): FastVerb => ({
  options: REPORT_OPTIONS, repeatable: ['devices'], positional: { name: 'names', many: true }, run: (a) => runReportVerb(kind, a),
});

export const FAST_VERBS: Readonly<Record<string, FastVerb>> = {
  ...Object.fromEntries(REPORT_VERBS.map((v) => [v, reportVerb(v)])),
  dump: { options: DUMP_OPTIONS, repeatable: ['devices'], positional: { name: 'name', many: false }, run: runDump },
  table: { options: TABLE_OPTIONS, repeatable: ['devices', 'map'], positional: { name: 'names', many: true }, run: runTable },
};

/** The arguments yargs would give the verb's handler, or undefined when yargs must judge the command line. */
export function fastArgs(verb: FastVerb, typed: readonly string[]): Record<string, unknown> | undefined {
  // LVM2's spellings (-olv_name, -O -lv_size) in the form yargs-parser reads, by the same option table.
  const argv = lvmArgv(typed, optionTable(verb.options));
  if (argv.includes('--')) return undefined;
  const string: string[] = [];
  const boolean: string[] = [];
  const alias: Record<string, string> = {};
  const known = new Set<string>(['_']);
  for (const [name, s] of Object.entries(verb.options)) {
    (s.type === 'string' ? string : boolean).push(name);
    known.add(name);
    if (s.alias) { alias[name] = s.alias; known.add(s.alias); }
  }
  const r = parse.detailed(argv.slice(1), {
    string, boolean, alias,
    configuration: { 'camel-case-expansion': false, 'parse-numbers': false, 'parse-positional-numbers': false },
  });
  if (r.error) return undefined;
  const a = r.argv as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(a)) if (!known.has(key)) return undefined;
  for (const [name, s] of Object.entries(verb.options)) {
    const v = a[name];
    if (v === undefined) continue;
    if (s.type === 'string') {
      const values = Array.isArray(v) ? v : [v];
      if (values.some((x) => typeof x !== 'string' || (s.requiresArg && x === ''))) return undefined;
      if (values.length > 1 && !verb.repeatable.includes(name)) return undefined;
      if (s.choices && !values.every((x) => s.choices!.includes(x as string))) return undefined;
    } else if (typeof v !== 'boolean') {
      return undefined;
    }
    out[name] = v;
  }
  const words = (a._ as unknown[]).map(String);
  if (verb.positional.many) {
    out[verb.positional.name] = words;
  } else {
    if (words.length !== 1) return undefined;
    out[verb.positional.name] = words[0];
  }
  return out;
}

/** Handles `typed` (verb first) and returns the work's promise, or returns undefined to let yargs handle it. */
export function fastPath(typed: string[]): Promise<void> | undefined {
  const verb = Object.hasOwn(FAST_VERBS, typed[0] ?? '') ? FAST_VERBS[typed[0]!] : undefined;
  const a = verb && fastArgs(verb, typed);
  return a ? verb!.run(a) : undefined;
}

/** The fast path (its first name, when it took report verbs only). */
export const reportFastPath = fastPath;
