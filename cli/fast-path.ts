/**
 * The reporting verbs' fast path. `lvmkit pvs|vgs|lvs ...` is the command run most, often in scripts,
 * and yargs alone costs about as long to load and set up as node's own start-up. So plain report
 * command lines are parsed with yargs-parser (the parser yargs itself uses) from the same option
 * table as the yargs command (REPORT_OPTIONS); anything else - help, version, an unknown or
 * malformed option, a bad choice - is handed to the full yargs CLI, which parses it again and gives
 * its usual messages. The fast path never decides anything yargs would decide differently.
 */
import parse from 'yargs-parser';
import { REPORT_OPTIONS, REPORT_VERBS, runReportVerb, type ReportVerb } from './commands/report.js';

interface Spec { alias?: string; type: 'string' | 'boolean'; requiresArg?: boolean; choices?: string[] }
const SPECS: Record<string, Spec> = REPORT_OPTIONS;

/** Handles `argv` and returns the work's promise, or returns undefined to let yargs handle it. */
export function reportFastPath(argv: string[]): Promise<void> | undefined {
  const verb = argv[0] as ReportVerb;
  if (!REPORT_VERBS.includes(verb) || argv.includes('--')) return undefined;
  const string: string[] = [];
  const boolean: string[] = [];
  const alias: Record<string, string> = {};
  const known = new Set<string>(['_']);
  for (const [name, s] of Object.entries(SPECS)) {
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
  for (const [name, s] of Object.entries(SPECS)) {
    const v = a[name];
    if (v === undefined) continue;
    if (s.type === 'string') {
      const values = Array.isArray(v) ? v : [v];
      if (values.some((x) => typeof x !== 'string' || (s.requiresArg && x === ''))) return undefined;
      if (values.length > 1 && name !== 'devices') return undefined;
      if (s.choices && !s.choices.includes(values[0] as string)) return undefined;
    } else if (typeof v !== 'boolean') {
      return undefined;
    }
    out[name] = v;
  }
  out.names = (a._ as unknown[]).map(String);
  return runReportVerb(verb, out);
}
