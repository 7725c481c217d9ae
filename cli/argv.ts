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

/** Short options of each verb that take a value (LVM2 users write them glued: -an, -Zn, -L5M, -i2, -s4m). */
const VALUE_SHORTS: Record<string, string> = {
  lvcreate: 'LlIinZa', lvextend: 'LlIi', lvreduce: 'LlIi', lvresize: 'LlIi', lvchange: 'apr',
  pvcreate: 'Z', pvchange: 'x', vgcreate: 's', vgchange: 'x', pvs: 'oO', vgs: 'oO', lvs: 'oO',
};
const VALUE_LONGS = ['--size', '--extents', '--stripesize', '--stripes', '--name', '--zero', '--activate'];

/**
 * LVM2's option spellings that yargs reads otherwise, rewritten for the LV verbs (applied by cli/main.ts
 * before any parser sees the arguments): a value glued to its short
 * option (`-an`, `-Zn`, `-L5M`, `-l+10`) becomes `-a=n`..., and a value starting with "-" or "+" after -L/-l
 * (`-L -1.5M`, `--extents -3`) is attached with "=" so that it is not taken for an option.
 */
export function rewriteLvArgv(argv: string[]): string[] {
  const shorts = VALUE_SHORTS[argv[0] ?? ''];
  if (!shorts) return argv;
  const out: string[] = [argv[0]];
  for (let i = 1; i < argv.length; i++) {
    const t = argv[i];
    if (t === '--') { out.push(...argv.slice(i)); break; }
    const glued = /^-([A-Za-z])([^=].*)$/.exec(t);
    if (glued && shorts.includes(glued[1])) { out.push(`-${glued[1]}=${glued[2]}`); continue; }
    const next = argv[i + 1];
    const takesValue = (/^-[A-Za-z]$/.test(t) && shorts.includes(t[1])) || VALUE_LONGS.includes(t);
    if (takesValue && next !== undefined && /^[-+]\d/.test(next)) { out.push(`${t}=${next}`); i++; continue; }
    out.push(t);
  }
  return out;
}
