/**
 * LVM2's y/n options written in one word (`-Zn`, `-xy`, `-an`) are split into option and value, which
 * yargs would otherwise read as two flags (-Z -n).
 *
 * LVM2 lets an option's value start with '-' (`lvs -O -lv_size`, `lvreduce -L -1G`, `-o -lv_attr`,
 * `--separator -`); yargs would read such a value as more options. Before parsing, each such pair
 * is joined into one `--opt=value` word, which yargs and yargs-parser both read as a value.
 */

/** Options whose value may start with '-' in LVM2's own usage. */
const VALUE_MAY_START_WITH_DASH = new Set([
  '-O', '--sort', '-o', '--options', '--separator', '-L', '--size', '-l', '--extents',
]);

export function joinDashValues(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = argv[i + 1];
    if (a === '--') { out.push(...argv.slice(i)); break; }
    const yn = /^-([Zxa])([yn])$/.exec(a);
    if (yn) { out.push(`-${yn[1]}`, yn[2]!); continue; }
    if (VALUE_MAY_START_WITH_DASH.has(a) && next !== undefined && next.startsWith('-') && next !== '--' && next.length > 1 && !/^-[-a-zA-Z]{1,2}$/.test(next) && !isKnownOptionWord(next)) {
      out.push(`${a}=${next}`);
      i++;
      continue;
    }
    out.push(a);
  }
  return out;
}

/** A word that is itself an option (`--devices`, `-a`): then the option before it really has no value. */
function isKnownOptionWord(w: string): boolean {
  return /^--[a-z][a-z-]*$/.test(w) && !w.includes('_');
}
